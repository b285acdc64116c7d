"""The fideslang register (`register/`): validated with fideslang's models, flattened to rows.

Every `*.yml` / `*.yaml` file under `register/`, at any depth and in path order, is read the way
fideslang's own loader reads a manifest folder (`fideslang.manifests.ingest_manifests`): each
file holds one or more resource kinds as top-level lists, and the lists of all files are joined.
Our two files are known by their content: a top-level `rules` list is the retention schedule, a
top-level `policy` mapping the policy's commitments (a `policy` list is Fides's DSR policies).
Kinds the record does not use are skipped and listed (`raw.register_skipped`).

fideslang checks the shape of each resource; this module adds what fideslang leaves to the
server: every taxonomy key must exist in the default taxonomy or among the drop's own terms,
keys must be unique across the drop, and dataset references must resolve. The register is
checked whole: every problem is collected, and `Register.check()` raises them all at once.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from fideslang import models
from fideslang.default_taxonomy import DEFAULT_TAXONOMY

from pipelines.load.errors import DropError, DropErrors, Problem
from pipelines.load.legacy_fideslang import dataset_legacy_fields, migrate_system
from pipelines.load.tabular import KEY_PATTERN
from pipelines.load.yaml_source import LINE_KEY, line_of, read_yaml, strip_lines

TAXONOMY_TYPES = ("data_category", "data_use", "data_subject")
USED_KINDS = ("organization", "system", "dataset", *TAXONOMY_TYPES)
REGISTER = "register"
_TAXONOMY_MODELS: dict[str, type[pydantic.BaseModel]] = {
    "data_category": models.DataCategory,
    "data_use": models.DataUse,
    "data_subject": models.DataSubject,
}
# Fides's published old-to-new key maps (a dbt seed; its source is in seeds/_seeds.yml).
RENAMES_FILE = (
    Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "fideslang_key_renames.csv"
)
Rows = dict[str, list[dict[str, object]]]
ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


@dataclass
class Register:
    """The register as raw rows, plus what the tabular loads validate against."""

    rows: Rows = field(default_factory=lambda: defaultdict(list))
    taxonomy: dict[str, set[str]] = field(default_factory=dict)
    system_keys: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files whose YAML could not be read
    retention_file: str | None = None  # the file with the top-level `rules` list
    policy_file: str | None = None  # the file with the top-level `policy` mapping
    problems: list[Problem] = field(default_factory=list)

    def problem(self, file: str, location: str, field_name: str | None, text: str) -> None:
        self.problems.append(Problem(file, location, field_name, text))

    def add(self, error: DropError) -> None:
        if isinstance(error, DropErrors):
            self.problems.extend(error.problems)
        else:
            self.problems.append(Problem.of(error))

    @property
    def complete(self) -> bool:
        """Whether every file was read: otherwise what seems missing may be in an unread one,
        and only the problems found are reported, not their consequences."""
        return not self.unreadable

    def check(self) -> None:
        """Raise every problem found so far as one error."""
        if self.problems:
            raise DropErrors(self.problems)


@dataclass
class _Resource:
    entry: dict[str, Any]
    relative: str

    @property
    def label(self) -> str:
        return f"'{self.entry.get('fides_key')}' ({line_of(self.entry)})"


def read_register(drop: Path, drop_files: list[str]) -> Register:
    """The whole register, with every problem found in it in `problems`: the caller adds those
    of the retention schedule and the commitments, then calls `check()`. `drop_files` are the
    drop's files (relative, `/` separators), listed once for the whole load."""
    register = Register()
    resources = _read_files(drop, register_files(drop_files), register)
    register.taxonomy = _read_taxonomy(register, resources)
    _read_organization(register, resources["organization"])
    datasets = _read_datasets(register, resources["dataset"])
    _read_systems(register, resources["system"], datasets)
    return register


def register_files(drop_files: list[str]) -> list[str]:
    """Every `*.yml` / `*.yaml` file under `register/`, at any depth, in path order."""
    return sorted(
        relative
        for relative in drop_files
        if relative.startswith(f"{REGISTER}/") and relative.lower().endswith((".yml", ".yaml"))
    )


