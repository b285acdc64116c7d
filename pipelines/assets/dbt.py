"""The dbt project as Dagster assets: staging → intermediate → marts, with dbt tests as checks.

The loader's asset keys equal the dbt source keys (`["drop", <table>]`), so Dagster shows one
lineage from the drop to the marts and their checks.
"""

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from pipelines.assets.run_date import run_evaluation_date
from pipelines.lib.dbt_manifest import DBT_PROJECT_DIR
from pipelines.resources import RopaSettings

ROPA_DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev` this parses the project; elsewhere `ensure_manifest()` ran as its own step.
ROPA_DBT_PROJECT.prepare_if_dev()


def dbt_cli_resource() -> DbtCliResource:
    # The dbt installed beside this interpreter: `.venv/bin/ropa` runs without an activated venv.
    dbt_executable = Path(sys.executable).parent / "dbt"
    return DbtCliResource(project_dir=ROPA_DBT_PROJECT, dbt_executable=str(dbt_executable))


@dbt_assets(manifest=ROPA_DBT_PROJECT.manifest_path, project=ROPA_DBT_PROJECT)
def ropa_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: RopaSettings
) -> Iterator[Any]:
    """`dbt build` against this run's private build file, with the run's evaluation date."""
    dbt_vars = settings.dbt_vars(context.run_id, run_evaluation_date(context, settings))
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()
