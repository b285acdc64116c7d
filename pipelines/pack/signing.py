"""The pack's signature: manifest.json signed with the organisation's Ed25519 key.

The manifest proves that the files are intact; the signature proves who wrote the manifest.
The private key is `ROPA_SIGNING_KEY` (the PEM text of an unencrypted PKCS #8 Ed25519 key, as
`openssl genpkey -algorithm ed25519` writes it) or else `<warehouse>/signing_key.pem`, created
on first use, readable by its owner alone. The pack carries the public key (`signing_key.pub`,
listed in the manifest) and the signature over the exact bytes of manifest.json
(`manifest.json.sig`, base64). The fingerprint names the key on the PDF's cover and in
`ropa verify`'s answer: a regulator who keeps it can tell that a later pack came from the same
organisation, whatever key the later pack carries.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pipelines.pack.manifest import MANIFEST_NAME, SIGNATURE_NAME

SIGNING_KEY_ENV = "ROPA_SIGNING_KEY"
SIGNING_KEY_FILE_NAME = "signing_key.pem"
PUBLIC_KEY_NAME = "signing_key.pub"


class SigningKeyError(Exception):
    """A signing or public key that cannot be used; the message says where it came from."""


def load_or_create_signing_key(warehouse_dir: Path) -> Ed25519PrivateKey:
    """The organisation's key: `ROPA_SIGNING_KEY`, else the warehouse's key file (made now if
    there is none)."""
    from_env = os.environ.get(SIGNING_KEY_ENV)
    if from_env:
        if not from_env.lstrip().startswith("-----BEGIN"):
            raise SigningKeyError(
                f"{SIGNING_KEY_ENV} holds the PEM text of the private key (it begins with "
                f'"-----BEGIN"), not a path: set it with {SIGNING_KEY_ENV}="$(cat FILE)"'
            )
        return _private_key(from_env.encode(), SIGNING_KEY_ENV)
    key_file = warehouse_dir / SIGNING_KEY_FILE_NAME
    try:
        if not key_file.exists():
            _create_key_file(key_file)
        mode = stat.S_IMODE(key_file.stat().st_mode)
        pem = key_file.read_bytes()
    except OSError as error:
        raise SigningKeyError(
            f"{key_file}: cannot read or create the signing key ({error.strerror}); run as the "
            f"user that owns the warehouse, or give the key in {SIGNING_KEY_ENV}"
        ) from error
    if mode & 0o077:
        raise SigningKeyError(
            f"{key_file} can be read by other users (mode {mode:o}): anyone who can read it "
            f"can sign packs in the organisation's name; run `chmod 600 {key_file}`"
        )
    return _private_key(pem, str(key_file))


def _create_key_file(key_file: Path) -> None:
    """Written under a temporary name, then linked into place: the key file appears complete or
    not at all, and of two processes creating it at once the first one's key is the key."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    temporary = key_file.with_name(f".{key_file.name}.{secrets.token_hex(6)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        # Another process made the key first: that one is the organisation's.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, key_file)
    finally:
        temporary.unlink()


def _private_key(pem: bytes, source: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except TypeError as error:  # the key is encrypted
        raise SigningKeyError(f"{source}: the key is encrypted; give it unencrypted") from error
    except ValueError as error:
        raise SigningKeyError(f"{source}: not a PEM private key ({error})") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(
            f"{source}: a {type(key).__name__.removeprefix('_')} key; packs are signed with "
            "Ed25519 (`openssl genpkey -algorithm ed25519`)"
        )
    return key


def read_public_key(path: Path) -> Ed25519PublicKey:
    """A public key file as the pack carries it (PEM, SubjectPublicKeyInfo)."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except ValueError as error:
        raise SigningKeyError(f"{path}: not a PEM public key ({error})") from error
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path}: not an Ed25519 public key")
    return key


def fingerprint(key: Ed25519PublicKey) -> str:
    """`sha256:` and the hex SHA-256 of the key's 32 raw bytes, as `openssl pkey -pubin -in
    signing_key.pub -outform DER | tail -c 32 | sha256sum` prints it."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


def write_public_key(pack_dir: Path, key: Ed25519PrivateKey) -> None:
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (pack_dir / PUBLIC_KEY_NAME).write_bytes(pem)


def sign_manifest(pack_dir: Path, key: Ed25519PrivateKey) -> None:
    """Written after the manifest: the signature covers its exact bytes."""
    signature = key.sign((pack_dir / MANIFEST_NAME).read_bytes())
    (pack_dir / SIGNATURE_NAME).write_text(base64.b64encode(signature).decode() + "\n")


@dataclass(frozen=True)
class SignatureVerdict:
    """`problem` is None when the signature holds; `check` names what failed: "signature" (the
    manifest is not what was signed, or there is no signature) or "key" (signed, but not by the
    key the caller trusts)."""

    check: str
    problem: str | None
    # The fingerprint of the key the pack carries, when it carries a readable one.
    pack_fingerprint: str | None


def verify_signature(
    pack_dir: Path, trusted_key: Ed25519PublicKey | None = None, trusted_source: str = ""
) -> SignatureVerdict:
    """Check manifest.json's signature under `trusted_key` (the organisation's key, kept by the
    recipient; `trusted_source` names its file) or, without one, under the key in the pack."""
    try:
        pack_key: Ed25519PublicKey | None = read_public_key(pack_dir / PUBLIC_KEY_NAME)
    except (OSError, SigningKeyError):
        pack_key = None
    pack_fingerprint = fingerprint(pack_key) if pack_key is not None else None
    signature_path = pack_dir / SIGNATURE_NAME
    if not signature_path.is_file():
        return SignatureVerdict("signature", f"the pack is not signed: no {SIGNATURE_NAME}", None)
    key = trusted_key or pack_key
    if key is None:
        return SignatureVerdict(
            "signature", f"no readable public key in the pack ({PUBLIC_KEY_NAME})", None
        )
    try:
        signature = base64.b64decode(signature_path.read_bytes().strip(), validate=True)
        key.verify(signature, (pack_dir / MANIFEST_NAME).read_bytes())
    except (InvalidSignature, binascii.Error, ValueError):
        if trusted_key is not None and pack_fingerprint != fingerprint(trusted_key):
            return SignatureVerdict(
                "key",
                f"not signed by the key in {trusted_source} ({fingerprint(trusted_key)}); the "
                f"pack carries the key {pack_fingerprint or 'none'}",
                pack_fingerprint,
            )
        return SignatureVerdict(
            "signature",
            f"{MANIFEST_NAME} is not what was signed: it was changed after signing, or "
            f"{SIGNATURE_NAME} is not its signature",
            pack_fingerprint,
        )
    return SignatureVerdict("signature", None, pack_fingerprint)
