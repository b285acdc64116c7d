"""Publishing: the run's build file replaces the published warehouse, then a pack is kept."""

import dagster as dg

from pipelines.assets.dbt import ropa_dbt_assets
from pipelines.assets.run_date import run_evaluation_date
from pipelines.lib import warehouse
from pipelines.lib.refresh_lock import HeldLock
from pipelines.load.record_parts import PARTS_FOLDER, keep_only, parts_of_build
from pipelines.resources import RopaSettings


@dg.asset(deps=list(ropa_dbt_assets.keys), group_name="publish")
def published_warehouse(
    context: dg.AssetExecutionContext,
    settings: RopaSettings,
    refresh_lock: dg.ResourceParam[HeldLock],
) -> dg.MaterializeResult:
    """`ropa.duckdb`, replaced atomically once load, dbt build and blocking checks passed."""
    del refresh_lock  # required only so that a run of this step alone holds the lock too
    path = warehouse.publish(settings.warehouse_path, context.run_id)
    # What a later run can reuse is what the published warehouse was built from.
    with warehouse.connect(path, read_only=True) as connection:
        kept = parts_of_build(connection)
    removed = keep_only(settings.warehouse_path / PARTS_FOLDER, kept)
    return dg.MaterializeResult(
        metadata={
            "path": str(path),
            "size_bytes": path.stat().st_size,
            "as_of": run_evaluation_date(context, settings).isoformat(),
            "record_parts_kept": len(kept),
            "record_parts_removed": len(removed),
        }
    )


@dg.asset(deps=[published_warehouse], group_name="publish")
def regulator_pack(
    context: dg.AssetExecutionContext,
    settings: RopaSettings,
    refresh_lock: dg.ResourceParam[HeldLock],
) -> dg.MaterializeResult:
    """The internal copy of this run's pack (record, findings and evidence), kept under
    `<warehouse>/packs/` beside earlier ones: the series later packs compare with."""
    del refresh_lock  # required only so that a run of this step alone holds the lock too
    from pipelines.pack import new_pack_id, write_pack  # pulls in openpyxl and reportlab

    pack_id = new_pack_id(context.run_id[:8])
    folder = warehouse.packs_dir(settings.warehouse_path) / pack_id
    result = write_pack(settings.warehouse_path, folder, pack_id=pack_id, audience="internal")
    return dg.MaterializeResult(
        metadata={
            "path": str(result.path),
            "pack_id": result.pack_id,
            "audience": result.audience,
            "previous_pack_id": result.previous_pack_id or "",
        }
    )