def _read_files(drop: Path, files: list[str], register: Register) -> dict[str, list[_Resource]]:
    resources: dict[str, list[_Resource]] = {kind: [] for kind in USED_KINDS}
    retention: list[str] = []
    policy: list[str] = []
    for relative in files:
        register.files.append(relative)
        try:
            document = read_yaml(drop / relative, relative)
        except DropError as error:
            register.add(error)
            register.unreadable.append(relative)
            continue
        if document is None:
            continue  # an empty file, as fideslang: nothing to read
        if not isinstance(document, dict):
            register.problem(
                relative, "file", None, "expected top-level resource lists (system: [...], ...)"
            )
            continue
        for kind, value in document.items():
            if kind == LINE_KEY:
                continue
            if kind == "rules" and isinstance(value, list):
                retention.append(relative)
            elif kind == "policy" and isinstance(value, dict):
                policy.append(relative)
            elif kind in USED_KINDS:
                _collect(register, resources[kind], kind, value, relative)
            else:
                count = len(value) if isinstance(value, list) else 1
                register.rows["register_skipped"].append(
                    {"resource_type": kind, "resources": count, "_source_file": relative}
                )
    register.retention_file = _exactly_one(
        register, retention,
        f"retention schedule (a top-level 'rules' list, usually {REGISTER}/retention.yml)", "rules",
    )  # fmt: skip
    register.policy_file = _exactly_one(
        register, policy,
        f"policy commitments (a top-level 'policy' mapping, usually {REGISTER}/policy.yml)",
        "policy",
    )  # fmt: skip
    return resources


def _collect(
    register: Register, into: list[_Resource], kind: str, value: Any, relative: str
) -> None:
    entries = value if isinstance(value, list) else [value]
    for entry in entries:
        if entry is None:
            continue
        if not isinstance(entry, dict):
            register.problem(relative, "file", kind, f"each {kind} must be a mapping")
            continue
        into.append(_Resource(entry, relative))


def _exactly_one(register: Register, files: list[str], what: str, field_name: str) -> str | None:
    if len(files) == 1:
        return files[0]
    if not files:
        if register.complete:  # else it may be in a file that could not be read
            register.problem(
                f"{REGISTER}/", "folder", field_name, f"missing: no file holds the {what}"
            )
    else:
        register.problem(
            files[1], "file", field_name,
            f"a second {what}: exactly one expected, found in {', '.join(files)}",
        )  # fmt: skip
    return None


def _pydantic_text(item: Any) -> str:
    """One validation error in our words (never pydantic's dump)."""
    kind = item.get("type")
    value = item.get("input")
    context = item.get("ctx") or {}
    if kind == "missing":
        return "required value missing"
    if kind == "enum":
        return f"{value!r} is not one of {context.get('expected', 'the allowed values')}"
    text = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
    if value is None or isinstance(value, str | int | float | bool):
        return f"not valid fideslang: {text} (got {value!r})"
    return f"not valid fideslang: {text}"


_LISTS_OF_PARTS = ("privacy_declarations", "collections", "egress", "ingress")


def _validate(
    register: Register, model: type[ModelT], entry: dict[str, Any], relative: str, where: str
) -> ModelT | None:
    """The resource as fideslang's model; each validation error is a problem. So that the rest
    of a resource is still checked (the register is checked whole), an invalid resource is
    validated again without its invalid parts (a field, or one entry of a list of parts) and
    that salvage is returned; the run fails on the problems anyway."""
    data = strip_lines(entry)
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        items = error.errors()
    for item in items:
        field_name = ".".join(str(part) for part in item["loc"]) or None
        register.problem(relative, where, field_name, _pydantic_text(item))
    salvage = dict(data)
    dropped: dict[str, set[int]] = defaultdict(set)
    for item in items:
        loc = item["loc"]
        if not loc:
            return None
        name = str(loc[0])
        if name in _LISTS_OF_PARTS and len(loc) > 1 and isinstance(loc[1], int):
            dropped[name].add(loc[1])
        else:
            salvage.pop(name, None)
    for name, indexes in dropped.items():
        parts = salvage.get(name)
        if isinstance(parts, list):
            salvage[name] = [part for i, part in enumerate(parts) if i not in indexes]
    try:
        return model.model_validate(salvage)
    except pydantic.ValidationError:
        return None


@functools.cache
def _load_renames() -> dict[str, list[tuple[str, str, str]]]:
    renames: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    with RENAMES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            renames[row["taxonomy_type"]].append(
                (row["old_key"], row["new_key"], row["fideslang_version"])
            )
    for entries in renames.values():
        entries.sort(key=lambda entry: -len(entry[0]))  # the longest old key matches first
    return renames


