"""`ropa findings`: print the findings of the published warehouse (findings.json of checks.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pipelines.lib.findings import findings_document
from pipelines.lib.warehouse import WarehouseMissingError, read_only_connection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse", required=True, type=Path, help="warehouse folder (holds ropa.duckdb)"
    )
    parser.add_argument(
        "--format",
        choices=("json", "table"),
        default="table",
        help="json: the findings.json document; table: one line per finding (default)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        with read_only_connection(args.warehouse) as connection:
            document = findings_document(connection)
    except WarehouseMissingError as error:
        print(f"ropa findings: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(_table(document))
    return 0


def _table(document: dict[str, Any]) -> str:
    """A plain fixed-width table, readable in a terminal and in CI logs."""
    header = f"Findings as of {document['as_of']} ({document['drop_fingerprint']})"
    rows = [
        (
            finding["severity"],
            finding["check"],
            ", ".join(f"{key}={value}" for key, value in finding["subject"].items()),
            f"{finding['count']:,}",
        )
        for finding in document["findings"]
    ]
    if not rows:
        return f"{header}\nNo findings."
    titles = ("SEVERITY", "CHECK", "SUBJECT", "COUNT")
    widths = [max(len(row[i]) for row in [titles, *rows]) for i in range(len(titles))]
    lines = [header] + [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [titles, *rows]
    ]
    errors = sum(1 for finding in document["findings"] if finding["severity"] == "error")
    lines.append(f"{len(rows)} findings, {errors} of severity error")
    return "\n".join(lines)
