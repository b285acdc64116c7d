"""processor/<customer_key>.pdf and .xlsx: each customer's Art. 30(2) record, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipelines.lib.warehouse import read_only_connection
from pipelines.pack import PackResult
from tests.pack.pack_files import pdf_text, readable_text, words

pytestmark = pytest.mark.slow


def _customers(warehouse: Path) -> dict[str, str]:
    """customer_key → name of every customer that uses a processor system."""
    with read_only_connection(warehouse) as connection:
        rows = connection.execute(
            "select distinct customer_key, customer_name from marts.ropa_processor"
        ).fetchall()
    return {str(key): str(name) for key, name in rows}


def test_one_pdf_and_one_xlsx_per_customer_of_a_processor_system(
    demo_pack: PackResult, demo_warehouse: Path
) -> None:
    customers = _customers(demo_warehouse)
    assert len(customers) > 1
    files = {path.name for path in (demo_pack.path / "processor").iterdir()}
    assert files == {f"{key}.{suffix}" for key in customers for suffix in ("pdf", "xlsx")}


def test_each_file_names_only_its_customer(demo_pack: PackResult, demo_warehouse: Path) -> None:
    customers = _customers(demo_warehouse)
    with read_only_connection(demo_warehouse) as connection:
        all_names = {
            str(name): str(key)
            for key, name in connection.execute(
                "select customer_key, legal_name from raw.customers"
            ).fetchall()
        }
    for key, name in customers.items():
        # Another customer's name that is not part of this one's (as "Shop" is of "Shop Co").
        others = [other for other, other_key in all_names.items() if other_key != key
                  and words(other) not in words(name)]  # fmt: skip
        for suffix in ("pdf", "xlsx"):
            text = words(readable_text(demo_pack.path / "processor" / f"{key}.{suffix}"))
            assert words(name) in text, (key, suffix)
            named = [other for other in others if words(other) in text]
            assert named == [], (key, suffix)


def test_customer_record_has_the_processor_and_customer_contacts_and_its_rows(
    demo_pack: PackResult, demo_warehouse: Path
) -> None:
    # The regulator's ropa.json holds no customer key; the file name does (`customer_file_stem`).
    processor = json.loads((demo_pack.path / "ropa.json").read_text())["processor_activities"]
    name = processor[0]["customer_name"]
    rows = [row for row in processor if row["customer_name"] == name]
    (key,) = [key for key, other in _customers(demo_warehouse).items() if other == name]
    sheet = load_workbook(demo_pack.path / "processor" / f"{key}.xlsx")["Processor"]
    cells = [value for row in sheet.iter_rows(values_only=True) for value in row if value]
    first = rows[0]
    for value in (first["processor_name"], first["dpo_name"], first["dpo_email"],
                  first["customer_name"]):  # fmt: skip
        assert value in cells
    if first["customer_contact_email"]:
        assert first["customer_contact_email"] in cells
    header_row = int(sheet[sheet.freeze_panes].row) - 1
    data = [row for row in sheet.iter_rows(min_row=header_row + 1, values_only=True) if any(row)]
    assert len(data) == len(rows)
    assert sheet.page_setup.orientation == "landscape"
    text = "".join(pdf_text(demo_pack.path / "processor" / f"{key}.pdf", raw=True).split())
    assert "".join(str(first["processor_name"]).split()) in text and "Art.30(2)" in text
    for row in rows:  # table cells wrap: compared without whitespace
        assert "".join(str(row["system_name"]).split()) in text
