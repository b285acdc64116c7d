"""changes.json: a declaration edited in the drop shows, field by field, in the next pack."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from commands.cli import main as ropa
from pipelines.lib.warehouse import packs_dir
from pipelines.pack import write_pack
from pipelines.pack.manifest import read_manifest
from tests.conftest import AS_OF, DemoDrop

pytestmark = pytest.mark.slow

NEW_NAME = "Create accounts, verify users and keep them safe"


def _edit_first_controller_system(drop: Path) -> tuple[str, str]:
    """Rename one declaration, change its lawful basis, remove another; returns both keys."""
    for path in sorted((drop / "register" / "systems").glob("*.yml")):
        document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        system = document["system"][0]
        declarations = system.get("privacy_declarations") or []
        if "Controller" in system.get("responsibility", []) and len(declarations) >= 2:
            changed, removed = declarations[0], declarations.pop()
            changed["name"] = NEW_NAME
            changed["legal_basis_for_processing"] = (
                "Consent" if changed.get("legal_basis_for_processing") != "Consent" else "Contract"
            )
            path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
            key = system["fides_key"]
            return f"{key}:{changed['data_use']}", f"{key}:{removed['data_use']}"
    raise AssertionError("the demo drop has no controller system with two declarations")


@pytest.fixture(scope="module")
def rerun_warehouse(
    demo_drop: DemoDrop, demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, str, str]:
    """A copy of the demo warehouse, exported once, then re-run over an edited copy of the drop."""
    base = tmp_path_factory.mktemp("rerun")
    warehouse, drop = base / "warehouse", base / "drop"
    shutil.copytree(demo_warehouse, warehouse)
    shutil.copytree(demo_drop.root, drop)
    before = write_pack(warehouse, packs_dir(warehouse) / "before-edit", audience="internal").path
    changed_key, removed_key = _edit_first_controller_system(drop)
    exit_code = ropa(
        ["run", "--exports", str(drop), "--warehouse", str(warehouse), "--as-of", AS_OF]
    )
    assert exit_code == 0
    return warehouse, before, changed_key, removed_key


def test_changed_declaration_shows_field_by_field(
    rerun_warehouse: tuple[Path, Path, str, str],
) -> None:
    warehouse, before, changed_key, removed_key = rerun_warehouse
    pack = write_pack(
        warehouse, packs_dir(warehouse) / "after-edit", since=before, audience="internal"
    )
    changes = json.loads((pack.path / "changes.json").read_text())

    assert changes["previous_pack"]["pack_id"] == read_manifest(before)["pack_id"]
    controller = changes["controller_activities"]
    assert [item["activity_key"] for item in controller["removed"]] == [removed_key]
    assert controller["added"] == []
    (changed,) = [item for item in controller["changed"] if item["activity_key"] == changed_key]
    fields = {change["field"]: change for change in changed["fields"]}
    assert {"activity_name", "lawful_basis"} <= set(fields)
    assert fields["activity_name"]["after"] == NEW_NAME
    assert fields["activity_name"]["before"] != NEW_NAME
    assert fields["lawful_basis"]["before"] != fields["lawful_basis"]["after"]
    assert fields["lawful_basis"]["label"] == "Article 6 lawful basis"

    markdown = (pack.path / "changes.md").read_text()
    removed_name = controller["removed"][0]["name"]
    assert NEW_NAME in markdown and removed_name in markdown
    assert "Removed:" in markdown and f"Changed: {changed['name']}" in markdown
    before_basis, after_basis = fields["lawful_basis"]["before"], fields["lawful_basis"]["after"]
    assert f"- Article 6 lawful basis: was “{before_basis}”, now “{after_basis}”." in markdown


def test_default_baseline_is_the_newest_pack_of_an_earlier_run(
    rerun_warehouse: tuple[Path, Path, str, str],
) -> None:
    """After two runs over different drops, a pack lists the differences from the first run's
    pack, not from the pack the second run itself kept seconds earlier."""
    warehouse, _before, changed_key, removed_key = rerun_warehouse
    kept = sorted(
        path for path in packs_dir(warehouse).iterdir() if (path / "manifest.json").exists()
    )
    run_ids = {read_manifest(path)["run_id"] for path in kept}
    assert len(run_ids) == 2  # the demo run's nightly pack, the re-run's nightly pack (and before)
    this_run = read_manifest(max(kept, key=lambda path: read_manifest(path)["created_at"]))[
        "run_id"
    ]

    first = write_pack(warehouse, packs_dir(warehouse) / "series-1", audience="internal")
    second = write_pack(warehouse, packs_dir(warehouse) / "series-2", audience="internal")
    for pack in (first, second):
        changes = json.loads((pack.path / "changes.json").read_text())
        baseline = packs_dir(warehouse) / _folder_of(warehouse, changes["previous_pack"]["pack_id"])
        assert read_manifest(baseline)["run_id"] != this_run
        controller = changes["controller_activities"]
        assert [item["activity_key"] for item in controller["removed"]] == [removed_key]
        assert changed_key in [item["activity_key"] for item in controller["changed"]]
        assert "Nothing changed." not in (pack.path / "changes.md").read_text()
    assert first.previous_pack_id == second.previous_pack_id


def _folder_of(warehouse: Path, pack_id: str) -> str:
    (folder,) = [
        path.name
        for path in packs_dir(warehouse).iterdir()
        if (path / "manifest.json").exists() and read_manifest(path)["pack_id"] == pack_id
    ]
    return folder


def test_run_then_export_compares_with_the_previous_run(
    rerun_warehouse: tuple[Path, Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`ropa run` keeps a pack; `ropa export` of the same warehouse compares with the run
    before, whose record differs, not with that pack."""
    warehouse, _before, _changed, removed_key = rerun_warehouse
    out = warehouse.parent / "exported"
    args = ["export", "--warehouse", str(warehouse), "--out", str(out), "--audience", "internal"]
    assert ropa(args) == 0
    capsys.readouterr()
    manifest = read_manifest(out)
    baseline = packs_dir(warehouse) / _folder_of(warehouse, manifest["previous_pack_id"])
    assert read_manifest(baseline)["run_id"] != manifest["run_id"]
    changes = json.loads((out / "changes.json").read_text())
    assert changes["pack_id"] == manifest["pack_id"]
    assert removed_key in [
        item["activity_key"] for item in changes["controller_activities"]["removed"]
    ]