def replacement(kind: str, key: str, known: set[str]) -> tuple[str, list[str]] | None:
    """The current key an old fideslang key was renamed to, and the fideslang versions of the
    renames; None when no published rename leads to a known key. A rename of a key applies to
    the keys below it, as in Fides's own upgrades (`user.credentials.password` follows
    `user.credentials`)."""
    renames = _load_renames()
    current, versions = key, []
    for _ in range(4):
        step = next(
            (
                (new + current[len(old) :], version)
                for old, new, version in renames.get(kind, [])
                if current == old or current.startswith(old + ".")
            ),
            None,
        )
        if step is None:
            return None
        current = step[0]
        versions.append(step[1])
        if current in known:
            return current, versions
    return None


def _check_keys(
    register: Register, kind: str, keys: list[str] | None, relative: str, where: str,
    field_name: str,
) -> None:  # fmt: skip
    for key in keys or []:
        if key in register.taxonomy[kind]:
            continue
        text = (
            f"unknown {kind.replace('_', ' ')} '{key}': not in fideslang's default taxonomy "
            "nor among the register's own terms"
        )
        found = replacement(kind, key, register.taxonomy[kind])
        if found:
            new, versions = found
            text += f"; renamed to '{new}' (fideslang {', '.join(versions)})"
        register.problem(relative, where, field_name, text)


def _read_taxonomy(
    register: Register, resources: dict[str, list[_Resource]]
) -> dict[str, set[str]]:
    known = {
        kind: {term.fides_key for term in getattr(DEFAULT_TAXONOMY, kind)}
        for kind in TAXONOMY_TYPES
    }
    terms = register.rows["custom_taxonomy_terms"]
    for kind in TAXONOMY_TYPES:
        places: dict[str, str] = {}
        for resource in resources[kind]:
            where = f"{kind} {resource.label}"
            model = _TAXONOMY_MODELS[kind]
            term = _validate(register, model, resource.entry, resource.relative, where)
            if term is None:
                continue
            fides_key = str(getattr(term, "fides_key"))  # noqa: B009 - models share no base type
            if fides_key in places:
                register.problem(
                    resource.relative, where, "fides_key",
                    f"duplicate {kind.replace('_', ' ')}, first in {places[fides_key]}",
                )  # fmt: skip
                continue
            places[fides_key] = f"{resource.relative} ({line_of(resource.entry)})"
            known[kind].add(fides_key)
            terms.append(
                {
                    "taxonomy_type": kind,
                    "taxonomy_key": fides_key,
                    "name": getattr(term, "name", None),
                    "description": getattr(term, "description", None),
                    "parent_key": getattr(term, "parent_key", None),
                    "_source_file": resource.relative,
                }
            )
    for row in terms:
        parent = row["parent_key"]
        if parent and parent not in known[str(row["taxonomy_type"])]:
            register.problem(
                str(row["_source_file"]),
                f"{row['taxonomy_type']} '{row['taxonomy_key']}'",
                "parent_key",
                f"unknown parent '{parent}'",
            )
    return known


def _read_organization(register: Register, resources: list[_Resource]) -> None:
    if len(resources) != 1:
        files = sorted({r.relative for r in resources})
        if files or register.complete:
            register.problem(
                files[0] if files else f"{REGISTER}/", "file" if files else "folder",
                "organization",
                f"exactly one organization resource expected, found {len(resources)}"
                + (f" (in {', '.join(files)})" if files else ""),
            )  # fmt: skip
        return
    entry, relative = resources[0].entry, resources[0].relative
    organization = _validate(
        register, models.Organization, entry, relative, f"organization {resources[0].label}"
    )
    if organization is None:
        return
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


