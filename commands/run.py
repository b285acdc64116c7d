"""`ropa run`: the whole refresh in-process — load, dbt build, audit checks, publish, pack.

It is the same job the Dagster UI and the nightly schedule run. A failed run exits non-zero,
names what was wrong, and leaves the published warehouse as it was. A run that finds nothing new
(pipelines/assets/load.py) rebuilds nothing, says so, and is done in seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import datetime as dt
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from commands.unchanged_night import record_if_unchanged
from pipelines.lib import warehouse
from pipelines.lib.engine import (
    ENGINE_ENV,
    ENGINES,
    Engine,
    EngineUnavailableError,
    engine_from_environment,
    parse_engine,
    require_engine,
)

if TYPE_CHECKING:
    import dagster as dg


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exports", type=Path, required=True, help="the export drop folder")
    parser.add_argument(
        "--warehouse", type=Path, required=True, help="the folder of the published warehouse"
    )
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        help="evaluation date YYYY-MM-DD (default: today in UTC)",
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        help="if a refresh of this warehouse is running, wait for it instead of exiting",
    )
    parser.add_argument(
        "--new-key",
        action="store_true",
        help="publish although the pseudonym key is not the published warehouse's "
        "(every record hash changes)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help=f"what runs the dbt build: duckdb (default) or spark, dbt-spark over a Parquet lake "
        f'under <warehouse>/lake (pip install -e ".[spark]"); default: ${ENGINE_ENV} or duckdb',
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="hash and read every file and rebuild, even if nothing changed (by default a file "
        "of unchanged size and modification time keeps its recorded hash, an unchanged record "
        "file reuses its loaded part, and an unchanged drop rebuilds nothing)",
    )


def run(args: argparse.Namespace) -> int:
    exports = args.exports.resolve()
    warehouse_dir = args.warehouse.resolve()
    as_of = args.as_of or dt.datetime.now(dt.UTC).date()
    try:
        engine = parse_engine(args.engine) if args.engine else engine_from_environment()
        require_engine(engine)
    except EngineUnavailableError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    # The sensor and the dbt profile read these; the UI and daemon are configured the same way.
    os.environ["ROPA_EXPORTS_DIR"] = str(exports)
    os.environ["ROPA_WAREHOUSE_DIR"] = str(warehouse_dir)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    print(f"ropa run: {exports} -> {warehouse_dir} as of {as_of}", file=sys.stderr)
    logs = warehouse_dir / "logs"
    try:
        logs.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"error: cannot write the warehouse folder {warehouse_dir}: {error.strerror}",
              file=sys.stderr)  # fmt: skip
        return 1
    if not args.full:
        night = record_if_unchanged(exports, warehouse_dir, as_of, wait=args.wait)
        if night is not None:
            print_unchanged(night.unchanged_since, night.housekeeping, warehouse_dir)
            return 0
    # This run's own log, renamed to last_run.log when it ends: a second run started meanwhile
    # (and refused by the refresh lock) does not overwrite the log of the one running.
    run_log = logs / f"run-{os.getpid()}.log"
    # dagster-dbt echoes every dbt event to stdout; the terminal gets progress lines instead.
    with run_log.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        result = execute_refresh(
            exports,
            warehouse_dir,
            as_of,
            wait=args.wait,
            accept_new_key=args.new_key,
            full=args.full,
            engine=engine,
        )
    log_path = logs / "last_run.log"
    os.replace(run_log, log_path)
    print(f"dbt log: {log_path}", file=sys.stderr)
    if not result.success:
        warehouse.discard_build(warehouse_dir, result.run_id)
        for message in failure_messages(result):
            print(f"error: {message}", file=sys.stderr)
        if _step_succeeded(result, PUBLISH_STEP):
            print("The warehouse was published; a later step failed.", file=sys.stderr)
        else:
            print("The published warehouse was left as it was.", file=sys.stderr)
        return 1
    unpublished = unpublished_reason(result)
    if unpublished is not None:
        warehouse.discard_build(warehouse_dir, result.run_id)
        print(f"error: {unpublished}; see {log_path}", file=sys.stderr)
        print("The published warehouse was left as it was.", file=sys.stderr)
        return 1
    print_summary(result, warehouse_dir)
    return 0


def execute_refresh(
    exports: Path,
    warehouse_dir: Path,
    as_of: dt.date,
    *,
    wait: bool = False,
    accept_new_key: bool = False,
    full: bool = False,
    engine: Engine = "duckdb",
) -> dg.ExecuteInProcessResult:
    """The refresh job run in-process, in a copy of the caller's context: Dagster leaves the
    instance a run entered in a context variable, disposed, and a second refresh in the same
    process (the tests, any long-lived caller) would build its definitions over it and fail
    ("Attempted to resolve undefined DagsterInstance weakref")."""
    return contextvars.copy_context().run(
        _execute_refresh, exports, warehouse_dir, as_of, wait, accept_new_key, full, engine
    )


def _execute_refresh(
    exports: Path,
    warehouse_dir: Path,
    as_of: dt.date,
    wait: bool,
    accept_new_key: bool,
    full: bool,
    engine: Engine,
) -> dg.ExecuteInProcessResult:
    import dagster as dg

    from pipelines.lib.dbt_manifest import ensure_manifest

    ensure_manifest()  # the definitions are built from dbt's manifest: a fresh clone has none
    from pipelines.assets.record_files import refresh_tags
    from pipelines.definitions import build_definitions
    from pipelines.jobs import REFRESH_JOB_NAME
    from pipelines.lake.location import LAKE_PATH_ENV
    from pipelines.resources import RopaSettings

    settings = RopaSettings(
        exports_dir=str(exports),
        warehouse_dir=str(warehouse_dir),
        as_of=as_of.isoformat(),
        accept_new_key=accept_new_key,
        full=full,
        engine=engine,
        lake_path=os.environ.get(LAKE_PATH_ENV, ""),
    )
    for name in ("dagster", "dagster.builtin"):
        logging.getLogger(name).setLevel(logging.WARNING)
    definitions = build_definitions(settings)
    job = definitions.resolve_job_def(REFRESH_JOB_NAME)
    instance = dg.DagsterInstance.ephemeral()
    return job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={
            "loggers": {"progress": {}},
            "resources": {"refresh_lock": {"config": {"wait": wait}}},
        },
        tags=refresh_tags(instance, exports),
    )


def _step_succeeded(result: dg.ExecuteInProcessResult, step_key: str) -> bool:
    return any(
        event.event_type_value == "STEP_SUCCESS" and event.step_key == step_key
        for event in result.all_events
    )


PUBLISH_STEP = "published_warehouse"


def unpublished_reason(result: dg.ExecuteInProcessResult) -> str | None:
    """Why a run that Dagster counts as a success did not publish, or None. A step whose input
    never came (an asset that yielded nothing, e.g. dbt events lost) is skipped, not failed; only
    a night with nothing new may end unpublished."""
    from pipelines.assets.load import UNCHANGED_SINCE

    if _step_succeeded(result, PUBLISH_STEP):
        return None
    if UNCHANGED_SINCE in load_metadata(result, "run_info"):
        return None
    skipped = sorted(
        str(event.step_key)
        for event in result.all_events
        if event.event_type_value == "STEP_SKIPPED"
    )
    return (
        "the run ended without publishing: an earlier step gave no output, so these steps were "
        f"skipped: {', '.join(skipped) or 'none'}"
    )


_OUR_ERRORS = frozenset({"DropError", "DropErrors"})


def failure_messages(result: dg.ExecuteInProcessResult) -> list[str]:
    """The user's error behind each failed step (a DropError names file, line and field), or
    behind a resource that could not start (the refresh lock held by another run)."""
    messages = []
    for event in result.all_events:
        if event.event_type_value == "RESOURCE_INIT_FAILURE":
            error = getattr(event.event_specific_data, "error", None)
            text = error.message.strip() if error is not None else "a resource failed"
            messages.append(text.split(": ", 1)[-1])  # without the exception's module and class
            continue
        if event.event_type_value != "STEP_FAILURE" or event.step_failure_data is None:
            continue
        error = event.step_failure_data.error
        # The innermost cause, or our error where one is on the way (never the pydantic or
        # dbt error a DropError was raised from).
        while error is not None and error.cause is not None and error.cls_name not in _OUR_ERRORS:
            error = error.cause
        text = error.message.strip() if error is not None else "step failed"
        messages.append(f"{event.step_key}: {text}")
    return messages or ["the run failed before any step ran"]


def load_metadata(result: dg.ExecuteInProcessResult, table: str) -> dict[str, Any]:
    """The metadata the load gave raw table `table`'s asset: materialized, or only observed
    when the run found nothing new."""
    events = [
        event.step_materialization_data.materialization
        for event in result.get_asset_materialization_events()
    ] + [
        event.asset_observation_data.asset_observation
        for event in result.get_asset_observation_events()
    ]
    return {
        name: value.value
        for event in events
        if event.asset_key.path[-1] == table
        for name, value in event.metadata.items()
    }


def parts_reused(result: dg.ExecuteInProcessResult) -> list[str]:
    """The record files whose parts earlier runs built: not parsed again by this run."""
    from pipelines.assets.load import PARTS_REUSED
    from pipelines.assets.record_files import PART_REUSED, RECORD_FILE_KEY, RECORD_PARTS

    parts: dict[str, dict[str, Any]] = {}
    for event in result.get_asset_materialization_events():
        if event.asset_key == RECORD_FILE_KEY:
            loaded = event.step_materialization_data.materialization.metadata[RECORD_PARTS]
            parts |= cast(dict[str, dict[str, Any]], loaded.value)
    by_partitions = {relative for relative, part in parts.items() if part[PART_REUSED]}
    by_the_load: list[str] = load_metadata(result, "records").get(PARTS_REUSED) or []
    return sorted(by_partitions | set(by_the_load))


def print_housekeeping(metadata: dict[str, Any]) -> None:
    """What the load found of earlier runs (pipelines/assets/load.py): a stale lock, leftovers
    removed from build/ and packs/, entries there it left alone; and the key it hashed with."""
    if metadata.get("stale_lock_taken_over"):
        stale = metadata["stale_lock_taken_over"]
        print(f"\nstale refresh lock of a run that did not finish ({stale}): taken over")
    for heading, key in (
        ("removed what killed runs left", "leftovers_removed"),
        ("not a file of a run, left as it is (remove it by hand)", "unknown_entries"),
    ):
        entries: list[str] = metadata.get(key) or []
        if entries:
            print(f"\n{heading}:")
            for entry in entries:
                print(f"  {entry}")
    print(f"\npseudonym key fingerprint: {metadata.get('pseudonym_key_fingerprint', 'unknown')}")


def print_unchanged(since_run: str, housekeeping: dict[str, Any], warehouse_dir: Path) -> None:
    print(
        f"\nunchanged since run {since_run}: the drop, the evaluation date, the pseudonym key "
        "and the code are that run's, so nothing was rebuilt (recorded in the run history; "
        "--full rebuilds)"
    )
    print_housekeeping(housekeeping)
    print(f"\npublished (as it was): {warehouse.published_path(warehouse_dir)}")


def print_summary(result: dg.ExecuteInProcessResult, warehouse_dir: Path) -> None:
    from pipelines.assets.load import UNCHANGED_SINCE
    from pipelines.load.drop import is_contract_file

    run_info = load_metadata(result, "run_info")
    if UNCHANGED_SINCE in run_info:
        print_unchanged(run_info[UNCHANGED_SINCE], run_info, warehouse_dir)
        return

    durations = {
        str(event.step_key): getattr(event.event_specific_data, "duration_ms", 0.0) / 1000
        for event in result.all_events
        if event.event_type_value == "STEP_SUCCESS"
    }
    with warehouse.read_only_connection(warehouse_dir) as connection:
        sources = connection.execute(
            "select source_file, rows_loaded, rows_rejected from marts.load_files "
            "where rows_read is not null order by source_file"
        ).fetchall()
        unread = connection.execute(
            "select source_file from marts.load_files where rows_read is null order by source_file"
        ).fetchall()
        skipped = connection.execute(
            "select _source_file, resource_type, resources from raw.register_skipped"
            " order by _source_file, resource_type"
        ).fetchall()
        severities = connection.execute(
            "select severity, findings, failing from marts.rpt_open_findings_by_severity "
            "order by severity"
        ).fetchall()
    print("\nrows loaded / rejected per source:")
    for source_file, loaded, rejected in sources:
        print(f"  {source_file:<60} {loaded:>12,} {rejected:>8,}")
    not_read = [str(source_file) for (source_file,) in unread]
    unread_records = [f for f in not_read if f.startswith("records/")]
    outside = [f for f in not_read if not is_contract_file(f)]
    if unread_records:
        print("\nnot read (not CSV, JSON Lines or Parquet; finding drop.unread_file):")
        for source_file in unread_records:
            print(f"  {source_file}")
    if outside:
        print("\nnot part of the contract, not read:")
        for source_file in outside:
            print(f"  {source_file}")
    if skipped:
        print("\nregister: skipped, not part of the record (exports.md):")
        for source_file, kind, count in skipped:
            print(f"  {source_file:<60} {kind} ({count})")
    print("\nfindings by severity:")
    for severity, findings, count in severities or [("none", 0, 0)]:
        print(f"  {severity:<8} {findings:>5} findings ({count:,} items)")
    print("\ntime per step:")
    pipeline_steps = (
        "drop__record_file", "export_drop", "ropa_dbt_assets", "published_warehouse",
        "regulator_pack",
    )  # fmt: skip
    for step in pipeline_steps:
        if step in durations:
            print(f"  {step:<24} {durations[step]:8.1f}s")
    # The checks run a few to a step (pipelines/assets/checks.py): counted by their results.
    checks = [seconds for step, seconds in durations.items() if step not in pipeline_steps]
    evaluated = sum(
        event.event_type_value == "ASSET_CHECK_EVALUATION" and event.step_key not in pipeline_steps
        for event in result.all_events
    )
    print(f"  {f'audit checks ({evaluated})':<24} {sum(checks):8.1f}s")
    reused = parts_reused(result)
    if reused:
        print(f"\nunchanged record files, not parsed again (their parts reused): {len(reused)}")
    print_housekeeping(run_info)
    print(f"\npublished: {warehouse.published_path(warehouse_dir)}")
