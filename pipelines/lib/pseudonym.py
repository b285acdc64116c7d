"""Keyed hashing of record ids: the warehouse must not become a new copy of personal data.

Record ids are stored only as record keys: the first 128 bits (16 bytes, a BLOB) of their
HMAC-SHA-256 under a secret key. Truncated, the HMAC is still keyed (without the key nothing
links a record key to an id) and collisions stay negligible (about 1.5e-21 among 10^9 ids); 16
bytes group and join about 1.5 times faster than the 64-character hex digest.

The key is `ROPA_PSEUDONYM_KEY`, or a key file created on first use beside the warehouse with
mode 0600. Both hold the key in one format, 64 hexadecimal characters (32 bytes; surrounding
whitespace such as a trailing newline is ignored), so the file's content pasted into the
variable is the same key. Each run records the key's fingerprint (`key_fingerprint`, a prefix of
SHA-256 of the key bytes: it names the key without revealing it), so a changed key is noticed
before it changes every hash.

The HMAC is computed inside the load's DuckDB query, so ids never become Python objects: by the
C accelerator `_hmac_sha256` (registered as a vectorised DuckDB function) where it was built,
else by SQL's own SHA-256 (two passes over the padded key, RFC 2104), about four times slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import duckdb
import duckdb.func
import duckdb.sqltypes
import pyarrow as pa


def _built_accelerator() -> ModuleType | None:
    try:
        return importlib.import_module("pipelines.lib._hmac_sha256")
    except ImportError:  # not built: the install had no C compiler or OpenSSL headers
        return None


ACCELERATOR = _built_accelerator()

KEY_ENV_VAR = "ROPA_PSEUDONYM_KEY"
KEY_FILE_NAME = "pseudonym.key"
KEY_BYTES = 32
_FINGERPRINT_LENGTH = 16
_BLOCK_SIZE = 64  # SHA-256 block size in bytes
RECORD_KEY_BYTES = 16
_RECORD_KEY_TYPE = pa.binary(RECORD_KEY_BYTES)  # fixed width: no offsets to build
_FUNCTION_NAME = "ropa_record_key"


@dataclass(frozen=True)
class HmacPads:
    """The key XOR-ed with HMAC's inner and outer pads, as hex for DuckDB's `unhex`."""

    inner_hex: str
    outer_hex: str


class PseudonymKeyError(ValueError):
    """The key in the variable or the key file is not in the one accepted format."""


class PseudonymKeyChangedError(RuntimeError):
    """The run's key is not the one the published warehouse was built with."""


def load_or_create_key(warehouse_dir: Path) -> bytes:
    """The key from `ROPA_PSEUDONYM_KEY` if set, else `<warehouse>/pseudonym.key`, created with
    a random key on first use."""
    from_env = os.environ.get(KEY_ENV_VAR, "")
    if from_env.strip():
        return parse_key(from_env, f"the variable {KEY_ENV_VAR}")
    key_file = warehouse_dir / KEY_FILE_NAME
    if key_file.exists():
        text = key_file.read_bytes().decode("ascii", errors="replace")
        return parse_key(text, f"the key file {key_file}")
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key.hex() + "\n")
    return key


def parse_key(text: str, where: str) -> bytes:
    """The key bytes of `text` in the one format (64 hex characters); the error never repeats
    the text, which is a secret."""
    stripped = text.strip()
    if len(stripped) == 2 * KEY_BYTES and all(c in string.hexdigits for c in stripped):
        return bytes.fromhex(stripped)
    found = f"{len(stripped)} characters" + (
        "" if all(c in string.hexdigits for c in stripped) else ", not all hexadecimal"
    )
    raise PseudonymKeyError(
        f"{where} must hold the pseudonym key as {2 * KEY_BYTES} hexadecimal characters "
        f"({KEY_BYTES} bytes), e.g. the output of `python -c 'import secrets; "
        f"print(secrets.token_hex({KEY_BYTES}))'`; it holds {found}"
    )


def key_fingerprint(key: bytes) -> str:
    """Which key a run used: the first 16 hex digits of SHA-256 of the key bytes (not the key,
    and the key cannot be derived from it). `xxd -r -p pseudonym.key | sha256sum` shows it."""
    return hashlib.sha256(key).hexdigest()[:_FINGERPRINT_LENGTH]


def hmac_pads(key: bytes) -> HmacPads:
    if len(key) > _BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    padded = key.ljust(_BLOCK_SIZE, b"\0")
    return HmacPads(
        inner_hex=bytes(b ^ 0x36 for b in padded).hex(),
        outer_hex=bytes(b ^ 0x5C for b in padded).hex(),
    )


def hmac_sql(column_sql: str, pads: HmacPads) -> str:
    """A DuckDB expression: the record key (first 16 bytes of the HMAC-SHA-256, as BLOB) of the
    text in `column_sql`."""
    inner = f"unhex(sha256(unhex('{pads.inner_hex}') || encode({column_sql})))"
    return f"unhex(left(sha256(unhex('{pads.outer_hex}') || {inner}), {2 * RECORD_KEY_BYTES}))"


def keyed_hash_sql(connection: duckdb.DuckDBPyConnection, key: bytes, column_sql: str) -> str:
    """A DuckDB expression for the record key of `column_sql` (as `hmac_sql`), valid on
    `connection`."""
    accelerator = ACCELERATOR
    if accelerator is None:
        return hmac_sql(column_sql, hmac_pads(key))

    def hash_ids(ids: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
        if isinstance(ids, pa.ChunkedArray):
            chunks = [_record_key_array(accelerator, key, chunk) for chunk in ids.chunks]
            return pa.chunked_array(chunks, _RECORD_KEY_TYPE)
        return _record_key_array(accelerator, key, ids)

    # A second key on the same connection replaces the first.
    with contextlib.suppress(duckdb.InvalidInputException):
        connection.remove_function(_FUNCTION_NAME)
    connection.create_function(
        _FUNCTION_NAME,
        hash_ids,
        [duckdb.sqltypes.VARCHAR],
        duckdb.sqltypes.BLOB,
        type=duckdb.func.ARROW,
    )
    return f"{_FUNCTION_NAME}({column_sql})"


def _record_key_array(accelerator: ModuleType, key: bytes, ids: pa.Array) -> pa.Array:
    """One Arrow string array's record keys: the accelerator reads its buffers as they are."""
    if ids.offset or ids.type != pa.string():
        ids = pa.concat_arrays([ids.cast(pa.string())])  # offset 0, 32-bit offsets
    validity, offsets, data = ids.buffers()
    keys = accelerator.record_keys(key, offsets, data if data is not None else b"", len(ids))
    return pa.Array.from_buffers(
        _RECORD_KEY_TYPE, len(ids), [validity, pa.py_buffer(keys)], null_count=ids.null_count
    )
