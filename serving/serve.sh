#!/bin/sh
# The image's `serve` (/usr/local/bin/serve): SageMaker starts every container with `docker run IMAGE serve`.
# The container kind (a name in serving/loader.py's CONTAINERS) comes from SPARKLEAP_CONTAINER, set by each
# target of serving/Dockerfile; exec hands PID 1 and SageMaker's SIGTERM to the server itself.
# `sparkleap` is the console script of the installed package (pip install ., see serving/Dockerfile).
exec sparkleap serve "${SPARKLEAP_CONTAINER:?set SPARKLEAP_CONTAINER to a container kind (sparkleap serve --help lists them)}" "$@"
