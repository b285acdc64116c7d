"""Load one export drop into the `raw` schema of a DuckDB build file.

Order matters for the user: the register (small, hand-kept) is validated first, so a broken
manifest fails in a second, before gigabytes of records are read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.lib.code_version import code_version
from pipelines.lib.pseudonym import key_fingerprint
from pipelines.load import raw_tables
from pipelines.load.carry_over import FileStamp, PublishedLoad, data_subjects_fingerprint
from pipelines.load.errors import DropError, DropErrors, Problem
from pipelines.load.manifests import Register, read_register
from pipelines.load.record_parts import Part, PartBuilder, insert_rejects, view_records
from pipelines.load.retention_and_policy import read_policy, read_retention_rules
from pipelines.load.tabular import (
    FORMATS as FORMATS_BY_SUFFIX,
)
from pipelines.load.tabular import (
    KEY_PATTERN,
    FileLoad,
    LoadTarget,
    load_file,
    prepare_table,
    settle_rejects,
)
from pipelines.load.tabular_specs import (
    COOKIES,
    CUSTOMERS,
    PRIVACY_REQUESTS,
    VENDORS,
    TableSpec,
)

READ_SUFFIXES = frozenset(FORMATS_BY_SUFFIX)  # any other file under records/ is not read
REQUIRED_FILES = ("vendors.csv", "customers.csv", "privacy_requests.csv")
OPTIONAL_FILES = ("cookies.csv",)


@dataclass
class LoadSummary:
    run_id: str
    drop_fingerprint: str
    files: list[FileLoad] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)
    parts_reused: list[str] = field(default_factory=list)  # record files not parsed again
    data_subjects_fingerprint: str = ""

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)


@dataclass(frozen=True)
class DropListing:
    """The drop as found by one walk: its files and folders (relative to the drop, `/`
    separators, in path order), and each file's stamp as the walk saw it. The fingerprint,
    load_audit and every reader use this list, so what is hashed, audited and read is one set."""

    files: list[str]
    folders: list[str]
    stamps: dict[str, FileStamp]


def list_drop(drop: Path) -> DropListing:
    """Walk the drop once, never through a symbolic link: a link anywhere in it, or anything
    that is neither a file nor a folder, is an error naming it (exports.md "records/")."""
    files: list[str] = []
    folders: list[str] = []
    stamps: dict[str, FileStamp] = {}
    problems: list[Problem] = []
    pending = [drop]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError as error:
            relative = _relative(drop, Path(folder))
            problems.append(Problem(relative, "folder", None, f"cannot be read ({error.strerror})"))
            continue
        for entry in entries:
            relative = _relative(drop, Path(entry.path))
            status = entry.stat(follow_symlinks=False)
            mode = status.st_mode
            if stat.S_ISLNK(mode):
                problems.append(
                    Problem(relative, "file", None,
                            "a symbolic link: copy the file or folder itself into the drop")
                )  # fmt: skip
            elif stat.S_ISDIR(mode):
                folders.append(relative)
                pending.append(Path(entry.path))
            elif stat.S_ISREG(mode):
                files.append(relative)
                stamps[relative] = FileStamp(status.st_size, status.st_mtime_ns)
            else:  # a pipe or a device: reading it could block the load
                problems.append(Problem(relative, "file", None, "not a regular file"))
    if problems:
        problems.sort(key=lambda problem: problem.file)
        raise DropErrors(problems, "the drop's layout")
    return DropListing(sorted(files), sorted(folders), stamps)


def _relative(drop: Path, path: Path) -> str:
    return path.relative_to(drop).as_posix()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(hashes: Mapping[str, str]) -> str:
    """`sha256:` over `<sha256>  <path>` lines sorted by path (docs/architecture.md)."""
    text = "".join(f"{hashes[path]}  {path}\n" for path in sorted(hashes))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def known_hashes(
    drop: Path, listing: DropListing, published: PublishedLoad | None, *, hash_the_rest: bool
) -> dict[str, str]:
    """The SHA-256 of every file whose stamp equals the published load_audit's (not read:
    pipelines/load/carry_over.py), and, with `hash_the_rest`, of every other file, read now."""
    hashes: dict[str, str] = {}
    for relative in listing.files:
        known = recorded_sha256(published, relative, listing.stamps[relative])
        if known is not None:
            hashes[relative] = known
        elif hash_the_rest:
            hashes[relative] = sha256_of(drop / relative)
    return hashes


def recorded_sha256(published: PublishedLoad | None, relative: str, stamp: FileStamp) -> str | None:
    """The file's SHA-256 as the published load_audit has it, if its stamp is unchanged."""
    known = published.files.get(relative) if published is not None else None
    return known.sha256 if known is not None and known.stamp == stamp else None


