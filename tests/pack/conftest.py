"""A pack written once per session from the session's demo warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.pack import PackResult, write_pack


@pytest.fixture(scope="session")
def demo_pack(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> PackResult:
    # Outside the warehouse's packs/, so other tests see only the series the pipeline wrote.
    return write_pack(demo_warehouse, tmp_path_factory.mktemp("pack") / "demo-pack")
