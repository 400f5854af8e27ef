"""The base layer: storage (local and S3), AWS clients, atomic files, child processes. Imports nothing of ours."""
