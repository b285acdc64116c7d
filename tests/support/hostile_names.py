"""A drop whose free text is hostile: markup, formulas, markdown, a very long word, bidi controls.

The minimal drop (tests/fixtures/minimal_drop) with every kind of name that reaches the record
(organisation, systems, activities, vendors, customers, retention wording, taxonomy names)
replaced by a string that would be live somewhere: reportlab Paragraph markup in the PDF, a
formula in a spreadsheet, markdown or HTML in the dashboard. Keys stay keys. The pack and
dashboard tests assert that each shows up as the text it is, and that none of them is live.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from commands.cli import main as ropa
from tests.conftest import AS_OF, MINIMAL_DROP

EVIL_HOST = "evil.example"

ORGANISATION = "<b>Acme unclosed & Co"
PORTAL_SYSTEM = '<img src="/etc/passwd"> Account portal'
CHAT_SYSTEM = f"**bold** # heading ![img](https://{EVIL_HOST}/x.png)"
# One word of 2,000 characters, no space to wrap it at, in a heading and the contents page.
PORTAL_ACTIVITY = "Provide" + "x" * 1989 + "long"
CHAT_ACTIVITY = f'<link href="https://{EVIL_HOST}">click</link> Chat for customers'
DEPARTMENT = "# Heading department"
SECURITY = '<a href="javascript:alert(1)">x</a> Encryption at rest'
RETENTION_WORDING = f"![tracker](https://{EVIL_HOST}/pixel.png) one year"
VENDOR = f'=HYPERLINK("https://{EVIL_HOST}","x")'
DPO = "[click me](javascript:alert(1)) Dana DPO"
# U+202E RIGHT-TO-LEFT OVERRIDE: the rest of the name displays reversed.
HOTEL_CUSTOMER = "Hotel \u202eoC letoH"
SHOP_CUSTOMER = "## Shop <u>Co</u>"
RULE_BASIS = f'<a href="https://{EVIL_HOST}">basis</a> one year'
DATA_SUBJECT = "<font color=red>Consumer</font>"

# Every hostile name above, each a text that must be shown literally wherever it is shown.
HOSTILE_NAMES: tuple[str, ...] = (
    ORGANISATION,
    PORTAL_SYSTEM,
    CHAT_SYSTEM,
    PORTAL_ACTIVITY,
    CHAT_ACTIVITY,
    DEPARTMENT,
    SECURITY,
    RETENTION_WORDING,
    VENDOR,
    DPO,
    HOTEL_CUSTOMER,
    SHOP_CUSTOMER,
    RULE_BASIS,
    DATA_SUBJECT,
)


def write_hostile_drop(target: Path) -> Path:
    """A copy of the minimal drop at `target` with the hostile names in it."""
    shutil.copytree(MINIMAL_DROP, target)
    register = target / "register"
    _edit_yaml(register / "organization.yml", _organisation)
    _edit_yaml(register / "systems" / "portal.yml", _systems)
    _edit_yaml(register / "retention.yml", _retention)
    _edit_yaml(register / "taxonomy.yml", _taxonomy)
    _edit_csv(target / "vendors.csv", "vendor_key", {"cloudhost": {"legal_name": VENDOR}})
    _edit_csv(target / "customers.csv", "customer_key", {
        "hotel_co": {"legal_name": HOTEL_CUSTOMER}, "shop_co": {"legal_name": SHOP_CUSTOMER},
    })  # fmt: skip
    return target


def _organisation(document: dict[str, Any]) -> None:
    organisation = document["organization"][0]
    organisation["name"] = ORGANISATION
    organisation["controller"]["name"] = ORGANISATION
    organisation["data_protection_officer"]["name"] = DPO


def _systems(document: dict[str, Any]) -> None:
    portal, chat = document["system"]
    portal["name"] = PORTAL_SYSTEM
    portal["administrating_department"] = DEPARTMENT
    portal["data_security_practices"] = SECURITY
    portal["privacy_declarations"][0]["name"] = PORTAL_ACTIVITY
    portal["privacy_declarations"][0]["retention_period"] = RETENTION_WORDING
    chat["name"] = CHAT_SYSTEM
    chat["privacy_declarations"][0]["name"] = CHAT_ACTIVITY


def _retention(document: dict[str, Any]) -> None:
    document["rules"][0]["basis"] = RULE_BASIS


def _taxonomy(document: dict[str, Any]) -> None:
    document["data_subject"][0]["name"] = DATA_SUBJECT


def _edit_yaml(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


def _edit_csv(path: Path, key: str, changes: dict[str, dict[str, str]]) -> None:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        row.update(changes.get(row[key], {}))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


_built: dict[str, Path] = {}


def hostile_names_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile drop run through `ropa run` (which writes its nightly pack too), once per test
    session: the pack tests and the dashboard's browser test read the same warehouse."""
    if "warehouse" not in _built:
        base = tmp_path_factory.mktemp("hostile-names")
        drop, warehouse = write_hostile_drop(base / "drop"), base / "warehouse"
        run = ["run", "--exports", str(drop), "--warehouse", str(warehouse), "--as-of", AS_OF]
        assert ropa(run) == 0
        _built["warehouse"] = warehouse
    return _built["warehouse"]
