"""The export drop as Dagster assets: one asset per raw table, keyed like the dbt sources.

The record files' rows come from their parts, built by the partitions of drop/record_file
(pipelines/assets/record_files.py) or, for any part missing, by this asset itself.

A run whose drop, evaluation date, pseudonym key and code equal the published run's materializes
none of them: every later step (dbt, the checks, publish, pack) is then skipped, and the run is
recorded in the published run history as unchanged (pipelines/lib/unchanged_run.py).
"""

import datetime as dt
from collections.abc import Iterator

import dagster as dg

from pipelines.assets.record_files import RECORD_FILE_KEY
from pipelines.assets.run_date import run_evaluation_date
from pipelines.lib import warehouse
from pipelines.lib.pseudonym import PseudonymKeyChangedError, key_fingerprint, load_or_create_key
from pipelines.lib.refresh_lock import HeldLock
from pipelines.lib.unchanged_run import record_unchanged_run
from pipelines.load.against_published import compare_with_published
from pipelines.load.carry_over import read_published_load
from pipelines.load.drop import load_drop
from pipelines.load.raw_tables import RAW_TABLES
from pipelines.load.record_parts import PARTS_FOLDER
from pipelines.resources import RopaSettings

DROP_SOURCE = "drop"
RAW_ASSET_KEYS = [dg.AssetKey([DROP_SOURCE, table]) for table in RAW_TABLES]
# The raw tables made of the record files' parts: what drop/record_file's partitions build.
FROM_RECORD_PARTS = ("records", "rejects")
PARTS_REUSED = "record_files_not_parsed_again"  # metadata: their parts were earlier runs'


@dg.multi_asset(
    name="export_drop",
    specs=[
        dg.AssetSpec(
            key,
            group_name="export_drop",
            description=f"raw.{key.path[-1]}",
            skippable=True,
            deps=[RECORD_FILE_KEY] if key.path[-1] in FROM_RECORD_PARTS else [],
        )
        for key in RAW_ASSET_KEYS
    ],
)
def export_drop(
    context: dg.AssetExecutionContext,
    settings: RopaSettings,
    refresh_lock: dg.ResourceParam[HeldLock],
) -> Iterator[dg.MaterializeResult | dg.AssetObservation]:
    """Validate and load the drop into this run's private build file, or, when the published
    warehouse is what this run would build, record the run as unchanged and load nothing."""
    warehouse_dir = settings.warehouse_path
    build = settings.build_path(context.run_id)
    build.parent.mkdir(parents=True, exist_ok=True)
    leftovers = warehouse.remove_leftovers(warehouse_dir, context.run_id)
    for entry in leftovers.removed:
        context.log.warning(f"removed what a killed run left: {entry}")
    for entry in leftovers.unknown:
        context.log.warning(f"not a file of a run, left as it is: {entry}")
    warehouse.discard_build(warehouse_dir, context.run_id)
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    key = load_or_create_key(warehouse_dir)
    fingerprint = _unchanged_key_fingerprint(context, settings, key)
    housekeeping: dict[str, dg.RawMetadataValue] = {
        "pseudonym_key_fingerprint": fingerprint,
        "stale_lock_taken_over": refresh_lock.stale,
        "leftovers_removed": dg.MetadataValue.json(leftovers.removed),
        "unknown_entries": dg.MetadataValue.json(leftovers.unknown),
    }
    as_of = run_evaluation_date(context, settings)
    drop = settings.exports_path
    published = None if settings.full else read_published_load(warehouse_dir)
    # Under the published run's key and code every file's hash is needed before the load: it
    # decides whether the run is a no-op and names the record files' parts. Otherwise a
    # file whose stamp changed is hashed beside the load.
    state = compare_with_published(drop, published, fingerprint, hash_changed_files=True)
    since = state.unchanged_since(as_of, fingerprint)
    if since is not None and record_unchanged_run(
        since.path, context.run_id, started_at, since.run_id, state.restamped()
    ):
        context.log.info(
            f"unchanged since run {since.run_id} (drop, evaluation date, pseudonym key and code "
            "are the same): nothing rebuilt"
        )
        yield dg.AssetObservation(
            asset_key=RUN_INFO_KEY, metadata={**housekeeping, UNCHANGED_SINCE: since.run_id}
        )
        return
    connection = warehouse.connect(build)
    try:
        carried = warehouse.carry_over_state(connection, warehouse_dir)
        summary = load_drop(
            drop,
            connection,
            run_id=context.run_id,
            as_of=as_of,
            pseudonym_key=key,
            progress=lambda step: context.log.info(f"loading {step}"),
            listing=state.listing,
            hashes=state.hashes,
            parts=warehouse_dir / PARTS_FOLDER,
            reuse_parts=not settings.full,
        )
    finally:
        connection.close()
    context.log.info(f"carried over from the published warehouse: {len(carried)} tables")
    rejected_by_file = {f.source_file: f.rows_rejected for f in summary.files if f.rows_rejected}
    for asset_key in RAW_ASSET_KEYS:
        table = asset_key.path[-1]
        metadata: dict[str, dg.RawMetadataValue] = {"rows": summary.table_rows.get(table, 0)}
        if table == "load_audit":
            metadata["drop_fingerprint"] = summary.drop_fingerprint
            metadata["files"] = len(summary.files)
        if table == "run_info":
            metadata |= housekeeping
        if table == "records":
            metadata[PARTS_REUSED] = dg.MetadataValue.json(summary.parts_reused)
        if table == "rejects":
            metadata["rows_rejected_by_file"] = dg.MetadataValue.json(rejected_by_file)
        yield dg.MaterializeResult(asset_key=asset_key, metadata=metadata)


RUN_INFO_KEY = dg.AssetKey([DROP_SOURCE, "run_info"])
UNCHANGED_SINCE = "unchanged_since_run"  # metadata of a run that rebuilt nothing


def _unchanged_key_fingerprint(
    context: dg.AssetExecutionContext, settings: RopaSettings, key: bytes
) -> str:
    """The key's fingerprint, once it is known to be the published warehouse's key (or the
    change was accepted): a new key would silently change every record hash."""
    fingerprint = key_fingerprint(key)
    published = warehouse.published_key_fingerprint(settings.warehouse_path)
    if published is None or published == fingerprint:
        return fingerprint
    if not settings.accept_new_key:
        raise PseudonymKeyChangedError(
            f"the pseudonym key changed (fingerprint {fingerprint}, the published warehouse's "
            f"{published}): every record hash would change; pass --new-key if this is intended "
            "(in Dagster: settings accept_new_key)"
        )
    context.log.warning(
        f"the pseudonym key changed ({published} -> {fingerprint}), accepted by --new-key: "
        "record hashes from this run on do not match earlier runs'"
    )
    return fingerprint
