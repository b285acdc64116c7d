"""Engine benchmark: `ropa run` from scratch on each engine (issue 18), and what a run is made of.

Usage:

    python benchmarks/engine_benchmark.py --drop DIR [--engines duckdb,spark] [--repeat 1] [--keep]
    python benchmarks/engine_benchmark.py --records N ...   (writes a demo drop first)

Runs `ropa run --engine E` into a fresh warehouse, engines in turns, `--repeat` times, each as its
own process tree (wall time and peak RSS as refresh_benchmark.py measures them); the drop is only
read. Then, for each engine's last run, what its time is made of:

- the steps, from `ropa run`'s summary: load, dbt step, publish, audit checks, pack (the rest is
  Python's start, imports and Dagster);
- inside the dbt step, from dbt's run_results.json: dbt's start until the first node (parsing
  the project; on Spark, the JVM and the session), then each kind of node's time (summed over
  dbt's threads) and the nodes' wall time;
- on Spark, the lake write and the copy back into DuckDB, measured again on the run's own build
  file and lake with the pipeline's functions (`write_lake`, `copy_back`): the dbt step less dbt's
  own time is these two plus dagster-dbt's handling of dbt's events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refresh_benchmark import Measured, measure, ropa_command, work_folder, write_demo_drop

from pipelines.lake.copy_back import built_tables, copy_back
from pipelines.lake.export import write_lake
from pipelines.lake.location import Lake
from pipelines.lib.dbt_manifest import MANIFEST_PATH

# `ropa run`'s summary: "  <step>   <seconds>s" under "time per step:".
_STEP_LINE = re.compile(r"^  (\S+|audit checks \(\d+\))\s+([\d.]+)s$")
SLOWEST_SHOWN = 5
_STEP_NAMES = {
    "drop__record_file": "load: record files (parts)",
    "export_drop": "load: into the build file",
    "ropa_dbt_assets": "dbt step",
    "published_warehouse": "publish",
    "regulator_pack": "pack",
}


@dataclass
class DbtTimes:
    """What dbt's run_results.json says of one `dbt build`."""

    wall: float
    until_first_node: float
    nodes_wall: float
    by_kind: dict[str, float]
    count_by_kind: dict[str, int]
    slowest: list[tuple[str, float]]


def step_seconds(log: Path) -> dict[str, float]:
    """The steps' times of the run whose output is `log`."""
    steps: dict[str, float] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _STEP_LINE.match(line)
        if match:
            name = match[1]
            steps[_STEP_NAMES.get(name, "audit checks" if name.startswith("audit") else name)] = (
                float(match[2])
            )
    return steps


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def dbt_times(run_results: Path) -> DbtTimes:
    results: dict[str, Any] = json.loads(run_results.read_text())
    metadata = results["metadata"]
    started, ended = _instant(metadata["invocation_started_at"]), _instant(metadata["generated_at"])
    by_kind: dict[str, float] = defaultdict(float)
    count_by_kind: dict[str, int] = defaultdict(int)
    node_starts, node_ends = [], []
    for result in results["results"]:
        kind = result["unique_id"].split(".")[0]
        by_kind[kind] += result["execution_time"]
        count_by_kind[kind] += 1
        timing = [t for t in result["timing"] if t.get("started_at")]
        if kind != "operation" and timing:  # the on-run-start hook opens Spark's session
            node_starts.append(_instant(timing[0]["started_at"]))
            node_ends.append(_instant(timing[-1]["completed_at"]))
    first, last = min(node_starts), max(node_ends)
    return DbtTimes(
        wall=(ended - started).total_seconds(),
        until_first_node=(first - started).total_seconds(),
        nodes_wall=(last - first).total_seconds(),
        by_kind=dict(by_kind),
        count_by_kind=dict(count_by_kind),
        slowest=sorted(
            ((result["unique_id"], result["execution_time"]) for result in results["results"]),
            key=lambda node: -node[1],
        )[:SLOWEST_SHOWN],
    )


