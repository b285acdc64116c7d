"""The refresh job end to end: real Dagster runs, real dbt, a real DuckDB file."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from commands.cli import main as ropa

MINIMAL_DROP = Path(__file__).parents[1] / "fixtures" / "minimal_drop"
AS_OF = "2026-11-29"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_publishes_the_record_with_history_and_a_pack(minimal_warehouse: Path) -> None:
    with duckdb.connect(str(minimal_warehouse / "ropa.duckdb"), read_only=True) as connection:
        activities = connection.execute(
            "select activity_key from marts.ropa_controller order by 1"
        ).fetchall()
        runs = connection.execute("select count(*) from history.run_history").fetchall()
    assert activities == [("portal:essential.service",)]
    assert runs == [(1,)]
    assert not list((minimal_warehouse / "build").glob("*.duckdb"))
    assert len(list((minimal_warehouse / "packs").iterdir())) == 1


def test_second_run_carries_history_over(minimal_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    shutil.copytree(minimal_warehouse, warehouse)
    run = [
        "run",
        "--exports",
        str(MINIMAL_DROP),
        "--warehouse",
        str(warehouse),
        "--as-of",
        "2026-11-30",
    ]
    assert ropa(run) == 0
    with duckdb.connect(str(warehouse / "ropa.duckdb"), read_only=True) as connection:
        as_of_dates = connection.execute(
            "select distinct cast(as_of as varchar) from history.run_history order by 1"
        ).fetchall()
        snapshot_rows = connection.execute(
            "select count(*) from snapshots.ropa_controller_snapshot"
        ).fetchall()
    assert as_of_dates == [("2026-11-29",), ("2026-11-30",)]
    assert snapshot_rows == [(1,)]  # unchanged record: the snapshot keeps one version


def test_a_run_of_the_same_code_reuses_dbts_parse(minimal_warehouse: Path, tmp_path: Path) -> None:
    """dbt gets no value of the run (pipelines/assets/dbt.py), so the second run in a folder
    parses nothing again, and still evaluates its own date and records its own run id."""
    warehouse = tmp_path / "warehouse"
    shutil.copytree(minimal_warehouse, warehouse)
    # the copy is another folder, whose paths dbt's profile names: its first run parses in full
    for as_of in ("2026-11-30", "2027-01-15"):
        run = ["run", "--exports", str(MINIMAL_DROP), "--warehouse", str(warehouse)]
        assert ropa([*run, "--as-of", as_of]) == 0
    # dbt rotates its log at 10 MB: the parse is logged at the start, maybe in dbt.log.1
    dbt_log = "".join(path.read_text() for path in (warehouse / "logs" / "dbt").glob("dbt.log*"))
    assert "Partial parsing enabled: 0 files deleted, 0 files added, 0 files changed" in dbt_log
    assert "Unable to do partial parsing" not in dbt_log
    with duckdb.connect(str(warehouse / "ropa.duckdb"), read_only=True) as connection:
        [(run_id, as_of)] = connection.execute(
            "select run_id, as_of::varchar from marts.run_info"
        ).fetchall()
        history = connection.execute(
            "select run_id, as_of::varchar from history.run_history order by as_of"
        ).fetchall()
        overdue = connection.execute(
            "select as_of::varchar, subject_json from history.finding_history"
            " where check_name = 'request.overdue' order by as_of"
        ).fetchall()
    assert as_of == "2027-01-15"
    assert [date for _, date in history] == ["2026-11-29", "2026-11-30", "2027-01-15"]
    assert history[-1][0] == run_id and len({run for run, _ in history}) == 3
    # the unsubscribe received on 2026-11-20 is overdue on the latest date only
    assert overdue == [("2027-01-15", '{"request_type":"unsubscribe"}')]


def test_broken_drop_fails_naming_the_file_and_leaves_published_unchanged(
    minimal_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse"
    shutil.copytree(minimal_warehouse, warehouse)
    before = _digest(warehouse / "ropa.duckdb")
    drop = tmp_path / "drop"
    shutil.copytree(MINIMAL_DROP, drop)
    vendors = drop / "vendors.csv"
    vendors.write_bytes(vendors.read_bytes().replace(b",role,", b",rolle,"))
    run = ["run", "--exports", str(drop), "--warehouse", str(warehouse), "--as-of", AS_OF]
    assert ropa(run) == 1
    error = capsys.readouterr().err
    assert "vendors.csv" in error and "'role'" in error and "line 1" in error
    assert _digest(warehouse / "ropa.duckdb") == before
    assert not list((warehouse / "build").glob("*.duckdb"))


def test_killed_run_leaves_published_unchanged(minimal_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    shutil.copytree(minimal_warehouse, warehouse)
    before = _digest(warehouse / "ropa.duckdb")
    process = subprocess.Popen(
        [sys.executable, "-m", "commands.cli", "run", "--exports", str(MINIMAL_DROP),
         "--warehouse", str(warehouse), "--as-of", AS_OF, "--full"],  # not a no-op night
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not list((warehouse / "build").glob("*.duckdb")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # well inside the dbt build
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode != 0
    assert _digest(warehouse / "ropa.duckdb") == before
    with duckdb.connect(str(warehouse / "ropa.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.ropa_controller").fetchall() == [(1,)]


def test_no_raw_record_id_reaches_the_warehouse_file(
    demo_drop: object, demo_warehouse: Path
) -> None:
    root: Path = demo_drop.root  # type: ignore[attr-defined]
    ids: set[str] = set()
    for path in sorted((root / "records").rglob("*")):
        # the extracts only: a file of another kind under records/ is not read (drop.unread_file)
        if path.is_file() and path.suffix in {".csv", ".jsonl", ".parquet"}:
            relation = duckdb.sql(
                f"select cast(record_id as varchar) from '{path}' "
                "where record_id is not null limit 50"
            )
            ids.update(row[0] for row in relation.fetchall())
    assert len(ids) > 100
    content = (demo_warehouse / "ropa.duckdb").read_bytes()
    leaked = [record_id for record_id in ids if record_id.encode() in content]
    assert leaked == []
