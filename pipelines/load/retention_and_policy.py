"""The retention schedule and the policy commitments: the computable schedule and the promises.

Both are the privacy team's own files, known by their content wherever they are under
`register/` (a top-level `rules` list, a top-level `policy` mapping; pipelines/load/manifests.py
finds them); their usual names are `retention.yml` and `policy.yml`. Any breach of their format
is a file-level error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipelines.lib.durations import Duration, parse_duration
from pipelines.load.errors import DropError
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


def _required(entry: dict[str, Any], name: str, relative: str, where: str) -> Any:
    value = entry.get(name)
    if value is None or value == "":
        raise DropError(relative, where, name, "required value missing")
    return value


def _duration(value: Any, relative: str, where: str, name: str) -> Duration:
    try:
        return parse_duration(str(value))
    except ValueError as error:
        raise DropError(relative, where, name, str(error)) from error


def read_retention_rules(
    drop: Path, system_keys: set[str], relative: str = RETENTION_FILE
) -> list[Row]:
    path = drop / relative
    if not path.exists():
        raise DropError(relative, "file", None, "missing: the drop needs a retention schedule")
    document = read_yaml(path, relative) or {}
    rules = document.get("rules") if isinstance(document, dict) else None
    if not isinstance(rules, list):
        raise DropError(relative, "file", "rules", "expected a list of rules under 'rules'")
    rows: list[Row] = []
    seen_keys: dict[str, str] = {}
    seen_scopes: dict[tuple[str, str], str] = {}
    for entry in rules:
        if not isinstance(entry, dict):
            raise DropError(relative, "file", "rules", "each rule must be a mapping")
        rows.append(_retention_row(entry, system_keys, seen_keys, seen_scopes, relative))
    return rows


def _retention_row(
    entry: dict[str, Any],
    system_keys: set[str],
    seen_keys: dict[str, str],
    seen_scopes: dict[tuple[str, str], str],
    relative: str,
) -> Row:
    where = line_of(entry)
    key = str(_required(entry, "key", relative, where))
    where = f"rule '{key}' ({where})"
    if key in seen_keys:
        raise DropError(relative, where, "key", f"duplicate rule key, first at {seen_keys[key]}")
    seen_keys[key] = line_of(entry)
    system = str(_required(entry, "system", relative, where))
    if system not in system_keys:
        raise DropError(relative, where, "system", f"unknown system '{system}'")
    record_type = str(_required(entry, "record_type", relative, where))
    scope = (system, record_type)
    if scope in seen_scopes:
        raise DropError(
            relative, where, "record_type",
            f"a second rule for system '{system}' and record_type '{record_type}' "
            f"(first: rule '{seen_scopes[scope]}')",
        )  # fmt: skip
    seen_scopes[scope] = key
    anchors = _required(entry, "anchor", relative, where)
    anchors = anchors if isinstance(anchors, list) else [anchors]
    if not 1 <= len(anchors) <= len(ANCHOR_COLUMNS) or any(
        a not in ANCHOR_COLUMNS for a in anchors
    ):
        raise DropError(
            relative,
            where,
            "anchor",
            f"expected 1-3 of {', '.join(ANCHOR_COLUMNS)}, got {anchors}",
        )
    period_source = str(entry.get("period_source") or "fixed")
    if period_source not in PERIOD_SOURCES:
        raise DropError(relative, where, "period_source", f"expected one of {PERIOD_SOURCES}")
    action = str(_required(entry, "action", relative, where))
    if action not in ACTIONS:
        raise DropError(relative, where, "action", f"expected one of {ACTIONS}")
    period = entry.get("period")
    if period is None and period_source == "fixed":
        raise DropError(relative, where, "period", "a fixed rule needs a period")
    duration = _duration(period, relative, where, "period") if period is not None else None
    padded = [*anchors, None, None][:3]
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
        "_source_file": relative,
        "_source_line": entry[LINE_KEY],
    }


def read_policy(
    drop: Path, relative: str = POLICY_FILE
) -> tuple[Row, list[Row], list[Row], list[Row]]:
    """The policy row, its retention limits by data subject, its disclosed recipient categories
    and its disclosed transfer countries."""
    path = drop / relative
    if not path.exists():
        raise DropError(relative, "file", None, "missing: the drop needs the policy's commitments")
    document = read_yaml(path, relative) or {}
    policy = document.get("policy") if isinstance(document, dict) else None
    if not isinstance(policy, dict):
        raise DropError(relative, "file", "policy", "expected a 'policy' mapping")
    commitments = _required(policy, "commitments", relative, line_of(policy))
    row: Row = {
        "title": policy.get("title"),
        "version": None if policy.get("version") is None else str(policy["version"]),
        "url": policy.get("url"),
        "_source_file": relative,
    }
    for name in _COMMITMENTS:
        value = _required(commitments, name, relative, line_of(commitments))
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DropError(
                relative,
                line_of(commitments),
                name,
                f"expected a whole number >= 0, got {value!r}",
            )
        row[name] = value
    special = commitments.get("processes_special_category_data", False)
    if not isinstance(special, bool):
        raise DropError(
            relative,
            line_of(commitments),
            "processes_special_category_data",
            "expected true or false",
        )
    row["processes_special_category_data"] = special
    row["dpa_renewal_notice_days"] = _notice_days(policy, relative)
    limits: list[Row] = []
    for entry in policy.get("retention") or []:
        where = line_of(entry)
        subject = _required(entry, "data_subject", relative, where)
        duration = _duration(
            _required(entry, "max_period", relative, where), relative, where, "max_period"
        )
        limits.append(
            {"data_subject": subject, "max_period": duration.text,
             "max_period_months": duration.months, "max_period_days": duration.days}
        )  # fmt: skip
    disclosed: list[Row] = [
        {"recipient_category": str(c)} for c in policy.get("disclosed_recipient_categories") or []
    ]
    return row, limits, disclosed, _transfer_countries(policy, relative)


def _notice_days(policy: dict[str, Any], relative: str) -> int:
    """`dpa_renewal_notice_days`: optional, default 60, a whole number >= 0."""
    value = policy.get("dpa_renewal_notice_days")
    if value is None:
        return DEFAULT_DPA_RENEWAL_NOTICE_DAYS
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DropError(
            relative,
            line_of(policy),
            "dpa_renewal_notice_days",
            f"expected a whole number of days >= 0, got {value!r}",
        )
    return value


def _transfer_countries(policy: dict[str, Any], relative: str) -> list[Row]:
    """`disclosed_transfer_countries`: optional, default none; ISO 3166-1 alpha-2 codes."""
    countries = policy.get("disclosed_transfer_countries")
    if countries is None:
        return []
    field = "disclosed_transfer_countries"
    if not isinstance(countries, list):
        raise DropError(relative, line_of(policy), field, "expected a list of country codes")
    rows: list[Row] = []
    for value in countries:
        code = value.strip().upper() if isinstance(value, str) else ""
        if not _COUNTRY.fullmatch(code):
            hint = ' (YAML reads an unquoted NO as false: write "NO")' if value is False else ""
            raise DropError(
                relative,
                line_of(policy),
                field,
                f"{value!r} is not an ISO 3166-1 alpha-2 country code{hint}",
            )
        if all(row["country"] != code for row in rows):
            rows.append({"country": code})
    return rows
