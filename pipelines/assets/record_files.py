"""The per-file load: one Dagster partition per record file of the drop (dynamic partitions).

A partition validates, types and pseudonymises one record file into its part
(pipelines/load/record_parts.py), with a DuckDB of its own: partitions are independent work, so
a deployment whose executor spreads steps over workers (multiprocess, Kubernetes: a backfill of
one run per partition) loads files in parallel. `export_drop` then reads the run's records from
the parts (`raw.records` is a view over them), building any part still missing. `ropa run` and
the nightly schedule run every partition in one step of the refresh run (a single-run backfill
policy), in process.

The partitions are the drop's record files as listed when a run is requested
(`sync_record_partitions`); a partition key is the file's path in the drop.
"""

import warnings
from pathlib import Path

import dagster as dg

from pipelines.lib.pseudonym import load_or_create_key
from pipelines.load.carry_over import read_published_load
from pipelines.load.drop import (
    READ_SUFFIXES,
    list_drop,
    read_checked_register,
    record_files,
    recorded_sha256,
    sha256_of,
)
from pipelines.load.errors import DropError, DropErrors
from pipelines.load.record_parts import PARTS_FOLDER, PartBuilder
from pipelines.resources import RopaSettings

RECORD_FILES_NAME = "record_files"
RECORD_FILES = dg.DynamicPartitionsDefinition(name=RECORD_FILES_NAME)
RECORD_FILE_KEY = dg.AssetKey(["drop", "record_file"])
# Dagster refuses a partition key holding one of these; such a file is loaded by export_drop.
_NOT_IN_A_PARTITION_KEY = ("...", "\a", "\b", "\f", "\n", "\r", "\t", "\v", "\0")


def _record_file(context: dg.AssetExecutionContext, settings: RopaSettings) -> dg.MaterializeResult:
    """Build the part of each record file of this run's partitions (found, if one exists); a
    run given no partition (`dagster job execute`, a drop without record files) does every
    record file of the drop."""
    drop = settings.exports_path
    listing = list_drop(drop)
    checked = read_checked_register(drop, listing)  # a broken register fails before any record
    systems = {
        path.relative_to(drop).as_posix(): system
        for system, path in record_files(drop, listing)
        if path.suffix.lower() in READ_SUFFIXES
    }
    published = None if settings.full else read_published_load(settings.warehouse_path)
    builder = PartBuilder(
        settings.warehouse_path / PARTS_FOLDER,
        drop,
        load_or_create_key(settings.warehouse_path),
        checked.data_subjects,
        context.run_id,
        reuse=not settings.full,
    )
    partitioned = context.has_partition_key or context.has_partition_key_range
    loaded: dict[str, dict[str, object]] = {}
    for relative in context.partition_keys if partitioned else sorted(systems):
        if relative not in systems:
            context.log.warning(f"{relative}: not a record file of the drop now: nothing loaded")
            continue
        sha256 = recorded_sha256(published, relative, listing.stamps[relative])
        sha256 = sha256 or sha256_of(drop / relative)
        record = builder.record_file(relative, systems[relative], sha256)
        part = builder.part(record, lambda step: context.log.info(f"loading {step}"))
        loaded[relative] = {
            "rows_loaded": part.load.rows_loaded,
            "rows_rejected": part.load.rows_rejected,
            "part": record.digest,
            PART_REUSED: part.run_id != context.run_id,
        }
    # One result for the run's partitions (Dagster gives each of them a materialization).
    return dg.MaterializeResult(metadata={RECORD_PARTS: dg.MetadataValue.json(loaded)})


RECORD_PARTS = "record_parts"  # metadata: per record file, its part and what its load gave
PART_REUSED = "part_reused"  # the part of an earlier run: the file was not parsed again

with warnings.catch_warnings():  # a single-run backfill policy is "beta" in Dagster 1.13
    warnings.simplefilter("ignore", dg.BetaWarning)
    record_file = dg.asset(
        key=RECORD_FILE_KEY,
        partitions_def=RECORD_FILES,
        backfill_policy=dg.BackfillPolicy.single_run(),
        group_name="export_drop",
        description="One record file of the drop, validated and pseudonymised into its part.",
    )(_record_file)


def record_partition_keys(drop: Path) -> list[str]:
    """The drop's record files, in path order, that can be partitions; none for a drop whose
    layout is broken (the load then names every problem)."""
    try:
        listing = list_drop(drop)
        found = record_files(drop, listing)
    except (DropError, DropErrors, OSError):
        return []
    keys = [path.relative_to(drop).as_posix() for _, path in found]
    return [
        key
        for key in keys
        if Path(key).suffix.lower() in READ_SUFFIXES
        and not any(text in key for text in _NOT_IN_A_PARTITION_KEY)
    ]


def sync_record_partitions(instance: dg.DagsterInstance, drop: Path) -> list[str]:
    """Make the instance's record-file partitions the drop's record files; return them."""
    keys = record_partition_keys(drop)
    known = instance.get_dynamic_partitions(RECORD_FILES_NAME)
    for key in set(known) - set(keys):
        instance.delete_dynamic_partition(RECORD_FILES_NAME, key)
    new = [key for key in keys if key not in set(known)]
    if new:
        instance.add_dynamic_partitions(RECORD_FILES_NAME, new)
    return keys


def refresh_tags(instance: dg.DagsterInstance, drop: Path) -> dict[str, str]:
    """The tags of a refresh run over every record file of the drop, made the partitions
    first; none for a drop without record files (a run over no partitions cannot be asked for:
    the run is then unpartitioned)."""
    if not sync_record_partitions(instance, drop):
        return {}
    ordered = instance.get_dynamic_partitions(RECORD_FILES_NAME)
    return {
        "dagster/asset_partition_range_start": ordered[0],
        "dagster/asset_partition_range_end": ordered[-1],
    }
