"""Shared fixtures: a demo drop and a warehouse built from it by the real pipeline.

Both are built once per test session through the `ropa` command line (real DuckDB file, real
dbt and Dagster runs), so every test that needs a warehouse reads the same published file.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from commands.cli import main as ropa
from tests.dbt_harness import DbtProject, build_project

AS_OF = "2026-11-29"
MINIMAL_DROP = Path(__file__).parent / "fixtures" / "minimal_drop"
DEMO_RECORDS = 4000
DEMO_SEED = 7

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def pytest_configure(config: pytest.Config) -> None:
    """Prepare dbt's manifest before collection: test modules import the Dagster definitions,
    which are built from it (importing them never parses the project)."""
    del config
    from pipelines.lib.dbt_manifest import ensure_manifest

    ensure_manifest()


@dataclass(frozen=True)
class DemoDrop:
    root: Path
    truth_path: Path

    def truth(self) -> dict[str, Any]:
        return dict(json.loads(self.truth_path.read_text()))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Each test, and the module or session fixtures it sets up first, starts with no current
    Dagster defs-state storage. Dagster keeps the one of the instance a `with` entered in a
    context variable; after some runs of a test instance (seen: the schedule tests, then a
    `materialize` of a partitioned asset) it stays there after the instance is disposed, and a
    later test's Definitions fail on it ("Attempted to resolve undefined DagsterInstance
    weakref"). `ropa run` enters no instance, so only tests share it."""
    defs_state = sys.modules.get("dagster._core.storage.defs_state.base")
    if defs_state is not None:
        defs_state._current_storage.set(None)


@pytest.fixture(scope="session")
def demo_drop(tmp_path_factory: pytest.TempPathFactory) -> DemoDrop:
    base = tmp_path_factory.mktemp("demo")
    root, truth = base / "drop", base / "truth.json"
    exit_code = ropa(
        [
            "demo",
            "--out", str(root),
            "--records", str(DEMO_RECORDS),
            "--seed", str(DEMO_SEED),
            "--as-of", AS_OF,
            "--truth", str(truth),
        ]
    )  # fmt: skip
    assert exit_code == 0
    return DemoDrop(root=root, truth_path=truth)


@pytest.fixture(scope="session")
def demo_warehouse(demo_drop: DemoDrop, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse folder of a successful `ropa run` over the demo drop."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    exit_code = ropa(
        ["run", "--exports", str(demo_drop.root), "--warehouse", str(warehouse), "--as-of", AS_OF]
    )
    assert exit_code == 0
    assert (warehouse / "ropa.duckdb").exists()
    return warehouse


@pytest.fixture(scope="session")
def minimal_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse folder of a successful `ropa run` over the minimal drop; tests that run
    again over it work on a copy, so it stays what the first run published."""
    warehouse = tmp_path_factory.mktemp("minimal_warehouse")
    run = ["run", "--exports", str(MINIMAL_DROP), "--warehouse", str(warehouse), "--as-of", AS_OF]
    assert ropa(run) == 0
    return warehouse


@pytest.fixture
def minimal_drop(tmp_path: Path) -> Path:
    """A writable copy of the hand-written minimal drop (tests/fixtures/minimal_drop)."""
    target = tmp_path / "drop"
    shutil.copytree(MINIMAL_DROP, target)
    return target


@pytest.fixture(scope="session")
def dbt_built(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """The dbt project built once per session on the raw fixtures (tests/dbt_harness.py)."""
    return build_project(tmp_path_factory.mktemp("dbt"))
