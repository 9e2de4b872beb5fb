# Escalation Warehouse: `make demo` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEMO_HOME ?= data
DEMO_SEED ?= 7
DEMO_ESCALATIONS ?= 20000
DEMO_DAYS ?= 300
STAMP := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)

BENCH_SIZES ?= 10k,100k,1m
BENCH_ARGS ?=

.PHONY: demo docs test test-spark test-spark-thrift lint dev manifest install clean bench bench-business-time

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: Escalation Warehouse needs Python 3.11 (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

# What dbt's profile reads (the warehouse, target, windows), printed from the settings
# (escalations/settings.py) as `export` lines; profiles.yml has no defaults of its own.
DBT_ENV = $(BIN)/python -m escalations.settings --dbt-env --home $(DEMO_HOME)

# @dbt_assets needs the manifest at import time.
manifest: $(STAMP)
	eval "$$($(DBT_ENV))" && cd orchestration && ../$(BIN)/dagster-dbt project prepare-and-package --file project.py

demo: manifest
	@if [ -d "$(DEMO_HOME)/landing/zendesk" ]; then \
		echo "Demo landing zone $(DEMO_HOME)/landing exists: reusing it (delete $(DEMO_HOME) to start over)."; \
		echo "Its files are not new deliveries, so the source-freshness checks are off for this run."; \
		ESCALATIONS_FRESHNESS_HOURS=0 $(BIN)/escalations run --demo --home $(DEMO_HOME); \
	else \
		$(BIN)/escalations generate --out $(DEMO_HOME)/landing --seed $(DEMO_SEED) \
			--escalations $(DEMO_ESCALATIONS) --days $(DEMO_DAYS) && \
		$(BIN)/escalations run --demo --home $(DEMO_HOME); \
	fi
	@$(MAKE) --no-print-directory docs

# The dbt docs site: every model, column, test and the lineage, with column types and row counts
# read from the demo warehouse (make demo builds it first). One self-contained page to open in a
# browser: $(DEMO_HOME)/dbt_docs/static_index.html.
DBT_DOCS := $(abspath $(DEMO_HOME))/dbt_docs
docs: manifest
	@warehouse="$${ESCALATIONS_WAREHOUSE:-$(abspath $(DEMO_HOME))/warehouse.duckdb}"; catalog=""; \
	if [ ! -f "$$warehouse" ]; then \
		echo "No warehouse at $$warehouse yet (make demo builds one): the docs site will lack column types and row counts."; \
		mkdir -p .cache; warehouse="$(CURDIR)/.cache/docs.duckdb"; catalog="--empty-catalog"; \
	fi; \
	eval "$$($(DBT_ENV) --warehouse "$$warehouse")" && \
	cd dbt_project && ../$(BIN)/dbt docs generate --static $$catalog \
		--target-path "$(DBT_DOCS)" --log-path "$(DBT_DOCS)/logs" --quiet && \
	echo "dbt docs     : $(DBT_DOCS)/static_index.html  (models, columns, tests, lineage; open it in a browser)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p .cache  # the dbt templater opens a DuckDB file: give it a scratch one
	eval "$$($(DBT_ENV) --warehouse $(CURDIR)/.cache/lint.duckdb)" && \
		$(BIN)/sqlfluff lint dbt_project/models dbt_project/tests --processes 2

# Test modules run in parallel, one module per worker (their module fixtures build one world each);
# TEST_WORKERS=1 runs them one after another.
TEST_WORKERS ?= auto
test: manifest lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# The three engines' cases alone (tests/test_engines.py: DuckDB, Postgres and Spark runs, parity,
# dbt unit tests on each); `make test` runs them too.
test-spark: manifest
	$(BIN)/pytest tests/test_engines.py

# The same on a Spark Thrift server (the `spark_thrift` target) the test starts from pyspark's own
# jars: one more Spark run, on request only.
test-spark-thrift: manifest
	ESCALATIONS_TEST_SPARK_THRIFT=1 $(BIN)/pytest tests/test_engines.py -k "spark_thrift"

# The whole pipeline at 10k, 100k and 1M escalations (worlds cached in bench/cache/), then the
# business-time micro-benchmark; figures in bench/results.json and bench/business_time.json.
bench: manifest
	$(BIN)/python -m escalations.bench --sizes $(BENCH_SIZES) $(BENCH_ARGS)
	$(MAKE) bench-business-time

bench-business-time: $(STAMP)
	$(BIN)/python -m escalations.business_time_check.bench

# umask 077: what the webserver, the daemon and the runs write in the home is the user's only
dev: manifest
	umask 077 && $(BIN)/python -m orchestration.instance $(DEMO_HOME)/dagster >/dev/null && \
	ESCALATIONS_HOME=$(abspath $(DEMO_HOME)) DAGSTER_HOME=$(abspath $(DEMO_HOME))/dagster \
		$(BIN)/dagster dev -m orchestration.definitions

# dbt's per-run folders live in the home (HOME/dbt/target), pruned by every run
clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .pytest_cache
