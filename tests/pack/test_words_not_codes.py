"""The regulator's copy holds words, never codes (outputs.md, "Written for a regulator").

Every cell of every sheet of every workbook (ropa.xlsx and processor/*.xlsx), every line of every
PDF's text, every field of the CSVs and every string of ropa.json and changes.json is scanned for:

- a key of the drop: the fides_keys of its systems, datasets and organisation (read from the
  register's YAML), the vendor keys (vendors.csv), the customer keys (customers.csv), the
  activity keys `<system>:<data use>` (the privacy declarations) and the retention rules' keys
  (register/retention.yml);
- an ISO 8601 duration (`P1Y`, `P90D`, `PT1H`...);
- a bare country code: a cell that is exactly two capital letters, or one of the drop's country
  codes (vendors.csv, customers.csv) anywhere but as the `(CODE)` after a country's name
  ("United States (US)").

A key is found in a cell when it is the whole cell, or when it stands as a whole token (not part
of a longer name, path or host) and has the shape of a key: it holds `_`, `.`, `:` or `-`. So
the system `billing` is found in a cell "billing", never in "Billing" or "billing records", while
`live_chat`, `account_portal:essential.legal_obligation` or `crm-default` are found wherever they
stand. Links and email addresses are left out before the search: a DPIA's URL may well end in
`/dpia/account_portal`, and that is where the register keeps the document, not a key shown as a
value. A PDF has no cells, and its narrow columns wrap words (even "EEA" over two lines), so
each line of its text (in drawing order) is searched for the key-shaped keys, the durations and
the drop's country codes outside `(CODE)` only: a line that is "webinars" (of "Run webinars and
events") or "ID" (of "Cookie ID") is a wrapped word, not a cell.

The file names `processor/<customer_key>.xlsx|.pdf` keep the customer key: a file name, not a
cell. The internal copy still holds the keys, and it is checked that it does.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from pipelines.pack import PackResult
from tests.conftest import DemoDrop
from tests.pack.pack_files import pdf_text

pytestmark = pytest.mark.slow

ISO_DURATION = re.compile(r"\bP(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?\b")
_LINK_OR_EMAIL = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_KEYISH = re.compile(r"[_.:-]")
_TWO_CAPITALS = re.compile(r"[A-Z]{2}")


def _fides_keys(path: Path) -> set[str]:
    """Every `fides_key` in one register YAML file, at any depth."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if name == "fides_key" and isinstance(value, str):
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _csv_column(path: Path, column: str) -> set[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row[column] for row in csv.DictReader(handle) if row.get(column)}


def _activity_keys(path: Path) -> set[str]:
    keys: set[str] = set()
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for system in document.get("system") or []:
        for declaration in system.get("privacy_declarations") or []:
            if declaration.get("data_use"):
                keys.add(f"{system['fides_key']}:{declaration['data_use']}")
    return keys


def drop_keys(root: Path) -> dict[str, set[str]]:
    """kind → the drop's keys of that kind, from the drop's own files (not from the marts)."""
    register = root / "register"
    systems = sorted((register / "systems").rglob("*.yml"))
    retention = yaml.safe_load((register / "retention.yml").read_text(encoding="utf-8"))
    system_keys: set[str] = set()
    for path in systems:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        system_keys |= {str(system["fides_key"]) for system in document.get("system") or []}
    return {
        "system": system_keys,
        "dataset": set().union(
            *(_fides_keys(path) for path in sorted((register / "datasets").rglob("*.yml")))
        ),
        "organization": _fides_keys(register / "organization.yml"),
        "vendor": _csv_column(root / "vendors.csv", "vendor_key"),
        "customer": _csv_column(root / "customers.csv", "customer_key"),
        "activity": set().union(*(_activity_keys(path) for path in systems)),
        "rule": {str(rule["key"]) for rule in retention["rules"]},
    }


def country_codes(root: Path) -> set[str]:
    return _csv_column(root / "vendors.csv", "country") | _csv_column(
        root / "customers.csv", "country"
    )


def _key_found(key: str, cell: str, whole_cell: bool) -> bool:
    if whole_cell and cell.strip() == key:
        return True
    if not _KEYISH.search(key):
        return False
    text = _LINK_OR_EMAIL.sub(" ", cell)
    # A whole token: not inside a longer name; a sentence's full stop may follow it.
    return re.search(rf"(?<![\w.:/-]){re.escape(key)}(?![\w:/-]|\.\w)", text) is not None


def _bare_codes(cell: str, codes: set[str], whole_cell: bool) -> list[str]:
    if whole_cell and _TWO_CAPITALS.fullmatch(cell.strip()):
        return [cell.strip()]
    text = _LINK_OR_EMAIL.sub(" ", cell)
    return [
        match.group(0)
        for match in re.finditer(r"(?<![\w(])([A-Z]{2})(?!\w)|\(([A-Z]{2})\)(?!\w)", text)
        if (match.group(1) or match.group(2)) in codes and match.group(1)
    ]


