"""A run that found nothing new: its row in the published warehouse's run history.

Nothing is rebuilt, so there is no build file to publish: the row is written into the published
file itself, under the refresh lock, in one transaction over both tables that list runs
(`history.run_history`, which later runs carry over, and the dashboard's
`marts.rpt_run_history`), then checkpointed. DuckDB's write-ahead log makes that commit atomic:
a crash leaves the file with both rows or with neither. Copying the file instead (to rename a
new one over it) would cost as much as the gigabytes it holds. The row is the published run's
with this run's id and start time, outcome `unchanged`: the record and findings are that run's.
A file rewritten with the same bytes gets its new modification time in `raw.load_audit` in the
same transaction, so the next night knows it by its stamp without reading it.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import duckdb

from pipelines.lib import warehouse

UNCHANGED = "unchanged"
_RUN_TABLES = ("history.run_history", "marts.rpt_run_history")
# A reader (the dashboard, `ropa findings`) holds the file for a moment: wait for it this long.
_READERS_WAIT_SECONDS = 30.0


def record_unchanged_run(
    published: Path,
    run_id: str,
    started_at: dt.datetime,
    published_run_id: str,
    restamped: dict[str, int],
) -> bool:
    """Add the row, and the new modification times of `restamped` files; False (nothing
    written) when the published run has no row to copy in both tables (a warehouse of an older
    release): then the run has to build."""
    connection = _connect_for_writing(published)
    try:
        connection.execute("begin transaction")
        if restamped:
            connection.executemany(
                "update raw.load_audit set mtime_ns = ? where source_file = ?",
                [[mtime_ns, path] for path, mtime_ns in sorted(restamped.items())],
            )
        for table in _RUN_TABLES:
            # The run's key is the published run's: it did not change from the run before.
            changed = ", false as pseudonym_key_changed" if table.startswith("marts.") else ""
            [(inserted,)] = connection.execute(
                f"insert into {table} by name select * replace (? as run_id, ? as started_at, "
                f"? as outcome{changed}) from {table} where run_id = ?",
                [run_id, started_at, UNCHANGED, published_run_id],
            ).fetchall()
            if inserted != 1:
                connection.execute("rollback")
                return False
        connection.execute("commit")
        connection.execute("checkpoint")
    except (duckdb.CatalogException, duckdb.BinderException):  # no such table or column
        connection.execute("rollback")
        return False
    finally:
        connection.close()
    return True


def _connect_for_writing(published: Path) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + _READERS_WAIT_SECONDS
    while True:
        try:
            return warehouse.connect(published)
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
