"""Helpers shared by the tests: servers as processes, the S3 fault proxy, the reference fixtures."""
