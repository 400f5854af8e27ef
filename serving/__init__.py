"""SageMaker-compatible serving: the container contract, the SparkML and XGBoost containers, pipelines."""
