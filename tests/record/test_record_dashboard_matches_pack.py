"""The dashboard's record page shows the same words as the regulator pack's ropa.json.

Both read marts.ropa_controller and take their labels from ropa.schema.json; this holds them to
one wording for an activity whose basis, recipients, transfers and rules are all filled.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from dashboards.source import WAREHOUSE_ENV
from pipelines.pack import write_pack
from tests.support.dashboard_login import open_signed_in

WORDED = (
    "activity_name", "purpose_name", "lawful_basis", "rights_available",
    "special_category_condition", "data_subject_categories", "personal_data_categories",
    "recipient_categories", "recipients", "third_countries", "transfer_safeguards",
    "retention_period_text", "retention_rules", "data_location", "automated_decision_making",
)  # fmt: skip


def _text(value: Any) -> Any:
    return None if isinstance(value, float) and math.isnan(value) else value


def test_record_page_shows_the_packs_words(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the internal copy: it keeps activity_key, by which the two are matched
    pack = write_pack(demo_warehouse, tmp_path / "pack", audience="internal")
    document = json.loads((pack.path / "ropa.json").read_text(encoding="utf-8"))
    in_pack = {row["activity_key"]: row for row in document["controller_activities"]}
    filled = (
        key
        for key, row in sorted(in_pack.items())
        if row["third_countries"] and row["lawful_basis"]
    )
    activity = next(filled)

    monkeypatch.setenv(WAREHOUSE_ENV, str(demo_warehouse))
    app = open_signed_in(demo_warehouse)
    app.switch_page("app_pages/record.py").run()
    assert not app.exception, [error.value for error in app.exception]
    shown = app.dataframe[0].value.set_index("activity_key").loc[activity]

    for column in WORDED:
        if column in in_pack[activity]:
            assert _text(shown[column]) == in_pack[activity][column], column