def lake_round_trip(warehouse: Path, work: Path) -> tuple[float, float]:
    """Seconds to write the lake from the run's published file, and to copy Spark's tables
    back from the run's lake into an empty DuckDB file."""
    build = work / "lake-build.duckdb"
    shutil.copy(warehouse / "ropa.duckdb", build)
    started = time.perf_counter()
    write_lake(build, Lake(str(work / "lake")))
    written = time.perf_counter() - started
    build.unlink()
    started = time.perf_counter()
    copy_back(build, Lake(str(warehouse / "lake")), built_tables(MANIFEST_PATH))
    copied = time.perf_counter() - started
    shutil.rmtree(work / "lake")
    build.unlink()
    return written, copied


def _print_breakdown(engine: str, run: Measured, log: Path, warehouse: Path, work: Path) -> None:
    steps = step_seconds(log)
    print(f"\n{engine}: {run.seconds:.1f}s, peak RSS {run.peak_rss_bytes / 2**30:.2f} GiB")
    for name, seconds in steps.items():
        print(f"  {name:<26} {seconds:8.1f}s")
    print(f"  {'rest (start, imports)':<26} {run.seconds - sum(steps.values()):8.1f}s")
    dbt = dbt_times(warehouse / "logs" / "dbt" / "run_results.json")
    print(f"  dbt step: dbt's own wall time {dbt.wall:.1f}s")
    print(f"    {'start until first node':<24} {dbt.until_first_node:8.1f}s")
    print(f"    {'nodes, wall':<24} {dbt.nodes_wall:8.1f}s")
    for kind, seconds in sorted(dbt.by_kind.items(), key=lambda item: -item[1]):
        print(f"      {f'{dbt.count_by_kind[kind]} {kind}s, summed':<22} {seconds:8.1f}s")
    print(f"    slowest {SLOWEST_SHOWN} nodes:")
    for unique_id, seconds in dbt.slowest:
        print(f"      {unique_id:<60} {seconds:8.1f}s")
    outside_dbt = steps.get("dbt step", 0.0) - dbt.wall
    print(f"    {'outside dbt':<24} {outside_dbt:8.1f}s")
    if engine == "spark":
        written, copied = lake_round_trip(warehouse, work)
        print(f"      {'lake write (again)':<22} {written:8.1f}s")
        print(f"      {'copy back (again)':<22} {copied:8.1f}s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--drop", type=Path, default=None, help="an existing drop (only read)")
    parser.add_argument("--records", type=int, default=1_000_000, help="without --drop")
    parser.add_argument("--engines", default="duckdb,spark", help="comma-separated, in turns")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each engine")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    engines = args.engines.split(",")
    with work_folder("ropa-engine-bench-", keep=args.keep) as work:
        drop = args.drop or work / "drop"
        if args.drop is None:
            write_demo_drop(drop, args.records, work / "demo.log")
        record_files = [p for p in (drop / "records").rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in record_files)
        print(f"record files: {len(record_files)}, {size / 1e6:,.0f} MB; {args.repeat} runs each")
        runs: dict[str, list[Measured]] = {engine: [] for engine in engines}
        for repeat in range(args.repeat):
            for engine in engines:
                warehouse = work / f"warehouse-{engine}"
                shutil.rmtree(warehouse, ignore_errors=True)
                log = work / f"{engine}-{repeat}.log"
                command = [*ropa_command(drop, warehouse), "--engine", engine]
                runs[engine].append(measure(command, log))
                print(f"{engine} run {repeat + 1}: {runs[engine][-1].seconds:.1f}s", flush=True)
        print()
        for engine, measured in runs.items():
            seconds = statistics.median(m.seconds for m in measured)
            peak = max(m.peak_rss_bytes for m in measured)
            print(f"{engine:<8} median {seconds:8.1f}s  peak RSS {peak / 2**30:5.2f} GiB")
        for engine, measured in runs.items():
            last = work / f"{engine}-{args.repeat - 1}.log"
            _print_breakdown(engine, measured[-1], last, work / f"warehouse-{engine}", work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
