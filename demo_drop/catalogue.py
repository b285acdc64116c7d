"""The audit checks' severities and subject keys, read from the project's one catalogue.

The demo plants findings by its own reading of each rule, on purpose independent of the SQL
that detects them; which checks exist, how severe each is and what its subject is are not rules
but the catalogue, kept once in the dbt seed `audit_checks.csv`.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

AUDIT_CHECKS_SEED = (
    Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "audit_checks.csv"
)


@cache
def audit_checks() -> dict[str, tuple[str, tuple[str, ...]]]:
    """check name -> (severity, subject keys in the order of checks.md)."""
    with AUDIT_CHECKS_SEED.open(newline="", encoding="utf-8") as seed:
        return {
            row["check_name"]: (row["severity"], tuple(row["subject_keys"].split(";")))
            for row in csv.DictReader(seed)
        }
