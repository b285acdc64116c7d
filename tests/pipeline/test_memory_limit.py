"""Every DuckDB connection of a refresh runs under ROPA_MEMORY_LIMIT and spills beside its file."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from commands.cli import main as ropa
from pipelines.lib import memory, warehouse
from pipelines.resources import DBT_BUILD_NAME, RopaSettings
from tests.conftest import AS_OF, MINIMAL_DROP
from tests.dbt_harness import DBT_PROJECT, dbt_executable

REPO = Path(__file__).resolve().parents[2]
LIMIT = "300MB"


def duckdb_reads(size: str) -> str:
    """`size` as DuckDB itself reports a memory limit (`286.1 MiB` for 300MB)."""
    with duckdb.connect(config={"memory_limit": size}) as connection:
        [(limit,)] = connection.execute("select current_setting('memory_limit')").fetchall()
    return str(limit)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("4GB", "4GB"), ("4 gib", "4GiB"), ("800mb", "800MB"), ("1.5GB", "1.5GB"), ("25%", "25%")],
)
def test_memory_limit_accepts_duckdb_sizes_and_shares(value: str, expected: str) -> None:
    assert memory.memory_limit({memory.MEMORY_LIMIT_ENV: value}) == expected


@pytest.mark.parametrize("value", ["lots", "4", "4 gigs", "0MB", "150%", "-1GB", "4GB;drop"])
def test_a_bad_memory_limit_is_a_clear_error(value: str) -> None:
    with pytest.raises(memory.MemoryLimitError, match=re.escape(f"ROPA_MEMORY_LIMIT={value!r}")):
        memory.memory_limit({memory.MEMORY_LIMIT_ENV: value})


def test_without_the_setting_duckdb_gets_a_quarter_of_the_machine() -> None:
    assert memory.memory_limit({}) == memory.memory_limit({memory.MEMORY_LIMIT_ENV: " "}) == "25%"


def test_a_connection_is_limited_and_spills_beside_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(memory.MEMORY_LIMIT_ENV, "20MB")
    database = tmp_path / "build" / "run-1.duckdb"
    database.parent.mkdir()
    with warehouse.connect(database) as connection:
        connection.execute("set enable_progress_bar = false")
        [(limit, spill)] = connection.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchall()
        # 40 MB of integers in a temporary table do not fit in 20 MB: DuckDB spills them.
        connection.execute("create temp table numbers as select range as n from range(5000000)")
        files = connection.execute("select path from duckdb_temporary_files()").fetchall()
    spilled = [Path(path) for (path,) in files]
    assert limit == duckdb_reads("20MB")
    assert spill == str(tmp_path / "build" / "run-1.duckdb.tmp")
    assert spilled and all(path.parent == Path(spill) for path in spilled)
    assert not Path(spill).exists()  # DuckDB removes its spill files when the connection closes


def test_only_the_factory_opens_warehouse_files() -> None:
    """Load, checks, publish, pack, findings and dashboard all go through warehouse.connect; the
    demo generator's in-memory connection is not part of a refresh."""
    opened_elsewhere = [
        f"{path.relative_to(REPO)}:{number}"
        for folder in ("commands", "pipelines", "dashboards", "expectations")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path != REPO / "pipelines" / "lib" / "warehouse.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "duckdb.connect(" in line
    ]
    assert not opened_elsewhere


@pytest.fixture(scope="module")
def limited_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A refresh of the minimal drop under a 300MB limit; dbt artifacts of an earlier run are
    left in logs/dbt to show that the run replaces them."""
    warehouse_dir = tmp_path_factory.mktemp("limited") / "warehouse"
    (warehouse_dir / "logs" / "dbt").mkdir(parents=True)
    (warehouse_dir / "logs" / "dbt" / "left-by-an-earlier-run.json").write_text("{}")
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv(memory.MEMORY_LIMIT_ENV, LIMIT)
        assert ropa(refresh(warehouse_dir)) == 0
    yield warehouse_dir


def refresh(warehouse_dir: Path) -> list[str]:
    return ["run", "--exports", str(MINIMAL_DROP), "--warehouse", str(warehouse_dir),
            "--as-of", AS_OF]  # fmt: skip


def dbt_run_results(warehouse_dir: Path) -> dict[str, Any]:
    return dict(json.loads((warehouse_dir / "logs" / "dbt" / "run_results.json").read_text()))


def test_a_limited_run_publishes_and_dbt_gets_the_limit(limited_warehouse: Path) -> None:
    with warehouse.read_only_connection(limited_warehouse) as connection:
        assert connection.execute("select count(*) from marts.run_info").fetchall() == [(1,)]
    dbt_vars = dbt_run_results(limited_warehouse)["args"]["vars"]
    assert "run_id" not in dbt_vars  # dbt reads it from raw.run_info
    assert dbt_vars["memory_limit"] == LIMIT
    # the run's build file, renamed for the dbt step (pipelines/assets/dbt.py)
    dbt_build = warehouse.build_path(limited_warehouse, DBT_BUILD_NAME)
    assert dbt_vars["temp_directory"] == str(dbt_build) + ".tmp"
    assert not list((limited_warehouse / "build").iterdir())  # nothing spilled is left behind


def test_the_run_keeps_only_its_own_dbt_artifacts(limited_warehouse: Path) -> None:
    dbt_logs = limited_warehouse / "logs" / "dbt"
    assert not (dbt_logs / "left-by-an-earlier-run.json").exists()
    assert (dbt_logs / "manifest.json").exists() and (dbt_logs / "dbt.log").exists()


def test_dbt_session_runs_under_the_vars_the_pipeline_passes(tmp_path: Path) -> None:
    """The profile applies `memory_limit` and `temp_directory` to dbt's DuckDB session."""
    settings = RopaSettings(exports_dir=str(MINIMAL_DROP), warehouse_dir=str(tmp_path))
    dbt_vars = {**settings.dbt_vars(), "memory_limit": LIMIT}
    Path(dbt_vars["duckdb_path"]).parent.mkdir(parents=True)
    query = "select current_setting('memory_limit') as m, current_setting('temp_directory') as t"
    command = [
        dbt_executable(), "show", "--inline", query, "--output", "json", "--log-format", "json",
        "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
        "--vars", json.dumps(dbt_vars),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=DBT_PROJECT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    shown = [
        json.loads(json.loads(line)["data"]["preview"])
        for line in result.stdout.splitlines()
        if '"preview"' in line
    ]
    assert shown == [[{"m": duckdb_reads(LIMIT), "t": dbt_vars["temp_directory"]}]]


def test_a_bad_limit_fails_the_run_clearly_and_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(memory.MEMORY_LIMIT_ENV, "lots")
    assert ropa(refresh(tmp_path / "warehouse")) == 1
    errors = capsys.readouterr().err
    assert "ROPA_MEMORY_LIMIT='lots' is not a memory size" in errors
    assert "The published warehouse was left as it was." in errors
    assert not warehouse.published_path(tmp_path / "warehouse").exists()
