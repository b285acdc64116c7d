"""changes.json and changes.md: what the record says now that it did not say in the previous pack.

Both packs are compared through their ropa.json, so a pack written by an older version of the
warehouse (or copied elsewhere and given with `--since`) still serves as the baseline. Evidence
columns (record counts, findings, load times: "x-evidence" in the schema) move every night and
are not changes to the record, so only the regulator's columns are compared, whichever copy
either pack is. Entries are matched by the register's keys where both packs hold them (the
current pack's are read from the warehouse; an internal copy's ropa.json holds them), else by
their names in words (a regulator's copy given as the baseline holds no keys); the regulator's
changes.json names each entry in words only, never by its key. changes.md reads as the DPO's
note for the period: what was added, what was removed, and each changed field with its old
and its new value in words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.pack.record import fields


@dataclass(frozen=True)
class _Compared:
    section: str
    definition: str
    title: str
    noun: tuple[str, str]  # singular, plural
    key: tuple[str, ...]
    name_columns: tuple[str, ...]
    # Matches entries when a pack holds no keys (a regulator's copy): words that name one entry.
    words_key: tuple[str, ...]


_COMPARED: tuple[_Compared, ...] = (
    _Compared(
        "controller_activities",
        "controller_activity",
        "Processing activities as controller (Art. 30(1))",
        ("activity", "activities"),
        ("activity_key",),
        ("activity_name", "system_name"),
        ("activity_name", "system_name", "purpose_name"),
    ),
    _Compared(
        "processor_activities",
        "processor_activity",
        "Processing for customers as processor (Art. 30(2))",
        ("customer record", "customer records"),
        ("customer_key", "activity_key"),
        ("customer_name", "system_name"),
        ("customer_name", "system_name", "processing_categories"),
    ),
    _Compared(
        "recipients",
        "recipient",
        "Recipients and processors",
        ("recipient", "recipients"),
        ("vendor_key",),
        ("legal_name",),
        ("legal_name", "country_label"),
    ),
    _Compared(
        "transfers",
        "transfer",
        "Transfers to third countries",
        ("transfer", "transfers"),
        ("transfer_key",),
        ("vendor_name", "country_label", "system_name"),
        ("system_name", "vendor_name"),
    ),
    _Compared(
        "retention_schedule",
        "retention_rule",
        "Retention schedule",
        ("retention rule", "retention rules"),
        ("rule_key",),
        ("rule_text", "system_name"),
        ("system_name", "rule_text"),
    ),
)


def changes_document(
    current: dict[str, Any], previous_pack: Path | None, with_keys: bool = True
) -> dict[str, Any]:
    """Entries added, removed and changed (field by field) since the previous pack; `with_keys`
    (the internal copy) names each entry by its keys as well as in words."""
    previous: dict[str, Any] = {}
    if previous_pack is not None:
        previous = json.loads((previous_pack / "ropa.json").read_text(encoding="utf-8"))
    document: dict[str, Any] = {
        "pack_id": current["pack_id"],
        "as_of": current["as_of"],
        "previous_pack": (
            {"pack_id": previous.get("pack_id"), "as_of": previous.get("as_of")}
            if previous_pack is not None
            else None
        ),
    }
    for compared in _COMPARED:
        document[compared.section] = _compare(
            compared,
            previous.get(compared.section, []),
            current.get(compared.section, []),
            with_keys,
        )
    return document


def _compare(
    compared: _Compared,
    before_rows: list[dict[str, Any]],
    after_rows: list[dict[str, Any]],
    with_keys: bool,
) -> dict[str, list[dict[str, Any]]]:
    labels = fields(compared.definition, "regulator")
    keyed = all(column in row for row in [*before_rows, *after_rows] for column in compared.key)
    match = compared.key if keyed else compared.words_key
    before = {_key(match, row): row for row in before_rows}
    after = {_key(match, row): row for row in after_rows}
    changed = []
    for key in sorted(before.keys() & after.keys()):
        differences = [
            {
                "field": name,
                "label": label,
                "before": before[key].get(name),
                "after": after[key].get(name),
            }
            for name, label in labels.items()
            if before[key].get(name) != after[key].get(name)
        ]
        if differences:
            changed.append({**_identity(compared, after[key], with_keys), "fields": differences})
    return {
        "added": [
            _identity(compared, after[key], with_keys)
            for key in sorted(after.keys() - before.keys())
        ],
        "removed": [
            _identity(compared, before[key], with_keys)
            for key in sorted(before.keys() - after.keys())
        ],
        "changed": changed,
    }


def _key(columns: tuple[str, ...], row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(row.get(column)) for column in columns)


def _identity(compared: _Compared, row: dict[str, Any], with_keys: bool) -> dict[str, Any]:
    """A readable name and (internal copy) the row's key columns: all a list of changes needs."""
    name = " · ".join(str(row[column]) for column in compared.name_columns if row.get(column))
    keys = {column: row.get(column) for column in compared.key} if with_keys else {}
    return {**keys, "name": name}


def changes_markdown(document: dict[str, Any]) -> str:
    previous = document["previous_pack"]
    lines = [f"# Changes in the record of processing: pack {document['pack_id']}", ""]
    if previous is None:
        lines += [
            f"Evaluation date {document['as_of']}. No previous pack: this is the first record, "
            "so everything in it is listed as added.",
            "",
        ]
    else:
        lines += [
            f"Evaluation date {document['as_of']}, compared with pack {previous['pack_id']} "
            f"(evaluation date {previous['as_of']}).",
            "",
        ]
    summary = [_summary(compared, document[compared.section]) for compared in _COMPARED]
    changed = [line for line in summary if line]
    lines += [*(f"- {line}" for line in changed)] if changed else ["Nothing changed."]
    lines.append("")
    for compared in _COMPARED:
        section = document[compared.section]
        if not any(section.values()):
            continue
        lines += [f"## {compared.title}", ""]
        for verb in ("added", "removed"):
            if section[verb]:
                lines += [f"{verb.capitalize()}:", ""]
                lines += [f"- {_heading(compared, item)}" for item in section[verb]]
                lines.append("")
        for item in section["changed"]:
            lines += [f"Changed: {_heading(compared, item)}", ""]
            lines += [
                f"- {change['label']}: was {_words(change['before'])}, "
                f"now {_words(change['after'])}."
                for change in item["fields"]
            ]
            lines.append("")
    return "\n".join(lines)


def _summary(compared: _Compared, section: dict[str, list[Any]]) -> str:
    parts = [
        f"{len(section[verb])} {compared.noun[len(section[verb]) != 1]} {verb}"
        for verb in ("added", "removed", "changed")
        if section[verb]
    ]
    return f"{compared.title}: {', '.join(parts)}" if parts else ""


def _heading(compared: _Compared, item: dict[str, Any]) -> str:
    """The entry by its name; its key only where the register gives it no name (internal copy)."""
    keys = [str(item[column]) for column in compared.key if item.get(column)]
    return str(item["name"] or " / ".join(keys) or "(unnamed)")


def _words(value: Any) -> str:
    """A value as a DPO reads it: empty as "empty", flags as yes / no, text in quotes."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "“" + " / ".join(str(value).splitlines()) + "”"
