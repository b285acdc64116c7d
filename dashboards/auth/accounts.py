"""Local dashboard accounts: `<warehouse>/dashboard_users.json`, salted scrypt hashes, mode 0600.

The file holds, per user name, the role and the scrypt parameters, salt and hash of the
password, never the password. It is written atomically (a new file renamed over the old), so a
reader never sees half an update.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

Role = Literal["dpo", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)
ACCOUNTS_NAME = "dashboard_users.json"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MIN_PASSWORD_LENGTH = 12
# scrypt cost: n=2**14, r=8, p=1 takes 16 MiB and tens of milliseconds per login (RFC 7914's
# interactive setting); stored per account so later accounts can use dearer parameters.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, HASH_BYTES = 16, 32
FILE_MODE = 0o600


class AccountError(ValueError):
    """A request `ropa users` or the login cannot carry out, said so a user can act on it."""


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    created_at: str


def may_export(role: Role) -> bool:
    """Only the DPO builds and downloads packs: a viewer sees the record, never a file of it."""
    return role == "dpo"


def accounts_path(warehouse: Path) -> Path:
    return warehouse / ACCOUNTS_NAME


def check_name(name: str) -> str:
    if not NAME_PATTERN.match(name):
        raise AccountError(
            f"user name {name!r} is not allowed: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024,
        dklen=HASH_BYTES,
    )  # fmt: skip


def hash_password(password: str) -> dict[str, Any]:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return {"n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex(), "hash": digest.hex()}


def password_matches(password: str, stored: dict[str, Any]) -> bool:
    digest = _scrypt(
        password, bytes.fromhex(stored["salt"]), int(stored["n"]), int(stored["r"]),
        int(stored["p"]),
    )  # fmt: skip
    return hmac.compare_digest(digest, bytes.fromhex(stored["hash"]))


@functools.cache
def _unknown_user() -> dict[str, Any]:
    """Verified against when the name is unknown: it costs as long as a wrong password."""
    return hash_password(secrets.token_urlsafe(16))


def _read(warehouse: Path) -> dict[str, dict[str, Any]]:
    path = accounts_path(warehouse)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise AccountError(f"{path}: cannot read the dashboard accounts: {error}") from error
    users = document.get("users") if isinstance(document, dict) else None
    if not isinstance(users, dict):
        raise AccountError(f"{path}: field 'users': expected an object of accounts")
    return users


def _write(warehouse: Path, users: dict[str, dict[str, Any]]) -> None:
    warehouse.mkdir(parents=True, exist_ok=True)
    path = accounts_path(warehouse)
    descriptor, scratch = tempfile.mkstemp(prefix=f".{ACCOUNTS_NAME}.", dir=warehouse)
    try:
        os.fchmod(descriptor, FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump({"version": 1, "users": users}, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def _account(name: str, entry: dict[str, Any]) -> Account:
    role = entry.get("role")
    if role not in ROLES:
        raise AccountError(f"{ACCOUNTS_NAME}: user {name!r}: field 'role': {role!r} is not a role")
    return Account(name=name, role=role, created_at=str(entry.get("created_at", "")))


def list_accounts(warehouse: Path) -> list[Account]:
    return [_account(name, entry) for name, entry in sorted(_read(warehouse).items())]


def add_account(
    warehouse: Path, name: str, role: str, password: str, *, replace: bool = False
) -> Account:
    check_name(name)
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    users = _read(warehouse)
    if name in users and not replace:
        raise AccountError(f"user {name!r} exists: pass --replace to set a new password or role")
    users[name] = {
        "role": role,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scrypt": hash_password(password),
    }
    _write(warehouse, users)
    return _account(name, users[name])


def remove_account(warehouse: Path, name: str) -> None:
    users = _read(warehouse)
    if users.pop(name, None) is None:
        raise AccountError(f"no user {name!r} in {accounts_path(warehouse)}")
    _write(warehouse, users)


def role_of(warehouse: Path, name: str) -> Role | None:
    """The role of an existing account: a removed account ends its sessions at their next rerun."""
    entry = _read(warehouse).get(name)
    return None if entry is None else _account(name, entry).role


def authenticate(warehouse: Path, name: str, password: str) -> Role | None:
    """The account's role when name and password match, else None."""
    entry = _read(warehouse).get(name) if NAME_PATTERN.match(name) else None
    stored = entry["scrypt"] if entry is not None else _unknown_user()
    matches = password_matches(password, stored)
    return _account(name, entry).role if entry is not None and matches else None
