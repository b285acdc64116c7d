"""ropa.json against its schema, findings.json as checks.md, the CSVs as copies of the marts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest

from pipelines.lib.findings import findings_document
from pipelines.lib.warehouse import read_only_connection
from pipelines.pack import PackResult

pytestmark = pytest.mark.slow

SCHEMA_PATH = Path(__file__).parents[2] / "pipelines" / "pack" / "ropa.schema.json"


def test_ropa_json_validates_against_the_schema_kept_in_the_project(
    demo_pack: PackResult,
) -> None:
    document = json.loads((demo_pack.path / "ropa.json").read_text())
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["pack_id"] == demo_pack.pack_id
    assert document["audience"] == "regulator"
    assert document["controller_activities"]


def test_schema_rejects_a_record_level_column(demo_pack: PackResult) -> None:
    document = json.loads((demo_pack.path / "ropa.json").read_text())
    document["controller_activities"][0]["record_key"] = "0" * 64
    schema = json.loads(SCHEMA_PATH.read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(document)


def test_findings_json_is_the_audit_document(
    internal_pack: PackResult, demo_pack: PackResult, demo_warehouse: Path
) -> None:
    with read_only_connection(demo_warehouse) as connection:
        expected = findings_document(connection)
    assert not (demo_pack.path / "findings.json").exists()  # the regulator's copy has none
    written = json.loads((internal_pack.path / "findings.json").read_text())
    assert written == expected
    assert list(written) == ["as_of", "drop_fingerprint", "findings"]
    assert written["as_of"] == "2026-11-29"


@pytest.mark.parametrize(
    ("file_name", "mart", "key"),
    [
        ("controller.csv", "marts.ropa_controller", "activity_key"),
        ("processor.csv", "marts.ropa_processor", "customer_key"),
    ],
)
def test_csv_is_a_flat_copy_of_the_mart(
    internal_pack: PackResult, demo_warehouse: Path, file_name: str, mart: str, key: str
) -> None:
    """The internal copy's CSV, which holds the keys (the regulator's leaves them out)."""
    with (internal_pack.path / file_name).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with read_only_connection(demo_warehouse) as connection:
        keys = sorted(
            str(value) for (value,) in connection.execute(f"select {key} from {mart}").fetchall()
        )
    assert sorted(row[key] for row in rows) == keys
