"""The SparkML serving container: applies a Bundle.ML bundle with the pure-Python runtime."""