def test_since_still_chooses_the_baseline(
    rerun_warehouse: tuple[Path, Path, str, str], tmp_path: Path
) -> None:
    warehouse = rerun_warehouse[0]
    first = write_pack(warehouse, tmp_path / "one")
    second = write_pack(warehouse, tmp_path / "two", since=first.path)
    assert second.previous_pack_id == first.pack_id and second.version == first.version + 1
    changes = json.loads((second.path / "changes.json").read_text())
    for section in ("controller_activities", "processor_activities", "recipients"):
        assert changes[section] == {"added": [], "removed": [], "changed": []}
    assert "Nothing changed." in (second.path / "changes.md").read_text()


def test_first_pack_lists_everything_as_added(demo_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "fresh"
    warehouse.mkdir()
    shutil.copy2(demo_warehouse / "ropa.duckdb", warehouse / "ropa.duckdb")
    pack = write_pack(warehouse, tmp_path / "first")
    changes = json.loads((pack.path / "changes.json").read_text())
    assert changes["previous_pack"] is None and pack.version == 1
    assert changes["controller_activities"]["added"]
    assert "No previous pack" in (pack.path / "changes.md").read_text()


def test_regulator_changes_name_entries_in_words_only(
    rerun_warehouse: tuple[Path, Path, str, str], tmp_path: Path
) -> None:
    """The regulator's changes.json matches entries by the register's keys (the baseline is an
    internal pack) but names them in words: no key in it."""
    warehouse, before, changed_key, removed_key = rerun_warehouse
    pack = write_pack(warehouse, tmp_path / "regulator", since=before)
    changes = json.loads((pack.path / "changes.json").read_text())
    controller = changes["controller_activities"]
    assert len(controller["removed"]) == 1 and controller["added"] == []
    assert controller["removed"][0] == {"name": controller["removed"][0]["name"]}
    assert any(item["name"].startswith(NEW_NAME) for item in controller["changed"])
    text = (pack.path / "changes.json").read_text() + (pack.path / "changes.md").read_text()
    assert changed_key not in text and removed_key not in text
