"""The dbt project as Dagster assets: staging → intermediate → marts, with dbt tests as checks.

The loader's asset keys equal the dbt source keys (`["drop", <table>]`), so Dagster shows one
lineage from the drop to the marts and their checks.
"""

import json
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from pipelines.lib.code_version import code_version
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
# dbt's parse of the project, kept from one run to the next under the code version that wrote
# it: a run of the same code re-parses nothing (a full parse is seconds of CPU). Only the same
# code: a new check model is not yet a dependency of `findings` in an older parse.
DBT_PARSE_FOLDER = Path("logs") / "dbt_parse"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"


@dbt_assets(manifest=ROPA_DBT_PROJECT.manifest_path, project=ROPA_DBT_PROJECT, exclude=NOT_NIGHTLY)
def ropa_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: RopaSettings
) -> Iterator[Any]:
    """`dbt build` of this run's private build file; on the Spark engine, over the lake written
    from that file, and copied back into it. dbt gets no value of the run (its id and evaluation
    date are in raw.run_info), so its saved parse of the project serves every run."""
    dbt_vars: dict[str, Any] = settings.dbt_vars()
    # Not dagster-dbt's default (a new folder under dbt_project/target/ per run, never removed).
    target_path = settings.warehouse_path / DBT_LOGS_FOLDER
    shutil.rmtree(target_path, ignore_errors=True)
    kept_parse = restore_parse(settings.warehouse_path, target_path)
    # The selection excludes NOT_NIGHTLY already; a run of a subset selects by name, so again.
    arguments = ["build", "--exclude", NOT_NIGHTLY]
    build = settings.build_path(context.run_id)
    try:
        if settings.engine == "spark":
            require_engine(settings.engine)
            # the lake's Parquet and Arrow datasets: half a second of imports a DuckDB run skips
            from pipelines.lake.spark_build import (
                SPARK_TARGET,
                copy_spark_tables,
                prepare_lake,
                spark_dbt_vars,
            )

            written = prepare_lake(build, settings.lake)
            context.log.info(
                f"lake {settings.lake.root}: {sum(written.raw_parts.values())} raw parts of "
                f"{len(written.raw_parts)} tables, {len(written.carried)} carried tables"
            )
            dbt_vars |= spark_dbt_vars(settings.lake)
            arguments += ["--target", SPARK_TARGET, "--vars", json.dumps(dbt_vars)]
            yield from dbt.cli(arguments, context=context, target_path=target_path).stream()
            copied = copy_spark_tables(build, settings.lake, ROPA_DBT_PROJECT.manifest_path)
            context.log.info(f"copied from Spark into the build file: {len(copied)} tables")
        else:
            arguments += ["--vars", json.dumps(dbt_vars)]
            with renamed_build(build, settings.dbt_build_path()):
                yield from dbt.cli(arguments, context=context, target_path=target_path).stream()
    finally:
        # a failed build parsed the same project: its parse serves the next run too
        keep_parse(target_path, kept_parse)


def restore_parse(warehouse_dir: Path, target_path: Path) -> Path:
    """Put the parse kept under this code version where dbt looks for it; its kept path."""
    kept = warehouse_dir / DBT_PARSE_FOLDER / f"{code_version().removeprefix('sha256:')}.msgpack"
    target_path.mkdir(parents=True, exist_ok=True)
    if kept.exists():
        shutil.copyfile(kept, target_path / PARTIAL_PARSE_FILE)
    return kept


def keep_parse(target_path: Path, kept: Path) -> None:
    """Keep the parse dbt wrote (it writes one whenever it parsed anything), alone."""
    written = target_path / PARTIAL_PARSE_FILE
    if not written.exists():
        return
    shutil.rmtree(kept.parent, ignore_errors=True)
    kept.parent.mkdir(parents=True)
    shutil.copyfile(written, kept)


@contextmanager
def renamed_build(build: Path, dbt_build: Path) -> Iterator[None]:
    """The run's build file (and its WAL) under the name dbt's profile has for every run, put
    back under the run's name however dbt ends. DuckDB finds the WAL by the file's name, so
    both move; renames within build/, so nothing is copied."""
    # a WAL a killed run left under that name would be replayed into this run's file
    dbt_build.with_name(dbt_build.name + ".wal").unlink(missing_ok=True)
    for source, destination in [(build, dbt_build), *_wal_pair(build, dbt_build)]:
        source.replace(destination)
    try:
        yield
    finally:
        for source, destination in [(dbt_build, build), *_wal_pair(dbt_build, build)]:
            if source.exists():
                source.replace(destination)


def _wal_pair(source: Path, destination: Path) -> list[tuple[Path, Path]]:
    wal = source.with_name(source.name + ".wal")
    return [(wal, destination.with_name(destination.name + ".wal"))] if wal.exists() else []
