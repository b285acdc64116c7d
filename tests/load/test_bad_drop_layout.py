"""Every byte of the drop accounted for (exports.md "Layout", "records/"): each file is read and
balanced, or kept unread in load_audit, or the load fails naming it; a link is never followed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from commands.cli import main as ropa
from demo_drop.writers import drop_fingerprint
from pipelines.load.drop import LoadSummary, is_contract_file, load_drop
from pipelines.load.errors import DropError, DropErrors

AS_OF = dt.date(2026, 11, 29)
PORTAL_CSV = "records/portal/accounts.csv"


def _load(drop: Path, tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, LoadSummary]:
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    summary = load_drop(
        drop, connection, run_id="t", as_of=AS_OF, pseudonym_key=b"k", parts=tmp_path / "parts"
    )
    return connection, summary


def _load_error(drop: Path, tmp_path: Path) -> DropError:
    with pytest.raises(DropError) as raised:
        _load(drop, tmp_path)
    return raised.value


def _files_on_disk(drop: Path) -> set[str]:
    return {
        (Path(folder) / name).relative_to(drop).as_posix()
        for folder, _, names in os.walk(drop)
        for name in names
    }


def _audit(connection: duckdb.DuckDBPyConnection) -> dict[str, tuple[object, ...]]:
    rows = connection.execute(
        "select source_file, file_format, rows_read, rows_loaded, rows_rejected from raw.load_audit"
    ).fetchall()
    return {str(row[0]): tuple(row[1:]) for row in rows}


def _assert_every_file_accounted_for(
    drop: Path, connection: duckdb.DuckDBPyConnection, summary: LoadSummary
) -> dict[str, tuple[object, ...]]:
    audit = _audit(connection)
    assert set(audit) == _files_on_disk(drop)
    # the fingerprint hashes exactly load_audit's files (sha256sum over the same set)
    assert summary.drop_fingerprint == drop_fingerprint(drop)
    for source_file, (_, read, loaded, rejected) in audit.items():
        if read is not None:
            assert read == loaded + rejected, source_file  # type: ignore[operator]
    return audit


def test_files_in_subfolders_of_a_system_are_read_as_that_system(
    minimal_drop: Path, tmp_path: Path
) -> None:
    deep = minimal_drop / "records/portal/2026/11"
    deep.mkdir(parents=True)
    shutil.copy(minimal_drop / PORTAL_CSV, deep / "more.csv")
    shutil.copy(
        minimal_drop / "records/chat/transcripts.jsonl", minimal_drop / "records/portal/2026"
    )
    connection, summary = _load(minimal_drop, tmp_path)
    audit = _assert_every_file_accounted_for(minimal_drop, connection, summary)
    for relative in ("records/portal/2026/11/more.csv", "records/portal/2026/transcripts.jsonl"):
        assert audit[relative][1] is not None and int(audit[relative][1]) > 0  # type: ignore[call-overload]
        systems = connection.execute(
            "select distinct system_key from raw.records where _source_file = ?", [relative]
        ).fetchall()
        assert systems == [("portal",)]


def test_files_outside_the_contract_are_in_load_audit_unread(
    minimal_drop: Path, tmp_path: Path
) -> None:
    unread = {
        "README.txt": "about this drop\n",
        "notes/todo.md": "- nothing\n",
        "register/README.txt": "kept by the privacy team\n",
        "records/portal/README.txt": "exported nightly\n",
        "records/chat/2026/manifest.json": "{}\n",
        "records/chat/export": "no suffix\n",
    }
    for relative, text in unread.items():
        (minimal_drop / relative).parent.mkdir(parents=True, exist_ok=True)
        (minimal_drop / relative).write_text(text)
    connection, summary = _load(minimal_drop, tmp_path)
    audit = _assert_every_file_accounted_for(minimal_drop, connection, summary)
    for relative in unread:
        assert audit[relative][1:] == (None, None, None), relative
    # records/ files are the finding drop.unread_file; the rest is listed in the run summary
    outside = sorted(f for f in unread if not is_contract_file(f))
    assert outside == ["README.txt", "notes/todo.md", "register/README.txt"]


def _link(target: Callable[[Path], Path], link: str) -> Callable[[Path], str]:
    def make(drop: Path) -> str:
        path, pointed_to = drop / link, target(drop)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.symlink_to(pointed_to)
        return link

    return make


def _outside_file(drop: Path) -> Path:
    outside = drop.parent / "outside" / "accounts.csv"
    outside.parent.mkdir(exist_ok=True)
    shutil.copy(drop / PORTAL_CSV, outside)
    return outside


def _outside_vendors(drop: Path) -> Path:
    outside = drop.parent / "outside" / "vendors.csv"
    outside.parent.mkdir(exist_ok=True)
    shutil.copy(drop / "vendors.csv", outside)
    return outside


def _outside_folder(drop: Path) -> Path:
    return _outside_file(drop).parent


def _outside_register(drop: Path) -> Path:
    folder = drop.parent / "outside_register"
    shutil.copytree(drop / "register/systems", folder)
    return folder


@pytest.mark.parametrize(
    "make_link",
    [
        _link(lambda _: Path("/etc/passwd"), "records/portal/passwd.csv"),
        _link(_outside_file, "records/portal/linked.csv"),
        _link(_outside_file, "records/portal/2026/deep/linked.csv"),
        _link(_outside_folder, "records/linked_system"),
        _link(_outside_folder, "records/portal/linked_folder"),
        _link(_outside_vendors, "vendors.csv"),
        _link(_outside_register, "register/linked"),
        _link(lambda drop: drop / "register/systems/portal.yml", "register/systems/again.yml"),
        _link(lambda drop: drop / "missing.csv", "records/portal/dangling.csv"),
        _link(lambda _: Path("/etc/passwd"), "README.txt"),
    ],
    ids=[
        "etc-passwd",
        "file-outside",
        "deep-file-outside",
        "system-folder-outside",
        "subfolder-outside",
        "root-vendors",
        "register-folder",
        "register-file-inside",
        "dangling",
        "root-readme",
    ],
)
def test_a_symbolic_link_anywhere_is_an_error_naming_it(
    make_link: Callable[[Path], str], minimal_drop: Path, tmp_path: Path
) -> None:
    link = make_link(minimal_drop)
    error = _load_error(minimal_drop, tmp_path)
    assert (error.file, error.field) == (link, None)
    assert "symbolic link" in str(error)
    assert "root:" not in str(error)  # never read through it


def test_every_link_is_named_at_once(minimal_drop: Path, tmp_path: Path) -> None:
    (minimal_drop / "records/portal/one.csv").symlink_to("/etc/passwd")
    (minimal_drop / "cookies.csv").unlink()
    (minimal_drop / "cookies.csv").symlink_to("/etc/hostname")
    error = _load_error(minimal_drop, tmp_path)
    assert isinstance(error, DropErrors)
    assert [p.file for p in error.problems] == ["cookies.csv", "records/portal/one.csv"]


@pytest.mark.parametrize(
    ("relative", "named"),
    [
        ("records/stray.csv", "records/stray.csv"),
        ("records/notes.txt", "records/notes.txt"),
        ("records/O'Brien/accounts.csv", "records/O'Brien/"),
        ("records/<b>/accounts.csv", "records/<b>/"),
        ("records/Portal/accounts.csv", "records/Portal/"),
        ("records/my system/accounts.csv", "records/my system/"),
        ("records/-portal/nested/accounts.csv", "records/-portal/"),
    ],
)
def test_a_file_directly_in_records_or_a_folder_that_is_not_a_key_is_an_error(
    relative: str, named: str, minimal_drop: Path, tmp_path: Path
) -> None:
    (minimal_drop / relative).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(minimal_drop / PORTAL_CSV, minimal_drop / relative)
    error = _load_error(minimal_drop, tmp_path)
    assert error.file == named
    assert "records/" in error.problem and "Traceback" not in str(error)


def test_an_empty_folder_that_is_not_a_key_is_an_error(minimal_drop: Path, tmp_path: Path) -> None:
    (minimal_drop / "records/Bad Name").mkdir()
    error = _load_error(minimal_drop, tmp_path)
    assert error.file == "records/Bad Name/"


def test_the_run_summary_lists_what_was_not_read(
    minimal_drop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (minimal_drop / "README.txt").write_text("about this drop\n")
    (minimal_drop / "notes").mkdir()
    (minimal_drop / "notes/todo.md").write_text("- nothing\n")
    (minimal_drop / "records/portal/README.txt").write_text("exported nightly\n")
    warehouse = tmp_path / "warehouse"
    run = ["run", "--exports", str(minimal_drop), "--warehouse", str(warehouse),
           "--as-of", AS_OF.isoformat()]  # fmt: skip
    assert ropa(run) == 0
    out = capsys.readouterr().out
    unread_records = out.split("finding drop.unread_file):\n", 1)[1].split("\n\n", 1)[0]
    outside = out.split("not part of the contract, not read:\n", 1)[1].split("\n\n", 1)[0]
    assert unread_records.split() == ["records/portal/README.txt"]
    assert outside.split() == ["README.txt", "notes/todo.md"]


def test_a_named_pipe_is_an_error_not_a_hang(minimal_drop: Path, tmp_path: Path) -> None:
    os.mkfifo(minimal_drop / "records/portal/stream.csv")
    error = _load_error(minimal_drop, tmp_path)
    assert (error.file, error.problem) == ("records/portal/stream.csv", "not a regular file")
