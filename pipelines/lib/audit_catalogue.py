"""The audit checks of checks.md as the `audit_checks` seed lists them: the one catalogue.

Which checks exist, their severities and subject keys live only in the seed; dbt joins it into
`marts.findings`, and Python (the asset checks, tests) reads it through this module.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from pipelines.lib.dbt_manifest import DBT_PROJECT_DIR

AUDIT_CHECKS_SEED = DBT_PROJECT_DIR / "seeds" / "audit_checks.csv"


@dataclass(frozen=True)
class AuditCheck:
    """One row of the audit_checks seed."""

    check_name: str
    severity: str
    subject_keys: tuple[str, ...]
    model_name: str
    description: str


def read_audit_checks() -> list[AuditCheck]:
    """The checks of checks.md, in the seed's order."""
    with AUDIT_CHECKS_SEED.open(newline="", encoding="utf-8") as seed:
        return [
            AuditCheck(
                check_name=row["check_name"],
                severity=row["severity"],
                subject_keys=tuple(row["subject_keys"].split(";")),
                model_name=row["model_name"],
                description=row["description"],
            )
            for row in csv.DictReader(seed)
        ]
