"""No raw record id leaves the drop (issue 15, item 3).

A drop whose record files hold rejected rows and duplicates, under distinctive ids, is
refreshed by Dagster itself with a persistent instance (`dagster job execute`, as the UI and
the daemon run it, DAGSTER_HOME in tmp_path); then the same drop plus a record file DuckDB
cannot parse is refreshed over it by Dagster and by `ropa run`. (A good `ropa run` runs the
same job and prints counts only; it is left out to keep the test short.) No id may show in
the processes' output, in any file under the warehouse folder (logs, the pack, the published
DuckDB file) or under the Dagster home (run and event storage, compute logs).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.jobs import REFRESH_JOB_NAME

MINIMAL_DROP = Path(__file__).parents[1] / "fixtures" / "minimal_drop"
AS_OF = "2026-11-29"
_RUN_TIMEOUT_SECONDS = 900
HEADER = (
    "record_id,record_type,data_subject,customer_key,created_at,last_activity_at,closed_at,"
    "legal_hold,subject_country,subject_age"
)
# Loaded, rejected for bad values, duplicated: every way a row goes through the load.
ACCOUNTS = [
    "RID-00000000000a0001,user_account,customer,hotel_co,2023-01-01T00:00:00Z,2024-05-01,,false,DE,34",
    "RID-00000000000a0002,user_account,customer,,2025-01-01,2026-11-01,,,CA,",
    "RID-00000000000a0002,user_account,customer,,2025-01-01,2026-11-01,,,CA,",
    "RID-00000000000a0003,user_account,customer,,not-a-date,,,,CA,-4",
    "RID-00000000000a0004,user_account,customer,,2025-01-01,,,maybe,CA,15",
    "RID-00000000000a0005,User Account!,alien,,2025-01-01,,,,ZZZ,",
    '"RID-00000000000a0006, with a comma",user_account,customer,,2025-01-01,,,,,',
]  # fmt: skip
TRANSCRIPTS = [
    {"record_id": "RID-00000000000c0001", "record_type": "chat_transcript",
     "data_subject": "consumer", "customer_key": "hotel_co", "created_at": "2026-01-01T10:00:00Z"},
    {"record_id": "RID-00000000000c0002", "record_type": "chat_transcript",
     "data_subject": "consumer", "created_at": "yesterday", "legal_hold": "perhaps"},
]  # fmt: skip
SHADOW_IDS = ["RID-00000000000d0001", "RID-00000000000d0002"]
# Too many fields on its second line: DuckDB's error quotes the line it cannot parse.
UNPARSEABLE = (
    "record_id,record_type,data_subject,created_at\n"
    "RID-00000000000b0001,user_account,customer,2025-01-01\n"
    'RID-00000000000b0002,user_account,customer,2025-01-01,surplus,"RID-00000000000b0003\n'
)


@dataclass(frozen=True)
class Refresh:
    """One refresh's output and the folders it wrote."""

    output: str
    folders: tuple[Path, ...]


def _write_drop(target: Path, unparseable: bool) -> None:
    shutil.copytree(MINIMAL_DROP, target)
    records = target / "records"
    (records / "portal/accounts.csv").write_text("\n".join([HEADER, *ACCOUNTS]) + "\n")
    (records / "chat/transcripts.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in TRANSCRIPTS)
    )
    shadow = pq.read_table(records / "shadow_tool/exports.parquet").slice(0, len(SHADOW_IDS))
    shadow = shadow.set_column(0, "record_id", pa.array(SHADOW_IDS))
    pq.write_table(shadow, records / "shadow_tool/exports.parquet")
    if unparseable:
        (records / "portal/broken.csv").write_text(UNPARSEABLE)


def _record_ids(drop: Path) -> set[str]:
    """Every record id in the drop, read straight from its files (not through the loader)."""
    ids: set[str] = set()
    for path in sorted((drop / "records").rglob("*")):
        if path.suffix == ".parquet":
            ids.update(str(v) for v in pq.read_table(path)["record_id"].to_pylist())
        elif path.suffix == ".jsonl":
            ids.update(json.loads(line)["record_id"] for line in path.read_text().splitlines())
        elif path.suffix == ".csv":
            with path.open(newline="") as handle:
                ids.update(row["record_id"] for row in csv.DictReader(handle))
    assert all(i.startswith("RID-") for i in ids), ids
    return {i[:20] for i in ids}  # `RID-` and 16 hex digits: the part a leak would show


