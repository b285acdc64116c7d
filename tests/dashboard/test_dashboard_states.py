"""What the dashboard says with no warehouse, an empty one, a stale one, and after a new run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboards.filters import matching, options
from dashboards.frame import is_stale
from dashboards.queries import CurrentRun
from pipelines.lib.warehouse import published_path

OpenApp = Callable[[Path], AppTest]


def copy_with_run(source: Path, target_dir: Path, run_id: str, started_at: datetime) -> Path:
    """A copy of a published warehouse whose run_info names another run, built beside the
    target and renamed over it, the way `ropa run` publishes."""
    target_dir.mkdir(parents=True, exist_ok=True)
    building = target_dir / f"{run_id}.building"
    shutil.copyfile(published_path(source), building)
    connection = duckdb.connect(str(building))
    try:
        for table in ("raw.run_info", "marts.run_info"):
            connection.execute(
                f"update {table} set run_id = ?, started_at = ?, as_of = as_of + 1",
                [run_id, started_at.replace(tzinfo=None)],
            )
        connection.execute("checkpoint")
    finally:
        connection.close()
    os.replace(building, published_path(target_dir))
    return target_dir


def sidebar_text(app: AppTest) -> str:
    return "\n".join(str(element.value) for element in app.sidebar.markdown)


def test_missing_warehouse_says_how_to_create_one(open_app: OpenApp, tmp_path: Path) -> None:
    app = open_app(tmp_path / "nowhere")
    assert not app.exception
    assert "No published warehouse" in app.error[0].value
    command = app.code[0].value
    assert "ropa demo --out" in command
    assert f"ropa run --exports demo-drop --warehouse {tmp_path / 'nowhere'}" in command


def test_empty_warehouse_says_how_to_fill_it(open_app: OpenApp, tmp_path: Path) -> None:
    duckdb.connect(str(published_path(tmp_path))).close()
    app = open_app(tmp_path)
    assert not app.exception
    assert "holds no completed run" in app.error[0].value
    assert "ropa run --exports" in app.code[0].value


def test_stale_banner_after_a_day_without_run(
    open_app: OpenApp, demo_warehouse: Path, tmp_path: Path
) -> None:
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    app = open_app(copy_with_run(demo_warehouse, tmp_path, "old-run", two_days_ago))
    assert not app.exception
    assert "Stale data" in app.warning[0].value
    assert "old-run" in sidebar_text(app)


def test_a_newly_published_run_shows_at_the_next_rerun(
    open_app: OpenApp, demo_warehouse: Path, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    app = open_app(copy_with_run(demo_warehouse, tmp_path, "first-run", now))
    assert "first-run" in sidebar_text(app)
    copy_with_run(demo_warehouse, tmp_path, "second-run", now)
    app.run()
    assert not app.exception
    assert "second-run" in sidebar_text(app)
    assert "first-run" not in sidebar_text(app)


def test_is_stale_after_one_day() -> None:
    started = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
    run = CurrentRun("r", date(2026, 11, 28), "sha256:x", started, started)
    assert not is_stale(run, started + timedelta(hours=23))
    assert is_stale(run, started + timedelta(days=1, minutes=1))


def test_filters_split_joined_cells() -> None:
    frame = pd.DataFrame(
        {"categories": ["Email; Name", "Name", None], "system": ["crm", "billing", "crm"]}
    )
    assert options(frame, "categories") == ["Email", "Name"]
    assert matching(frame, {"categories": ["Email"]})["system"].tolist() == ["crm"]
    assert len(matching(frame, {"categories": ["Name"], "system": ["billing"]})) == 1
    assert len(matching(frame, {"categories": []})) == 3
