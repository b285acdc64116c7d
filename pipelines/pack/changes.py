"""changes.json and changes.md: what the record says now that it did not say in the previous pack.

Both packs are compared through their ropa.json, so a pack written by an older version of the
warehouse (or copied elsewhere and given with `--since`) still serves as the baseline. Evidence
columns (record counts, findings, load times) move every night and are not changes to the record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.pack.record import fields

_EVIDENCE_COLUMNS = frozenset(
    {"records_held", "records_overdue", "open_findings", "source_files", "loaded_at"}
)


@dataclass(frozen=True)
class _Compared:
    section: str
    definition: str
    title: str
    key: tuple[str, ...]
    name_columns: tuple[str, ...]


_COMPARED: tuple[_Compared, ...] = (
    _Compared(
        "controller_activities",
        "controller_activity",
        "Processing activities as controller (Art. 30(1))",
        ("activity_key",),
        ("activity_name",),
    ),
    _Compared(
        "processor_activities",
        "processor_activity",
        "Processing for customers as processor (Art. 30(2))",
        ("customer_key", "activity_key"),
        ("customer_name", "system_name"),
    ),
)


def changes_document(current: dict[str, Any], previous_pack: Path | None) -> dict[str, Any]:
    """Activities added, removed and changed (field by field) since the previous pack."""
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
            compared, previous.get(compared.section, []), current[compared.section]
        )
    return document


def _compare(
    compared: _Compared, before_rows: list[dict[str, Any]], after_rows: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    labels = fields(compared.definition)
    before = {_key(compared, row): row for row in before_rows}
    after = {_key(compared, row): row for row in after_rows}
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
            if name not in _EVIDENCE_COLUMNS and before[key].get(name) != after[key].get(name)
        ]
        if differences:
            changed.append({**_identity(compared, after[key]), "fields": differences})
    return {
        "added": [_identity(compared, after[key]) for key in sorted(after.keys() - before.keys())],
        "removed": [
            _identity(compared, before[key]) for key in sorted(before.keys() - after.keys())
        ],
        "changed": changed,
    }


def _key(compared: _Compared, row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(row.get(column)) for column in compared.key)


def _identity(compared: _Compared, row: dict[str, Any]) -> dict[str, Any]:
    """The row's key columns and a readable name, which is all a list of changes needs."""
    name = " · ".join(str(row[column]) for column in compared.name_columns if row.get(column))
    return {**{column: row.get(column) for column in compared.key}, "name": name}


def changes_markdown(document: dict[str, Any]) -> str:
    previous = document["previous_pack"]
    lines = [f"# Changes in the record of processing: pack {document['pack_id']}", ""]
    if previous is None:
        lines += [
            "No previous pack: this is the first pack, so every activity is listed as added.",
            "",
        ]
    else:
        lines += [
            f"Evaluation date {document['as_of']}, compared with pack {previous['pack_id']} "
            f"(evaluation date {previous['as_of']}). Record counts and findings are evidence "
            "that moves with every run; they are not compared here.",
            "",
        ]
    for compared in _COMPARED:
        section = document[compared.section]
        lines += [f"## {compared.title}", ""]
        if not any(section.values()):
            lines += ["No changes.", ""]
            continue
        for verb in ("added", "removed"):
            if section[verb]:
                lines += [f"### {verb.capitalize()}", ""]
                lines += [f"- {_heading(compared, item)}" for item in section[verb]]
                lines.append("")
        if section["changed"]:
            lines += ["### Changed", ""]
            for item in section["changed"]:
                lines += [f"#### {_heading(compared, item)}", "", "| Field | Before | After |"]
                lines.append("|---|---|---|")
                lines += [
                    f"| {_cell(change['label'])} | {_cell(change['before'])} "
                    f"| {_cell(change['after'])} |"
                    for change in item["fields"]
                ]
                lines.append("")
    return "\n".join(lines)


def _heading(compared: _Compared, item: dict[str, Any]) -> str:
    key = " / ".join(str(item[column]) for column in compared.key)
    return f"{item['name'] or key} (`{key}`)"


def _cell(value: Any) -> str:
    """A value inside a Markdown table cell: pipes escaped, line breaks as <br>."""
    if value is None or value == "":
        return "—"
    return str(value).replace("|", "\\|").replace("\n", "<br>")
