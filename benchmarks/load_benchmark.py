"""Load benchmark: `load_drop` against DuckDB's own read of the same record files.

DuckDB's read is the floor (`create table ... as select * from read_csv/read_json/read_parquet`
for every file of `records/`, all columns as text so JSON and CSV read alike); the loader adds
validation, rejects, HMAC of every id and line numbers on top. Usage:

    python benchmarks/load_benchmark.py --records 10000000 [--drop DIR] [--keep] [--repeat N]

The two are run in turns, N times each (other work on a 2-core machine moves single runs by
±20 %); the best and the median of each are reported, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.load.drop import load_drop

AS_OF = "2026-11-29"


def _duckdb_read(drop: Path, database: Path) -> tuple[float, int]:
    connection = duckdb.connect(str(database))
    started = time.perf_counter()
    rows = 0
    for index, path in enumerate(sorted((drop / "records").rglob("*"))):
        reader = {
            ".csv": f"read_csv('{path}', header = true, all_varchar = true)",
            ".jsonl": f"read_json('{path}', format = 'newline_delimited')",
            ".parquet": f"read_parquet('{path}')",
        }.get(path.suffix)
        if reader is None or not path.is_file():
            continue  # a file the loader does not read either (drop.unread_file)
        connection.execute(f"create table t{index} as select * from {reader}")
        [(count,)] = connection.execute(f"select count(*) from t{index}").fetchall()
        rows += int(count)
    connection.execute("checkpoint")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, rows


def _our_load(drop: Path, database: Path) -> tuple[float, int, int]:
    """The load from scratch: no part of an earlier repeat is reused."""
    parts = database.parent / "parts"
    shutil.rmtree(parts, ignore_errors=True)
    connection = duckdb.connect(str(database))
    started = time.perf_counter()
    summary = load_drop(
        drop, connection, run_id="benchmark", as_of=dt.date.fromisoformat(AS_OF),
        pseudonym_key=b"benchmark-key", parts=parts,
    )  # fmt: skip
    connection.execute("checkpoint")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, summary.table_rows["records"], summary.rows_rejected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--drop", type=Path, default=None, help="reuse an existing drop")
    parser.add_argument("--keep", action="store_true", help="keep the generated drop")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, in turns")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ropa-bench-"))
    drop = args.drop or work / "drop"
    try:
        if args.drop is None:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "commands.cli", "demo", "--out", str(drop),
                 "--records", str(args.records), "--as-of", AS_OF],
                check=True, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            print(f"demo drop: {args.records:,} records in {time.perf_counter() - started:.1f}s")
        size = sum(p.stat().st_size for p in (drop / "records").rglob("*") if p.is_file())
        floors: list[float] = []
        ours: list[float] = []
        for _ in range(args.repeat):
            for database in work.glob("*.duckdb*"):
                database.unlink()
            floor, floor_rows = _duckdb_read(drop, work / "floor.duckdb")
            floors.append(floor)
            elapsed, loaded, rejected = _our_load(drop, work / "ours.duckdb")
            ours.append(elapsed)
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"records files: {size / 1e6:,.0f} MB, {floor_rows:,} rows, {args.repeat} runs each")
        floor_median = statistics.median(floors)
        print(f"DuckDB read (floor): best {min(floors):.1f}s, median {floor_median:.1f}s")
        print(f"ropa load:           best {min(ours):.1f}s, median {statistics.median(ours):.1f}s "
              f"({loaded:,} loaded, {rejected:,} rejected)")  # fmt: skip
        ratio = statistics.median(ours) / floor_median
        print(f"ratio of medians:    {ratio:.2f}x   peak RSS {peak_mib:,.0f} MiB")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
