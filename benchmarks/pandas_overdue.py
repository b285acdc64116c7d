"""The pandas script of the refresh benchmark: `retention.overdue` the way an analyst would
compute it — read the retention schedule and every extract with pandas, apply each rule (the
first non-null anchor, the period or the customer's setting, legal hold), count per rule.
Usage: `python benchmarks/pandas_overdue.py DROP AS_OF`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import yaml

_ANCHORS = ["created_at", "last_activity_at", "closed_at"]


def read_extract(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str)
    elif path.suffix == ".jsonl":
        frame = pd.read_json(path, lines=True, dtype=False)
    else:
        frame = pd.read_parquet(path)
    for column in _ANCHORS:
        if column in frame:
            frame[column] = pd.to_datetime(
                frame[column], utc=True, errors="coerce", format="ISO8601"
            )
    return frame


def period(text: str) -> pd.DateOffset:
    years, months, weeks, days = (
        int(value or 0)
        for value in re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", text).groups()  # type: ignore[union-attr]
    )
    return pd.DateOffset(years=years, months=months, days=days + 7 * weeks)


def main(drop: Path, as_of: str) -> None:
    rules = yaml.safe_load((drop / "register" / "retention.yml").read_text())["rules"]
    customers = pd.read_csv(drop / "customers.csv", dtype=str).set_index("customer_key")
    settings = pd.to_numeric(customers["retention_days"], errors="coerce")
    evaluation = pd.Timestamp(as_of, tz="UTC")
    overdue: dict[str, int] = {}
    for folder in sorted((drop / "records").iterdir()):
        frames = [
            read_extract(path)
            for path in sorted(folder.rglob("*"))
            if path.suffix in (".csv", ".jsonl", ".parquet")
        ]
        if not frames:
            continue
        records = pd.concat(frames, ignore_index=True)
        system_rules = [rule for rule in rules if rule["system"] == folder.name]
        typed = {rule["record_type"] for rule in system_rules} - {"*"}
        for rule in system_rules:
            chosen = (
                records[records["record_type"] == rule["record_type"]]
                if rule["record_type"] != "*"
                else records[~records["record_type"].isin(typed)]
            )
            anchor = chosen[rule["anchor"][0]]
            for later in rule["anchor"][1:]:  # the first non-null anchor
                anchor = anchor.fillna(chosen[later])
            if rule.get("period_source") == "customer_setting":
                days = chosen["customer_key"].map(settings)
                default = period(rule["period"]) if rule.get("period") else None
                deadline = anchor + pd.to_timedelta(days, unit="D")
                if default is not None:
                    deadline = deadline.fillna(anchor[days.isna()] + default)
            elif rule.get("period"):
                deadline = anchor + period(rule["period"])
            else:
                continue
            hold = chosen.get("legal_hold", pd.Series(False, index=chosen.index))
            on_hold = hold.astype(str).str.lower().isin(["true", "1", "yes"])
            late = deadline.dt.floor("D") < evaluation
            overdue[rule["key"]] = int((late & ~on_hold).sum())
    print(f"{sum(overdue.values()):,} overdue records under {len(overdue)} rules")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
