"""The fideslang register (`register/`): validated with fideslang's models, flattened to rows.

fideslang checks the shape of each resource; this module adds what fideslang leaves to the
server: every taxonomy key must exist in the default taxonomy or `taxonomy.yml`, keys must be
unique across the drop, and dataset references must resolve.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from fideslang import models
from fideslang.default_taxonomy import DEFAULT_TAXONOMY

from pipelines.load.errors import DropError
from pipelines.load.legacy_fideslang import dataset_legacy_fields, migrate_system
from pipelines.load.yaml_source import line_of, read_yaml, strip_lines

TAXONOMY_TYPES = ("data_category", "data_use", "data_subject")
_TAXONOMY_MODELS: dict[str, type[pydantic.BaseModel]] = {
    "data_category": models.DataCategory,
    "data_use": models.DataUse,
    "data_subject": models.DataSubject,
}
Rows = dict[str, list[dict[str, object]]]
ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


@dataclass
class Register:
    """The register as raw rows, plus what the tabular loads validate against."""

    rows: Rows = field(default_factory=lambda: defaultdict(list))
    taxonomy: dict[str, set[str]] = field(default_factory=dict)
    system_keys: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)


def read_register(drop: Path) -> Register:
    register = Register()
    register.taxonomy = _read_taxonomy(drop, register)
    _read_organization(drop, register)
    datasets = _read_datasets(drop, register)
    _read_systems(drop, register, datasets)
    return register


def _resources(
    drop: Path, relative: str, resource_type: str
) -> Iterator[tuple[dict[str, Any], str]]:
    """Each resource of a fideslang manifest (`<type>: [...]`), with its line."""
    document = read_yaml(drop / relative, relative)
    if document is None:
        return
    if not isinstance(document, dict) or resource_type not in document:
        raise DropError(
            relative,
            "file",
            resource_type,
            f"a fideslang manifest needs a top-level '{resource_type}' list",
        )
    entries = document[resource_type]
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict):
            raise DropError(relative, "file", resource_type, "each resource must be a mapping")
        yield entry, line_of(entry)


def _validate(model: type[ModelT], entry: dict[str, Any], relative: str, label: str) -> ModelT:
    try:
        return model.model_validate(strip_lines(entry))
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"]) or None
        where = f"{label} ({line_of(entry)})"
        raise DropError(
            relative, where, field_name, f"not valid fideslang: {first['msg']}"
        ) from error


def _read_taxonomy(drop: Path, register: Register) -> dict[str, set[str]]:
    known = {
        kind: {term.fides_key for term in getattr(DEFAULT_TAXONOMY, kind)}
        for kind in TAXONOMY_TYPES
    }
    relative = "register/taxonomy.yml"
    if not (drop / relative).exists():
        return known
    register.files.append(relative)
    document = read_yaml(drop / relative, relative) or {}
    if not isinstance(document, dict):
        raise DropError(
            relative, "file", None, "expected data_category / data_use / data_subject lists"
        )
    for kind in TAXONOMY_TYPES:
        for entry in document.get(kind) or []:
            label = f"{kind} '{entry.get('fides_key')}'"
            term = _validate(_TAXONOMY_MODELS[kind], entry, relative, label)
            fides_key = str(getattr(term, "fides_key"))  # noqa: B009 - models share no base type
            known[kind].add(fides_key)
            register.rows["custom_taxonomy_terms"].append(
                {
                    "taxonomy_type": kind,
                    "taxonomy_key": fides_key,
                    "name": getattr(term, "name", None),
                    "description": getattr(term, "description", None),
                    "parent_key": getattr(term, "parent_key", None),
                    "_source_file": relative,
                }
            )
    for row in register.rows["custom_taxonomy_terms"]:
        parent = row["parent_key"]
        if parent and parent not in known[str(row["taxonomy_type"])]:
            raise DropError(
                relative,
                f"{row['taxonomy_type']} '{row['taxonomy_key']}'",
                "parent_key",
                f"unknown parent '{parent}'",
            )
    return known


def _check_keys(
    register: Register,
    kind: str,
    keys: list[str] | None,
    relative: str,
    where: str,
    field_name: str,
) -> None:
    for key in keys or []:
        if key not in register.taxonomy[kind]:
            raise DropError(
                relative, where, field_name,
                f"unknown {kind.replace('_', ' ')} '{key}': not in fideslang's default taxonomy "
                "nor in register/taxonomy.yml",
            )  # fmt: skip


def _read_organization(drop: Path, register: Register) -> None:
    relative = "register/organization.yml"
    if not (drop / relative).exists():
        raise DropError(relative, "file", None, "missing: the drop needs exactly one organization")
    register.files.append(relative)
    entries = list(_resources(drop, relative, "organization"))
    if len(entries) != 1:
        raise DropError(
            relative,
            "file",
            "organization",
            f"exactly one organization expected, found {len(entries)}",
        )
    entry, _ = entries[0]
    organization = _validate(
        models.Organization, entry, relative, f"organization '{entry.get('fides_key')}'"
    )
    row: dict[str, object] = {
        "organization_key": organization.fides_key,
        "name": organization.name,
        "description": organization.description,
        "security_policy": str(organization.security_policy)
        if organization.security_policy
        else None,
        "_source_file": relative,
    }
    for prefix, contact in (
        ("controller", organization.controller),
        ("dpo", organization.data_protection_officer),
        ("representative", organization.representative),
    ):
        for part in ("name", "address", "email", "phone"):
            row[f"{prefix}_{part}"] = getattr(contact, part) if contact else None
    register.rows["organizations"].append(row)


def _manifest_files(drop: Path, folder: str) -> list[Path]:
    root = drop / "register" / folder
    return (
        sorted(p for p in root.glob("*") if p.suffix in (".yml", ".yaml")) if root.is_dir() else []
    )


def _read_datasets(drop: Path, register: Register) -> set[str]:
    dataset_keys: dict[str, str] = {}
    for path in _manifest_files(drop, "datasets"):
        relative = path.relative_to(drop).as_posix()
        register.files.append(relative)
        for entry, _ in _resources(drop, relative, "dataset"):
            dataset = _validate(
                models.Dataset, entry, relative, f"dataset '{entry.get('fides_key')}'"
            )
            if dataset.fides_key in dataset_keys:
                raise DropError(
                    relative,
                    f"dataset '{dataset.fides_key}'",
                    "fides_key",
                    f"duplicate dataset key, first in {dataset_keys[dataset.fides_key]}",
                )
            dataset_keys[dataset.fides_key] = relative
            register.rows["register_legacy_fields"] += [
                legacy.row("dataset", dataset.fides_key, relative)
                for legacy in dataset_legacy_fields(entry)
            ]
            for collection in dataset.collections:
                _flatten_fields(
                    register, relative, dataset.fides_key, collection.name, collection.fields, ""
                )
    return set(dataset_keys)


def _flatten_fields(
    register: Register, relative: str, dataset_key: str, collection: str,
    fields: list[models.DatasetField] | None, prefix: str,
) -> None:  # fmt: skip
    for dataset_field in fields or []:
        path = f"{prefix}{dataset_field.name}"
        where = f"dataset '{dataset_key}' field '{collection}.{path}'"
        _check_keys(
            register,
            "data_category",
            dataset_field.data_categories,
            relative,
            where,
            "data_categories",
        )
        for category in dataset_field.data_categories or []:
            register.rows["dataset_fields"].append(
                {"dataset_key": dataset_key, "collection_name": collection, "field_path": path,
                 "data_category": category, "_source_file": relative}
            )  # fmt: skip
        _flatten_fields(
            register, relative, dataset_key, collection, dataset_field.fields, f"{path}."
        )


def _read_systems(drop: Path, register: Register, datasets: set[str]) -> None:
    files = _manifest_files(drop, "systems")
    if not files:
        raise DropError("register/systems/", "folder", None, "no system manifests (*.yml) found")
    system_files: dict[str, str] = {}
    activity_keys: set[str] = set()
    for path in files:
        relative = path.relative_to(drop).as_posix()
        register.files.append(relative)
        for raw_entry, _ in _resources(drop, relative, "system"):
            label = f"system '{raw_entry.get('fides_key')}'"
            entry, legacy_fields = migrate_system(
                raw_entry, relative, f"{label} ({line_of(raw_entry)})"
            )
            system = _validate(models.System, entry, relative, label)
            key = system.fides_key
            register.rows["register_legacy_fields"] += [
                legacy.row("system", key, relative) for legacy in legacy_fields
            ]
            where = f"system '{key}' ({line_of(entry)})"
            if key in system_files:
                raise DropError(
                    relative,
                    where,
                    "fides_key",
                    f"duplicate system key, first in {system_files[key]}",
                )
            system_files[key] = relative
            _system_rows(register, system, relative, where, datasets, activity_keys)
    register.system_keys = set(system_files)


def _system_rows(
    register: Register, system: models.System, relative: str, where: str,
    datasets: set[str], activity_keys: set[str],
) -> None:  # fmt: skip
    key = system.fides_key
    responsibilities = {str(getattr(r, "value", r)) for r in system.responsibility}
    # exports.md: a system without `responsibility` (absent or empty) is taken as Controller;
    # responsibility_declared keeps the fact for register.responsibility_missing.
    declared = bool(responsibilities)
    meta = system.meta or {}
    register.rows["systems"].append(
        {
            "system_key": key,
            "name": system.name,
            "description": system.description,
            "administrating_department": system.administrating_department,
            "responsibility_declared": declared,
            "is_controller": "Controller" in responsibilities or not declared,
            "is_processor": "Processor" in responsibilities,
            "is_sub_processor": "Sub-Processor" in responsibilities,
            "processor_activities_declared": "processor_activities" in meta,
            "data_security_practices": system.data_security_practices,
            "requires_data_protection_assessments": system.requires_data_protection_assessments,
            "dpa_progress": system.dpa_progress,
            "dpa_location": system.dpa_location,
            "joint_controller_info": system.joint_controller_info,
            "uses_profiling": system.uses_profiling,
            "legal_basis_for_profiling": "; ".join(
                str(getattr(basis, "value", basis)) for basis in system.legal_basis_for_profiling
            )
            or None,
            "_source_file": relative,
        }
    )
    for flow in system.egress or []:
        _check_keys(
            register,
            "data_category",
            flow.data_categories,
            relative,
            where,
            f"egress '{flow.fides_key}'.data_categories",
        )
        categories: list[str | None] = list(flow.data_categories or []) or [None]
        for category in categories:
            register.rows["system_egress_flows"].append(
                {"system_key": key, "recipient_key": flow.fides_key, "flow_type": flow.type,
                 "data_category": category, "_source_file": relative}
            )  # fmt: skip
    for dataset_key in system.dataset_references or []:
        if dataset_key not in datasets:
            raise DropError(
                relative,
                where,
                "dataset_references",
                f"unknown dataset '{dataset_key}' (no register/datasets/*.yml declares it)",
            )
        register.rows["system_datasets"].append(
            {"system_key": key, "dataset_key": dataset_key, "_source_file": relative}
        )
    for declaration in system.privacy_declarations:
        _declaration_rows(register, key, declaration, relative, where, activity_keys)
    _processor_activity_rows(register, system, meta, relative, where)


def declaration_slug(name: str) -> str:
    """exports.md activity keys: the name lower-cased, other runs than a-z0-9 as one `-`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _processor_activity_rows(
    register: Register, system: models.System, meta: dict[str, Any], relative: str, where: str
) -> None:
    """`meta.processor_activities`: the activities a dual-role system does for its customers.

    Each entry is `<data_use>` (every declaration of the system with that use) or
    `<data_use>#<slug>` (the one whose name has that slug); an entry that names no declaration
    of the system is an error.
    """
    if "processor_activities" not in meta:
        return
    field_name = "meta.processor_activities"
    entries = meta["processor_activities"]
    if entries is None:
        entries = []
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise DropError(relative, where, field_name, "expected a list of '<data_use>[#<slug>]'")
    activities = [
        row
        for row in register.rows["processing_activities"]
        if row["system_key"] == system.fides_key
    ]
    for entry in dict.fromkeys(e.strip() for e in entries):
        data_use, _, slug = entry.partition("#")
        named = [
            row
            for row in activities
            if row["data_use"] == data_use
            and (not slug or declaration_slug(str(row["declaration_name"] or "")) == slug)
        ]
        if not named:
            raise DropError(
                relative, where, field_name,
                f"'{entry}' names no privacy declaration of system '{system.fides_key}' "
                "(expected '<data_use>' or '<data_use>#<slug of its name>')",
            )  # fmt: skip
        for row in named:
            register.rows["system_processor_activities"].append(
                {"system_key": system.fides_key, "entry": entry,
                 "activity_key": row["activity_key"], "_source_file": relative}
            )  # fmt: skip


