"""The retention schedule and the policy commitments: the computable schedule and the promises.

Both are the privacy team's own files, known by their content wherever they are under
`register/` (a top-level `rules` list, a top-level `policy` mapping; pipelines/load/manifests.py
finds them); their usual names are `retention.yml` and `policy.yml`. Each file is checked whole:
every breach of its format is collected and raised at once (`DropErrors`), so it joins the
register's problems in one error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipelines.lib.durations import Duration, parse_duration
from pipelines.load.errors import DropError, DropErrors, Problem
from pipelines.load.yaml_source import LINE_KEY, line_of, read_yaml

RETENTION_FILE = "register/retention.yml"
POLICY_FILE = "register/policy.yml"
ANCHOR_COLUMNS = ("created_at", "last_activity_at", "closed_at")
PERIOD_SOURCES = ("fixed", "customer_setting")
ACTIONS = ("delete", "anonymise", "review")
_COMMITMENTS = (
    "rights_request_days",
    "extension_days",
    "unsubscribe_business_days",
    "minimum_age",
)
DEFAULT_DPA_RENEWAL_NOTICE_DAYS = 60
_COUNTRY = re.compile(r"[A-Z]{2}")
Row = dict[str, object]


class _Problems:
    """The problems found in one file, raised together once the file is read."""

    def __init__(self, relative: str) -> None:
        self.relative = relative
        self.found: list[Problem] = []

    def add(self, where: str, field: str | None, text: str) -> None:
        self.found.append(Problem(self.relative, where, field, text))

    def raise_any(self) -> None:
        if self.found:
            raise DropErrors(self.found)

    def required(self, entry: dict[str, Any], name: str, where: str) -> Any:
        value = entry.get(name)
        if value is None or value == "":
            self.add(where, name, "required value missing")
            return None
        return value

    def duration(self, value: Any, where: str, name: str) -> Duration | None:
        try:
            return parse_duration(str(value))
        except ValueError as error:
            self.add(where, name, str(error))
            return None

    def whole_number(self, value: Any, where: str, name: str, what: str) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.add(where, name, f"expected a whole number{what} >= 0, got {value!r}")
            return None
        return value


def _document(drop: Path, relative: str, top: str, shape: type) -> Any:
    """The file's top-level `top` value, which must be a `shape` (list or mapping)."""
    path = drop / relative
    if not path.exists():
        raise DropError(relative, "file", None, "missing: the register needs this file")
    document = read_yaml(path, relative) or {}
    value = document.get(top) if isinstance(document, dict) else None
    if not isinstance(value, shape):
        kind = "list" if shape is list else "mapping"
        raise DropError(relative, "file", top, f"expected a {kind} under '{top}'")
    return value


def read_retention_rules(
    drop: Path, system_keys: set[str] | None, relative: str = RETENTION_FILE
) -> list[Row]:
    """The schedule's rules. `system_keys` are the register's systems; None when the register
    could not be read whole, and a rule's system is then not checked."""
    rules = _document(drop, relative, "rules", list)
    problems = _Problems(relative)
    rows: list[Row] = []
    seen_keys: dict[str, str] = {}
    seen_scopes: dict[tuple[str, str], str] = {}
    for entry in rules:
        if not isinstance(entry, dict):
            problems.add("file", "rules", "each rule must be a mapping")
            continue
        before = len(problems.found)
        row = _retention_row(entry, system_keys, seen_keys, seen_scopes, problems)
        if len(problems.found) == before:
            rows.append(row)
    problems.raise_any()
    return rows


