"""Keyed hashing of record ids: the warehouse must not become a new copy of personal data.

Record ids are stored only as HMAC-SHA-256 under a secret key: `ROPA_PSEUDONYM_KEY`, or a key
file created on first use beside the warehouse with mode 0600. The HMAC is computed inside
DuckDB (two SHA-256 passes over the padded key, RFC 2104), so ids never pass through Python.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

KEY_ENV_VAR = "ROPA_PSEUDONYM_KEY"
KEY_FILE_NAME = "pseudonym.key"
_BLOCK_SIZE = 64  # SHA-256 block size in bytes


@dataclass(frozen=True)
class HmacPads:
    """The key XOR-ed with HMAC's inner and outer pads, as hex for DuckDB's `unhex`."""

    inner_hex: str
    outer_hex: str


def load_or_create_key(warehouse_dir: Path) -> bytes:
    from_env = os.environ.get(KEY_ENV_VAR)
    if from_env:
        return from_env.encode()
    key_file = warehouse_dir / KEY_FILE_NAME
    if key_file.exists():
        return bytes.fromhex(key_file.read_text().strip())
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key.hex())
    return key


def hmac_pads(key: bytes) -> HmacPads:
    if len(key) > _BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    padded = key.ljust(_BLOCK_SIZE, b"\0")
    return HmacPads(
        inner_hex=bytes(b ^ 0x36 for b in padded).hex(),
        outer_hex=bytes(b ^ 0x5C for b in padded).hex(),
    )


def hmac_sql(column_sql: str, pads: HmacPads) -> str:
    """A DuckDB expression: the hex HMAC-SHA-256 of the text in `column_sql`."""
    inner = f"unhex(sha256(unhex('{pads.inner_hex}') || encode({column_sql})))"
    return f"sha256(unhex('{pads.outer_hex}') || {inner})"
