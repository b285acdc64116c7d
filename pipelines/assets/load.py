"""The export drop as Dagster assets: one asset per raw table, keyed like the dbt sources."""

from collections.abc import Iterator

import dagster as dg
import duckdb

from pipelines.assets.run_date import run_evaluation_date
from pipelines.lib import warehouse
from pipelines.lib.pseudonym import load_or_create_key
from pipelines.load.drop import load_drop
from pipelines.load.raw_tables import RAW_TABLES
from pipelines.resources import RopaSettings

DROP_SOURCE = "drop"
RAW_ASSET_KEYS = [dg.AssetKey([DROP_SOURCE, table]) for table in RAW_TABLES]


@dg.multi_asset(
    name="export_drop",
    specs=[
        dg.AssetSpec(key, group_name="export_drop", description=f"raw.{key.path[-1]}")
        for key in RAW_ASSET_KEYS
    ],
)
def export_drop(
    context: dg.AssetExecutionContext, settings: RopaSettings
) -> Iterator[dg.MaterializeResult]:
    """Validate and load the drop into this run's private build file."""
    warehouse_dir = settings.warehouse_path
    build = settings.build_path(context.run_id)
    build.parent.mkdir(parents=True, exist_ok=True)
    warehouse.remove_stale_builds(warehouse_dir)
    warehouse.discard_build(warehouse_dir, context.run_id)
    key = load_or_create_key(warehouse_dir)
    connection = duckdb.connect(str(build))
    try:
        carried = warehouse.carry_over_state(connection, warehouse_dir)
        summary = load_drop(
            settings.exports_path,
            connection,
            run_id=context.run_id,
            as_of=run_evaluation_date(context, settings),
            pseudonym_key=key,
            progress=lambda step: context.log.info(f"loading {step}"),
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
        if table == "rejects":
            metadata["rows_rejected_by_file"] = dg.MetadataValue.json(rejected_by_file)
        yield dg.MaterializeResult(asset_key=asset_key, metadata=metadata)
