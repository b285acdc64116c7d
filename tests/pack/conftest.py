"""Packs written once per session: the demo warehouse's two copies, and a drop of hostile names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commands.cli import main as ropa
from pipelines.pack import PackResult, write_pack
from tests.conftest import AS_OF, MINIMAL_DROP

# Names a spreadsheet would take for formulas (OWASP CSV injection), one per trigger.
HOSTILE_VENDOR = '=HYPERLINK("http://evil.test/x","click")'
HOSTILE_SYSTEM = "+SUM(1,2)"
HOSTILE_ORGANISATION = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_CUSTOMER = "-2+3 <b>Hotel</b> & Co"


@pytest.fixture(scope="session")
def demo_pack(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> PackResult:
    """The regulator's copy (the default). Outside the warehouse's packs/, so other tests see
    only the series the pipeline wrote."""
    return write_pack(demo_warehouse, tmp_path_factory.mktemp("pack") / "demo-pack")


@pytest.fixture(scope="session")
def internal_pack(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> PackResult:
    return write_pack(
        demo_warehouse, tmp_path_factory.mktemp("pack") / "internal-pack", audience="internal"
    )


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal drop with vendor, system, organisation and customer names that begin with
    `=`, `+`, `@` and `-`, run through `ropa run`."""
    base = tmp_path_factory.mktemp("hostile")
    drop, warehouse = base / "drop", base / "warehouse"
    shutil.copytree(MINIMAL_DROP, drop)
    _replace(drop / "vendors.csv", "Cloud Host Inc", '"' + HOSTILE_VENDOR.replace('"', '""') + '"')
    _replace(drop / "register" / "systems" / "portal.yml", "Live chat", f"'{HOSTILE_SYSTEM}'")
    _replace(
        drop / "register" / "organization.yml",
        "name: Acme Chat Ltd\n",
        """name: "@SUM(1+1)*cmd|' /C calc'!A0"\n""",
    )
    _replace(drop / "customers.csv", "Hotel Co", f'"{HOSTILE_CUSTOMER}"')
    assert (
        ropa(["run", "--exports", str(drop), "--warehouse", str(warehouse), "--as-of", AS_OF]) == 0
    )
    return warehouse


@pytest.fixture(scope="session")
def hostile_pack(hostile_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> PackResult:
    return write_pack(hostile_warehouse, tmp_path_factory.mktemp("pack") / "hostile-pack")
