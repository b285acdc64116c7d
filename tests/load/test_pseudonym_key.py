"""The pseudonym key's one format (64 hex characters) in the key file and ROPA_PSEUDONYM_KEY."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipelines.lib.pseudonym import (
    KEY_ENV_VAR,
    KEY_FILE_NAME,
    PseudonymKeyError,
    key_fingerprint,
    load_or_create_key,
)

KEY_HEX = "0123456789abcdef" * 4


@pytest.fixture(autouse=True)
def no_key_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV_VAR, raising=False)


def test_the_key_files_content_pasted_into_the_variable_is_the_same_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = load_or_create_key(tmp_path)
    content = (tmp_path / KEY_FILE_NAME).read_text()
    assert content == created.hex() + "\n"  # trailing newline: `cat` and editors agree
    monkeypatch.setenv(KEY_ENV_VAR, content)
    assert load_or_create_key(tmp_path / "elsewhere") == created
    assert not (tmp_path / "elsewhere").exists()  # the variable wins: no file is created


def test_a_key_file_with_a_trailing_newline_or_upper_case_is_read(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE_NAME).write_text(KEY_HEX.upper() + "\r\n")
    assert load_or_create_key(tmp_path) == bytes.fromhex(KEY_HEX)


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("correct horse battery staple", "28 characters, not all hexadecimal"),
        (KEY_HEX[:-2], "62 characters"),
        (KEY_HEX + "00", "66 characters"),
        ("g" + KEY_HEX[1:], "64 characters, not all hexadecimal"),
    ],
)
def test_a_variable_in_another_format_is_an_error_that_does_not_repeat_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, found: str
) -> None:
    monkeypatch.setenv(KEY_ENV_VAR, value)
    with pytest.raises(PseudonymKeyError) as raised:
        load_or_create_key(tmp_path)
    message = str(raised.value)
    assert KEY_ENV_VAR in message and "64 hexadecimal characters (32 bytes)" in message
    assert f"it holds {found}" in message
    assert value not in message  # the key is a secret


def test_a_key_file_in_another_format_is_an_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE_NAME).write_bytes(bytes(range(32)))  # raw bytes, not hex
    with pytest.raises(PseudonymKeyError, match=r"the key file .*pseudonym\.key must hold"):
        load_or_create_key(tmp_path)


def test_the_fingerprint_names_the_key_without_being_it() -> None:
    key = bytes.fromhex(KEY_HEX)
    fingerprint = key_fingerprint(key)
    assert fingerprint == hashlib.sha256(key).hexdigest()[:16]
    assert fingerprint not in KEY_HEX
    assert key_fingerprint(bytes.fromhex("ff" * 32)) != fingerprint