def _read_datasets(register: Register, resources: list[_Resource]) -> dict[str, str]:
    """Each dataset's rows; returns the dataset keys with the place of each (file and line)."""
    dataset_places: dict[str, str] = {}
    for resource in resources:
        relative = resource.relative
        dataset = _validate(
            register, models.Dataset, resource.entry, relative, f"dataset {resource.label}"
        )
        if dataset is None:
            continue
        key = dataset.fides_key
        where = f"dataset '{key}' ({line_of(resource.entry)})"
        if key in dataset_places:
            first = dataset_places[key]
            register.problem(relative, where, "fides_key", f"duplicate dataset, first in {first}")
            continue
        dataset_places[key] = f"{relative} ({line_of(resource.entry)})"
        register.rows["register_legacy_fields"] += [
            legacy.row("dataset", key, relative) for legacy in dataset_legacy_fields(resource.entry)
        ]
        _check_keys(register, "data_category", dataset.data_categories, relative, where,
                    "data_categories")  # fmt: skip
        inherited = list(dataset.data_categories or [])
        for collection in dataset.collections:
            at = f"{where} collection '{collection.name}'"
            _check_keys(register, "data_category", collection.data_categories, relative, at,
                        "data_categories")  # fmt: skip
            above = [*inherited, *(collection.data_categories or [])]
            if not collection.fields:
                _field_rows(register, relative, key, collection.name, None, above)
            _flatten_fields(register, relative, key, collection.name, collection.fields, "", above)
        if not dataset.collections:
            _field_rows(register, relative, key, None, None, inherited)
    return dataset_places


def _field_rows(
    register: Register, relative: str, dataset_key: str, collection: str | None,
    path: str | None, categories: list[str],
) -> None:  # fmt: skip
    # A field without categories still has its row (data_category null): every dataset a
    # system references is in dataset_fields.
    for category in dict.fromkeys(categories) or [None]:
        register.rows["dataset_fields"].append(
            {"dataset_key": dataset_key, "collection_name": collection, "field_path": path,
             "data_category": category, "_source_file": relative}
        )  # fmt: skip


def _flatten_fields(
    register: Register, relative: str, dataset_key: str, collection: str,
    fields: list[models.DatasetField] | None, prefix: str, above: list[str],
) -> None:  # fmt: skip
    """One row per field and category: its own, and those declared on the dataset, the
    collection and the fields above it (exports.md: they apply to every field below)."""
    for dataset_field in fields or []:
        path = f"{prefix}{dataset_field.name}"
        where = f"dataset '{dataset_key}' field '{collection}.{path}'"
        own = list(dataset_field.data_categories or [])
        _check_keys(register, "data_category", own, relative, where, "data_categories")
        _field_rows(register, relative, dataset_key, collection, path, [*own, *above])
        _flatten_fields(
            register, relative, dataset_key, collection, dataset_field.fields, f"{path}.",
            [*above, *own],
        )  # fmt: skip


def _read_systems(register: Register, resources: list[_Resource], datasets: dict[str, str]) -> None:
    if not resources and register.complete:
        register.problem(f"{REGISTER}/", "folder", "system", "no system resource found")
    system_places: dict[str, str] = {}
    invalid: set[str] = set()  # still known to the retention schedule: no second error there
    for resource in resources:
        relative, raw_entry = resource.relative, resource.entry
        label = f"system {resource.label}"
        invalid.add(str(raw_entry.get("fides_key")))
        if not _is_system_key(register, raw_entry.get("fides_key"), relative, label):
            continue
        try:
            entry, legacy_fields = migrate_system(raw_entry, relative, label)
        except DropError as error:
            register.add(error)
            continue
        system = _validate(register, models.System, entry, relative, label)
        if system is None:
            continue
        key = system.fides_key
        where = f"system '{key}' ({line_of(raw_entry)})"
        if key in system_places:
            register.problem(
                relative, where, "fides_key", f"duplicate system key, first in {system_places[key]}"
            )
            continue
        system_places[key] = f"{relative} ({line_of(raw_entry)})"
        register.rows["register_legacy_fields"] += [
            legacy.row("system", key, relative) for legacy in legacy_fields
        ]
        _system_rows(register, system, relative, where, datasets)
    register.system_keys = set(system_places) | (invalid if register.problems else set())


def _is_system_key(register: Register, key: object, relative: str, where: str) -> bool:
    """exports.md: a system's `fides_key` is a key, stricter than fideslang (which accepts
    capitals, `<` and `>`): it names the records/ folder and is part of every activity key."""
    if not isinstance(key, str) or re.fullmatch(KEY_PATTERN, key):
        return True  # a missing key is fideslang's to report
    register.problem(
        relative, where, "fides_key",
        f"not a key: a system key is lowercase letters, digits, '_', '.' and '-', starting "
        f"with a letter or digit ({KEY_PATTERN})",
    )  # fmt: skip
    return False


