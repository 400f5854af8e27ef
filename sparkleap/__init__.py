"""sparkleap: Spark feature pipeline -> MLeap bundle -> SageMaker-compatible serving."""
