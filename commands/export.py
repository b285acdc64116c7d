"""`ropa export`: write a regulator pack from the published warehouse."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pipelines.lib.warehouse import WarehouseMissingError, packs_dir
from pipelines.pack.identity import new_pack_id
from pipelines.pack.record import PackSourceError
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
        help="a pack folder to compare with (default: the newest pack in <warehouse>/packs)",
    )


def run(args: argparse.Namespace) -> int:
    out_dir = args.out
    if out_dir is None:
        out_dir = packs_dir(args.warehouse) / new_pack_id("export")
    started = time.monotonic()
    try:
        result = write_pack(args.warehouse, out_dir, since=args.since)
    except (WarehouseMissingError, PackSourceError, FileNotFoundError, FileExistsError) as error:
        print(f"ropa export: {error}", file=sys.stderr)
        return 1
    size = sum(path.stat().st_size for path in result.path.iterdir())
    baseline = result.previous_pack_id or "none (first pack)"
    print(
        f"pack {result.pack_id} (version {result.version}, changes since {baseline}) written to "
        f"{result.path}: {size / 1024:.0f} KiB in {time.monotonic() - started:.1f} s"
    )
    return 0