def _retention_row(
    entry: dict[str, Any],
    system_keys: set[str] | None,
    seen_keys: dict[str, str],
    seen_scopes: dict[tuple[str, str], str],
    problems: _Problems,
) -> Row:
    """The rule's row; each breach is added to `problems` (the row is then not used)."""
    line = line_of(entry)
    key = problems.required(entry, "key", line)
    where = f"rule '{key}' ({line})" if key is not None else line
    if key is not None:
        key = str(key)
        if key in seen_keys:
            problems.add(where, "key", f"duplicate rule key, first at {seen_keys[key]}")
        seen_keys.setdefault(key, line)
    system = problems.required(entry, "system", where)
    if system is not None and system_keys is not None and str(system) not in system_keys:
        problems.add(where, "system", f"unknown system '{system}'")
    record_type = problems.required(entry, "record_type", where)
    if system is not None and record_type is not None:
        scope = (str(system), str(record_type))
        if scope in seen_scopes:
            problems.add(
                where, "record_type",
                f"a second rule for system '{system}' and record_type '{record_type}' "
                f"(first: rule '{seen_scopes[scope]}')",
            )  # fmt: skip
        seen_scopes.setdefault(scope, str(key))
    anchors = problems.required(entry, "anchor", where)
    anchors = anchors if isinstance(anchors, list) or anchors is None else [anchors]
    if anchors is not None and (
        not 1 <= len(anchors) <= len(ANCHOR_COLUMNS)
        or any(a not in ANCHOR_COLUMNS for a in anchors)
    ):
        problems.add(where, "anchor", f"expected 1-3 of {', '.join(ANCHOR_COLUMNS)}, got {anchors}")
    period_source = str(entry.get("period_source") or "fixed")
    if period_source not in PERIOD_SOURCES:
        problems.add(where, "period_source", f"expected one of {', '.join(PERIOD_SOURCES)}")
    action = problems.required(entry, "action", where)
    if action is not None and action not in ACTIONS:
        problems.add(where, "action", f"expected one of {', '.join(ACTIONS)}, got {action!r}")
    period = entry.get("period")
    if period is None and period_source == "fixed":
        problems.add(where, "period", "a fixed rule needs a period")
    duration = problems.duration(period, where, "period") if period is not None else None
    padded = [*(anchors or []), None, None, None][:3]
    return {
        "rule_key": key,
        "system_key": system,
        "record_type": record_type,
        "data_subject": entry.get("data_subject"),
        "anchor_1": padded[0],
        "anchor_2": padded[1],
        "anchor_3": padded[2],
        "period": duration.text if duration else None,
        "period_months": duration.months if duration else None,
        "period_days": duration.days if duration else None,
        "period_source": period_source,
        "action": action,
        "basis": entry.get("basis"),
        "_source_file": problems.relative,
        "_source_line": entry[LINE_KEY],
    }


def read_policy(
    drop: Path, relative: str = POLICY_FILE
) -> tuple[Row, list[Row], list[Row], list[Row]]:
    """The policy row, its retention limits by data subject, its disclosed recipient categories
    and its disclosed transfer countries."""
    policy = _document(drop, relative, "policy", dict)
    problems = _Problems(relative)
    row: Row = {
        "title": policy.get("title"),
        "version": None if policy.get("version") is None else str(policy["version"]),
        "url": policy.get("url"),
        "_source_file": relative,
    }
    commitments = problems.required(policy, "commitments", line_of(policy))
    if isinstance(commitments, dict):
        at = line_of(commitments)
        for name in _COMMITMENTS:
            value = problems.required(commitments, name, at)
            if value is not None:
                row[name] = problems.whole_number(value, at, name, "")
        special = commitments.get("processes_special_category_data", False)
        if not isinstance(special, bool):
            problems.add(at, "processes_special_category_data", "expected true or false")
        row["processes_special_category_data"] = special
    elif commitments is not None:
        problems.add(line_of(policy), "commitments", "expected a mapping of commitments")
    notice = policy.get("dpa_renewal_notice_days")
    row["dpa_renewal_notice_days"] = (
        DEFAULT_DPA_RENEWAL_NOTICE_DAYS
        if notice is None
        else problems.whole_number(notice, line_of(policy), "dpa_renewal_notice_days", " of days")
    )
    limits = _retention_limits(policy, problems)
    disclosed: list[Row] = [
        {"recipient_category": str(c)} for c in policy.get("disclosed_recipient_categories") or []
    ]
    countries = _transfer_countries(policy, problems)
    problems.raise_any()
    return row, limits, disclosed, countries


def _retention_limits(policy: dict[str, Any], problems: _Problems) -> list[Row]:
    """`retention`: the longest period the policy promises, by data subject."""
    limits: list[Row] = []
    for entry in policy.get("retention") or []:
        if not isinstance(entry, dict):
            problems.add(line_of(policy), "retention", "each entry must be a mapping")
            continue
        where = line_of(entry)
        subject = problems.required(entry, "data_subject", where)
        period = problems.required(entry, "max_period", where)
        duration = problems.duration(period, where, "max_period") if period is not None else None
        if subject is not None and duration is not None:
            limits.append(
                {"data_subject": subject, "max_period": duration.text,
                 "max_period_months": duration.months, "max_period_days": duration.days}
            )  # fmt: skip
    return limits


def _transfer_countries(policy: dict[str, Any], problems: _Problems) -> list[Row]:
    """`disclosed_transfer_countries`: optional, default none; ISO 3166-1 alpha-2 codes."""
    countries = policy.get("disclosed_transfer_countries")
    if countries is None:
        return []
    field = "disclosed_transfer_countries"
    if not isinstance(countries, list):
        problems.add(line_of(policy), field, "expected a list of country codes")
        return []
    rows: list[Row] = []
    for value in countries:
        code = value.strip().upper() if isinstance(value, str) else ""
        if not _COUNTRY.fullmatch(code):
            hint = ' (YAML reads an unquoted NO as false: write "NO")' if value is False else ""
            problems.add(
                line_of(policy), field, f"{value!r} is not an ISO 3166-1 alpha-2 country code{hint}"
            )
        elif all(row["country"] != code for row in rows):
            rows.append({"country": code})
    return rows
