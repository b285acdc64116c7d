"""The demo models the reference policy's practices, not just the minimum of each file."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_requests_cover_every_type_with_extended_and_open_ones(demo_drop: Any) -> None:
    requests = rows(demo_drop.root / "privacy_requests.csv")
    assert {r["request_type"] for r in requests} == {
        "access",
        "erasure",
        "rectification",
        "restriction",
        "portability",
        "objection",
        "unsubscribe",
        "withdraw_consent",
    }
    assert any(r["extended"] == "true" for r in requests)
    assert any(r["completed_at"] == "" for r in requests)


def test_vendors_span_roles_countries_and_mechanisms(demo_drop: Any) -> None:
    vendors = rows(demo_drop.root / "vendors.csv")
    assert {"CA", "US", "DE", "IE", "IN", "CH", "JP", "BR"} <= {v["country"] for v in vendors}
    assert {v["role"] for v in vendors} >= {
        "processor",
        "sub_processor",
        "independent_controller",
        "public_authority",
    }
    assert {"", "adequacy", "scc", "bcr", "derogation"} <= {
        v["transfer_mechanism"] for v in vendors
    }


def test_customers_have_own_retention_some_empty(demo_drop: Any) -> None:
    settings = [c["retention_days"] for c in rows(demo_drop.root / "customers.csv")]
    assert "" in settings and any(settings)


def test_policy_encodes_the_published_commitments(demo_drop: Any) -> None:
    register = demo_drop.root / "register"
    policy = yaml.safe_load((register / "policy.yml").read_text())["policy"]
    assert policy["commitments"] == {
        "rights_request_days": 30,
        "extension_days": 60,
        "unsubscribe_business_days": 10,
        "minimum_age": 16,
        "processes_special_category_data": False,
    }
    assert policy["retention"] == [{"data_subject": "customer", "max_period": "P1Y"}]
    rules = yaml.safe_load((register / "retention.yml").read_text())["rules"]
    users = next(rule for rule in rules if rule["record_type"] == "user_account")
    assert (users["anchor"], users["period"]) == (["closed_at", "last_activity_at"], "P1Y")


def test_a_records_folder_outside_the_register(demo_drop: Any) -> None:
    folders = {p.name for p in (demo_drop.root / "records").iterdir()}
    systems = {p.stem for p in (demo_drop.root / "register" / "systems").glob("*.yml")}
    # the pilot without customers and the product of a terminated customer hold no records
    assert systems - {"video_calls", "cobrowse"} <= folders
    assert folders - systems == {"legacy_chat_archive"}
