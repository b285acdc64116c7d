"""findings.json (checks.md) from a built warehouse: the one reader of `marts.findings`.

The checks themselves, their severities and counts are decided in dbt; this only shapes the
result. The pack and the dashboard call `findings_document` too, so they agree with `ropa findings`.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

_RUN_INFO_SQL = "select as_of, drop_fingerprint from marts.run_info"
_FINDINGS_SQL = (
    "select check_name, severity, subject_json, failing_count, message from marts.findings"
)


def findings_document(connection: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The findings.json document of checks.md for the warehouse behind `connection`."""
    run_info = connection.execute(_RUN_INFO_SQL).fetchall()
    if len(run_info) != 1:
        raise ValueError(f"run_info must hold exactly one row, found {len(run_info)}")
    as_of, drop_fingerprint = run_info[0]
    findings = [
        {
            "check": check_name,
            "severity": severity,
            # subject_json keeps checks.md's key order; json.loads keeps it too.
            "subject": {key: str(value) for key, value in json.loads(subject_json).items()},
            "count": int(failing_count),
            "message": message,
        }
        for check_name, severity, subject_json, failing_count, message in connection.execute(
            _FINDINGS_SQL
        ).fetchall()
    ]
    findings.sort(key=lambda finding: (finding["check"], tuple(finding["subject"].values())))
    return {
        "as_of": as_of.isoformat(),
        "drop_fingerprint": drop_fingerprint,
        "findings": findings,
    }
