"""Refresh benchmark: `ropa run` against DuckDB alone and against an analyst's pandas script.

Usage:

    python benchmarks/refresh_benchmark.py --records 10000000 [--repeat 3] [--drop DIR] [--keep]
        [--without-pandas]

It writes a demo drop (`ropa demo --seed 1 --as-of 2026-11-29`), then runs in turns, each as its
own process tree, `--repeat` times:

- **floor**: DuckDB alone reads every record file and counts, per system and record type, the
  records whose first anchor plus one year is before the evaluation date (a stand-in for the
  overdue aggregate: the least any tool must do is read every record once);
- **pandas**: the script an analyst would write for `retention.overdue` — read each extract with
  pandas, apply the retention schedule (anchor, period, customer setting, legal hold), count;
- **ropa run**: the whole refresh from scratch (load, dbt build, checks, publish, pack).

Then two re-runs over the published warehouse: on the unchanged drop (a no-op night) and after
one record file changed. Each figure is the median wall time, with the peak resident memory of
the whole process tree (the sum over its processes, sampled from /proc every 50 ms).
`--without-pandas` leaves pandas out: it holds every extract in memory, which at 100M records is
more than this machine has.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

AS_OF = "2026-11-29"
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    seconds: float
    peak_rss_bytes: int


def _tree_rss_bytes(root: int) -> int:
    """Resident memory of `root` and every descendant, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields[21]) * _PAGE_BYTES
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        total += rss.get(pid, 0)
        pending.extend(children.get(pid, []))
    return total


def measure(command: list[str], log: Path) -> Measured:
    """Run `command` to the end; its wall time and the peak RSS of its process tree."""
    peak = 0
    with log.open("a", encoding="utf-8") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.05):
                peak = max(peak, _tree_rss_bytes(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
    if code != 0:
        raise SystemExit(f"{command[:3]} failed with exit {code}; see {log}")
    return Measured(elapsed, peak)


@contextlib.contextmanager
def work_folder(prefix: str, *, keep: bool) -> Iterator[Path]:
    """A new temporary folder for a benchmark's drop, warehouses and logs: removed at the end
    unless `keep`."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield work
    finally:
        if keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def write_demo_drop(drop: Path, records: int, log: Path) -> Measured:
    """`ropa demo` of `records` records (seed 1, as of AS_OF) into `drop`."""
    ropa = Path(sys.executable).with_name("ropa")
    return measure(
        [str(ropa), "demo", "--out", str(drop), "--records", str(records),
         "--seed", "1", "--as-of", AS_OF],
        log,
    )  # fmt: skip


def floor_command(drop: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).with_name("refresh_floor.py")), str(drop), AS_OF]


def pandas_command(drop: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).with_name("pandas_overdue.py")), str(drop), AS_OF]


def ropa_command(drop: Path, warehouse: Path) -> list[str]:
    ropa = Path(sys.executable).with_name("ropa")
    return [str(ropa), "run", "--exports", str(drop), "--warehouse", str(warehouse),
            "--as-of", AS_OF]  # fmt: skip


def change_one_record_file(drop: Path) -> Path:
    """Append one record to the smallest CSV record file: one changed file among the others."""
    files = sorted((drop / "records").rglob("*.csv"), key=lambda p: p.stat().st_size)
    target = files[0]
    with target.open("rb") as handle:
        lines = handle.read().splitlines()
    header, last = lines[0].decode(), lines[-1].decode()
    cells = last.split(",")
    cells[header.split(",").index("record_id")] = "benchmark-extra-record"
    with target.open("a", encoding="utf-8") as handle:
        handle.write(",".join(cells) + "\n")
    return target


def _median(values: list[Measured]) -> Measured:
    return Measured(
        statistics.median(m.seconds for m in values), max(m.peak_rss_bytes for m in values)
    )


def _line(name: str, result: Measured, floor: Measured, pandas: Measured | None) -> str:
    versus_pandas = f"{result.seconds / pandas.seconds:6.2f}x pandas  " if pandas else ""
    return (
        f"{name:<28} {result.seconds:8.1f}s  {result.seconds / floor.seconds:6.2f}x floor  "
        f"{versus_pandas}peak RSS {result.peak_rss_bytes / 2**30:5.2f} GiB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--drop", type=Path, default=None, help="reuse an existing drop")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, in turns")
    parser.add_argument("--without-pandas", action="store_true", help="leave the pandas script out")
    args = parser.parse_args()
    with work_folder("ropa-refresh-bench-", keep=args.keep) as work:
        log = work / "benchmark.log"
        drop = args.drop or work / "drop"
        if args.drop is None:
            generated = write_demo_drop(drop, args.records, log)
            print(f"demo drop: {args.records:,} records in {generated.seconds:.1f}s")
        record_files = [p for p in (drop / "records").rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in record_files)
        print(f"record files: {len(record_files)}, {size / 1e6:,.0f} MB; {args.repeat} runs each")
        floors, pandas_runs, full_runs, unchanged_runs = [], [], [], []
        warehouse = work / "warehouse"
        for _ in range(args.repeat):
            floors.append(measure(floor_command(drop), log))
            if not args.without_pandas:
                pandas_runs.append(measure(pandas_command(drop), log))
            shutil.rmtree(warehouse, ignore_errors=True)
            full_runs.append(measure(ropa_command(drop, warehouse), log))
            unchanged_runs.append(measure(ropa_command(drop, warehouse), log))
        changed_file = change_one_record_file(drop)
        one_changed = measure(ropa_command(drop, warehouse), log)
        floor = _median(floors)
        pandas = _median(pandas_runs) if pandas_runs else None
        print(f"{'DuckDB alone (floor)':<28} {floor.seconds:8.1f}s  peak RSS "
              f"{floor.peak_rss_bytes / 2**30:5.2f} GiB")  # fmt: skip
        if pandas is not None:
            print(f"{'pandas script':<28} {pandas.seconds:8.1f}s  peak RSS "
                  f"{pandas.peak_rss_bytes / 2**30:5.2f} GiB")  # fmt: skip
        full = _median(full_runs)
        print(_line("ropa run (from scratch)", full, floor, pandas))
        print(_line("ropa run (nothing changed)", _median(unchanged_runs), floor, pandas))
        print(_line("ropa run (one file changed)", one_changed, floor, pandas))
        print(f"  changed: {changed_file.relative_to(drop)}; "
              f"{one_changed.seconds / full.seconds:.0%} of the full run")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
