"""The record of processing, checked against the demo drop's register YAML (not the marts).

Written from exports.md ("Role of each activity", "Recipients of an activity") and outputs.md
("Controller record", "Processor record"): the expected sets are read from the register files
with this module's own reading of the spec, then compared with what the marts hold.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from pipelines.lib.warehouse import read_only_connection
from tests.conftest import DemoDrop


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _systems(drop: Path) -> list[dict[str, Any]]:
    systems: list[dict[str, Any]] = []
    for path in sorted((drop / "register" / "systems").glob("*.yml")):
        systems.extend(yaml.safe_load(path.read_text(encoding="utf-8")).get("system", []))
    return systems


def _activities(system: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(activity key, `data_use` or `data_use#slug` entry, declaration) of one system."""
    declarations = system.get("privacy_declarations") or []
    uses = Counter(d["data_use"] for d in declarations)
    out = []
    for declaration in declarations:
        use = declaration["data_use"]
        entry = use if uses[use] == 1 else f"{use}#{_slug(declaration['name'])}"
        out.append((f"{system['fides_key']}:{entry}", entry, declaration))
    return out


def _roles(drop: Path) -> tuple[set[str], set[str]]:
    """(the organisation's own activities, activities done for customers), from the register."""
    own: set[str] = set()
    for_customers: set[str] = set()
    for system in _systems(drop):
        responsibility = set(system.get("responsibility") or ["Controller"])
        controller, processor = "Controller" in responsibility, "Processor" in responsibility
        listed = (system.get("meta") or {}).get("processor_activities")
        for key, _, declaration in _activities(system):
            # an entry names every declaration of a use, or one by `<data_use>#<slug of name>`
            use = declaration["data_use"]
            entries = {use, f"{use}#{_slug(declaration['name'])}"}
            named = listed is not None and bool(entries & set(listed))
            if controller and processor and listed is not None:
                (for_customers if named else own).add(key)
            else:
                if controller:
                    own.add(key)
                if processor:
                    for_customers.add(key)
    return own, for_customers


def _marts(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with read_only_connection(warehouse) as connection:
        return connection.execute(sql).fetchall()


def test_controller_record_holds_only_the_organisations_own_activities(
    demo_drop: DemoDrop, demo_warehouse: Path
) -> None:
    own, for_customers = _roles(demo_drop.root)
    controller = {
        key for (key,) in _marts(demo_warehouse, "select activity_key from marts.ropa_controller")
    }
    ambiguous = own & for_customers  # dual role without meta.processor_activities: in both
    assert not (controller & (for_customers - ambiguous)), "an activity done for customers"
    assert controller == own


def test_processor_record_never_holds_the_organisations_own_purposes(
    demo_drop: DemoDrop, demo_warehouse: Path
) -> None:
    own, for_customers = _roles(demo_drop.root)
    processor = {
        key for (key,) in _marts(demo_warehouse, "select activity_key from marts.ropa_processor")
    }
    ambiguous = own & for_customers
    assert processor, "the demo has customers of processor systems"
    assert not (processor & (own - ambiguous)), "one of the organisation's own purposes"
    assert processor <= for_customers


def _parents(drop: Path) -> dict[str, str]:
    parents: dict[str, str] = {}
    taxonomy = yaml.safe_load((drop / "register" / "taxonomy.yml").read_text(encoding="utf-8"))
    for term in taxonomy.get("data_category") or []:
        if term.get("parent_key"):
            parents[term["fides_key"]] = term["parent_key"]
    return parents


def _lineage(category: str, parents: dict[str, str]) -> set[str]:
    """The category and every category above it: fideslang keys are dotted paths; custom terms
    name their parent."""
    seen = {category}
    frontier = [category]
    while frontier:
        current = frontier.pop()
        above = {parents[current]} if current in parents else set()
        if "." in current:
            above.add(current.rsplit(".", 1)[0])
        for key in above - seen:
            seen.add(key)
            frontier.append(key)
    return seen


def _related(a: str, b: str, parents: dict[str, str]) -> bool:
    return a in _lineage(b, parents) or b in _lineage(a, parents)


def _names(drop: Path) -> dict[str, str]:
    with (drop / "vendors.csv").open(encoding="utf-8", newline="") as handle:
        names = {row["vendor_key"]: row["legal_name"] for row in csv.DictReader(handle)}
    for system in _systems(drop):
        names.setdefault(system["fides_key"], system["name"])
    return names


def _listed(cell: str | None, name: str) -> bool:
    return any(item.startswith(f"{name} (") for item in (cell or "").split("; "))


def test_no_activity_lists_a_recipient_of_none_of_its_categories(
    demo_drop: DemoDrop, demo_warehouse: Path
) -> None:
    parents, names = _parents(demo_drop.root), _names(demo_drop.root)
    shown = dict(
        _marts(demo_warehouse, "select activity_key, recipients from marts.ropa_controller")
    )
    checked = excluded = 0
    for system in _systems(demo_drop.root):
        for key, _, declaration in _activities(system):
            if key not in shown:
                continue
            categories = declaration.get("data_categories") or []
            for flow in system.get("egress") or []:
                carried = flow.get("data_categories")
                receives = carried is None or any(
                    _related(c, a, parents) for c in carried for a in categories
                )
                name = names.get(flow["fides_key"], flow["fides_key"].replace("_", " "))
                assert _listed(shown[key], name) == receives, (key, name, shown[key])
                checked += 1
                excluded += not receives
    assert checked and excluded, "the demo has flows outside some activity's categories"


def test_payment_fraud_does_not_list_the_tax_authority(demo_warehouse: Path) -> None:
    # the issue's own example: that flow carries none of the activity's categories
    (recipients,) = _marts(
        demo_warehouse,
        "select recipients from marts.ropa_controller where activity_name = 'Detect payment fraud'",
    )[0]
    assert "Canada Revenue Agency" not in recipients
    assert "Stripe Payments Europe" in recipients


def test_text_columns_hold_words_not_codes(demo_warehouse: Path) -> None:
    """outputs.md, "Written for a regulator": no ISO duration, no rule key, countries by name
    with their code, Art. 6 bases with their article."""
    rows = _marts(
        demo_warehouse,
        "select lawful_basis, third_countries, retention_rules, rights_available"
        " from marts.ropa_controller",
    )
    rule_keys = {
        k for (k,) in _marts(demo_warehouse, "select rule_key from marts.retention_schedule")
    }
    assert rows
    for basis, countries, rules, rights in rows:
        assert basis is None or basis.startswith("Art. 6(1)("), basis
        for country in (countries or "").split("; "):
            assert not country or re.fullmatch(r"[A-Z][^()]+ \([A-Z]{2}\)", country), country
        assert not re.search(r"\bP(\d+[YMWD])+\b", rules or ""), rules
        assert not any(key in (rules or "") for key in rule_keys), rules
        assert rights.startswith("Access, rectification"), rights