def _flow_rows(
    register: Register, system: models.System, flows: list[models.DataFlow] | None,
    direction: str, relative: str, where: str,
) -> None:  # fmt: skip
    table, column = {
        "egress": ("system_egress_flows", "recipient_key"),
        "ingress": ("system_ingress_flows", "source_key"),
    }[direction]
    for flow in flows or []:
        _check_keys(register, "data_category", flow.data_categories, relative, where,
                    f"{direction} '{flow.fides_key}'.data_categories")  # fmt: skip
        categories: list[str | None] = list(flow.data_categories or []) or [None]
        for category in categories:
            register.rows[table].append(
                {"system_key": system.fides_key, column: flow.fides_key, "flow_type": flow.type,
                 "data_category": category, "_source_file": relative}
            )  # fmt: skip


def _dataset_references(
    register: Register, references: list[str] | None, datasets: dict[str, str],
    relative: str, where: str,
) -> list[str]:  # fmt: skip
    """The references that resolve; a dangling one is a problem."""
    resolved = []
    for dataset_key in dict.fromkeys(references or []):
        if dataset_key in datasets:
            resolved.append(dataset_key)
        else:
            register.problem(
                relative, where, "dataset_references",
                f"unknown dataset '{dataset_key}': no dataset resource in register/ has this key",
            )  # fmt: skip
    return resolved


def _system_rows(
    register: Register, system: models.System, relative: str, where: str,
    datasets: dict[str, str],
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
            "legal_name": system.legal_name,
            "legitimate_interest_disclosure_url": str(system.legitimate_interest_disclosure_url)
            if system.legitimate_interest_disclosure_url
            else None,
            "_source_file": relative,
        }
    )
    _flow_rows(register, system, system.egress, "egress", relative, where)
    _flow_rows(register, system, system.ingress, "ingress", relative, where)
    for dataset_key in _dataset_references(
        register, system.dataset_references, datasets, relative, where
    ):
        register.rows["system_datasets"].append(
            {"system_key": key, "dataset_key": dataset_key, "_source_file": relative}
        )
    for declaration, activity_key in _activity_keys(register, system, relative, where):
        _declaration_rows(register, key, declaration, activity_key, relative, where, datasets)
    _processor_activity_rows(register, system, meta, relative, where)


def declaration_slug(name: str) -> str:
    """exports.md activity keys: the name lower-cased, other runs than a-z0-9 as one `-`."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _activity_keys(
    register: Register, system: models.System, relative: str, where: str
) -> list[tuple[models.PrivacyDeclaration, str]]:
    """exports.md: `<system>:<data_use>`, or `<system>:<data_use>#<slug of its name>` where the
    system has several declarations for that use; those need distinct names."""
    by_use: dict[str, list[models.PrivacyDeclaration]] = defaultdict(list)
    for declaration in system.privacy_declarations:
        by_use[declaration.data_use].append(declaration)
    keyed = []
    for declaration in system.privacy_declarations:
        base = f"{system.fides_key}:{declaration.data_use}"
        same_use = by_use[declaration.data_use]
        if len(same_use) == 1:
            keyed.append((declaration, base))
            continue
        at = f"{where} declaration '{declaration.name or declaration.data_use}'"
        slug = declaration_slug(declaration.name or "")
        if not slug:
            register.problem(
                relative, at, "name",
                f"system '{system.fides_key}' has {len(same_use)} declarations for data use "
                f"'{declaration.data_use}': each needs a name that tells it apart",
            )  # fmt: skip
            continue
        twins = [d for d in same_use if declaration_slug(d.name or "") == slug]
        if len(twins) > 1:
            if twins[0] is declaration:
                register.problem(
                    relative, at, "name",
                    f"{len(twins)} declarations of system '{system.fides_key}' with data use "
                    f"'{declaration.data_use}' and the name '{declaration.name}' (activity key "
                    f"'{base}#{slug}'): give each its own name",
                )  # fmt: skip
            continue
        keyed.append((declaration, f"{base}#{slug}"))
    return keyed


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
        register.problem(relative, where, field_name, "expected a list of '<data_use>[#<slug>]'")
        return
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
            register.problem(
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
    activity_key: str, relative: str, where: str, datasets: dict[str, str],
) -> None:  # fmt: skip
    at = f"{where} declaration '{declaration.name or declaration.data_use}'"
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
    for dataset_key in _dataset_references(
        register, declaration.dataset_references, datasets, relative, at
    ):
        register.rows["activity_datasets"].append(
            {"activity_key": activity_key, "dataset_key": dataset_key, "_source_file": relative}
        )
