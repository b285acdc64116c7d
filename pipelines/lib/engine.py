"""Which engine runs the dbt build: DuckDB in the build file, or Spark over a Parquet lake.

DuckDB is the default and needs nothing more. Spark (`ropa run --engine spark`, `ROPA_ENGINE`)
runs the same dbt project with dbt-spark: it needs the optional extra (`pip install -e
".[spark]"`, which brings pyspark and dbt-spark) and a Java runtime for the local Spark.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, get_args

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = get_args(Engine)
DEFAULT_ENGINE: Engine = "duckdb"
ENGINE_ENV = "ROPA_ENGINE"
# The modules the Spark engine imports: the local Spark itself and dbt's Spark adapter.
_SPARK_MODULES = {"pyspark": "pyspark", "dbt.adapters.spark": "dbt-spark"}


class EngineUnavailableError(RuntimeError):
    """The chosen engine cannot run here; the message says what to install."""


def engine_from_environment(environ: Mapping[str, str] = os.environ) -> Engine:
    """`ROPA_ENGINE`, or DuckDB when it is unset or empty."""
    return parse_engine(environ.get(ENGINE_ENV, "").strip() or DEFAULT_ENGINE)


def parse_engine(name: str) -> Engine:
    if name == "duckdb":
        return "duckdb"
    if name == "spark":
        return "spark"
    raise EngineUnavailableError(
        f"engine {name!r} is not one of {', '.join(ENGINES)} (--engine or {ENGINE_ENV})"
    )


def require_engine(engine: Engine, environ: Mapping[str, str] = os.environ) -> None:
    """Raise EngineUnavailableError, saying what to install, unless `engine` can run here."""
    if engine != "spark":
        return
    missing = [package for module, package in _SPARK_MODULES.items() if not _importable(module)]
    if missing:
        raise EngineUnavailableError(
            f"--engine spark needs {' and '.join(missing)}, which are not installed: run "
            '`pip install -e ".[spark]"` (or `make setup-spark`) in this checkout'
        )
    if java_executable(environ) is None:
        raise EngineUnavailableError(
            "--engine spark needs Java 17 or later for the local Spark, and none was found "
            "(neither $JAVA_HOME/bin/java nor java on PATH): install it (Debian: "
            "`apt-get install openjdk-17-jre-headless`) or set JAVA_HOME"
        )


def java_executable(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The java that pyspark starts: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else PATH's."""
    home = environ.get("JAVA_HOME", "")
    if home:
        candidate = Path(home) / "bin" / "java"
        return candidate if os.access(candidate, os.X_OK) else None
    found = shutil.which("java", path=environ.get("PATH", ""))
    return Path(found) if found else None


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package (dbt.adapters) is missing
        return False
