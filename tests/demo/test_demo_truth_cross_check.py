"""An independent reading of the written files must agree with the truth built by construction.

The oracle here reads what was written (not the generator's class layout) and applies the rules
of exports.md and docs/architecture.md in plain Python, so a generator bug that puts a record on
the wrong side of a deadline shows up as a disagreement.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import yaml

RECORD_CHECKS = {
    "retention.overdue",
    "retention.no_period",
    "retention.no_rule",
    "records.child",
    "records.duplicate_id",
    "records.rejected",
}
PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
TRUE, FALSE = {"true", "yes", "1"}, {"false", "no", "0"}
COLUMNS = (
    "record_id, record_type, customer_key, created_at, last_activity_at, closed_at, "
    "legal_hold, subject_country, subject_age"
)


def months_and_days(period: str) -> tuple[int, int]:
    match = PERIOD.match(period)
    assert match, period
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    return years * 12 + months, weeks * 7 + days


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + year, month + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def parse_timestamp(text: str | None) -> dt.datetime | bool | None:
    """The UTC moment, None for an empty cell, False when unparseable."""
    if text is None or text == "":
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def read_rows(path: Path) -> list[tuple[Any, ...]]:
    connection = duckdb.connect()
    if path.suffix == ".csv":
        source = f"read_csv('{path}', all_varchar = true)"
    elif path.suffix == ".jsonl":
        source = (
            f"read_json('{path}', format = 'newline_delimited', records = true, columns = {{"
            + ", ".join(f"{c.strip()}: 'VARCHAR'" for c in COLUMNS.split(","))
            + "})"
        )
    else:
        source = f"read_parquet('{path}')"
    casts = ", ".join(f"{c.strip()}::VARCHAR" for c in COLUMNS.split(","))
    return connection.execute(f"select {casts} from {source}").fetchall()


def oracle(root: Path, as_of: dt.date) -> dict[tuple[str, tuple[str, ...]], int]:
    rules = yaml.safe_load((root / "register" / "retention.yml").read_text())["rules"]
    with (root / "customers.csv").open(encoding="utf-8") as handle:
        customer_days = {
            row["customer_key"]: int(row["retention_days"]) if row["retention_days"] else None
            for row in csv.DictReader(handle)
        }
    counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
    ids: dict[tuple[str, str], Counter[str]] = {}
    for path in sorted((root / "records").rglob("*.*")):
        if path.suffix not in (".csv", ".jsonl", ".parquet"):
            continue  # not read: drop.unread_file
        system = path.relative_to(root / "records").parts[0]  # any depth belongs to the folder
        for record_id, record_type, customer, *stamps, hold, country, age in read_rows(path):
            moments = [parse_timestamp(stamp) for stamp in stamps]
            hold_text = (hold or "").strip('"').lower()
            bad = (
                moments[0] in (None, False)
                or False in moments
                or (hold is not None and hold_text not in TRUE | FALSE | {"null"})
                or (age is not None and int(age) < 0)
                or (country is not None and not re.fullmatch(r"[A-Z]{2}", country))
            )
            if bad:
                counts[("records.rejected", (path.relative_to(root).as_posix(),))] += 1
                continue
            ids.setdefault((system, record_type), Counter())[record_id] += 1
            if age is not None and int(age) < 16:
                counts[("records.child", (system,))] += 1
            matching = [
                r for r in rules if r["system"] == system and r["record_type"] == record_type
            ]
            matching = matching or [
                r for r in rules if r["system"] == system and r["record_type"] == "*"
            ]
            if not matching:
                counts[("retention.no_rule", (system, record_type))] += 1
                continue
            rule = matching[0]
            by_column = dict(
                zip(("created_at", "last_activity_at", "closed_at"), moments, strict=True)
            )
            anchor = next((by_column[c] for c in rule["anchor"] if by_column[c] is not None), None)
            if rule["period_source"] == "customer_setting" and customer_days.get(customer or ""):
                months, days = 0, customer_days[customer]
            elif rule.get("period"):
                months, days = months_and_days(rule["period"])
            else:
                counts[("retention.no_period", (system, rule["key"], customer or "(none)"))] += 1
                continue
            if isinstance(anchor, dt.datetime) and hold_text not in TRUE:
                deadline = (add_months(anchor, months) + dt.timedelta(days=days or 0)).date()
                if deadline < as_of:
                    counts[("retention.overdue", (system, rule["key"]))] += 1
    for (system, record_type), seen in ids.items():
        extra = sum(seen.values()) - len(seen)
        if extra:
            counts[("records.duplicate_id", (system, record_type))] = extra
    return dict(counts)


def test_record_findings_agree_with_an_independent_reading(demo_drop: Any) -> None:
    truth = demo_drop.truth()
    expected = {
        (f["check"], tuple(f["subject"].values())): f["count"]
        for f in truth["findings"]
        if f["check"] in RECORD_CHECKS
    }
    assert oracle(demo_drop.root, dt.date.fromisoformat(truth["as_of"])) == expected


def due_on(request_type: str, received: dt.date, extended: bool) -> dt.date:
    if request_type == "unsubscribe":
        day, left = received, 10
        while left:
            day += dt.timedelta(days=1)
            left -= day.weekday() < 5
        return day
    return received + dt.timedelta(days=30 + (60 if extended else 0))


def test_request_findings_agree_with_an_independent_reading(demo_drop: Any) -> None:
    truth = demo_drop.truth()
    as_of = dt.date.fromisoformat(truth["as_of"])
    counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
    with (demo_drop.root / "privacy_requests.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            received = parse_timestamp(row["received_at"])
            assert isinstance(received, dt.datetime)
            due = due_on(row["request_type"], received.date(), row["extended"] == "true")
            completed = parse_timestamp(row["completed_at"])
            if isinstance(completed, dt.datetime) and completed.date() > due:
                counts[("request.late", (row["request_type"],))] += 1
            elif completed is None and as_of > due:
                counts[("request.overdue", (row["request_type"],))] += 1
    expected = {
        (f["check"], tuple(f["subject"].values())): f["count"]
        for f in truth["findings"]
        if f["check"].startswith("request.")
    }
    assert dict(counts) == expected
