"""Pre-3.0 fideslang manifests (exports.md "Older fideslang"): facts read, fields listed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from pipelines.load.drop import load_drop
from pipelines.load.errors import DropError

AS_OF = dt.date(2026, 11, 29)

LEGACY_SYSTEM = """\
system:
  - fides_key: legacy_crm
    name: Old CRM
    system_type: Service
    data_responsibility_title: Processor
    data_protection_impact_assessment:
      is_required: true
      progress: in review
      link: https://acme.test/dpia/crm
    joint_controller:
      name: Partner AB
      address: 1 Gatan, Stockholm
      email: privacy@partner.test
      phone: ""
    third_country_transfers: [USA, IND]
    privacy_declarations:
      - name: Keep leads
        data_use: essential.service
        data_qualifier: aggregated.anonymized
        data_categories: [user.contact.email]
        data_subjects: [customer]
        legal_basis_for_processing: Contract
      - name: Score leads
        data_use: marketing.advertising
        data_qualifier: aggregated
        data_categories: [user.contact.email]
        data_subjects: [customer]
        legal_basis_for_processing: Consent
  - fides_key: both_crm
    name: Half-migrated CRM
    system_type: Service
    responsibility: [Controller]
    data_responsibility_title: Processor
    requires_data_protection_assessments: false
    dpa_progress: done
    data_protection_impact_assessment: {is_required: true, progress: old, link: https://old.test}
    joint_controller_info: Partner AB (current)
    joint_controller: {name: Partner AB (old)}
    privacy_declarations: []
  - fides_key: current_crm
    name: Current CRM
    system_type: Service
    responsibility: [Controller]
    privacy_declarations: []
"""

LEGACY_DATASET = """\
dataset:
  - fides_key: legacy_db
    retention: Two years after the last order
    data_qualifier: aggregated
    collections:
      - name: orders
        retention: Seven years
        fields:
          - name: buyer
            data_categories: [user.name]
            fields:
              - name: email
                data_qualifier: identified
                data_categories: [user.contact.email]
"""


def _load(drop: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    load_drop(
        drop, connection, run_id="t", as_of=AS_OF, pseudonym_key=b"k", parts=tmp_path / "parts"
    )
    return connection


def _with_legacy(drop: Path) -> Path:
    (drop / "register/systems/legacy.yml").write_text(LEGACY_SYSTEM)
    (drop / "register/datasets/legacy_db.yml").write_text(LEGACY_DATASET)
    return drop


def test_legacy_system_fields_are_read_as_their_current_equivalents(
    minimal_drop: Path, tmp_path: Path
) -> None:
    connection = _load(_with_legacy(minimal_drop), tmp_path)
    rows = connection.execute(
        "select system_key, is_controller, is_processor, requires_data_protection_assessments, "
        "dpa_progress, dpa_location, joint_controller_info from raw.systems "
        "where system_key in ('legacy_crm', 'both_crm', 'current_crm') order by system_key"
    ).fetchall()
    assert rows == [
        # current fields win, each on its own: dpa_location is taken from the old link
        ("both_crm", True, False, False, "done", "https://old.test", "Partner AB (current)"),
        ("current_crm", True, False, False, None, None, None),
        (
            "legacy_crm", False, True, True, "in review", "https://acme.test/dpia/crm",
            "Partner AB, 1 Gatan, Stockholm, privacy@partner.test",
        ),
    ]  # fmt: skip


def test_each_legacy_field_is_listed_once_per_file_and_resource(
    minimal_drop: Path, tmp_path: Path
) -> None:
    connection = _load(_with_legacy(minimal_drop), tmp_path)
    rows = connection.execute(
        "select _source_file, resource_type, resource_key, field_name, read_as, legacy_value "
        "from raw.register_legacy_fields order by all"
    ).fetchall()
    dataset_file, system_file = "register/datasets/legacy_db.yml", "register/systems/legacy.yml"
    dpia = "requires_data_protection_assessments, dpa_progress, dpa_location"
    assert rows == [
        (dataset_file, "dataset", "legacy_db", "collections.fields.data_qualifier", None,
         "identified"),
        (dataset_file, "dataset", "legacy_db", "collections.retention", None, "Seven years"),
        (dataset_file, "dataset", "legacy_db", "data_qualifier", None, "aggregated"),
        (dataset_file, "dataset", "legacy_db", "retention", None,
         "Two years after the last order"),
        (system_file, "system", "both_crm", "data_protection_impact_assessment", dpia,
         "is_required: true; progress: old; link: https://old.test"),
        (system_file, "system", "both_crm", "data_responsibility_title", "responsibility",
         "Processor"),
        (system_file, "system", "both_crm", "joint_controller", "joint_controller_info",
         "Partner AB (old)"),
        (system_file, "system", "legacy_crm", "data_protection_impact_assessment", dpia,
         "is_required: true; progress: in review; link: https://acme.test/dpia/crm"),
        (system_file, "system", "legacy_crm", "data_responsibility_title", "responsibility",
         "Processor"),
        (system_file, "system", "legacy_crm", "joint_controller", "joint_controller_info",
         "Partner AB, 1 Gatan, Stockholm, privacy@partner.test"),
        (system_file, "system", "legacy_crm", "privacy_declarations.data_qualifier", None,
         "aggregated; aggregated.anonymized"),
        (system_file, "system", "legacy_crm", "third_country_transfers", None, "USA; IND"),
    ]  # fmt: skip


def test_a_bad_legacy_value_names_the_legacy_field(minimal_drop: Path, tmp_path: Path) -> None:
    text = LEGACY_SYSTEM.replace(
        "data_responsibility_title: Processor", "data_responsibility_title: Owner", 1
    )
    (minimal_drop / "register/systems/legacy.yml").write_text(text)
    (minimal_drop / "register/datasets/legacy_db.yml").write_text(LEGACY_DATASET)
    with pytest.raises(DropError) as raised:
        _load(minimal_drop, tmp_path)
    error = raised.value
    assert (error.file, error.field) == ("register/systems/legacy.yml", "data_responsibility_title")
    assert "system 'legacy_crm'" in error.location
