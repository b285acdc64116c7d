"""The dashboard's queries over the demo warehouse: they show what dbt decided, the way the audit
decided it, and they only select from the marts."""

from __future__ import annotations

import ast
import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from commands.cli import main as ropa
from dashboards import art30, queries

Page = Callable[[str], AppTest]

# What a query may not do: shaping belongs in dbt (dbt_project/models/marts/reports/).
SHAPING = re.compile(
    r"\b(case\s+when|group\s+by|join|union|filter\s*\(|over\s*\(|having|distinct)\b", re.I
)
TABLE = re.compile(r"\b(?:from|join)\s+([a-z_]+)\.([a-z_]+)", re.I)


def findings_of(warehouse: Path, capsys: pytest.CaptureFixture[str], check: str) -> set[str]:
    """The `vendor` subjects of one check, as `ropa findings --format json` reports them."""
    capsys.readouterr()
    assert ropa(["findings", "--warehouse", str(warehouse), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    return {finding["subject"]["vendor"] for finding in document["findings"]
            if finding["check"] == check}  # fmt: skip


def test_dpa_missing_vendors_are_the_vendor_dpa_missing_findings(
    demo_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vendors = queries.recipients(demo_warehouse)
    missing = set(vendors[vendors["dpa_status"] == "missing"]["vendor_key"])
    assert missing == findings_of(demo_warehouse, capsys, "vendor.dpa_missing")
    # an independent controller, a public authority or a vendor receiving nothing needs no DPA
    not_required = vendors[vendors["dpa_status"] == "not required"]
    assert len(not_required) > 0
    assert all(
        role not in ("processor", "sub_processor") or not receives
        for role, receives in zip(not_required["role"], not_required["receives_data"], strict=True)
    )


def test_dpa_expired_vendors_are_the_vendor_dpa_expired_findings(
    demo_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vendors = queries.recipients(demo_warehouse)
    expired = set(vendors[vendors["dpa_status"] == "expired"]["vendor_key"])
    # a vendor whose DPA is missing and also expired shows as missing
    assert expired <= findings_of(demo_warehouse, capsys, "vendor.dpa_expired")
    assert expired


def test_recipients_page_marks_dpa_missing_exactly_the_findings(
    on_page: Page, demo_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = on_page("recipients").dataframe[0].value
    vendors = queries.recipients(demo_warehouse).set_index("legal_name")
    marked = {vendors.loc[name, "vendor_key"]
              for name, status in zip(shown["legal_name"], shown["dpa_status"], strict=True)
              if status == "missing"}  # fmt: skip
    assert marked == findings_of(demo_warehouse, capsys, "vendor.dpa_missing")


def _query_texts() -> list[str]:
    """Every SQL string literal of dashboards/queries.py."""
    tree = ast.parse(inspect.getsource(queries))
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.search(r"\bselect\b", node.value, re.I):
                texts.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            texts.append("".join(
                part.value for part in node.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            ))  # fmt: skip
    return [text for text in texts if re.search(r"\bselect\b", text, re.I)]


def test_queries_only_select_from_marts() -> None:
    texts = _query_texts()
    assert len(texts) > 10
    for sql in texts:
        assert not SHAPING.search(sql), f"shaping SQL belongs in a dbt report model:\n{sql}"
        for schema, _ in TABLE.findall(sql):
            if schema != "information_schema":
                assert schema == "marts", f"the dashboard reads only marts:\n{sql}"


def test_every_field_of_the_detail_has_the_pack_schema_title() -> None:
    for definition, sections in (
        (art30.CONTROLLER, art30.controller_sections()),
        (art30.PROCESSOR, art30.processor_sections()),
    ):
        titles = art30.labels(definition)
        for _, fields in sections:
            for column, label in fields:
                assert label == titles[column]