def _declaration_rows(
    register: Register, system_key: str, declaration: models.PrivacyDeclaration,
    relative: str, where: str, activity_keys: set[str],
) -> None:  # fmt: skip
    activity_key = f"{system_key}:{declaration.data_use}"
    at = f"{where} declaration '{declaration.name or declaration.data_use}'"
    if activity_key in activity_keys:
        raise DropError(
            relative, at, "data_use", f"processing activity '{activity_key}' is declared twice"
        )
    activity_keys.add(activity_key)
    _check_keys(register, "data_use", [declaration.data_use], relative, at, "data_use")
    _check_keys(
        register, "data_category", declaration.data_categories, relative, at, "data_categories"
    )
    _check_keys(register, "data_subject", declaration.data_subjects, relative, at, "data_subjects")
    _check_keys(
        register, "data_category", declaration.shared_categories, relative, at, "shared_categories"
    )
    register.rows["processing_activities"].append(
        {
            "activity_key": activity_key,
            "system_key": system_key,
            "declaration_name": declaration.name,
            "data_use": declaration.data_use,
            "legal_basis_for_processing": declaration.legal_basis_for_processing,
            "flexible_legal_basis_for_processing": declaration.flexible_legal_basis_for_processing,
            "impact_assessment_location": declaration.impact_assessment_location,
            "retention_period": declaration.retention_period,
            "processes_special_category_data": declaration.processes_special_category_data,
            "special_category_legal_basis": declaration.special_category_legal_basis,
            "data_shared_with_third_parties": declaration.data_shared_with_third_parties,
            "third_parties": declaration.third_parties,
            "_source_file": relative,
        }
    )
    for table, column, values in (
        ("activity_data_categories", "data_category", declaration.data_categories),
        ("activity_data_subjects", "data_subject", declaration.data_subjects),
        ("activity_shared_categories", "data_category", declaration.shared_categories),
    ):
        for value in values or []:
            register.rows[table].append({"activity_key": activity_key, column: value})
