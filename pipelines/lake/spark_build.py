"""The dbt build on Spark, around `dbt build --target spark`: the lake before, the copy after.

The DuckDB build file stays the run's one result: the load wrote it, and the tables dbt-spark
builds are copied into it (pipelines/lake/copy_back.py), so that the checks, the publish, the
dashboard and the pack read it as they read a DuckDB engine's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.lake.copy_back import built_tables, copy_back
from pipelines.lake.export import LakeWritten, write_lake
from pipelines.lake.location import SPARK_WAREHOUSE_FOLDER, Lake

# The output of dbt_project/profiles.yml that runs dbt-spark.
SPARK_TARGET = "spark"


def prepare_lake(build: Path, lake: Lake) -> LakeWritten:
    """Write the lake from the loaded build file, and empty Spark's warehouse: every run's
    Spark session starts with an empty catalog, so tables left by an earlier run are only in
    the way (Spark refuses to create a table over a folder that holds files)."""
    written = write_lake(build, lake)
    lake.replace_folder(SPARK_WAREHOUSE_FOLDER)
    return written


def spark_dbt_vars(lake: Lake) -> dict[str, Any]:
    """What the spark output of the profile and the on-run-start hook read: where the lake and
    Spark's warehouse are."""
    return {"lake_path": lake.root, "spark_warehouse_dir": lake.spark_warehouse}


def copy_spark_tables(build: Path, lake: Lake, manifest_path: Path) -> list[str]:
    """Copy what dbt-spark built into the build file (see copy_back); the tables copied."""
    return copy_back(build, lake, built_tables(manifest_path))
