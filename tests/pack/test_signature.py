"""The organisation's signing key: made once per warehouse, owner-only, or given by
ROPA_SIGNING_KEY; every pack carries its public key and signature, and its PDF the fingerprint."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pipelines.pack import PackResult
from pipelines.pack.signing import (
    PUBLIC_KEY_NAME,
    SIGNING_KEY_ENV,
    SIGNING_KEY_FILE_NAME,
    SigningKeyError,
    fingerprint,
    load_or_create_signing_key,
    read_public_key,
    verify_signature,
)
from tests.pack.pack_files import pdf_text


def _pem(key: Ed25519PrivateKey | rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_key_is_made_on_first_use_for_its_owner_alone_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SIGNING_KEY_ENV, raising=False)
    first = load_or_create_signing_key(tmp_path / "warehouse")
    key_file = tmp_path / "warehouse" / SIGNING_KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = load_or_create_signing_key(tmp_path / "warehouse")
    assert fingerprint(again.public_key()) == fingerprint(first.public_key())
    # Nothing but the key is left behind (the temporary file it was written under is gone).
    assert [path.name for path in key_file.parent.iterdir()] == [SIGNING_KEY_FILE_NAME]


def test_key_from_the_environment_is_used_and_no_file_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation_key = Ed25519PrivateKey.generate()
    monkeypatch.setenv(SIGNING_KEY_ENV, _pem(organisation_key))
    key = load_or_create_signing_key(tmp_path)
    assert fingerprint(key.public_key()) == fingerprint(organisation_key.public_key())
    assert not (tmp_path / SIGNING_KEY_FILE_NAME).exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/etc/ropa/signing_key.pem", "not a path"),
        ("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n", "not a PEM"),
        (_pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)), "Ed25519"),
    ],
    ids=["a-path", "not-a-key", "an-rsa-key"],
)
def test_unusable_environment_key_is_refused_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    monkeypatch.setenv(SIGNING_KEY_ENV, value)
    with pytest.raises(SigningKeyError, match=expected) as raised:
        load_or_create_signing_key(tmp_path)
    assert SIGNING_KEY_ENV in str(raised.value)
    assert "bm90IGEga2V5" not in str(raised.value)  # the key's text is never repeated


def test_key_file_others_can_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SIGNING_KEY_ENV, raising=False)
    load_or_create_signing_key(tmp_path)
    (tmp_path / SIGNING_KEY_FILE_NAME).chmod(0o644)
    with pytest.raises(SigningKeyError, match="chmod 600"):
        load_or_create_signing_key(tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("copy", ["demo_pack", "internal_pack"])
def test_both_copies_are_signed_by_the_warehouse_key(
    copy: str, demo_warehouse: Path, request: pytest.FixtureRequest
) -> None:
    pack: PackResult = request.getfixturevalue(copy)
    warehouse_key = load_or_create_signing_key(demo_warehouse)
    verdict = verify_signature(pack.path, warehouse_key.public_key(), "the warehouse")
    assert verdict.problem is None
    expected = fingerprint(warehouse_key.public_key())
    assert verdict.pack_fingerprint == expected
    manifest = json.loads((pack.path / "manifest.json").read_text())
    assert manifest["signing_key_fingerprint"] == expected
    assert PUBLIC_KEY_NAME in {entry["path"] for entry in manifest["files"]}
    assert fingerprint(read_public_key(pack.path / PUBLIC_KEY_NAME)) == expected


@pytest.mark.slow
def test_cover_page_shows_the_key_fingerprint(demo_pack: PackResult) -> None:
    text = pdf_text(demo_pack.path / "ropa.pdf", raw=True)
    manifest = json.loads((demo_pack.path / "manifest.json").read_text())
    assert "Signing key fingerprint" in text
    # A long value may wrap inside its table cell.
    assert manifest["signing_key_fingerprint"] in "".join(text.split())
