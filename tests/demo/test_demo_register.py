"""The register of the demo drop is valid fideslang and uses only known taxonomy keys."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.models import (
    Dataset,
    DataSubject,
    DataUse,
    Organization,
    PrivacyDeclaration,
    System,
)


def load(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def systems(root: Path) -> list[System]:
    return [
        System.model_validate(resource)
        for path in sorted((root / "register" / "systems").glob("*.yml"))
        for resource in load(path)["system"]
    ]


def plain(value: Any) -> str:
    """fideslang keeps some enums as members and some as their values."""
    return str(getattr(value, "value", value))


def known_keys(root: Path, kind: str) -> set[str]:
    default = {term.fides_key for term in getattr(DEFAULT_TAXONOMY, kind)}
    custom = {term["fides_key"] for term in load(root / "register" / "taxonomy.yml").get(kind, [])}
    return default | custom


def test_organization_names_controller_dpo_and_representative(demo_drop: Any) -> None:
    resources = load(demo_drop.root / "register" / "organization.yml")["organization"]
    assert len(resources) == 1
    organization = Organization.model_validate(resources[0])
    for contact in (
        organization.controller,
        organization.data_protection_officer,
        organization.representative,
    ):
        assert contact is not None
        assert contact.name and contact.address and contact.email and contact.phone
    assert organization.controller is not None and "Canada" in organization.controller.address
    assert organization.security_policy is not None


def test_custom_taxonomy_validates(demo_drop: Any) -> None:
    taxonomy = load(demo_drop.root / "register" / "taxonomy.yml")
    subjects = [DataSubject.model_validate(term) for term in taxonomy["data_subject"]]
    uses = [DataUse.model_validate(term) for term in taxonomy.get("data_use", [])]
    assert "consumer" in {subject.fides_key for subject in subjects}
    assert all(use.parent_key in known_keys(demo_drop.root, "data_use") for use in uses)


def test_systems_and_datasets_validate_and_resolve(demo_drop: Any) -> None:
    root = demo_drop.root
    loaded = systems(root)
    datasets = {
        Dataset.model_validate(resource).fides_key
        for path in sorted((root / "register" / "datasets").glob("*.yml"))
        for resource in load(path)["dataset"]
    }
    assert len(loaded) >= 11
    for system in loaded:
        assert set(system.dataset_references) <= datasets
        assert system.privacy_declarations, system.fides_key
        assert system.data_security_practices
    roles = {system.fides_key: {plain(r) for r in system.responsibility} for system in loaded}
    for product in ("live_chat", "ticketing", "email_marketing"):
        assert roles[product] == {"Processor", "Controller"}


def test_activity_keys_are_unique(demo_drop: Any) -> None:
    keys = Counter(
        f"{system.fides_key}:{declaration.data_use}"
        for system in systems(demo_drop.root)
        for declaration in system.privacy_declarations
    )
    assert [key for key, n in keys.items() if n > 1] == []


def test_every_policy_lawful_basis_is_used(demo_drop: Any) -> None:
    bases = {
        declaration.legal_basis_for_processing
        for system in systems(demo_drop.root)
        for declaration in system.privacy_declarations
    }
    assert {"Contract", "Legal obligations", "Legitimate interests", "Consent"} <= {
        plain(basis) for basis in bases if basis is not None
    }


def test_every_taxonomy_key_used_exists(demo_drop: Any) -> None:
    root = demo_drop.root
    categories = known_keys(root, "data_category")
    uses = known_keys(root, "data_use")
    subjects = known_keys(root, "data_subject")
    declarations: list[PrivacyDeclaration] = [
        d for system in systems(root) for d in system.privacy_declarations
    ]
    used_categories = {c for d in declarations for c in d.data_categories}
    used_categories |= {
        c
        for system in systems(root)
        for flow in system.egress or []
        for c in flow.data_categories or []
    }
    for path in (root / "register" / "datasets").glob("*.yml"):
        for dataset in load(path)["dataset"]:
            for collection in dataset["collections"]:
                for field in collection["fields"]:
                    used_categories |= set(field.get("data_categories", []))
    assert used_categories - categories == set()
    assert {d.data_use for d in declarations} - uses == set()
    used_subjects = {s for d in declarations for s in d.data_subjects}
    used_subjects |= {
        rule["data_subject"]
        for rule in load(root / "register" / "retention.yml")["rules"]
        if "data_subject" in rule
    }
    with (root / "privacy_requests.csv").open(encoding="utf-8") as handle:
        used_subjects |= {row["data_subject"] for row in csv.DictReader(handle)}
    assert used_subjects - subjects == set()


def test_retention_rules_name_known_systems_once(demo_drop: Any) -> None:
    rules = load(demo_drop.root / "register" / "retention.yml")["rules"]
    system_keys = {system.fides_key for system in systems(demo_drop.root)}
    assert {rule["system"] for rule in rules} <= system_keys
    pairs = Counter((rule["system"], rule["record_type"]) for rule in rules)
    assert max(pairs.values()) == 1
    assert len({rule["key"] for rule in rules}) == len(rules)


def test_processor_activities_name_declarations_of_dual_role_systems(demo_drop: Any) -> None:
    """meta.processor_activities entries are `<data_use>` or `<data_use>#<slug of the name>`."""
    listed: dict[str, list[str]] = {}
    for system in systems(demo_drop.root):
        entries = (system.meta or {}).get("processor_activities")
        if entries is None:
            continue
        listed[system.fides_key] = entries
        names = {d.data_use for d in system.privacy_declarations} | {
            f"{d.data_use}#{re.sub(r'[^a-z0-9]+', '-', (d.name or '').lower()).strip('-')}"
            for d in system.privacy_declarations
        }
        assert set(entries) <= names, system.fides_key
    # two of the three dual-role products list them; email_marketing is planted without
    assert set(listed) == {"live_chat", "ticketing"}
    assert any("#" in entry for entries in listed.values() for entry in entries)
