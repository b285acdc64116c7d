"""The dbt project as Dagster assets: staging → intermediate → marts, with dbt tests as checks.

The loader's asset keys equal the dbt source keys (`["drop", <table>]`), so Dagster shows one
lineage from the drop to the marts and their checks.
"""

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from pipelines.lib.dbt_manifest import DBT_PROJECT_DIR, ensure_manifest
from pipelines.resources import RopaSettings

# @dbt_assets reads the manifest at import: parse the project first on a fresh clone.
ensure_manifest()
ROPA_DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_cli_resource() -> DbtCliResource:
    # The dbt installed beside this interpreter: `.venv/bin/ropa` runs without an activated venv.
    dbt_executable = Path(sys.executable).parent / "dbt"
    return DbtCliResource(project_dir=ROPA_DBT_PROJECT, dbt_executable=str(dbt_executable))


@dbt_assets(manifest=ROPA_DBT_PROJECT.manifest_path, project=ROPA_DBT_PROJECT)
def ropa_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: RopaSettings
) -> Iterator[Any]:
    """`dbt build` against this run's private build file, with the run's evaluation date."""
    # dbt runs as a subprocess that inherits the environment; the profile reads the path from it.
    os.environ["ROPA_DUCKDB_PATH"] = str(settings.build_path(context.run_id))
    dbt_vars = {"as_of": settings.evaluation_date().isoformat(), "run_id": context.run_id}
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()
