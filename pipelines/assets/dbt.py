"""The dbt project as Dagster assets: staging → intermediate → marts, with dbt tests as checks.

The loader's asset keys equal the dbt source keys (`["drop", <table>]`), so Dagster shows one
lineage from the drop to the marts and their checks.
"""

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from pipelines.assets.run_date import run_evaluation_date
from pipelines.lake.spark_build import (
    SPARK_TARGET,
    copy_spark_tables,
    prepare_lake,
    spark_dbt_vars,
)
from pipelines.lib.dbt_manifest import DBT_PROJECT_DIR
from pipelines.lib.engine import require_engine
from pipelines.resources import RopaSettings

ROPA_DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev` this parses the project; elsewhere `ensure_manifest()` ran as its own step.
ROPA_DBT_PROJECT.prepare_if_dev()


def dbt_cli_resource() -> DbtCliResource:
    # The dbt installed beside this interpreter: `.venv/bin/ropa` runs without an activated venv.
    dbt_executable = Path(sys.executable).parent / "dbt"
    return DbtCliResource(project_dir=ROPA_DBT_PROJECT, dbt_executable=str(dbt_executable))


# What tests the project's code, not the night's drop: the unit tests, and the data tests tagged
# `code` (dbt_project.yml says why the others run nightly). CI builds them (tests/dbt_harness.py);
# excluded here, they are not Dagster asset checks either, so no run waits for their results.
NOT_NIGHTLY = "resource_type:unit_test tag:code"
# The latest run's dbt artifacts and dbt.log, kept for debugging; each run replaces them.
DBT_LOGS_FOLDER = Path("logs") / "dbt"


@dbt_assets(manifest=ROPA_DBT_PROJECT.manifest_path, project=ROPA_DBT_PROJECT, exclude=NOT_NIGHTLY)
def ropa_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: RopaSettings
) -> Iterator[Any]:
    """`dbt build` against this run's private build file, with the run's evaluation date; on
    the Spark engine, over the lake written from that file, and copied back into it."""
    dbt_vars: dict[str, Any] = {
        **settings.dbt_vars(context.run_id, run_evaluation_date(context, settings))
    }
    # Not dagster-dbt's default (a new folder under dbt_project/target/ per run, never removed).
    target_path = settings.warehouse_path / DBT_LOGS_FOLDER
    shutil.rmtree(target_path, ignore_errors=True)
    # The selection excludes NOT_NIGHTLY already; a run of a subset selects by name, so again.
    arguments = ["build", "--exclude", NOT_NIGHTLY]
    on_spark = settings.engine == "spark"
    build = settings.build_path(context.run_id)
    if on_spark:
        require_engine(settings.engine)
        written = prepare_lake(build, settings.lake)
        context.log.info(
            f"lake {settings.lake.root}: {sum(written.raw_parts.values())} raw parts of "
            f"{len(written.raw_parts)} tables, {len(written.carried)} carried tables"
        )
        dbt_vars |= spark_dbt_vars(settings.lake)
        arguments += ["--target", SPARK_TARGET]
    arguments += ["--vars", json.dumps(dbt_vars)]
    yield from dbt.cli(arguments, context=context, target_path=target_path).stream()
    if on_spark:
        copied = copy_spark_tables(build, settings.lake, ROPA_DBT_PROJECT.manifest_path)
        context.log.info(f"copied from Spark into the build file: {len(copied)} tables")
