"""Regression cases the fuzz suite found, kept as small hand-made drops (tests/fuzz/corpus/).

Each case is a folder: `drop/` holds the files laid over a copy of the minimal drop, and
`case.json` says what it is about, what the contract expects (`publish`, `error:<file>`, or
`either`), the data rows of its files (counted by hand) and the minimal drop's files it
removes. Every `RID-<16 hex>` in its files is a record id that must not leak.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.fuzz.invariant import check_load, minimal_drop_copy

pytestmark = pytest.mark.fuzz

CORPUS = Path(__file__).parent / "corpus"
RECORD_ID = re.compile(rb"RID-[0-9a-f]{16}")


@pytest.mark.parametrize("case", sorted(p.name for p in CORPUS.iterdir() if p.is_dir()))
def test_corpus_case(case: str) -> None:
    folder = CORPUS / case
    spec = json.loads((folder / "case.json").read_text())
    overlay = folder / "drop"
    ids = {
        match.decode()
        for path in overlay.rglob("*")
        if path.is_file()
        for match in RECORD_ID.findall(path.read_bytes())
    }
    expect = str(spec["expect"])
    with minimal_drop_copy() as drop:
        for removed in spec.get("remove", []):
            (drop / removed).unlink()
        shutil.copytree(overlay, drop, dirs_exist_ok=True)
        check_load(
            drop,
            dict(spec.get("rows", {})),
            ids,
            must_publish=expect == "publish",
            must_fail_on=expect.removeprefix("error:") if expect.startswith("error:") else None,
        )
