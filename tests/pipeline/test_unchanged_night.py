"""A night with nothing new rebuilds nothing; a changed file costs only itself (issue 17).

Real `ropa run`s over a copy of the minimal drop: one from scratch, two with nothing new (no-ops
recorded in the run history: one decided by the load asset after a touched file was hashed, one
by `ropa run` from file stamps before it imports Dagster or dbt), then one after a record file
changed, whose warehouse must equal a run from scratch over the same drop in everything but run
ids and times.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from commands.cli import main as ropa
from dashboards.source import WAREHOUSE_ENV
from pipelines.lib.pseudonym import KEY_FILE_NAME
from pipelines.load.record_parts import PARTS_FOLDER
from tests.conftest import AS_OF, MINIMAL_DROP
from tests.support.dashboard_login import open_signed_in

pytestmark = pytest.mark.slow

CHANGED = "records/chat/transcripts.jsonl"
NEW_TRANSCRIPT = (
    '{"record_id": "tr_3", "record_type": "chat_transcript", "data_subject": "consumer", '
    '"customer_key": "hotel_co", "created_at": "2019-01-01T00:00:00Z", '
    '"closed_at": "2019-01-02T00:00:00Z"}\n'
)
# Tables of runs and trends differ by design between a warehouse of three runs and one of one.
RUN_TABLES = (
    "run_info", "rpt_run_history", "rpt_check_trend", "rpt_check_summary", "rpt_finding_changes",
)  # fmt: skip
# ...and columns of run ids and times, and of the files' modification times (a no-op night
# records the new time of a file rewritten with the same bytes).
VARYING_COLUMNS = ("run_id", "started_at", "loaded_at", "mtime_ns")


@dataclass(frozen=True)
class Run:
    code: int
    output: str
    seconds: float


def _run(drop: Path, warehouse: Path) -> Run:
    output = io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        code = ropa(
            ["run", "--exports", str(drop), "--warehouse", str(warehouse), "--as-of", AS_OF]
        )
    return Run(code, output.getvalue(), time.monotonic() - started)


# `ropa run` in a process of its own, reporting which heavy packages it imported.
_RUN_REPORTING_IMPORTS = (
    "import sys; from commands.cli import main; code = main(sys.argv[1:]); "
    "print('imported:', sorted(m for m in ('dagster', 'dbt') if m in sys.modules)); "
    "sys.exit(code)"
)


def _run_in_own_process(drop: Path, warehouse: Path) -> Run:
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-c", _RUN_REPORTING_IMPORTS, "run", "--exports", str(drop),
         "--warehouse", str(warehouse), "--as-of", AS_OF],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return Run(
        completed.returncode, completed.stdout + completed.stderr, time.monotonic() - started
    )


def _findings(warehouse: Path) -> str:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        assert ropa(["findings", "--warehouse", str(warehouse), "--format", "json"]) == 0
    return output.getvalue()


def _contents(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every mart and the raw records and rejects, without run ids and times, in value order."""
    with duckdb.connect(str(warehouse / "ropa.duckdb"), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and (table_schema = 'marts' "
            "or (table_schema = 'raw' and table_name in ('records', 'rejects', 'load_audit')))"
        ).fetchall()
        contents = {}
        for schema, table in tables:
            if table in RUN_TABLES:
                continue
            columns = [
                name
                for (name,) in connection.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if name not in VARYING_COLUMNS
            ]
            select = ", ".join(f'"{name}"' for name in columns)
            contents[f"{schema}.{table}"] = connection.execute(
                f'select {select} from {schema}."{table}" order by all'
            ).fetchall()
    return contents


def _history(warehouse: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse / "ropa.duckdb"), read_only=True) as connection:
        return connection.execute(
            "select h.run_id, h.outcome, r.outcome, h.drop_fingerprint, h.records_loaded "
            "from history.run_history h join marts.rpt_run_history r using (run_id) "
            "order by h.started_at"
        ).fetchall()


@dataclass(frozen=True)
class Nights:
    drop: Path
    warehouse: Path
    first: Run
    unchanged: Run
    untouched: Run
    first_contents: dict[str, list[tuple[object, ...]]]
    unchanged_contents: dict[str, list[tuple[object, ...]]]
    unchanged_history: list[tuple[object, ...]]


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> Nights:
    """A first run, a night on which only a file's modification time changed, and a night on
    which nothing at all changed."""
    base = tmp_path_factory.mktemp("nights")
    drop, warehouse = base / "drop", base / "warehouse"
    shutil.copytree(MINIMAL_DROP, drop)
    first = _run(drop, warehouse)
    assert first.code == 0, first.output
    first_contents = _contents(warehouse)
    os.utime(drop / "vendors.csv")  # touched, same bytes: hashed again, still unchanged
    unchanged = _run(drop, warehouse)  # ...and its new time recorded: the next night knows it
    unchanged_contents = _contents(warehouse)
    untouched = _run_in_own_process(drop, warehouse)
    print(
        f"\nno-op runs: {unchanged.seconds:.1f} s with a touched file, {untouched.seconds:.1f} s "
        f"untouched in a process of its own (first run {first.seconds:.1f} s)"
    )
    return Nights(
        drop, warehouse, first, unchanged, untouched, first_contents, unchanged_contents,
        _history(warehouse),
    )  # fmt: skip