def _environment(warehouse: Path, drop: Path, dagster_home: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, GX_ANALYTICS_ENABLED="false", PYTHONUNBUFFERED="1")
    env.update(ROPA_EXPORTS_DIR=str(drop), ROPA_WAREHOUSE_DIR=str(warehouse))
    if dagster_home is not None:
        env["DAGSTER_HOME"] = str(dagster_home)
    return env


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=_RUN_TIMEOUT_SECONDS,
        cwd=Path(__file__).parents[2],
    )  # fmt: skip
    return f"{done.stdout}\n{done.stderr}\n(exit {done.returncode})"


def _dagster_refresh(drop: Path, warehouse: Path, home: Path, config: Path) -> str:
    command = [
        str(Path(sys.executable).parent / "dagster"), "job", "execute",
        "-m", "pipelines.definitions", "-j", REFRESH_JOB_NAME, "-c", str(config),
    ]  # fmt: skip
    return _run(command, _environment(warehouse, drop, home))


def _ropa_refresh(drop: Path, warehouse: Path) -> str:
    command = [
        sys.executable, "-m", "commands.cli", "run", "--exports", str(drop),
        "--warehouse", str(warehouse), "--as-of", AS_OF,
    ]  # fmt: skip
    return _run(command, _environment(warehouse, drop))


@pytest.fixture(scope="module")
def refreshes(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], list[Refresh]]:
    base = tmp_path_factory.mktemp("no_record_ids")
    good, bad = base / "drop", base / "drop_unparseable"
    _write_drop(good, unparseable=False)
    _write_drop(bad, unparseable=True)
    home = base / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    config = base / "run_config.yaml"
    config.write_text(json.dumps({"resources": {"settings": {"config": {"as_of": AS_OF}}}}))
    warehouse = base / "warehouse"
    runs = [
        Refresh(_dagster_refresh(good, warehouse, home, config), (warehouse, home)),
        Refresh(_dagster_refresh(bad, warehouse, home, config), (warehouse, home)),
        Refresh(_ropa_refresh(bad, warehouse), (warehouse,)),
    ]
    return _record_ids(bad), runs


def _texts_of(path: Path) -> list[str]:
    """What a reader of the file sees: zip members unpacked (the xlsx), the PDF's text, every
    value of a DuckDB file's tables, the bytes of anything else."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    if path.suffix == ".pdf":
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
        return [text.stdout.decode("utf-8", "replace"), path.read_bytes().decode("latin-1")]
    if path.suffix == ".duckdb":
        return _duckdb_values(path)
    return [path.read_bytes().decode("utf-8", "replace")]


def _duckdb_values(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE'"
        ).fetchall()
        return [
            "\x1f".join(str(cell) for cell in row)
            for schema, table in tables
            for row in connection.execute(f'select * from "{schema}"."{table}"').fetchall()
        ]


def test_the_refreshes_ran_as_intended(refreshes: tuple[set[str], list[Refresh]]) -> None:
    _ids, runs = refreshes
    good_dagster, bad_dagster, bad_ropa = runs
    warehouse, home = good_dagster.folders
    assert "RUN_SUCCESS" in good_dagster.output, good_dagster.output[-3000:]
    assert "RUN_FAILURE" in bad_dagster.output, bad_dagster.output[-3000:]
    assert "records/portal/broken.csv" in bad_dagster.output
    assert bad_ropa.output.endswith("(exit 1)"), bad_ropa.output[-3000:]
    assert "records/portal/broken.csv" in bad_ropa.output
    assert list((warehouse / "packs").rglob("*.pdf")), "the good refresh wrote a pack"
    assert (warehouse / "logs" / "last_run.log").is_file()
    assert list(home.rglob("*.db")), "the Dagster home keeps its runs"


def test_no_record_id_in_any_output_log_pack_or_dagster_storage(
    refreshes: tuple[set[str], list[Refresh]],
) -> None:
    ids, runs = refreshes
    folders = {folder for run in runs for folder in run.folders}
    sources = {f"output of refresh {n}": [run.output] for n, run in enumerate(runs)}
    for folder in sorted(folders):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            sources[str(path.relative_to(folder.parent))] = _texts_of(path)
    leaks = sorted(
        f"{record_id} in {source}"
        for source, texts in sources.items()
        for record_id in ids
        if any(record_id in text for text in texts)
    )
    assert not leaks, leaks
