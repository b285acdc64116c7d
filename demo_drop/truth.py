"""The findings the drop was built to produce, counted from how it was built (findings.json)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from typing import Any

from demo_drop.findings import Finding, counted
from demo_drop.legacy import legacy_findings, manifest_documents, unread_file_findings
from demo_drop.parties import party_findings, transfer_findings
from demo_drop.requests import request_findings
from demo_drop.retention import MINIMUM_AGE, wording_findings
from demo_drop.streams import REJECTED_CLASSES, PlacedFile, RecordClass
from demo_drop.systems import SYSTEM_KEYS, SYSTEMS, register_findings


def record_findings(placed_files: list[PlacedFile]) -> list[Finding]:
    overdue: dict[tuple[str, str], int] = defaultdict(int)
    no_rule: dict[tuple[str, str], int] = defaultdict(int)
    no_period: dict[tuple[str, str, str], int] = defaultdict(int)
    undeclared: dict[str, int] = defaultdict(int)
    child: dict[str, int] = defaultdict(int)
    duplicates: dict[tuple[str, str], int] = defaultdict(int)
    after_termination: dict[str, int] = defaultdict(int)
    rejected: dict[str, int] = {}
    for placed in placed_files:
        stream = placed.stream
        class_rows = placed.class_rows()
        loaded = placed.rows - placed.rejected_rows()
        if stream.rule_key is None:
            no_rule[(stream.system, stream.record_type)] += loaded
        if stream.system not in SYSTEM_KEYS:
            undeclared[stream.system] += loaded
        for planted, rows in class_rows:
            if planted.record_class is RecordClass.OVERDUE and stream.rule_key is not None:
                overdue[(stream.system, stream.rule_key)] += rows
            elif planted.record_class is RecordClass.NO_PERIOD and stream.rule_key is not None:
                customer = planted.customer_key or "(none)"
                no_period[(stream.system, stream.rule_key, customer)] += rows
            elif planted.record_class is RecordClass.CHILD:
                child[stream.system] += rows
            elif planted.record_class is RecordClass.DUPLICATE:
                duplicates[(stream.system, stream.record_type)] += rows
            elif planted.record_class is RecordClass.AFTER_TERMINATION:
                after_termination[planted.customer_key or "(none)"] += rows
        if any(p.record_class in REJECTED_CLASSES for p, _ in class_rows):
            rejected[placed.relative_path] = placed.rejected_rows()

    findings = [
        Finding(
            "retention.overdue",
            key,
            n,
            f"{counted(n, 'record')} of {key[0]} past the deadline of rule {key[1]}",
        )
        for key, n in overdue.items()
    ]
    findings += [
        Finding(
            "retention.no_rule",
            key,
            n,
            f"{counted(n, key[1] + ' record')} of {key[0]} that no retention rule covers",
        )
        for key, n in no_rule.items()
    ]
    findings += [
        Finding(
            "retention.no_period",
            key,
            n,
            f"{counted(n, 'record')} of customer {key[2]} under rule {key[1]} have no period",
        )
        for key, n in no_period.items()
    ]
    findings += [
        Finding(
            "register.undeclared_system",
            (system,),
            n,
            f"records/{system}/ holds {counted(n, 'record')} of a system the register lacks",
        )
        for system, n in undeclared.items()
    ]
    findings += [
        Finding(
            "records.child",
            (system,),
            n,
            f"{counted(n, 'record')} of {system} about subjects under {MINIMUM_AGE}",
        )
        for system, n in child.items()
    ]
    findings += [
        Finding(
            "records.duplicate_id",
            key,
            n,
            f"{counted(n, 'extra ' + key[1] + ' row')} of {key[0]} reuse a record_id",
        )
        for key, n in duplicates.items()
    ]
    findings += [
        Finding("records.rejected", (path,), n, f"{counted(n, 'row')} of {path} rejected at load")
        for path, n in rejected.items()
    ]
    findings += [
        Finding(
            "customer.processing_after_termination",
            (customer,),
            n,
            f"{counted(n, 'record')} held for {customer} created after its termination",
        )
        for customer, n in after_termination.items()
    ]
    return [finding for finding in findings if finding.count > 0]


def activity_wordings() -> list[tuple[str, str, str | None]]:
    """(activity key, system, retention_period) of every declaration, keyed as exports.md says:
    `<system>:<data_use>`, with `#<slug of name>` where the system repeats the data_use."""
    wordings: list[tuple[str, str, str | None]] = []
    for system in SYSTEMS:
        uses = Counter(declaration.data_use for declaration in system.declarations)
        for declaration in system.declarations:
            key = f"{system.key}:{declaration.data_use}"
            if uses[declaration.data_use] > 1:
                key += "#" + re.sub(r"[^a-z0-9]+", "-", declaration.name.lower()).strip("-")
            wordings.append((key, system.key, declaration.retention))
    return wordings


def expected_findings(placed_files: list[PlacedFile], as_of: dt.date) -> list[Finding]:
    findings = (
        record_findings(placed_files)
        + register_findings()
        + legacy_findings(manifest_documents())
        + unread_file_findings()
        + party_findings()
        + transfer_findings(key for system in SYSTEMS for key in system.egress)
        + wording_findings(activity_wordings())
        + request_findings(as_of)
    )
    return sorted(findings, key=Finding.sort_key)


def truth_document(
    placed_files: list[PlacedFile], as_of: dt.date, drop_fingerprint: str
) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "drop_fingerprint": drop_fingerprint,
        "findings": [finding.as_json() for finding in expected_findings(placed_files, as_of)],
    }
