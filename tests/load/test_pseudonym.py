"""Record keys (the first 16 bytes of HMAC-SHA-256) by the C accelerator and by the SQL fallback,
held to Python's hmac."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pytest

from pipelines.lib.pseudonym import (
    ACCELERATOR,
    RECORD_KEY_BYTES,
    hmac_pads,
    hmac_sql,
    keyed_hash_sql,
)

IDS = [
    "usr_0001",
    "",  # empty: the inner hash is of the pad alone
    "é-ü-中文-😀",  # multi-byte UTF-8
    "x" * 55,  # the longest id that fits the inner state's second block
    "y" * 56,  # one more byte: a third block
    "z" * 1000,
    None,
]
KEYS = [b"short key", bytes(range(64)), b"k" * 65]  # under, at and over SHA-256's block size


def _expected(key: bytes, record_id: str | None) -> bytes | None:
    if record_id is None:
        return None
    return hmac.new(key, record_id.encode(), hashlib.sha256).digest()[:RECORD_KEY_BYTES]


def _hashed(connection: duckdb.DuckDBPyConnection, expression: str) -> list[bytes | None]:
    return [
        row[0] for row in connection.execute(f"select {expression} from ids order by n").fetchall()
    ]


@pytest.fixture
def connection() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    # Enough rows for several of DuckDB's vectors, so the function is called more than once.
    connection.execute(
        "create table ids as select n, case when n % 7 = 6 then null "
        "else ['usr_0001', '', 'é-ü-中文-😀', repeat('x', 55), repeat('y', 56), "
        "repeat('z', 1000)][n % 7 + 1] end as record_id from range(10000) t(n)"
    )
    return connection


def test_the_accelerator_is_built_here() -> None:
    """CI installs with a compiler and OpenSSL: the fast path must be the one that is tested."""
    assert ACCELERATOR is not None


@pytest.mark.parametrize("key", KEYS)
def test_accelerated_record_keys_equal_python_hmac(
    connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    expression = keyed_hash_sql(connection, key, "record_id")
    assert expression != hmac_sql("record_id", hmac_pads(key))  # the accelerator, not SQL
    expected = [_expected(key, IDS[n % 7]) for n in range(10000)]
    assert _hashed(connection, expression) == expected


@pytest.mark.parametrize("key", KEYS)
def test_sql_record_keys_equal_python_hmac(
    connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    expected = [_expected(key, record_id) for record_id in IDS]
    connection.execute("delete from ids where n >= 7")
    assert _hashed(connection, hmac_sql("record_id", hmac_pads(key))) == expected


def test_accelerated_record_keys_from_64_bit_offset_strings(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    """With this setting DuckDB hands the function Arrow large strings."""
    connection.execute("set arrow_large_buffer_size = true")
    expression = keyed_hash_sql(connection, KEYS[0], "record_id")
    assert _hashed(connection, expression) == [_expected(KEYS[0], IDS[n % 7]) for n in range(10000)]


def test_a_second_key_on_the_same_connection_replaces_the_first(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    keyed_hash_sql(connection, b"first", "record_id")
    expression = keyed_hash_sql(connection, b"second", "record_id")
    [(first,)] = connection.execute(f"select {expression} from ids where n = 0").fetchall()
    assert first == _expected(b"second", "usr_0001")


def test_offsets_outside_the_data_are_refused() -> None:
    assert ACCELERATOR is not None
    offsets = (0).to_bytes(4, "little") + (99).to_bytes(4, "little")
    with pytest.raises(ValueError, match="outside"):
        ACCELERATOR.record_keys(b"k", offsets, b"short", 1)


@pytest.mark.parametrize("accelerated", [True, False])
def test_record_keys_are_16_byte_blobs(
    connection: duckdb.DuckDBPyConnection, accelerated: bool
) -> None:
    """The compact form the warehouse groups and joins on, on both paths."""
    if accelerated:
        expression = keyed_hash_sql(connection, KEYS[0], "record_id")
    else:
        expression = hmac_sql("record_id", hmac_pads(KEYS[0]))
    [(column_type, widths)] = connection.execute(
        f"select any_value(typeof({expression})), list(distinct octet_length({expression})) "
        "from ids where record_id is not null"
    ).fetchall()
    assert (column_type, widths) == ("BLOB", [RECORD_KEY_BYTES])
