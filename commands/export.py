"""`ropa export`: write a regulator pack from the published warehouse.

By default the regulator's copy (the record alone, Art. 30(4)); `--audience internal` writes the
DPO's copy, which adds findings.json, a Findings sheet and the evidence columns.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipelines.lib.warehouse import WarehouseMissingError, packs_dir
from pipelines.pack.identity import new_pack_id
from pipelines.pack.record import AUDIENCES, PackSourceError
from pipelines.pack.signing import SigningKeyError
from pipelines.pack.writer import write_pack


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", type=Path, required=True, help="the warehouse folder")
    parser.add_argument(
        "--out",
        type=Path,
        help="the new pack folder; its name is the pack id (default: <warehouse>/packs/"
        "<UTC time>-export, where later packs find it as their baseline)",
    )
    parser.add_argument(
        "--since",
        type=Path,
        help="a pack folder to compare with (default: the newest pack in <warehouse>/packs that "
        "an earlier run wrote)",
    )
    parser.add_argument(
        "--audience",
        choices=AUDIENCES,
        default="regulator",
        help="regulator (default): the record alone, for a supervisory authority; internal: "
        "adds the audit's findings and evidence (records held and overdue, source files, load "
        "times), for the DPO",
    )


def run(args: argparse.Namespace) -> int:
    pack_id = new_pack_id("export")
    out_dir = args.out
    if out_dir is None:
        out_dir = packs_dir(args.warehouse) / pack_id
    started = time.monotonic()
    try:
        result = write_pack(
            args.warehouse, out_dir, pack_id=pack_id, audience=args.audience, since=args.since
        )
    except (
        WarehouseMissingError,
        PackSourceError,
        SigningKeyError,
        FileNotFoundError,
        FileExistsError,
    ) as error:
        print(f"ropa export: {error}", file=sys.stderr)
        return 1
    size = sum(path.stat().st_size for path in result.path.rglob("*") if path.is_file())
    baseline = result.previous_pack_id or "none (first pack)"
    print(
        f"{result.audience} pack {result.pack_id} (version {result.version}, changes since "
        f"{baseline}) written to "
        f"{result.path}: {size / 1024:.0f} KiB in {time.monotonic() - started:.1f} s"
    )
    return 0
