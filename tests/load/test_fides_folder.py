"""A Fides user's manifest folder under `register/` (exports.md "Layout" and "register/").

tests/fixtures/fides_register is written for these tests from fideslang's documented shapes (not
copied from any public set): `.fides/` as a Fides repository keeps it (any file names, nested
folders, mixed resource kinds per file, a dataset kept in a system file, no `responsibility`
anywhere, a Fides DSR `policy` list, the pre-3.0 `data_qualifier` kind), plus our own
`retention.yml` and `policy.yml`. Each test puts it under `register/` of a copy of
tests/fixtures/minimal_drop (its CSVs and records).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from commands.cli import main as ropa
from pipelines.load.drop import load_drop
from pipelines.load.errors import DropError, DropErrors
from pipelines.load.manifests import replacement

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIDES_REGISTER = FIXTURES / "fides_register"
AS_OF = dt.date(2026, 11, 29)
DAY = AS_OF.isoformat()
PORTAL = "register/.fides/portal_system.yml"


@pytest.fixture
def fides_drop(minimal_drop: Path) -> Path:
    shutil.rmtree(minimal_drop / "register")
    shutil.copytree(FIDES_REGISTER, minimal_drop / "register")
    return minimal_drop


def _load(drop: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    load_drop(
        drop, connection, run_id="t", as_of=AS_OF, pseudonym_key=b"k", parts=tmp_path / "parts"
    )
    return connection


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return connection.execute(sql).fetchall()


def _load_error(drop: Path, tmp_path: Path) -> DropError:
    with pytest.raises(DropError) as raised:
        _load(drop, tmp_path)
    return raised.value


def _run(drop: Path, warehouse: Path) -> int:
    return ropa(["run", "--exports", str(drop), "--warehouse", str(warehouse), "--as-of", DAY])


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nested_folder_loads_with_mixed_kinds(fides_drop: Path, tmp_path: Path) -> None:
    connection = _load(fides_drop, tmp_path)
    assert _rows(
        connection,
        "select activity_key, declaration_name from raw.processing_activities order by 1",
    ) == [
        ("chat:essential.service", "Chat for our customers"),
        ("portal:essential.service", "Provide the account service"),
        # two declarations for one use: told apart by the slug of their names
        ("portal:marketing.communications.email#event-invitations", "Event invitations!"),
        ("portal:marketing.communications.email#product-newsletter", "Product newsletter"),
    ]
    # no responsibility anywhere: every system is a controller, the fact kept for the finding
    assert _rows(
        connection, "select system_key, responsibility_declared, is_controller from raw.systems"
    ) == [("chat", False, True), ("portal", False, True)]
    # the dataset kept in the system file loads; declaration- and system-level references
    assert _rows(connection, "select activity_key, dataset_key from raw.activity_datasets") == [
        ("portal:essential.service", "portal_db")
    ]
    assert _rows(connection, "select system_key, dataset_key from raw.system_datasets") == [
        ("chat", "chat_store")
    ]
    # the Fides DSR policy list and the pre-3.0 data_qualifier kind are skipped and listed
    assert _rows(
        connection, "select _source_file, resource_type, resources from raw.register_skipped"
    ) == [
        ("register/.fides/acme.yaml", "data_qualifier", 1),
        ("register/.fides/policy.yml", "policy", 1),
    ]
    [(policy_file, rules)] = _rows(
        connection,
        "select p._source_file, (select count(*) from raw.retention_rules) from raw.policies p",
    )
    assert (policy_file, rules) == ("register/policy.yml", 2)


def test_nested_fields_and_dataset_and_collection_categories(
    fides_drop: Path, tmp_path: Path
) -> None:
    connection = _load(fides_drop, tmp_path)
    rows = _rows(
        connection,
        "select collection_name, field_path, data_category from raw.dataset_fields"
        " where dataset_key = 'portal_db' order by 2, 3",
    )
    # the collection's user.name applies to every field below it, nested ones too
    assert rows == [
        ("users", "email", "user.contact.email"),
        ("users", "email", "user.name"),
        ("users", "profile", "user.name"),
        ("users", "profile.display_name", "user.name"),
        ("users", "profile.phone", "user.contact.phone_number"),
        ("users", "profile.phone", "user.name"),
    ]
    assert ("visitor_email", "user.content") in _rows(
        connection,
        "select field_path, data_category from raw.dataset_fields where dataset_key = 'chat_store'",
    )


def test_system_facts_exports_md_names_are_loaded(fides_drop: Path, tmp_path: Path) -> None:
    connection = _load(fides_drop, tmp_path)
    assert _rows(
        connection,
        "select legal_name, legitimate_interest_disclosure_url from raw.systems"
        " where system_key = 'portal'",
    ) == [("Acme Chat Ltd", "https://acme.test/privacy#legitimate-interests")]
    assert _rows(
        connection,
        "select system_key, source_key, flow_type, data_category from raw.system_ingress_flows"
        " order by 4",
    ) == [
        ("portal", "user", "user", "user.contact.email"),
        ("portal", "user", "user", "user.name"),
    ]


def test_flat_folder_with_any_names_and_a_fides_policy_beside_ours(
    fides_drop: Path, tmp_path: Path
) -> None:
    """Every file in one folder under other names; Fides's `policy.yml` (a list) beside our
    commitments, which is known by its content (a `policy` mapping), not by its name."""
    register = fides_drop / "register"
    flat = tmp_path / "flat"
    flat.mkdir()
    for index, path in enumerate(sorted(p for p in register.rglob("*") if p.is_file())):
        name = "policy.yml" if path.parent.name == ".fides" and path.name == "policy.yml" else None
        shutil.copy(path, flat / (name or f"{index:02d}-{path.stem.upper()}.yaml"))
    shutil.rmtree(register)
    shutil.copytree(flat, register)
    assert (register / "policy.yml").read_text().startswith("# A Fides DSR policy")
    connection = _load(fides_drop, tmp_path)
    assert _rows(connection, "select count(*) from raw.processing_activities") == [(4,)]
    assert _rows(connection, "select resource_type from raw.register_skipped order by 1") == [
        ("data_qualifier",),
        ("policy",),
    ]
    [(commitments,)] = _rows(connection, "select _source_file from raw.policies")
    assert commitments.startswith("register/") and commitments != "register/policy.yml"


def test_one_file_holding_every_kind_loads(fides_drop: Path, tmp_path: Path) -> None:
    """Merged into one file: the resource lists of each kind are joined, as fideslang does."""
    register = fides_drop / "register"
    merged: dict[str, list[str]] = {}
    for path in sorted((register / ".fides").rglob("*.y*ml")):
        document = yaml.safe_load(path.read_text())
        for kind, entries in document.items():
            merged.setdefault(kind, []).extend(entries)
    shutil.rmtree(register / ".fides")
    (register / "everything.yml").write_text(yaml.safe_dump(merged, sort_keys=False))
    connection = _load(fides_drop, tmp_path)
    assert _rows(connection, "select count(*) from raw.processing_activities") == [(4,)]


def test_renamed_keys_name_their_replacement() -> None:
    categories = {"user.contact.email", "user.authorization.credentials.password", "user.behavior"}
    assert replacement("data_category", "user.provided.identifiable.contact.email", categories) == (
        "user.contact.email",
        ["1.1.0"],
    )
    # a rename of a key applies below it, and renames chain across versions
    assert replacement(
        "data_category", "user.provided.identifiable.credentials.password", categories
    ) == ("user.authorization.credentials.password", ["1.1.0", "2.0.0"])
    assert replacement("data_use", "improve.system", {"functional.service.improve"}) == (
        "functional.service.improve",
        ["2.0.0"],
    )
    assert replacement("data_category", "user.nickname_of_pet", categories) is None


def test_every_problem_is_reported_in_one_error(fides_drop: Path, tmp_path: Path) -> None:
    portal = fides_drop / PORTAL
    _replace(  # 1: a fideslang 1.x category key, renamed in fideslang 1.1
        portal,
        "data_categories: [user.contact.email, user.name]\n        data_subjects: [customer]\n"
        "        dataset_references: [portal_db]",
        "data_categories: [user.provided.identifiable.contact.email, user.name]\n"
        "        data_subjects: [customer]\n        dataset_references: [portal_db, no_such_db]",
    )  # 2: a dangling declaration-level reference
    _replace(portal, "data_use: essential.service", "data_use: improve.system")  # 3: old use
    _replace(portal, "name: Event invitations!", "name: Product newsletter")  # 4: same name
    _replace(  # 5: a bad enum value
        portal,
        "    legal_name: Acme Chat Ltd\n",
        "    legal_name: Acme\n    responsibility: [Boss]\n",
    )
    chat = fides_drop / "register/.fides/nested/chat/chat.yaml"
    _replace(chat, "dataset_references: [chat_store]", "dataset_references: [chat_archive]")  # 6
    store = fides_drop / "register/.fides/nested/chat_store.yml"
    _replace(store, "data_categories: [user.content]", "data_categories: [user.observed]")  # 7
    _replace(  # 8: an unknown category on a collection
        portal, "        data_categories: [user.name]\n", "        data_categories: [user.gossip]\n"
    )
    _replace(  # 9: a retention rule for a system the register does not hold
        fides_drop / "register/retention.yml", "system: chat", "system: chatbot"
    )
    error = _load_error(fides_drop, tmp_path)
    assert isinstance(error, DropErrors)
    text = str(error)
    problems = {(p.file, p.field): p for p in error.problems}
    assert len(error.problems) == 9, text
    assert text.splitlines()[0] == "the register has 9 problems:"
    assert len(text.splitlines()) == 10
    email = problems[(PORTAL, "data_categories")]
    assert "system 'portal'" in email.location and "user.provided.identifiable" in email.problem
    assert "renamed to 'user.contact.email' (fideslang 1.1.0)" in email.problem
    use = problems[(PORTAL, "data_use")]
    assert "renamed to 'functional.service.improve' (fideslang 2.0.0)" in use.problem
    assert "no_such_db" in problems[(PORTAL, "dataset_references")].problem
    assert "#product-newsletter" in problems[(PORTAL, "name")].problem
    enum = problems[(PORTAL, "responsibility.0")]
    assert "'Boss' is not one of" in enum.problem and "system 'portal' (line" in enum.location
    chat_file = "register/.fides/nested/chat/chat.yaml"
    assert "chat_archive" in problems[(chat_file, "dataset_references")].problem
    observed = problems[("register/.fides/nested/chat_store.yml", "data_categories")]
    assert "dataset 'chat_store'" in observed.location
    assert "renamed to 'user.behavior' (fideslang 2.0.0)" in observed.problem
    gossip = [p for p in error.problems if "user.gossip" in p.problem]
    assert len(gossip) == 1 and "collection 'users'" in gossip[0].location
    assert problems[("register/retention.yml", "system")].problem == "unknown system 'chatbot'"
    assert "pydantic" not in text and "errors.pydantic.dev" not in text


def test_exactly_one_organization_schedule_and_commitments(
    fides_drop: Path, tmp_path: Path
) -> None:
    register = fides_drop / "register"
    shutil.copy(register / "retention.yml", register / ".fides" / "old_retention.yml")
    (register / "policy.yml").unlink()
    text = (register / ".fides/acme.yaml").read_text()
    org = text[: text.index("data_subject:")]
    (register / "second_org.yml").write_text(org.replace("acme_chat", "acme_other"))
    error = _load_error(fides_drop, tmp_path)
    assert isinstance(error, DropErrors)
    by_field = {p.field: p for p in error.problems}
    assert set(by_field) == {"rules", "policy", "organization"}, str(error)
    assert "register/.fides/old_retention.yml, register/retention.yml" in by_field["rules"].problem
    assert by_field["policy"].file == "register/"
    assert "found 2" in by_field["organization"].problem
    assert "register/second_org.yml" in by_field["organization"].problem


def test_a_dangling_system_reference_is_an_error(fides_drop: Path, tmp_path: Path) -> None:
    (fides_drop / "register/.fides/nested/chat_store.yml").unlink()
    error = _load_error(fides_drop, tmp_path)
    assert (error.file, error.field) == (
        "register/.fides/nested/chat/chat.yaml",
        "dataset_references",
    )
    assert "unknown dataset 'chat_store'" in str(error)


@pytest.mark.slow
def test_fides_folder_runs_and_gives_one_controller_row_per_declaration(
    fides_drop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Done when: a Fides folder copied as it is, plus our files and the CSVs, runs with exit 0,
    and marts.ropa_controller has one row per declaration, resolved to taxonomy names."""
    warehouse = tmp_path / "warehouse"
    assert _run(fides_drop, warehouse) == 0
    assert "register/.fides/policy.yml" in capsys.readouterr().out
    with duckdb.connect(str(warehouse / "ropa.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            "select activity_key, purpose_name, personal_data_categories, data_subject_categories"
            " from marts.ropa_controller order by activity_key"
        ).fetchall()
    assert [row[0] for row in rows] == [
        "chat:essential.service",
        "portal:essential.service",
        "portal:marketing.communications.email#event-invitations",
        "portal:marketing.communications.email#product-newsletter",
    ]
    for activity_key, purpose, categories, subjects in rows:
        assert purpose and "." not in purpose, (activity_key, purpose)
        assert categories and "user." not in str(categories), (activity_key, categories)
        assert subjects and subjects[0].isupper() if isinstance(subjects, str) else subjects
    chat = rows[0]
    assert "Chat transcript" in str(chat[2]) and "Consumer" in str(chat[3])


def test_a_broken_register_fails_the_run_with_our_error(
    fides_drop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace(fides_drop / PORTAL, "    legal_name: Acme Chat Ltd\n", "    responsibility: [Boss]\n")
    _replace(
        fides_drop / "register/.fides/nested/chat/chat.yaml",
        "dataset_references: [chat_store]",
        "dataset_references: [chat_archive]",
    )
    warehouse = tmp_path / "warehouse"
    assert _run(fides_drop, warehouse) == 1
    err = capsys.readouterr().err
    assert "the register has 2 problems:" in err
    assert f"{PORTAL}, system 'portal' (line 3), field 'responsibility.0': 'Boss' is not" in err
    assert "unknown dataset 'chat_archive'" in err
    assert "validation error" not in err and "errors.pydantic.dev" not in err
    assert "The published warehouse was left as it was." in err
    assert not (warehouse / "ropa.duckdb").exists()


def _flatten_register(drop: Path) -> dict[str, str]:
    """Every register file moved into `register/` itself under another name (a Fides folder
    has any names), in the same path order (findings are ordered by their subject, and the
    subject of a register finding names its file); returns new path -> old path."""
    register = drop / "register"
    files = sorted(p for p in register.rglob("*") if p.is_file())
    moved: dict[str, str] = {}
    staging = drop / "flat-register"
    staging.mkdir()
    for index, path in enumerate(files):
        new = f"{index:02d}-{path.stem.replace('_', '-')}.yaml"
        shutil.copy(path, staging / new)
        moved[f"register/{new}"] = path.relative_to(drop).as_posix()
    shutil.rmtree(register)
    staging.rename(register)
    return moved


def _findings(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert ropa(["findings", "--warehouse", str(warehouse), "--format", "json"]) == 0
    return capsys.readouterr().out


@pytest.mark.slow
def test_demo_as_a_flat_fides_folder_gives_the_same_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo drop, its register rearranged as a flat Fides folder, gives byte-identical
    findings.json once the new file names are read back as the old ones (findings such as
    register.legacy_fields name the file that holds the resource) and the drop fingerprint,
    which covers the files' paths, is set aside."""
    findings = {}
    moved: dict[str, str] = {}
    for layout in ("normal", "flat"):
        drop, warehouse = tmp_path / layout / "drop", tmp_path / layout / "warehouse"
        assert ropa(["demo", "--out", str(drop), "--records", "1000", "--as-of", DAY]) == 0
        if layout == "flat":
            moved = _flatten_register(drop)
            assert not any((drop / "register").glob("*/"))
        assert _run(drop, warehouse) == 0
        findings[layout] = _findings(warehouse, capsys)
    # the drop's fingerprint is over its files' paths (docs/architecture.md): it differs
    fingerprint = re.compile(r'"sha256:[0-9a-f]{64}"')
    assert len(fingerprint.findall(findings["normal"])) == 1
    flat = fingerprint.sub('"sha256:"', findings["flat"])
    for new, old in moved.items():
        flat = flat.replace(new, old)
    assert flat == fingerprint.sub('"sha256:"', findings["normal"])
    assert any(new in findings["flat"] for new in moved), "the findings name register files"