def load_drop(
    drop: Path,
    connection: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    as_of: dt.date,
    pseudonym_key: bytes,
    progress: Callable[[str], None] = lambda _message: None,
    listing: DropListing | None = None,
    parts: Path,
    hashes: Mapping[str, str] | None = None,
    reuse_parts: bool = True,
) -> LoadSummary:
    """Load the drop (as `listing` found it, else as walked now). Files not in `hashes` are
    hashed beside the load. Each record file goes through its part in `parts`
    (pipelines/load/record_parts.py): one built before is used as it is, unless not
    `reuse_parts`; `raw.records` is a view over the parts, which must stay while it is read."""
    if not drop.is_dir():
        raise DropError(str(drop), "folder", None, "the export drop folder does not exist")
    started_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    listing = listing or list_drop(drop)
    known = dict(hashes or {})
    records = record_files(drop, listing)
    # Hashing runs ahead of DuckDB's reads (hashlib releases the GIL on large buffers): a record
    # file's hash names its part, the others' are needed only for the audit.
    with ThreadPoolExecutor(max_workers=1) as pool:
        hash_futures = {
            f: pool.submit(sha256_of, drop / f) for f in listing.files if f not in known
        }

        def sha256(relative: str) -> str:
            return known[relative] if relative in known else hash_futures[relative].result()

        contents = _DropContents(drop, listing, records, sha256, parts, reuse_parts)
        summary = _load_contents(contents, connection, run_id, pseudonym_key, progress)
        known |= {path: future.result() for path, future in hash_futures.items()}
    summary.drop_fingerprint = fingerprint(known)
    _write_audit(connection, listing, known, summary, started_at)
    raw_tables.insert_rows(
        connection, "run_info",
        [{"run_id": run_id, "as_of": as_of, "drop_fingerprint": summary.drop_fingerprint,
          "started_at": started_at, "pseudonym_key_fingerprint": key_fingerprint(pseudonym_key),
          "code_version": code_version(),
          "data_subjects_fingerprint": summary.data_subjects_fingerprint}],
    )  # fmt: skip
    for table in raw_tables.RAW_TABLES:
        [(count,)] = connection.execute(f"select count(*) from raw.{table}").fetchall()
        summary.table_rows[table] = int(count)
    return summary


@dataclass(frozen=True)
class _DropContents:
    drop: Path
    listing: DropListing
    records: list[tuple[str, Path]]
    sha256: Callable[[str], str]  # of a file of the drop, waiting for it if it is being hashed
    parts: Path
    reuse_parts: bool


@dataclass(frozen=True)
class CheckedRegister:
    """The register with the retention schedule and the policy's commitments, checked whole."""

    register: Register
    retention_rules: list[dict[str, object]]
    policy: dict[str, object]
    limits: list[dict[str, object]]
    disclosed: list[dict[str, object]]
    transfer_countries: list[dict[str, object]]

    @property
    def data_subjects(self) -> frozenset[str]:
        return frozenset(self.register.taxonomy["data_subject"])


def read_checked_register(drop: Path, listing: DropListing) -> CheckedRegister:
    """Read and check the register: the schedule's and the commitments' problems join the
    manifests' before the run fails, in one error (exports.md "register/")."""
    for name in REQUIRED_FILES:
        if name not in listing.files:
            raise DropError(name, "file", None, "missing: exports.md requires it in every drop")
    register = read_register(drop, listing.files)
    retention_rules: list[dict[str, object]] = []
    policy: dict[str, object] = {}
    limits: list[dict[str, object]] = []
    disclosed: list[dict[str, object]] = []
    transfer_countries: list[dict[str, object]] = []
    if register.retention_file is not None:
        try:
            system_keys = register.system_keys if register.complete else None
            retention_rules = read_retention_rules(drop, system_keys, register.retention_file)
        except DropError as error:
            register.add(error)
    if register.policy_file is not None:
        try:
            policy, limits, disclosed, transfer_countries = read_policy(drop, register.policy_file)
        except DropError as error:
            register.add(error)
    register.check()
    return CheckedRegister(register, retention_rules, policy, limits, disclosed, transfer_countries)


