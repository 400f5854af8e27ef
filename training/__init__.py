"""XGBoost training on the preprocessing job's label-first CSVs: locally, or as a SageMaker training job."""
