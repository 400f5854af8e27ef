"""The serial inference pipeline: 2-15 containers behind one front end, with SageMaker's semantics."""
