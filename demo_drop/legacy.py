"""Files that an older or untidy export leaves in the drop, and the findings they plant.

- `register/systems/telephony.yml` is written as a fideslang 2.x manifest: its role as
  `data_responsibility_title`, its DPIA as `data_protection_impact_assessment`, a
  `data_qualifier` on each declaration, and its dataset's retention as dataset `retention`.
  The facts are the same as the current manifest's, so every other check reads it the same.
- `register/systems/webinars.yml` keeps its current `joint_controller_info` and also carries an
  old `joint_controller` contact: the current field wins (near-miss on the value), but the
  legacy field is still a finding.
- `records/telephony/README.txt`: a note beside the extracts, not read (`drop.unread_file`);
  `NOTES.txt` at the drop's root is outside the contract: the run summary lists it, no finding.

The truth is this module's own reading of exports.md's list of pre-3.0 fields, over the
documents it writes: every such field at a resource's top level, and `data_qualifier` /
`retention` below it, counts once per resource.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from demo_drop.findings import Finding, counted
from demo_drop.systems import SYSTEMS

LEGACY_SYSTEM = "telephony"
BOTH_FIELDS_SYSTEM = "webinars"
OLD_JOINT_CONTROLLER = {
    "name": "Summit Events Ltd (until 2024)",
    "address": "1 Old Quay, Dublin, IE",
    "email": "privacy@summit-events.example",
    "phone": "+353 1 555 0100",
}
DATA_QUALIFIER = "aggregated.anonymized.unlinked_pseudonymized.pseudonymized.identified"
DATASET_RETENTION = "Call recordings 90 days; voiceprints until consent is withdrawn"
UNREAD_FILES = {"records/telephony/README.txt": "Extracts exported nightly from the PBX.\n"}
UNCONTRACTED_FILES = {"NOTES.txt": "Drop assembled by the privacy team.\n"}

# exports.md "Older fideslang": the fields 3.x ignores, by where they sit.
_TOP_LEVEL = (
    "data_responsibility_title",
    "third_country_transfers",
    "data_protection_impact_assessment",
    "joint_controller",
    "data_qualifier",
    "retention",
)
_BELOW = {
    "privacy_declarations": ("data_qualifier",),
    "collections": ("data_qualifier", "retention"),
}


def system_document(key: str, document: dict[str, Any]) -> dict[str, Any]:
    """The system manifest as the drop holds it: older fields for the planted systems."""
    if key not in (LEGACY_SYSTEM, BOTH_FIELDS_SYSTEM):
        return document
    [system] = document["system"]
    if key == BOTH_FIELDS_SYSTEM:
        assert system.get("joint_controller_info"), "the near-miss needs the current field"
        return {"system": [{**system, "joint_controller": OLD_JOINT_CONTROLLER}]}
    [role] = system["responsibility"]  # fideslang 2.x held one title
    old: dict[str, Any] = {}
    for name, value in system.items():
        if name == "responsibility":
            old["data_responsibility_title"] = role
        elif name == "requires_data_protection_assessments":
            old["data_protection_impact_assessment"] = {
                "is_required": value,
                "progress": system.get("dpa_progress"),
                "link": system.get("dpa_location"),
            }
        elif name in ("dpa_progress", "dpa_location"):
            continue
        elif name == "privacy_declarations":
            old[name] = [{**d, "data_qualifier": DATA_QUALIFIER} for d in value]
        else:
            old[name] = value
    return {"system": [old]}


def dataset_document(system_key: str, document: dict[str, Any]) -> dict[str, Any]:
    if system_key != LEGACY_SYSTEM:
        return document
    [dataset] = document["dataset"]
    return {"dataset": [{**dataset, "retention": DATASET_RETENTION}]}


def manifest_documents() -> dict[str, dict[str, Any]]:
    """Every system and dataset manifest of the drop, by path relative to the drop's root."""
    documents: dict[str, dict[str, Any]] = {}
    for system in SYSTEMS:
        documents[f"register/systems/{system.key}.yml"] = system_document(
            system.key, system.system_document()
        )
        documents[f"register/datasets/{system.dataset_key}.yml"] = dataset_document(
            system.key, system.dataset_document()
        )
    return documents


def write_extra_files(drop: Path) -> None:
    for relative, text in {**UNREAD_FILES, **UNCONTRACTED_FILES}.items():
        path = drop / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _legacy_fields(resource: dict[str, Any]) -> list[str]:
    found = [name for name in _TOP_LEVEL if name in resource]
    for container, names in _BELOW.items():
        items = resource.get(container) or []
        found += [f"{container}.{n}" for n in names if any(n in item for item in items)]
    return found


def legacy_findings(documents: dict[str, dict[str, Any]]) -> list[Finding]:
    """register.legacy_fields over the written manifests (relative path -> document)."""
    findings = []
    for relative, document in documents.items():
        for kind in ("system", "dataset"):
            for resource in document.get(kind, []):
                fields = _legacy_fields(resource)
                if fields:
                    findings.append(
                        Finding(
                            "register.legacy_fields",
                            (relative, resource["fides_key"]),
                            len(fields),
                            f"{kind.capitalize()} {resource['fides_key']} in {relative} uses "
                            f"{counted(len(fields), 'pre-3.0 fideslang field')}",
                        )
                    )
    return findings


def unread_file_findings() -> list[Finding]:
    return [
        Finding("drop.unread_file", (relative,), 1, f"{relative} was not read")
        for relative in UNREAD_FILES
    ]
