"""`ropa verify PACK [--public-key FILE]`: check a pack's files against its manifest and the
manifest's signature; exit 1 when either fails, naming which."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.pack.manifest import MANIFEST_NAME, read_manifest, verify_pack
from pipelines.pack.signing import (
    PUBLIC_KEY_NAME,
    SigningKeyError,
    fingerprint,
    read_public_key,
    verify_signature,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pack", type=Path, help="the pack folder (the one holding manifest.json)")
    parser.add_argument(
        "--public-key",
        type=Path,
        help="the organisation's public key (PEM, as signing_key.pub in an earlier pack): the "
        "pack must be signed by it (default: the key the pack carries, whose fingerprint is "
        "printed for comparison with the organisation's published one)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        trusted = read_public_key(args.public_key) if args.public_key else None
    except (OSError, SigningKeyError) as error:
        print(f"ropa verify: cannot read the public key: {error}", file=sys.stderr)
        return 1
    try:
        manifest = read_manifest(args.pack)
        discrepancies = verify_pack(args.pack)
    except (OSError, ValueError, KeyError) as error:
        print(f"ropa verify: cannot read {args.pack / MANIFEST_NAME}: {error}", file=sys.stderr)
        return 1
    pack = f"pack {manifest.get('pack_id')}"
    for discrepancy in discrepancies:
        print(f"{discrepancy.problem}: {discrepancy.path}")
    if discrepancies:
        print(f"{pack}: file hashes FAILED: {len(discrepancies)} file(s) differ from the manifest")
    else:
        print(f"{pack}: file hashes intact, {len(manifest['files'])} files match the manifest")
    verdict = verify_signature(args.pack, trusted, str(args.public_key))
    if verdict.problem is not None:
        print(f"{pack}: {verdict.check} FAILED: {verdict.problem}")
    elif trusted is not None:
        print(
            f"{pack}: signature valid, signed by the key in {args.public_key} "
            f"(fingerprint {fingerprint(trusted)})"
        )
    else:
        print(
            f"{pack}: signature valid, signed by the key in the pack ({PUBLIC_KEY_NAME}), "
            f"fingerprint {verdict.pack_fingerprint}: compare it with the organisation's "
            "published fingerprint, or verify with --public-key FILE"
        )
    return 1 if discrepancies or verdict.problem is not None else 0