def test_a_night_with_nothing_new_rebuilds_nothing_and_is_in_the_run_history(
    nights: Nights,
) -> None:
    assert nights.unchanged.code == 0, nights.unchanged.output
    assert "unchanged since run" in nights.unchanged.output
    assert "loading " not in nights.unchanged.output  # nothing read, let alone dbt
    [(first_id, *first_row), (noop_id, *noop_row), _] = nights.unchanged_history
    assert first_row[:2] == ["built", "built"] and noop_row[:2] == ["unchanged", "unchanged"]
    assert noop_row[2:] == first_row[2:] and noop_id != first_id
    assert nights.unchanged_contents == nights.first_contents
    assert len(list((nights.warehouse / "packs").iterdir())) == 1  # no new pack
    assert not list((nights.warehouse / "build").iterdir())


def test_a_file_rewritten_with_the_same_bytes_gets_its_new_time_recorded(nights: Nights) -> None:
    with duckdb.connect(str(nights.warehouse / "ropa.duckdb"), read_only=True) as connection:
        [(recorded,)] = connection.execute(
            "select mtime_ns from raw.load_audit where source_file = 'vendors.csv'"
        ).fetchall()
    assert recorded == (nights.drop / "vendors.csv").stat().st_mtime_ns


def test_a_night_with_no_file_touched_is_decided_before_dagster_and_dbt_are_imported(
    nights: Nights,
) -> None:
    output = nights.untouched.output
    assert nights.untouched.code == 0, output
    assert "imported: []" in output and "unchanged since run" in output
    [(first_id, *first_row), (noop_id, *_), (untouched_id, *untouched_row)] = (
        nights.unchanged_history
    )
    assert f"unchanged since run {first_id}" in output  # the run whose record stands
    assert untouched_row[:2] == ["unchanged", "unchanged"] and untouched_row[2:] == first_row[2:]
    assert len({first_id, noop_id, untouched_id}) == 3
    assert _contents(nights.warehouse) == nights.first_contents
    assert not list((nights.warehouse / "build").iterdir())


def test_the_runs_page_shows_the_night_that_rebuilt_nothing(
    nights: Nights, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(WAREHOUSE_ENV, str(nights.warehouse))
    app = open_signed_in(nights.warehouse).switch_page("app_pages/runs.py").run()
    assert not app.exception, [error.value for error in app.exception]
    [(first_id, *_), _, (untouched_id, *_)] = nights.unchanged_history
    [note] = [str(element.value) for element in app.info]
    assert note.startswith(f"The last run ({untouched_id}, started ")
    assert "unchanged, nothing rebuilt" in note and f"those of run {first_id}." in note
    [runs, *_] = app.dataframe
    assert list(runs.value["outcome"]) == ["unchanged", "unchanged", "built"]  # newest first


@dataclass(frozen=True)
class Changed:
    carried: Run
    scratch: Run
    carried_warehouse: Path
    scratch_warehouse: Path


@pytest.fixture(scope="module")
def changed(nights: Nights) -> Changed:
    """After the nights: one record file changed, run over the warehouse and from scratch."""
    with (nights.drop / CHANGED).open("a", encoding="utf-8") as handle:
        handle.write(NEW_TRANSCRIPT)
    carried = _run(nights.drop, nights.warehouse)
    scratch_warehouse = nights.warehouse.parent / "scratch"
    scratch_warehouse.mkdir()
    shutil.copy2(nights.warehouse / KEY_FILE_NAME, scratch_warehouse)  # the same record hashes
    scratch = _run(nights.drop, scratch_warehouse)
    print(f"\none file changed: {carried.seconds:.1f} s, from scratch {scratch.seconds:.1f} s")
    return Changed(carried, scratch, nights.warehouse, scratch_warehouse)


def test_one_changed_file_is_read_and_the_warehouse_equals_one_built_from_scratch(
    changed: Changed, nights: Nights
) -> None:
    assert (changed.carried.code, changed.scratch.code) == (0, 0), changed.carried.output
    assert "unchanged record files, not parsed again (their parts reused): 2" in (
        changed.carried.output
    )
    assert "not parsed again" not in changed.scratch.output
    assert f"loading {CHANGED}" in changed.carried.output
    # The publish kept the parts the warehouse was built from: the changed file's old one went.
    carried_parts = sorted(p.name for p in (changed.carried_warehouse / PARTS_FOLDER).iterdir())
    scratch_parts = sorted(p.name for p in (changed.scratch_warehouse / PARTS_FOLDER).iterdir())
    assert len(carried_parts) == 3 and carried_parts == scratch_parts  # same key, same parts
    assert _findings(changed.carried_warehouse) == _findings(changed.scratch_warehouse)
    contents = _contents(changed.carried_warehouse)
    assert contents == _contents(changed.scratch_warehouse)
    assert contents != nights.first_contents  # the new transcript made a difference
    outcomes = [row[1] for row in _history(changed.carried_warehouse)]
    assert outcomes == ["built", "unchanged", "unchanged", "built"]