def problems(
    cell: str, keys: dict[str, set[str]], codes: set[str], whole_cell: bool = True
) -> list[str]:
    """What makes one cell (or, not `whole_cell`, one line of a PDF) a code rather than words:
    `kind: value` for each."""
    found = [
        f"{kind} key: {key}"
        for kind, values in keys.items()
        for key in sorted(values)
        if _key_found(key, cell, whole_cell)
    ]
    found += [f"ISO duration: {match.group(0)}" for match in ISO_DURATION.finditer(cell)]
    found += [f"bare country code: {code}" for code in _bare_codes(cell, codes, whole_cell)]
    return found


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def pack_cells(pack: Path) -> Iterator[tuple[str, str, bool]]:
    """(where, text, whether it is a whole cell) of every cell of the pack's workbooks, CSVs
    and JSON documents, and of every line of its PDFs."""
    for path in sorted(pack.rglob("*")):
        name = path.relative_to(pack).as_posix()
        if path.suffix == ".xlsx":
            workbook = load_workbook(path, read_only=True)
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    for value in row:
                        if value is not None:
                            yield f"{name} / {sheet.title}", str(value), True
            workbook.close()
        elif path.suffix == ".pdf":
            for line in pdf_text(path, raw=True).splitlines():
                if line.strip():
                    yield name, line, False
        elif path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                for row in csv.reader(handle):
                    for value in row:
                        yield name, value, True
        elif path.name in ("ropa.json", "changes.json"):
            for value in _strings(json.loads(path.read_text(encoding="utf-8"))):
                yield name, value, True


def test_the_scan_finds_codes_and_lets_words_pass() -> None:
    keys = {
        "system": {"billing", "live_chat"},
        "activity": {"live_chat:essential.service"},
        "rule": {"crm-default"},
    }
    codes = {"US", "CA"}
    assert problems("billing", keys, codes) == ["system key: billing"]
    assert problems("Billing records of the billing team", keys, codes) == []
    assert problems("Sent from live_chat.", keys, codes) == ["system key: live_chat"]
    assert problems("Live Chat (live_chat:essential.service)", keys, codes) == [
        "activity key: live_chat:essential.service"
    ]
    assert problems("rule crm-default applies", keys, codes) == ["rule key: crm-default"]
    assert (
        problems("https://wiki.example/dpia/live_chat and dpo@live_chat.example", keys, codes) == []
    )
    assert problems("kept P1Y after closed_at", keys, codes) == ["ISO duration: P1Y"]
    assert problems("kept 1 year, then P90D", keys, codes) == ["ISO duration: P90D"]
    assert problems("US", keys, codes) == ["bare country code: US"]
    assert problems("DE", keys, codes) == ["bare country code: DE"]
    assert problems("Google LLC (processor, US)", keys, codes) == ["bare country code: US"]
    assert problems("Google LLC (processor, United States (US)); Canada (CA)", keys, codes) == []
    assert problems("Talkwell EU Representative Ltd., Vancouver, BC", keys, codes) == []
    # A line of a PDF: a wrapped word is no cell.
    assert problems("billing", keys, codes, whole_cell=False) == []
    assert problems("ID", keys, codes, whole_cell=False) == []
    assert problems("US", keys, codes, whole_cell=False) == ["bare country code: US"]
    assert problems("(US)", keys, codes, whole_cell=False) == []


def test_regulator_copy_holds_no_key_iso_duration_or_bare_country_code(
    demo_pack: PackResult, demo_drop: DemoDrop
) -> None:
    keys = drop_keys(demo_drop.root)
    assert all(keys.values()), keys
    codes = country_codes(demo_drop.root)
    cells = list(pack_cells(demo_pack.path))
    scanned = {where.split(" / ")[0] for where, _, _ in cells}
    assert {"ropa.xlsx", "ropa.pdf", "controller.csv", "processor.csv", "ropa.json"} <= scanned
    assert any(name.startswith("processor/") for name in scanned)
    assert {where for where, _, _ in cells if where.startswith("ropa.xlsx / ")} >= {
        "ropa.xlsx / Controller",
        "ropa.xlsx / Recipients",
        "ropa.xlsx / Transfers",
        "ropa.xlsx / Retention schedule",
    }
    found = sorted(
        {
            (where, problem, cell[:120])
            for where, cell, whole in cells
            for problem in problems(cell, keys, codes, whole)
        }
    )
    assert found == [], "\n".join(" | ".join(item) for item in found[:40])


def test_regulator_copy_names_countries_and_rules_in_words(demo_pack: PackResult) -> None:
    ropa = json.loads((demo_pack.path / "ropa.json").read_text(encoding="utf-8"))
    assert ropa["schema_version"] == 3
    recipient = ropa["recipients"][0]
    assert "vendor_key" not in recipient and "country" not in recipient
    assert re.fullmatch(r".+ \([A-Z]{2}\)", recipient["country_label"])
    assert recipient["role_name"] and recipient["recipient_category_name"]
    rule = ropa["retention_schedule"][0]
    assert "rule_key" not in rule and "period_source" not in rule
    assert rule["rule_text"] and "kept for" in rule["rule_text"]
    assert "organization_key" not in ropa["organization"]
    for activity in ropa["processor_activities"]:
        assert "customer_key" not in activity and "activity_key" not in activity


def test_internal_copy_still_holds_the_keys(internal_pack: PackResult, demo_drop: DemoDrop) -> None:
    keys = drop_keys(demo_drop.root)
    codes = country_codes(demo_drop.root)
    ropa = json.loads((internal_pack.path / "ropa.json").read_text(encoding="utf-8"))
    assert ropa["controller_activities"][0]["activity_key"] in keys["activity"]
    assert {row["rule_key"] for row in ropa["retention_schedule"]} <= keys["rule"]
    assert {row["country"] for row in ropa["recipients"]} <= codes
    assert {row["customer_key"] for row in ropa["processor_activities"]} <= keys["customer"]
    workbook = load_workbook(internal_pack.path / "ropa.xlsx", read_only=True)
    cells = {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    workbook.close()
    assert cells & keys["activity"] and cells & keys["rule"] and cells & keys["vendor"]
