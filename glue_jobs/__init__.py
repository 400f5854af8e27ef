"""The preprocessing job: fit the Spark feature pipeline and write the run's outputs."""