def _load_contents(
    contents: _DropContents,
    connection: duckdb.DuckDBPyConnection,
    run_id: str,
    pseudonym_key: bytes,
    progress: Callable[[str], None],
) -> LoadSummary:
    drop, listing = contents.drop, contents.listing
    progress("register")
    checked = read_checked_register(drop, listing)
    connection.execute("set TimeZone = 'UTC'")  # a timestamp without an offset is UTC
    # The build file has one writer and is checkpointed when it closes: checkpoints between
    # files would rewrite the records table again and again.
    connection.execute("set checkpoint_threshold = '1TB'")
    raw_tables.create_raw_tables(connection)
    for table, rows in checked.register.rows.items():
        raw_tables.insert_rows(connection, table, rows)
    raw_tables.insert_rows(connection, "retention_rules", checked.retention_rules)
    raw_tables.insert_rows(connection, "policies", [checked.policy])
    raw_tables.insert_rows(connection, "policy_retention_limits", checked.limits)
    raw_tables.insert_rows(connection, "policy_disclosed_recipient_categories", checked.disclosed)
    raw_tables.insert_rows(
        connection, "policy_disclosed_transfer_countries", checked.transfer_countries
    )
    subjects = checked.data_subjects
    summary = LoadSummary(
        run_id=run_id,
        drop_fingerprint="",
        data_subjects_fingerprint=data_subjects_fingerprint(subjects),
    )
    for name, spec in (
        ("vendors.csv", VENDORS), ("customers.csv", CUSTOMERS),
        ("privacy_requests.csv", PRIVACY_REQUESTS), ("cookies.csv", COOKIES),
    ):  # fmt: skip
        if name in listing.files:
            progress(name)
            prepare_table(connection, spec.table)
            load_file(connection, drop / name, name, LoadTarget(spec, {}, subjects))
            summary.files.extend(_settled(connection, spec, [name]))
    connection.execute(
        "insert into raw.customer_systems "
        "select distinct customer_key, trim(unnest(string_split(systems, ';'))) as system_key "
        "from raw.customers"
    )
    connection.execute("delete from raw.customer_systems where system_key = ''")
    builder = PartBuilder(
        contents.parts, drop, pseudonym_key, subjects, run_id, contents.reuse_parts
    )
    parts: list[Part] = []
    for system_key, path in contents.records:
        if path.suffix.lower() not in READ_SUFFIXES:
            continue  # not read: load_audit keeps it with null counts (drop.unread_file)
        relative = path.relative_to(drop).as_posix()
        record_file = builder.record_file(relative, system_key, contents.sha256(relative))
        part = builder.part(record_file, progress)
        if part.run_id != run_id:
            summary.parts_reused.append(relative)
        insert_rejects(connection, part)
        summary.files.append(part.load)
        parts.append(part)
    view_records(connection, parts)
    return summary


def is_contract_file(relative: str) -> bool:
    """Whether exports.md names the file (`relative` to the drop's root, `/` separators): the
    tabular files at the root, the register's YAML, anything under `records/` (read, or the
    finding drop.unread_file). Other files are only listed in the run summary."""
    if relative in REQUIRED_FILES or relative in OPTIONAL_FILES:
        return True
    if relative.startswith("register/"):
        return relative.lower().endswith((".yml", ".yaml"))
    return relative.startswith("records/")


def record_files(drop: Path, listing: DropListing) -> list[tuple[str, Path]]:
    """Every file below `records/<system_key>/`, at any depth, with the system it belongs to,
    in path order. A file directly in `records/` and a folder name that is not a key are
    errors, all named at once (exports.md)."""
    problems: list[Problem] = []
    for folder in listing.folders:
        parts = folder.split("/")
        if len(parts) == 2 and parts[0] == "records" and not _is_key(parts[1]):
            problems.append(
                Problem(f"{folder}/", "folder", None,
                        f"a folder in records/ is named by its system key, and this name is not "
                        f"a key ({KEY_PATTERN})")
            )  # fmt: skip
    found: list[tuple[str, Path]] = []
    for relative in listing.files:
        parts = relative.split("/")
        if parts[0] != "records" or len(parts) < 2:
            continue
        if len(parts) == 2:
            problems.append(
                Problem(relative, "file", None,
                        "a file directly in records/: put it in records/<system_key>/")
            )  # fmt: skip
        elif _is_key(parts[1]):
            found.append((parts[1], drop / relative))
    if problems:
        raise DropErrors(problems, "the drop's layout")
    return found


def _settled(
    connection: duckdb.DuckDBPyConnection, spec: TableSpec, files: list[str]
) -> list[FileLoad]:
    counts = settle_rejects(connection, spec)
    return [
        FileLoad(file, FORMATS_BY_SUFFIX[Path(file).suffix.lower()], read, loaded, read - loaded)
        for file in files
        for read, loaded in [counts.get(file, (0, 0))]
    ]


def _is_key(text: str) -> bool:
    return re.fullmatch(KEY_PATTERN, text) is not None


def _write_audit(
    connection: duckdb.DuckDBPyConnection,
    listing: DropListing,
    hashes: Mapping[str, str],
    summary: LoadSummary,
    started_at: dt.datetime,
) -> None:
    loads = {f.source_file: f for f in summary.files}
    rows: list[dict[str, object]] = []
    for relative in listing.files:
        load = loads.get(relative)
        stamp = listing.stamps[relative]
        rows.append(
            {
                "source_file": relative,
                "file_format": load.file_format if load else _suffix(relative),
                "sha256": hashes[relative],
                "size_bytes": stamp.size_bytes,
                "rows_read": load.rows_read if load else None,
                "rows_loaded": load.rows_loaded if load else None,
                "rows_rejected": load.rows_rejected if load else None,
                "loaded_at": started_at,
                "mtime_ns": stamp.mtime_ns,
            }
        )
    raw_tables.insert_rows(connection, "load_audit", rows)


def _suffix(relative: str) -> str:
    return Path(relative).suffix.lstrip(".").lower()
