"""File-level errors: the run stops, naming file, line or resource, and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from pipelines.load.drop import load_drop
from pipelines.load.errors import DropError


def _load_error(drop: Path, tmp_path: Path) -> DropError:
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    with pytest.raises(DropError) as raised:
        load_drop(
            drop,
            connection,
            run_id="t",
            as_of=dt.date(2026, 11, 29),
            pseudonym_key=b"k",
            parts=tmp_path / "parts",
        )
    return raised.value


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_missing_required_csv_column(minimal_drop: Path, tmp_path: Path) -> None:
    _replace(minimal_drop / "customers.csv", "status,", "state,")
    error = _load_error(minimal_drop, tmp_path)
    assert (error.file, error.location, error.field) == (
        "customers.csv",
        "line 1 (header)",
        "status",
    )


def test_unknown_taxonomy_key_is_invalid_fideslang(minimal_drop: Path, tmp_path: Path) -> None:
    _replace(minimal_drop / "register/systems/portal.yml", "user.name]", "user.nickname_of_pet]")
    error = _load_error(minimal_drop, tmp_path)
    assert error.file == "register/systems/portal.yml"
    assert error.field == "data_categories"
    # The line of the system's entry, and the declaration by name within it.
    assert error.location == "system 'portal' (line 2) declaration 'Provide the service'"
    assert "user.nickname_of_pet" in str(error)


def test_fideslang_model_violation_names_resource_and_field(
    minimal_drop: Path, tmp_path: Path
) -> None:
    _replace(
        minimal_drop / "register/systems/portal.yml",
        "responsibility: [Controller]",
        "responsibility: [Overlord]",
    )
    error = _load_error(minimal_drop, tmp_path)
    assert error.file == "register/systems/portal.yml"
    assert error.field is not None and error.field.startswith("responsibility")
    assert "line 2" in error.location


def test_two_rules_for_one_system_and_record_type(minimal_drop: Path, tmp_path: Path) -> None:
    _replace(
        minimal_drop / "register/retention.yml", 'record_type: "*"', "record_type: user_account"
    )
    _replace(minimal_drop / "register/retention.yml", "system: chat", "system: portal")
    error = _load_error(minimal_drop, tmp_path)
    assert (error.file, error.field) == ("register/retention.yml", "record_type")
    assert "line 11" in error.location


def test_bad_duration_in_retention_rule(minimal_drop: Path, tmp_path: Path) -> None:
    _replace(minimal_drop / "register/retention.yml", "period: P1Y", "period: one year")
    error = _load_error(minimal_drop, tmp_path)
    assert (error.file, error.field) == ("register/retention.yml", "period")


def test_unparseable_jsonl(minimal_drop: Path, tmp_path: Path) -> None:
    (minimal_drop / "records/chat/broken.jsonl").write_text('{"record_id": "a", \n')
    error = _load_error(minimal_drop, tmp_path)
    assert error.file == "records/chat/broken.jsonl"


def test_duplicate_processing_activity(minimal_drop: Path, tmp_path: Path) -> None:
    """exports.md: two declarations with the same system, use and name are an error (with other
    names they are two activities, `<system>:<use>#<slug>`: tests/load/test_fides_folder.py)."""
    text = (minimal_drop / "register/systems/portal.yml").read_text()
    declaration = text[
        text.index("      - name: Provide the service") : text.index("  - fides_key: chat")
    ]
    (minimal_drop / "register/systems/portal.yml").write_text(
        text.replace(declaration, declaration + declaration)
    )
    error = _load_error(minimal_drop, tmp_path)
    assert error.field == "name"
    assert "portal:essential.service#provide-the-service" in str(error)


def test_missing_required_file(minimal_drop: Path, tmp_path: Path) -> None:
    (minimal_drop / "privacy_requests.csv").unlink()
    assert _load_error(minimal_drop, tmp_path).file == "privacy_requests.csv"


def _policy_with(drop: Path, lines: str) -> None:
    policy = drop / "register/policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8") + lines)


@pytest.mark.parametrize("value", ["-1", "sixty", "true", "2.5"])
def test_dpa_renewal_notice_days_must_be_a_whole_number(
    minimal_drop: Path, tmp_path: Path, value: str
) -> None:
    _policy_with(minimal_drop, f"  dpa_renewal_notice_days: {value}\n")
    error = _load_error(minimal_drop, tmp_path)
    assert (error.file, error.field) == ("register/policy.yml", "dpa_renewal_notice_days")
    assert error.location.startswith("line ")


@pytest.mark.parametrize("value", ["[USA]", "[U1]", "US", "[NO]"])
def test_disclosed_transfer_countries_must_be_alpha_2_codes(
    minimal_drop: Path, tmp_path: Path, value: str
) -> None:
    _policy_with(minimal_drop, f"  disclosed_transfer_countries: {value}\n")
    error = _load_error(minimal_drop, tmp_path)
    assert (error.file, error.field) == ("register/policy.yml", "disclosed_transfer_countries")
    assert error.location.startswith("line ")
    if value == "[NO]":
        assert '"NO"' in str(error)  # YAML reads a bare NO as false: the message says so


def test_policy_transfer_countries_and_notice_days_load_with_defaults(
    minimal_drop: Path, tmp_path: Path
) -> None:
    from pipelines.load.retention_and_policy import read_policy

    policy, _, _, countries = read_policy(minimal_drop)
    assert (policy["dpa_renewal_notice_days"], countries) == (60, [])
    _policy_with(
        minimal_drop,
        '  dpa_renewal_notice_days: 0\n  disclosed_transfer_countries: [us, " CH", US]\n',
    )
    policy, _, _, countries = read_policy(minimal_drop)
    assert (policy["dpa_renewal_notice_days"], countries) == (
        0,
        [{"country": "US"}, {"country": "CH"}],
    )
