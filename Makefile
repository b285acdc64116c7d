# The one entry for what people type. Quick start: `make demo`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := demo
AS_OF ?= $(shell date -u +%F)

.PHONY: setup setup-spark manifest system-packages demo dashboard test test-fast lint benchmark clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml setup.py pipelines/lib/_hmac_sha256.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The Spark engine (`ropa run --engine spark`): the `spark` extra (pyspark, dbt-spark) and a Java
# runtime for the local Spark (Debian's openjdk-17-jre-headless where there is none).
setup-spark: $(VENV)/.installed-spark

$(VENV)/.installed-spark: $(VENV)/.installed pyproject.toml
	@command -v java >/dev/null || [ -x "$${JAVA_HOME:-/nonexistent}/bin/java" ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless)
	$(BIN)/pip install --quiet -e ".[dev,spark]"
	touch $@

# dbt's manifest, which the Dagster definitions are built from (importing them never parses).
manifest: setup
	$(BIN)/python -c "from pipelines.lib.dbt_manifest import ensure_manifest; ensure_manifest()"

# Debian packages the tests drive: Chromium (dashboard in a real browser), poppler (PDF pages),
# LibreOffice Calc, headless (opens the pack's workbook as a recipient would).
system-packages:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils)
	@command -v soffice >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc)

demo: manifest
	$(BIN)/ropa demo --out $(DEMO)/drop --records 20000 --seed 7 --as-of $(AS_OF) --truth $(DEMO)/truth.json --overwrite
	$(BIN)/ropa run --exports $(DEMO)/drop --warehouse $(DEMO)/warehouse --as-of $(AS_OF)
	$(BIN)/ropa export --warehouse $(DEMO)/warehouse --out $(DEMO)/pack
	$(BIN)/ropa verify $(DEMO)/pack
	@echo
	@echo "Regulator pack: $(DEMO)/pack    Findings: $(BIN)/ropa findings --warehouse $(DEMO)/warehouse"
	@echo "Dashboard:      $(BIN)/ropa users add dpo --role dpo --warehouse $(DEMO)/warehouse   (once: asks a password)"
	@echo "                $(BIN)/ropa dashboard --warehouse $(DEMO)/warehouse --port 8501   (http://127.0.0.1:8501)"

dashboard: setup
	$(BIN)/ropa dashboard --warehouse $(DEMO)/warehouse --port 8501

# With the Spark tests (marker `spark`), so with the spark extra.
test: manifest system-packages setup-spark
	$(BIN)/pytest

test-fast: manifest
	$(BIN)/pytest -m "not browser and not slow and not spark"

lint: manifest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy commands pipelines dashboards expectations demo_drop
	cd dbt_project && ROPA_DUCKDB_PATH=target/lint.duckdb ../$(BIN)/sqlfluff lint models

benchmark: setup
	$(BIN)/python benchmarks/load_benchmark.py --records 10000000

clean:
	rm -rf $(DEMO) dbt_project/target test-artifacts
