"""`ropa run`'s no-op night, decided before Dagster and dbt are imported.

Importing them costs about five seconds, more than everything else a night with nothing new
does. This is the load asset's own test (pipelines/load/against_published.py) on file stamps
alone: when every file's size and modification time, the evaluation date, the pseudonym key and
the code are the published run's, the run is recorded as unchanged in the published run history
(the dashboard's runs page shows it) and nothing else happens. Anything else — a touched file, a
drop that does not load, another refresh running — is left to the full run, which hashes, loads
or reports it.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib import warehouse
from pipelines.lib.pseudonym import PseudonymKeyError, key_fingerprint, load_or_create_key
from pipelines.lib.refresh_lock import RefreshRunningError, refresh_lock
from pipelines.lib.unchanged_run import record_unchanged_run
from pipelines.load.against_published import compare_with_published
from pipelines.load.carry_over import PublishedLoad, read_published_load
from pipelines.load.errors import DropError


@dataclass(frozen=True)
class UnchangedNight:
    run_id: str
    unchanged_since: str  # the run whose record and findings stand
    housekeeping: dict[str, object]  # as the load asset reports it (commands/run.py)


def record_if_unchanged(
    exports: Path, warehouse_dir: Path, as_of: dt.date, *, wait: bool
) -> UnchangedNight | None:
    """The run recorded as unchanged, or None: then the full run has to decide. The lock is
    taken only for a drop that looks unchanged (and the test made again under it): a run with
    work to do meets the lock, a stale one included, in the full run alone."""
    if not warehouse.published_path(warehouse_dir).exists():
        return None
    try:
        if _unchanged_since(exports, warehouse_dir, as_of) is None:
            return None
        run_id = str(uuid.uuid4())
        with refresh_lock(warehouse_dir, run_id, wait=wait, log=_say) as held:
            started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            found = _unchanged_since(exports, warehouse_dir, as_of)
            if found is None:
                return None
            since, fingerprint = found
            leftovers = warehouse.remove_leftovers(warehouse_dir, run_id)
            if not record_unchanged_run(since.path, run_id, started_at, since.run_id, {}):
                return None
    except (RefreshRunningError, PseudonymKeyError, DropError, duckdb.IOException):
        # Another run holds the lock or the published file, or the drop or key is wrong: the
        # full run waits, refuses or reports it as every run does.
        return None
    return UnchangedNight(
        run_id=run_id,
        unchanged_since=since.run_id,
        housekeeping={
            "pseudonym_key_fingerprint": fingerprint,
            "stale_lock_taken_over": held.stale,
            "leftovers_removed": leftovers.removed,
            "unknown_entries": leftovers.unknown,
        },
    )


def _unchanged_since(
    exports: Path, warehouse_dir: Path, as_of: dt.date
) -> tuple[PublishedLoad, str] | None:
    """The published load and the key's fingerprint, if every file's stamp, the date, the key
    and the code are the published run's."""
    fingerprint = key_fingerprint(load_or_create_key(warehouse_dir))
    state = compare_with_published(
        exports, read_published_load(warehouse_dir), fingerprint, hash_changed_files=False
    )
    since = state.unchanged_since(as_of, fingerprint)
    return None if since is None else (since, fingerprint)


def _say(message: str) -> None:
    print(f"ropa: {message}", file=sys.stderr, flush=True)
