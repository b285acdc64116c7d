"""The frame around every page: which run is shown, and what to do when there is none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import streamlit as st

from dashboards import queries
from dashboards.source import published_file

STALE_AFTER = timedelta(days=1)


def is_stale(run: queries.CurrentRun, now: datetime) -> bool:
    """The nightly refresh should have replaced a run older than a day."""
    return now - run.started_at > STALE_AFTER


def _how_to_create(warehouse: Path, problem: str) -> None:
    st.title("Records of processing")
    st.error(problem)
    st.markdown("Create a warehouse from an export drop, or from the embedded demo first:")
    st.code(
        f"ropa demo --out demo-drop\nropa run --exports demo-drop --warehouse {warehouse}",
        language="bash",
    )
    st.markdown("Then reload this page.")


def draw(warehouse: Path) -> bool:
    """Draw the frame; False when there is no run to show, so the page must not run."""
    st.sidebar.caption(f"Warehouse `{warehouse}`")
    if published_file(warehouse) is None:
        _how_to_create(warehouse, f"No published warehouse in `{warehouse}` yet.")
        return False
    run = queries.current_run(warehouse)
    if run is None:
        _how_to_create(warehouse, f"The warehouse in `{warehouse}` holds no completed run.")
        return False
    st.sidebar.markdown(
        f"**As of {run.as_of:%Y-%m-%d}**  \n"
        f"Run `{run.run_id}`  \n"
        f"started {run.started_at:%Y-%m-%d %H:%M} UTC  \n"
        f"published {run.published_at:%Y-%m-%d %H:%M} UTC"
    )
    if is_stale(run, datetime.now(UTC)):
        st.warning(
            f"Stale data: the last run started {run.started_at:%Y-%m-%d %H:%M} UTC, more than "
            "a day ago. Check the nightly refresh (`ropa serve`) or run `ropa run` by hand.",
            icon=":material/schedule:",
        )
    return True
