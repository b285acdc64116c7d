"""Manifests written for fideslang before 3.0: their record facts, read as the current fields.

fideslang 3.0 removed the deprecated fields of `System` and `Dataset` and the data qualifier
(its CHANGELOG, #186); its models silently ignore them. Before a resource is validated, each
such field is found in the raw YAML, its fact copied to the current field that replaced it
(unless the resource sets that field itself: the current field wins), and one row per
(file, resource, field) is kept for the finding `register.legacy_fields`.

Mapping, from fideslang 2.2.2's models (the last before 3.0):

- system `data_responsibility_title` (one of Controller, Processor, Sub-Processor) ->
  `responsibility: [<title>]`;
- system `data_protection_impact_assessment: {is_required, progress, link}` ->
  `requires_data_protection_assessments`, `dpa_progress`, `dpa_location`;
- system `joint_controller` (a contact: name, address, email, phone) -> `joint_controller_info`
  (the contact's parts as one line of text);
- system and dataset `third_country_transfers` (country codes), dataset `joint_controller`,
  dataset / collection / field `retention` (text): no 3.x field holds them; the value is kept
  in the row (`legacy_value`) so the fact is not dropped;
- `data_qualifier` (dataset, collection, field, privacy declaration): no fact of the record.

A field below the resource's top level is named by its path (`privacy_declarations.data_qualifier`,
`collections.fields.retention`) and counts once for the resource however many entries hold it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipelines.load.errors import DropError
from pipelines.load.yaml_source import LINE_KEY

RESPONSIBILITIES = ("Controller", "Processor", "Sub-Processor")
DPIA_FIELDS = {
    "is_required": "requires_data_protection_assessments",
    "progress": "dpa_progress",
    "link": "dpa_location",
}
CONTACT_PARTS = ("name", "address", "email", "phone")


@dataclass(frozen=True)
class LegacyField:
    field_name: str  # path below the resource, `.`-separated
    read_as: str | None  # the current field(s) it is read as; None when 3.x has no equivalent
    legacy_value: str | None  # the value as text (distinct values `; `-joined for nested paths)

    def row(self, resource_type: str, resource_key: str, relative: str) -> dict[str, object]:
        return {
            "resource_type": resource_type,
            "resource_key": resource_key,
            "field_name": self.field_name,
            "read_as": self.read_as,
            "legacy_value": self.legacy_value,
            "_source_file": relative,
        }


def _present(value: Any) -> bool:
    return value is not None and value != [] and value != ""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        parts = [f"{k}: {_text(v)}" for k, v in value.items() if k != LINE_KEY and v is not None]
        return "; ".join(parts) or None
    if isinstance(value, list):
        return "; ".join(str(_text(v)) for v in value if v is not None) or None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def contact_text(contact: Any) -> str | None:
    """A fideslang 2.x `ContactDetails` as one readable line: its non-empty parts in order."""
    if not isinstance(contact, dict):
        return _text(contact)
    parts = [str(contact[part]).strip() for part in CONTACT_PARTS if _present(contact.get(part))]
    return ", ".join(p for p in parts if p) or None


def migrate_system(
    entry: dict[str, Any], relative: str, where: str
) -> tuple[dict[str, Any], list[LegacyField]]:
    """The system entry with its legacy facts copied to the current fields, and its legacy
    fields. `entry` itself is not changed."""
    migrated = dict(entry)
    found: list[LegacyField] = []
    if "data_responsibility_title" in entry:
        title = entry["data_responsibility_title"]
        if title is not None and title not in RESPONSIBILITIES:
            raise DropError(
                relative, where, "data_responsibility_title",
                f"'{title}' is not one of {', '.join(RESPONSIBILITIES)}",
            )  # fmt: skip
        if title is not None and not _present(entry.get("responsibility")):
            migrated["responsibility"] = [title]
        found.append(LegacyField("data_responsibility_title", "responsibility", _text(title)))
    if "data_protection_impact_assessment" in entry:
        dpia = entry["data_protection_impact_assessment"]
        if dpia is not None and not isinstance(dpia, dict):
            raise DropError(
                relative, where, "data_protection_impact_assessment",
                "expected a mapping with is_required, progress, link",
            )  # fmt: skip
        for old, current in DPIA_FIELDS.items():
            value = (dpia or {}).get(old)
            if value is None or _present(entry.get(current)):
                continue
            if old == "is_required" and not isinstance(value, bool):
                raise DropError(
                    relative, where, "data_protection_impact_assessment.is_required",
                    f"'{value}' is not true or false",
                )  # fmt: skip
            migrated[current] = value if old == "is_required" else str(value)
        found.append(
            LegacyField(
                "data_protection_impact_assessment", ", ".join(DPIA_FIELDS.values()), _text(dpia)
            )
        )
    if "joint_controller" in entry:
        info = contact_text(entry["joint_controller"])
        if info is not None and not _present(entry.get("joint_controller_info")):
            migrated["joint_controller_info"] = info
        found.append(LegacyField("joint_controller", "joint_controller_info", info))
    if "third_country_transfers" in entry:
        found.append(
            LegacyField("third_country_transfers", None, _text(entry["third_country_transfers"]))
        )
    declarations = entry.get("privacy_declarations")
    found += _nested(
        declarations if isinstance(declarations, list) else [], "privacy_declarations",
        ("data_qualifier",),
    )  # fmt: skip
    return migrated, found


def dataset_legacy_fields(entry: dict[str, Any]) -> list[LegacyField]:
    """A dataset's legacy fields, at its top level and in its collections and (nested) fields."""
    found = [
        LegacyField(name, None, _text(entry[name]))
        for name in ("data_qualifier", "joint_controller", "retention", "third_country_transfers")
        if name in entry
    ]
    collections = entry.get("collections")
    collections = collections if isinstance(collections, list) else []
    found += _nested(collections, "collections", ("data_qualifier", "retention"))
    fields: list[Any] = []
    pending = [c.get("fields") for c in collections if isinstance(c, dict)]
    while pending:
        level = pending.pop()
        for item in level if isinstance(level, list) else []:
            if isinstance(item, dict):
                fields.append(item)
                pending.append(item.get("fields"))
    found += _nested(fields, "collections.fields", ("data_qualifier", "retention"))
    return found


def _nested(items: list[Any], path: str, names: tuple[str, ...]) -> list[LegacyField]:
    found = []
    for name in names:
        values = [item[name] for item in items if isinstance(item, dict) and name in item]
        if values:
            distinct = sorted({text for v in values if (text := _text(v)) is not None})
            found.append(LegacyField(f"{path}.{name}", None, "; ".join(distinct) or None))
    return found
