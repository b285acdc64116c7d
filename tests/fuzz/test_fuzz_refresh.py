"""A few whole refreshes (`ropa run`) of broken drops over a published warehouse: each fails
naming a file of the drop, and the published ropa.duckdb is byte for byte what it was."""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.cli import main as ropa
from pipelines.lib.warehouse import BUILD_FOLDER, PUBLISHED_NAME
from pipelines.load.tabular_specs import RECORDS, VENDORS
from tests.fuzz.invariant import MINIMAL_DROP, assert_no_record_id
from tests.fuzz.strategies import TabularFile, csv_files, id_core, jsonl_files

pytestmark = pytest.mark.fuzz

AS_OF = "2026-11-29"


# Files the contract rejects whole: each lacks a required column.
_BREAKAGES = st.sampled_from(
    [
        ("vendors.csv", csv_files(VENDORS, without_required=True)),
        ("records/portal/broken.csv", csv_files(RECORDS, without_required=True)),
        ("records/chat/broken.jsonl", jsonl_files(RECORDS, without_required=True)),
    ]
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@settings(max_examples=3)  # whole refreshes: a few, each a Dagster run
@given(data=st.data())
def test_failed_refresh_leaves_the_published_warehouse_as_it_was(
    minimal_warehouse: Path, data: st.DataObject
) -> None:
    relative, files = data.draw(_BREAKAGES)
    generated: TabularFile = data.draw(files)
    with tempfile.TemporaryDirectory(prefix="fuzz-run-") as folder:
        drop, warehouse = Path(folder) / "drop", Path(folder) / "warehouse"
        shutil.copytree(MINIMAL_DROP, drop)
        shutil.copytree(minimal_warehouse, warehouse)
        (drop / relative).write_bytes(generated.content)
        before = _digest(warehouse / PUBLISHED_NAME)
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            code = ropa(
                ["run", "--exports", str(drop), "--warehouse", str(warehouse), "--as-of", AS_OF]
            )
        assert code == 1
        assert f"{relative}, " in errors.getvalue()
        assert_no_record_id([id_core(i) for i in generated.record_ids], [errors.getvalue()])
        assert _digest(warehouse / PUBLISHED_NAME) == before
        assert not list((warehouse / BUILD_FOLDER).glob("*.duckdb*"))
