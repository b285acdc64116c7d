"""A record file whose part an earlier load built is not parsed again: the rows are the same.

Each load writes a real DuckDB file; the "published" one is a warehouse folder's `ropa.duckdb`
holding only the raw schema, which is all the stamps' carry-over reads. The parts are built in
the warehouse's `record_parts/`, as a run builds them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.pseudonym import key_fingerprint
from pipelines.lib.warehouse import published_path
from pipelines.load.carry_over import PublishedLoad, read_published_load
from pipelines.load.drop import LoadSummary, known_hashes, list_drop, load_drop, sha256_of
from pipelines.load.record_parts import PARTS_FOLDER

AS_OF = dt.date(2026, 11, 29)
KEY = b"k" * 32
CHANGED = "records/chat/transcripts.jsonl"
UNCHANGED = ["records/portal/accounts.csv", "records/shadow_tool/exports.parquet"]
NEW_TRANSCRIPTS = (
    '{"record_id": "tr_3", "record_type": "chat_transcript", "data_subject": "consumer", '
    '"created_at": "2020-01-01T00:00:00Z"}\n'
    '{"record_id": "tr_4", "record_type": "chat_transcript", "data_subject": "martian", '
    '"created_at": "2020-01-01T00:00:00Z"}\n'
)
# Everything a load writes that a later step reads, in an order that does not depend on it.
RAW_CONTENT = {
    "records": "select * from raw.records order by all",
    "rejects": "select * from raw.rejects order by all",
    "load_audit": "select * exclude (loaded_at) from raw.load_audit order by all",
    "run_info": "select * exclude (run_id, started_at) from raw.run_info",
}


def _load(drop: Path, database: Path, parts: Path | None = None, run_id: str = "t") -> LoadSummary:
    """Load into `database`, with the parts in `parts` (default: a folder of its own)."""
    with duckdb.connect(str(database)) as connection:
        return load_drop(drop, connection, run_id=run_id, as_of=AS_OF, pseudonym_key=KEY,
                         parts=parts or database.with_suffix(".parts"))  # fmt: skip


def _content(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return {table: connection.execute(sql).fetchall() for table, sql in RAW_CONTENT.items()}


@pytest.fixture
def parts(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / PARTS_FOLDER


@pytest.fixture
def published(minimal_drop: Path, parts: Path) -> PublishedLoad:
    """The minimal drop loaded into `<tmp>/warehouse/ropa.duckdb`, its parts beside it."""
    warehouse = parts.parent
    warehouse.mkdir()
    _load(minimal_drop, published_path(warehouse), parts, run_id="first")
    load = read_published_load(warehouse)
    assert load is not None and load.builds_alike(key_fingerprint(KEY))
    return load


def test_unchanged_record_files_reuse_their_parts_and_give_the_rows_a_full_load_gives(
    minimal_drop: Path, published: PublishedLoad, parts: Path, tmp_path: Path
) -> None:
    with (minimal_drop / CHANGED).open("a", encoding="utf-8") as handle:
        handle.write(NEW_TRANSCRIPTS)
    carried = _load(minimal_drop, tmp_path / "carried.duckdb", parts)
    scratch = _load(minimal_drop, tmp_path / "scratch.duckdb")
    assert carried.parts_reused == UNCHANGED and scratch.parts_reused == []
    assert carried.drop_fingerprint == scratch.drop_fingerprint != published.drop_fingerprint
    content = _content(tmp_path / "carried.duckdb")
    assert content == _content(tmp_path / "scratch.duckdb")
    # the carried CSV brought its rejects, the re-read JSON Lines file its new one
    rejected_files = {row[0] for row in content["rejects"]}
    assert {"records/portal/accounts.csv", CHANGED} <= rejected_files


def test_record_files_are_read_again_only_when_the_data_subjects_changed(
    minimal_drop: Path, published: PublishedLoad, parts: Path, tmp_path: Path
) -> None:
    """Records are validated against the register's data subjects: another register with the
    same subjects still reuses the parts; other subjects read every file."""
    taxonomy = minimal_drop / "register" / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    reused = _load(minimal_drop, tmp_path / "same.duckdb", parts).parts_reused
    assert reused == sorted([CHANGED, *UNCHANGED])
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8")
        + "  - fides_key: martian\n    name: Martian\n    description: Not of this world\n",
        encoding="utf-8",
    )
    assert _load(minimal_drop, tmp_path / "other.duckdb", parts).parts_reused == []
    _load(minimal_drop, tmp_path / "scratch.duckdb")
    assert _content(tmp_path / "other.duckdb") == _content(tmp_path / "scratch.duckdb")


def test_a_file_of_unchanged_size_and_time_keeps_its_recorded_hash_unread(
    minimal_drop: Path, published: PublishedLoad
) -> None:
    """The trade-off git and rsync make (`ropa run --full` hashes every file)."""
    path = minimal_drop / "vendors.csv"
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(b"Cloud Host Inc", b"Cloud Host Ltd"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    listing = list_drop(minimal_drop)
    reused = known_hashes(minimal_drop, listing, published, hash_the_rest=False)
    assert set(reused) == set(listing.files)
    assert reused["vendors.csv"] == published.files["vendors.csv"].sha256 != sha256_of(path)
    path.touch()  # a new modification time: read and hashed again
    listing = list_drop(minimal_drop)
    assert "vendors.csv" not in known_hashes(minimal_drop, listing, published, hash_the_rest=False)
    rehashed = known_hashes(minimal_drop, listing, published, hash_the_rest=True)
    assert rehashed["vendors.csv"] == sha256_of(path)


def test_another_key_or_code_builds_differently(published: PublishedLoad) -> None:
    assert not published.builds_alike(key_fingerprint(b"another key" * 3))
    other_code = PublishedLoad(**{**vars(published), "code_version": "sha256:older"})
    assert not other_code.builds_alike(key_fingerprint(KEY))
    assert published.is_unchanged(published.drop_fingerprint, AS_OF, key_fingerprint(KEY))
    assert not published.is_unchanged(
        published.drop_fingerprint, AS_OF + dt.timedelta(days=1), key_fingerprint(KEY)
    )
