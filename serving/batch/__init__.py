"""Batch transform with SageMaker Batch Transform semantics: http, inprocess and spark engines (see README.md)."""
