"""`ropa verify DIR`: check a regulator pack against its manifest (exit 1 on any difference)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.pack.manifest import MANIFEST_NAME, read_manifest, verify_pack


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pack", type=Path, help="the pack folder (the one holding manifest.json)")


def run(args: argparse.Namespace) -> int:
    try:
        manifest = read_manifest(args.pack)
        discrepancies = verify_pack(args.pack)
    except (OSError, ValueError, KeyError) as error:
        print(f"ropa verify: cannot read {args.pack / MANIFEST_NAME}: {error}", file=sys.stderr)
        return 1
    for discrepancy in discrepancies:
        print(f"{discrepancy.problem}: {discrepancy.path}")
    if discrepancies:
        print(
            f"pack {manifest.get('pack_id')}: {len(discrepancies)} file(s) differ from the manifest"
        )
        return 1
    print(
        f"pack {manifest.get('pack_id')}: intact, {len(manifest['files'])} files match the manifest"
    )
    return 0
