"""Register facts behind the role and DPIA checks (exports.md "Role of each activity").

An organization without a controller loads (the finding register.controller_missing, which one
demo drop cannot plant: it has one organization, with a controller); a system without
`responsibility` loads as Controller; `meta.processor_activities` is loaded entry by entry, and
an entry that names no declaration of its system is an error naming file, system and field.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.load.drop import load_drop
from pipelines.load.errors import DropError

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
AS_OF = dt.date(2026, 11, 29)
PORTAL = "register/systems/portal.yml"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _load(drop: Path, warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        load_drop(
            drop,
            connection,
            run_id="t",
            as_of=AS_OF,
            pseudonym_key=b"k",
            parts=warehouse.parent / "parts",
        )


def _query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def _dual_role_chat(drop: Path, processor_activities: str) -> None:
    _replace(
        drop / PORTAL,
        "    responsibility: [Processor]\n",
        f"    responsibility: [Controller, Processor]\n    meta: {processor_activities}\n",
    )


def test_missing_responsibility_loads_as_controller(minimal_drop: Path, tmp_path: Path) -> None:
    _replace(minimal_drop / PORTAL, "    responsibility: [Controller]\n", "")
    warehouse = tmp_path / "build.duckdb"
    _load(minimal_drop, warehouse)
    rows = _query(
        warehouse,
        "select system_key, responsibility_declared, is_controller, is_processor"
        " from raw.systems order by 1",
    )
    assert rows == [("chat", True, False, True), ("portal", False, True, False)]


def test_profiling_and_processor_activities_are_loaded(minimal_drop: Path, tmp_path: Path) -> None:
    _replace(
        minimal_drop / PORTAL,
        "    requires_data_protection_assessments: true\n",
        "    requires_data_protection_assessments: true\n    uses_profiling: true\n"
        "    legal_basis_for_profiling: [Contract, Explicit consent]\n",
    )
    # an entry by slug of the declaration's name ("Chat for customers")
    _dual_role_chat(minimal_drop, "{processor_activities: [essential.service#chat-for-customers]}")
    warehouse = tmp_path / "build.duckdb"
    _load(minimal_drop, warehouse)
    assert _query(
        warehouse,
        "select system_key, uses_profiling, legal_basis_for_profiling,"
        " processor_activities_declared from raw.systems order by 1",
    ) == [("chat", False, None, True), ("portal", True, "Contract; Explicit consent", False)]
    assert _query(
        warehouse, "select system_key, entry, activity_key from raw.system_processor_activities"
    ) == [("chat", "essential.service#chat-for-customers", "chat:essential.service")]


@pytest.mark.parametrize(
    "entry",
    ["marketing.communications.email", "essential.service#another-name"],
)
def test_processor_activity_naming_no_declaration_is_an_error(
    minimal_drop: Path, tmp_path: Path, entry: str
) -> None:
    _dual_role_chat(minimal_drop, f"{{processor_activities: ['{entry}']}}")
    with pytest.raises(DropError) as raised:
        _load(minimal_drop, tmp_path / "build.duckdb")
    error = raised.value
    assert error.file == PORTAL
    assert "system 'chat'" in error.location
    assert error.field == "meta.processor_activities"
    assert entry in str(error)


def _dbt_build(warehouse: Path, base: Path, select: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "ROPA_DUCKDB_PATH": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(Path(sys.executable).with_name("dbt")), "build", "--select", select,
        "--indirect-selection", "cautious",
        "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(base / "target"), "--log-path", str(base / "logs"),
        "--vars", json.dumps({"as_of": AS_OF.isoformat(), "run_id": "pytest"}),
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=DBT_PROJECT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return dict(json.loads((base / "target" / "run_results.json").read_text()))


def test_organization_without_controller_loads_and_is_the_finding(
    minimal_drop: Path, tmp_path: Path
) -> None:
    organization = minimal_drop / "register/organization.yml"
    lines = organization.read_text(encoding="utf-8").splitlines(keepends=True)
    organization.write_text(
        "".join(line for line in lines if "controller:" not in line), encoding="utf-8"
    )
    warehouse = tmp_path / "warehouse.duckdb"
    _load(minimal_drop, warehouse)
    assert _query(warehouse, "select organization_key, controller_name from raw.organizations") == [
        ("acme", None)
    ]
    # the check, and the records that carry the controller's contact, build with their tests
    _dbt_build(
        warehouse,
        tmp_path,
        "+check_register__controller_missing +ropa_controller +ropa_processor",
    )
    assert _query(
        warehouse,
        "select organization, failing_count from marts.check_register__controller_missing",
    ) == [("acme", 1)]
    assert _query(warehouse, "select count(*) from marts.ropa_controller") == [(1,)]
