"""`ropa demo`: write the demo export drop and, optionally, the findings it must produce."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path

from demo_drop.legacy import manifest_documents, write_extra_files
from demo_drop.organization import organization_document, taxonomy_document
from demo_drop.parties import (
    COOKIE_COLUMNS,
    COOKIES,
    CUSTOMER_COLUMNS,
    CUSTOMERS,
    VENDOR_COLUMNS,
    VENDORS,
)
from demo_drop.records import write_records
from demo_drop.requests import REQUEST_COLUMNS, request_rows
from demo_drop.retention import policy_document, retention_document
from demo_drop.streams import LAYOUT_MODULUS, PlacedFile, place_files
from demo_drop.truth import truth_document
from demo_drop.writers import drop_fingerprint, write_csv, write_json, write_yaml

DEFAULT_RECORDS = 100_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="folder to write the drop into")
    parser.add_argument(
        "--records",
        type=int,
        default=DEFAULT_RECORDS,
        help=f"total record rows across records/ (at least {LAYOUT_MODULUS}; default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=42, help="seed of the pseudo-random values")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        help="evaluation date the drop is built around, YYYY-MM-DD (default: today in UTC)",
    )
    parser.add_argument("--truth", type=Path, help="also write the expected findings.json here")
    parser.add_argument(
        "--overwrite", action="store_true", help="replace an existing demo drop at --out"
    )


def run(args: argparse.Namespace) -> int:
    as_of: dt.date = args.as_of or dt.datetime.now(dt.UTC).date()
    drop: Path = args.out.resolve()
    problem = _argument_problem(args, drop)
    if problem:
        print(f"ropa demo: {problem}", file=sys.stderr)
        return 2
    if drop.exists() and args.overwrite:
        shutil.rmtree(drop)
    placed = write_drop(drop, args.records, args.seed, as_of)
    if args.truth:
        write_json(args.truth, truth_document(placed, as_of, drop_fingerprint(drop)))
    print(f"ropa demo: wrote {args.records:,} records to {drop}", file=sys.stderr)
    return 0


def _argument_problem(args: argparse.Namespace, drop: Path) -> str | None:
    if args.records < LAYOUT_MODULUS:
        return f"--records must be at least {LAYOUT_MODULUS} so every planted finding fits"
    if args.truth and args.truth.resolve().is_relative_to(drop):
        return "--truth must be outside --out: the drop fingerprint covers every file in it"
    if drop.exists() and any(drop.iterdir()):
        if not args.overwrite:
            return f"{drop} is not empty; pass --overwrite to replace a previous demo drop"
        if not (drop / "register" / "organization.yml").is_file():
            return f"{drop} does not look like an export drop; refusing to delete it"
    return None


def write_drop(drop: Path, records: int, seed: int, as_of: dt.date) -> list[PlacedFile]:
    """Write every file of the drop; returns where the records went, for the truth."""
    register = drop / "register"
    write_yaml(register / "organization.yml", organization_document())
    write_yaml(register / "taxonomy.yml", taxonomy_document())
    write_yaml(register / "retention.yml", retention_document())
    write_yaml(register / "policy.yml", policy_document())
    for relative, document in manifest_documents().items():
        write_yaml(drop / relative, document)
    write_csv(drop / "vendors.csv", VENDOR_COLUMNS, (v.row(as_of) for v in VENDORS))
    write_csv(drop / "customers.csv", CUSTOMER_COLUMNS, (c.row(as_of) for c in CUSTOMERS))
    write_csv(drop / "cookies.csv", COOKIE_COLUMNS, (c.row() for c in COOKIES))
    write_csv(drop / "privacy_requests.csv", REQUEST_COLUMNS, request_rows(as_of, seed))
    placed = place_files(records)
    write_records(drop, placed, seed, as_of)
    write_extra_files(drop)
    return placed
