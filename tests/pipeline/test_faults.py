"""Faults: killed runs, leftovers, two runs at once, odd paths, a reader, a changed key.

The full runs are real `ropa run` processes on a copy of the minimal fixture drop. The drop and
the one warehouse built per module are in folders whose paths hold quotes, spaces and non-ASCII
letters, and the cases run on copies of the warehouse; the costly cases share runs (one
scenario kills a run in each step, then starts two runs at once over the leftovers while a
reader holds the published file open, and a third that waits for them).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from commands.cli import main as ropa
from pipelines.lib import warehouse
from pipelines.lib.pseudonym import KEY_ENV_VAR, key_fingerprint
from pipelines.lib.refresh_lock import RefreshRunningError, lock_path, refresh_lock
from tests.conftest import AS_OF, MINIMAL_DROP

QUIRKY_FOLDER = "it's a wärehouse ü"
QUIRKY_DROP_FOLDER = 'the "dröp", it\'s ü'
# Later evaluation dates than the published run's: a re-run of the same drop, date and key is a
# full run, never one that finds nothing new to do.
NEXT_AS_OF, LAST_AS_OF = "2026-11-30", "2026-12-01"
NEW_KEY_HEX = "5a" * 32
STEP_TIMEOUT_SECONDS = 600


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _scalar(path: Path, sql: str) -> object:
    with duckdb.connect(str(path), read_only=True) as connection:
        row = connection.execute(sql).fetchone()
    assert row is not None
    return row[0]


@dataclass
class RunProcess:
    """A `ropa run` subprocess whose stderr lines are collected as they come."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @classmethod
    def start(
        cls, drop: Path, warehouse_dir: Path, *extra: str, env: dict[str, str] | None = None
    ) -> RunProcess:
        process = subprocess.Popen(
            [sys.executable, "-m", "commands.cli", "run", "--exports", str(drop),
             "--warehouse", str(warehouse_dir), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True, env={**os.environ, **(env or {})},
        )  # fmt: skip
        run = cls(process)
        threading.Thread(target=run._collect, daemon=True).start()
        return run

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + STEP_TIMEOUT_SECONDS
        while not condition():
            assert self.process.poll() is None, "".join(self.lines)
            assert time.monotonic() < deadline, "".join(self.lines)
            time.sleep(0.02)

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def logged(self, warehouse_dir: Path, text: str) -> bool:
        """Whether the run's own log (where dbt's output goes) holds the text yet."""
        log = warehouse_dir / "logs" / f"run-{self.process.pid}.log"
        return log.exists() and text in log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole process group: ropa and the dbt process it started."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def finish(self) -> int:
        code = self.process.wait(timeout=STEP_TIMEOUT_SECONDS)
        time.sleep(0.1)  # the collector thread reads the last lines
        return code

    @property
    def output(self) -> str:
        return "".join(self.lines)


@pytest.fixture(scope="module")
def quirky_drop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal drop in a folder named with `"`, `'`, spaces and unicode."""
    drop = tmp_path_factory.mktemp("faults_drop") / QUIRKY_DROP_FOLDER
    shutil.copytree(MINIMAL_DROP, drop)
    return drop


@pytest.fixture(scope="module")
def published(quirky_drop: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse published by one `ropa run` from the quirky drop into a folder named with
    `'`, spaces, unicode (the dbt profile, dbt-duckdb and every SQL statement take the paths as
    values)."""
    warehouse_dir = tmp_path_factory.mktemp("faults") / QUIRKY_FOLDER
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV_VAR}
    run = subprocess.run(
        [sys.executable, "-m", "commands.cli", "run", "--exports", str(quirky_drop),
         "--warehouse", str(warehouse_dir), "--as-of", AS_OF],
        capture_output=True, text=True, env=env, timeout=STEP_TIMEOUT_SECONDS,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "pseudonym key fingerprint: " in run.stdout
    return warehouse_dir


def _lock_holder(warehouse_dir: Path) -> int | None:
    """The pid in the refresh lock file, None while no run has written one."""
    try:
        return int(json.loads(lock_path(warehouse_dir).read_text())["pid"])
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _wait_until(condition: Callable[[], bool], runs: list[RunProcess]) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "\n".join(run.output for run in runs)
        time.sleep(0.02)


def _copy(published: Path, tmp_path: Path) -> Path:
    target = tmp_path / QUIRKY_FOLDER
    shutil.copytree(published, target)
    return target


# --- without a run --------------------------------------------------------------------------


def test_a_second_holder_of_the_lock_is_refused_naming_the_first(tmp_path: Path) -> None:
    notes: list[str] = []
    with refresh_lock(tmp_path, "first", wait=False, log=notes.append) as held:
        with (
            pytest.raises(RefreshRunningError) as refused,
            refresh_lock(tmp_path, "second", wait=False, log=notes.append),
        ):
            pass
        message = str(refused.value)
        assert message.startswith(f"a refresh is already running (pid {os.getpid()}, run first,")
        assert held.holder.started_at in message and held.stale == ""
    assert lock_path(tmp_path).read_text() == ""  # released normally: not stale
    assert notes == []


def test_with_wait_a_second_run_queues_behind_the_first(tmp_path: Path) -> None:
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with refresh_lock(tmp_path, "first", wait=False, log=lambda _: None):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(10)
    notes: list[str] = []
    threading.Timer(0.3, release.set).start()
    with refresh_lock(tmp_path, "second", wait=True, log=notes.append) as held:
        assert release.is_set() and held.stale == ""  # the first released normally
    thread.join()
    assert len(notes) == 1 and notes[0].startswith("waiting for the refresh already running (pid")


def test_a_lock_file_left_by_a_killed_run_is_stale_and_taken_over(tmp_path: Path) -> None:
    dead = {"pid": 999999, "run_id": "dead-run", "started_at": "2026-11-29T02:00:00+00:00"}
    lock_path(tmp_path).write_text(json.dumps(dead))
    notes: list[str] = []
    with refresh_lock(tmp_path, "next", wait=False, log=notes.append) as held:
        assert "pid 999999, run dead-run" in held.stale
        assert json.loads(lock_path(tmp_path).read_text())["run_id"] == "next"
    assert notes == [f"stale refresh lock of a run that did not finish ({held.stale}): taken over"]


def test_leftovers_of_dead_runs_are_removed_and_odd_entries_only_reported(
    tmp_path: Path,
) -> None:
    build, packs = tmp_path / "build", tmp_path / "packs"
    (build / "old-subfolder").mkdir(parents=True)
    (build / "dangling.duckdb").symlink_to(tmp_path / "nowhere")
    (build / "notes.txt").write_text("x")
    for name in ("dead.duckdb", "dead.duckdb.wal", "mine.duckdb"):
        (build / name).write_bytes(b"x")
    (build / "dead.duckdb.tmp").mkdir()
    (packs / ".20261129T020000Z-dead.partial" / "processor").mkdir(parents=True)
    (packs / "20261128T020000Z-kept").mkdir()
    leftovers = warehouse.remove_leftovers(tmp_path, "mine")
    assert leftovers.removed == [
        "build/dead.duckdb", "build/dead.duckdb.tmp", "build/dead.duckdb.wal",
        "packs/.20261129T020000Z-dead.partial",
    ]  # fmt: skip
    assert leftovers.unknown == ["build/dangling.duckdb", "build/notes.txt", "build/old-subfolder"]
    assert sorted(p.name for p in build.iterdir()) == [
        "dangling.duckdb", "mine.duckdb", "notes.txt", "old-subfolder",
    ]  # fmt: skip
    assert [p.name for p in packs.iterdir()] == ["20261128T020000Z-kept"]


def test_an_unwritable_warehouse_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Tests run as root here, where chmod does not stop writes: the warehouse's parent is a file.
    parent = tmp_path / "a-file"
    parent.write_text("not a folder")
    code = ropa(["run", "--exports", str(MINIMAL_DROP), "--warehouse", str(parent / "wh")])
    assert code == 1
    assert f"error: cannot write the warehouse folder {parent / 'wh'}: Not a directory" in (
        capsys.readouterr().err
    )
    assert parent.read_text() == "not a folder"


# --- with runs ------------------------------------------------------------------------------


@pytest.mark.slow
def test_state_carried_over_from_a_quoted_path_loses_nothing(
    published: Path, tmp_path: Path
) -> None:
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as connection:
        carried = warehouse.carry_over_state(connection, published)
    assert "history.run_history" in carried and "snapshots.ropa_controller_snapshot" in carried
    # Compared through one connection per file: every column's type and every row.
    for name in carried:
        schema, table = name.split(".")
        query = f'select * from {schema}."{table}" order by all'
        describe = f'describe {schema}."{table}"'
        with duckdb.connect(str(warehouse.published_path(published)), read_only=True) as before:
            rows_before, types_before = (
                before.sql(query).fetchall(),
                before.sql(describe).fetchall(),
            )
        with duckdb.connect(str(build), read_only=True) as after:
            rows_after, types_after = after.sql(query).fetchall(), after.sql(describe).fetchall()
        assert (types_after, rows_after) == (types_before, rows_before), name
        assert rows_before or table != "run_history"


@pytest.mark.slow
def test_a_changed_key_fails_before_publishing_unless_new_key(
    quirky_drop: Path, published: Path, tmp_path: Path
) -> None:
    warehouse_dir = _copy(published, tmp_path)
    before = _digest(warehouse.published_path(warehouse_dir))
    run = RunProcess.start(
        quirky_drop, warehouse_dir, "--as-of", AS_OF, env={KEY_ENV_VAR: NEW_KEY_HEX}
    )
    assert run.finish() == 1
    assert "the pseudonym key changed" in run.output and "pass --new-key" in run.output
    assert NEW_KEY_HEX not in run.output
    assert _digest(warehouse.published_path(warehouse_dir)) == before
    assert not list((warehouse_dir / "build").iterdir())


@pytest.mark.slow
def test_killed_runs_then_two_runs_at_once_with_a_reader_open(
    quirky_drop: Path, published: Path, tmp_path: Path
) -> None:
    warehouse_dir = _copy(published, tmp_path)
    published_file = warehouse.published_path(warehouse_dir)
    first_run = str(_scalar(published_file, "select run_id from marts.run_info"))
    before = _digest(published_file)
    builds = warehouse_dir / "build"

    def start(*extra: str, env: dict[str, str] | None = None) -> RunProcess:
        return RunProcess.start(quirky_drop, warehouse_dir, *extra, env=env)

    during_load = start("--as-of", NEXT_AS_OF)
    during_load.wait_for(lambda: during_load.said("loading register"))
    during_load.kill()
    assert _digest(published_file) == before
    assert len(list(builds.glob("*.duckdb"))) == 1

    during_dbt = start("--as-of", NEXT_AS_OF)
    # Killed once dbt has started building nodes (of some 600, which take tens of seconds).
    during_dbt.wait_for(lambda: during_dbt.logged(warehouse_dir, " START sql "))
    during_dbt.kill()
    assert _digest(published_file) == before
    assert len(list(builds.glob("*.duckdb"))) == 1  # its own: it removed the first one's

    during_pack = start("--as-of", NEXT_AS_OF)
    during_pack.wait_for(lambda: any((warehouse_dir / "packs").glob(".*.partial")))
    during_pack.kill()
    # The pack step runs after the publish: the published warehouse is that run's, complete.
    killed_in_pack = str(_scalar(published_file, "select run_id from marts.run_info"))
    assert killed_in_pack != first_run
    assert not list(builds.glob("*.duckdb"))  # its own published, the one killed in dbt removed

    (builds / "old-run.duckdb").write_bytes(b"left by a run killed long ago")
    (builds / "an-old-subfolder").mkdir()
    (builds / "dangling-link").symlink_to(warehouse_dir / "gone")
    reader = duckdb.connect(str(published_file), read_only=True)
    try:
        env = {KEY_ENV_VAR: NEW_KEY_HEX}
        runs = [start("--as-of", NEXT_AS_OF, "--new-key", env=env) for _ in range(2)]
        pids = {run.process.pid for run in runs}
        _wait_until(lambda: _lock_holder(warehouse_dir) in pids, runs)
        # Started while the winner holds the lock, it queues and runs after it.
        waiter = start("--as-of", LAST_AS_OF, "--wait", env=env)
        codes = sorted(run.finish() for run in runs)
        assert waiter.finish() == 0, waiter.output
        # The reader keeps its view of the file it opened.
        assert reader.execute("select run_id from marts.run_info").fetchall() == [(killed_in_pack,)]
    finally:
        reader.close()
    assert codes == [0, 1]
    winner, loser = sorted(runs, key=lambda run: run.process.returncode)
    assert f"a refresh is already running (pid {winner.process.pid}," in loser.output
    # The waiter hashed under the new key without --new-key: it read what the winner published.
    assert "a refresh is already running" not in waiter.output  # queued, never refused
    assert "The published warehouse was left as it was." in loser.output
    assert "stale refresh lock of a run that did not finish" in winner.output
    removed = winner.output.split("removed what killed runs left:")[1].split("\n\n")[0]
    assert "build/old-run.duckdb" in removed and "packs/." in removed
    assert "build/an-old-subfolder" in winner.output and "build/dangling-link" in winner.output
    assert sorted(p.name for p in builds.iterdir()) == ["an-old-subfolder", "dangling-link"]
    assert not list((warehouse_dir / "packs").glob(".*"))

    waiter_run = str(_scalar(published_file, "select run_id from marts.run_info"))
    with duckdb.connect(str(published_file), read_only=True) as connection:
        history = connection.execute(
            "select run_id, pseudonym_key_fingerprint, pseudonym_key_changed "
            "from marts.rpt_run_history order by started_at"
        ).fetchall()
    new_fingerprint = key_fingerprint(bytes.fromhex(NEW_KEY_HEX))
    assert [row[0] for row in history[:2]] == [first_run, killed_in_pack]
    assert len(history) == 4 and history[2][1:] == (new_fingerprint, True)
    assert history[3] == (waiter_run, new_fingerprint, False)  # the waiter's, after the winner's
    assert [row[2] for row in history[:2]] == [False, False]
    assert f"pseudonym key fingerprint: {new_fingerprint}" in winner.output
    versions = [
        json.loads((pack / "manifest.json").read_text())["version"]
        for pack in (warehouse_dir / "packs").iterdir()
    ]
    assert sorted(versions) == [1, 2, 3]  # the pack killed half-written took no version
