"""The XGBoost container: SageMaker's XGBoost serving contract, with safer defaults."""
