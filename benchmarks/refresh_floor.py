"""The floor of the refresh benchmark: DuckDB alone reads every record file once and computes an
overdue aggregate (records whose first anchor plus one year is before the evaluation date, per
system and record type). Usage: `python benchmarks/refresh_floor.py DROP AS_OF`."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

_ANCHORS = ("closed_at", "last_activity_at", "created_at")
_READERS = {".csv": "read_csv", ".jsonl": "read_json", ".parquet": "read_parquet"}


def main(drop: Path, as_of: str) -> None:
    connection = duckdb.connect()
    counts = []
    for path in sorted((drop / "records").rglob("*")):
        reader = _READERS.get(path.suffix)
        if reader is None or not path.is_file():
            continue
        system = path.relative_to(drop / "records").parts[0]
        present = {
            row[0]
            for row in connection.execute(
                f"describe select * from {reader}(?)", [str(path)]
            ).fetchall()
        }
        anchors = [f"try_cast({c} as timestamp)" for c in _ANCHORS if c in present]
        hold = "try_cast(legal_hold as boolean)" if "legal_hold" in present else "null"
        counts += connection.execute(
            f"select ?, record_type, count(*) filter (where coalesce({', '.join(anchors)})"
            f" + interval 1 year < cast(? as date) and not coalesce({hold}, false))"
            f" from {reader}(?) group by record_type",
            [system, as_of, str(path)],
        ).fetchall()
    print(f"{sum(count for *_, count in counts):,} records past a year, {len(counts)} groups")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
