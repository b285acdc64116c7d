"""A bad register (exports.md "register/", "Bad input"): the load fails naming file, line and
field in our own words, with every problem of the register, the schedule and the policy at once."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipelines.load.drop import load_drop
from pipelines.load.errors import DropError, DropErrors

AS_OF = dt.date(2026, 11, 29)
PORTAL = "register/systems/portal.yml"
RETENTION = "register/retention.yml"
POLICY = "register/policy.yml"
# Words of PyYAML, pydantic and Python that must never reach the user.
FOREIGN_WORDS = (
    "could not determine a constructor", "found character", "while scanning", "while parsing",
    "Value error", "validation error", "codec can't decode", "unacceptable character",
    "KeyError", "Traceback", "expected a single document", "<stream end>", "tag:yaml.org",
)  # fmt: skip


def _load(drop: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    load_drop(
        drop, connection, run_id="t", as_of=AS_OF, pseudonym_key=b"k", parts=tmp_path / "parts"
    )
    return connection


def _load_error(drop: Path, tmp_path: Path) -> DropError:
    with pytest.raises(DropError) as raised:
        _load(drop, tmp_path)
    error = raised.value
    for words in FOREIGN_WORDS:
        assert words not in str(error)
    return error


def _replace(drop: Path, relative: str, old: str, new: str) -> None:
    path = drop / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _write(relative: str, text: str) -> Callable[[Path], None]:
    def write(drop: Path) -> None:
        (drop / relative).write_bytes(text.encode("utf-8", "surrogateescape"))

    return write


def _edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda drop: _replace(drop, relative, old, new)


def _append(relative: str, text: str) -> Callable[[Path], None]:
    def append(drop: Path) -> None:
        with (drop / relative).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return append


def _rename_chat(key: str) -> Callable[[Path], None]:
    def rename(drop: Path) -> None:
        _replace(drop, PORTAL, "fides_key: chat", f'fides_key: "{key}"')
        _replace(drop, RETENTION, "system: chat", f'system: "{key}"')

    return rename


SECOND_PORTAL = """system:
  - fides_key: portal
    name: Portal again
    system_type: Service
    privacy_declarations: []
"""
BILLION_LAUGHS = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

CASES: dict[str, tuple[Callable[[Path], None], str, str, str | None, str]] = {
    # case: (break the drop, file, location, field, words of the problem)
    "duplicate key in a mapping": (
        _edit(
            PORTAL,
            "    responsibility: [Processor]\n",
            "    responsibility: [Processor]\n    responsibility: [Controller]\n",
        ),
        PORTAL,
        "line 28",
        "responsibility",
        "duplicate key 'responsibility' (first at line 27)",
    ),
    "duplicate top-level list": (
        _append(PORTAL, SECOND_PORTAL.replace("portal", "portal2")),
        PORTAL,
        "line 34",
        "system",
        "duplicate key 'system' (first at line 1)",
    ),
    "alias bomb": (
        _write("register/bomb.yml", BILLION_LAUGHS),
        "register/bomb.yml",
        "line 5",  # e: 9**5 values, the first alias past the bound of 10,000
        None,
        "aliases",
    ),
    "alias loop": (
        _write("register/loop.yml", "data_category: &loop [*loop]\n"),
        "register/loop.yml",
        "line 1",
        None,
        "inside the value it names",
    ),
    "python tag": (
        _write("register/evil.yml", "system:\n  - !!python/object/apply:os.system ['id']\n"),
        "register/evil.yml",
        "line 2",
        None,
        "tag '!!python/object/apply:os.system'",
    ),
    "custom tag": (
        _write("register/custom.yml", "system:\n  - !Include other.yml\n"),
        "register/custom.yml",
        "line 2",
        None,
        "tag '!Include'",
    ),
    "tab indentation": (
        _edit(PORTAL, "    name: Account portal", "\tname: Account portal"),
        PORTAL,
        "line 3",
        None,
        "tab",
    ),
    "unclosed quote": (
        _edit(PORTAL, "name: Account portal", "name: 'Account portal"),
        PORTAL,
        "line 3",  # where the quote opens
        None,
        "quote",
    ),
    "two documents": (
        _append(PORTAL, "---\nsystem: []\n"),
        PORTAL,
        "line 34",
        None,
        "one YAML document",
    ),
    "not UTF-8": (
        _write("register/latin1.yml", "organization:\n  - name: Caf\udce9\n"),
        "register/latin1.yml",
        "line 2",
        None,
        "not UTF-8",
    ),
    "control character": (
        _write("register/bell.yml", "organization:\n  - name: ding\x07\n"),
        "register/bell.yml",
        "line 2",
        None,
        "control character",
    ),
    "duplicate system fides_key": (
        _write("register/systems/portal_again.yml", SECOND_PORTAL),
        "register/systems/portal_again.yml",
        "system 'portal' (line 2)",
        "fides_key",
        f"first in {PORTAL} (line 2)",
    ),
    "duplicate dataset fides_key": (
        _write(
            "register/datasets/portal_db_again.yml",
            "dataset:\n  - fides_key: portal_db\n    collections: []\n",
        ),
        "register/datasets/portal_db_again.yml",
        "dataset 'portal_db' (line 2)",
        "fides_key",
        "first in register/datasets/portal_db.yml (line 2)",
    ),
    "duplicate taxonomy fides_key": (
        _write(
            "register/taxonomy_more.yml",
            "data_subject:\n  - fides_key: consumer\n    name: Consumer again\n",
        ),
        "register/taxonomy_more.yml",
        "data_subject 'consumer' (line 2)",
        "fides_key",
        "first in register/taxonomy.yml (line 2)",
    ),
    "quote in a system key": (
        _rename_chat("o'chat"),
        PORTAL,
        "system 'o'chat' (line 24)",
        "fides_key",
        "not a key",
    ),
    "markup in a system key": (
        _rename_chat("<b>chat"),
        PORTAL,
        "system '<b>chat' (line 24)",
        "fides_key",
        "not a key",
    ),
    "two rules for one system and record type": (
        lambda drop: [
            _replace(drop, RETENTION, old, new)
            for old, new in (("system: chat", "system: portal"), ('"*"', "user_account"))
        ],
        RETENTION,
        "rule 'chat-customer-setting' (line 11)",
        "record_type",
        "a second rule for system 'portal' and record_type 'user_account'",
    ),
    "retention period P1X": (
        _edit(RETENTION, "period: P1Y", "period: P1X"),
        RETENTION,
        "rule 'portal-accounts' (line 2)",
        "period",
        "'P1X' is not an ISO 8601 duration",
    ),
    "negative retention period": (
        _edit(RETENTION, "period: P1Y", "period: -P1Y"),
        RETENTION,
        "rule 'portal-accounts' (line 2)",
        "period",
        "'-P1Y' is not an ISO 8601 duration",
    ),
    "policy max_period P1X": (
        _edit(POLICY, "max_period: P1Y", "max_period: P1X"),
        POLICY,
        "line 12",
        "max_period",
        "'P1X' is not an ISO 8601 duration",
    ),
    "policy.yml missing": (
        lambda drop: (drop / POLICY).unlink(),
        "register/",
        "folder",
        "policy",
        "usually register/policy.yml",
    ),
    "retention.yml missing": (
        lambda drop: (drop / RETENTION).unlink(),
        "register/",
        "folder",
        "rules",
        "usually register/retention.yml",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_register_names_file_line_and_field(
    case: str, minimal_drop: Path, tmp_path: Path
) -> None:
    break_drop, file, location, field, words = CASES[case]
    break_drop(minimal_drop)
    started = time.monotonic()
    error = _load_error(minimal_drop, tmp_path)
    assert time.monotonic() - started < 10  # an alias bomb is refused before it expands
    problems = error.problems if isinstance(error, DropErrors) else [error]
    assert [(p.file, p.field) for p in problems] == [(file, field)], str(error)
    assert problems[0].location == location, str(error)
    assert words in problems[0].problem


def test_every_problem_of_schedule_policy_and_manifests_is_listed_at_once(
    minimal_drop: Path, tmp_path: Path
) -> None:
    _replace(minimal_drop, RETENTION, "period: P1Y", "period: P1X")
    _replace(minimal_drop, RETENTION, "action: delete", "action: burn")
    _replace(minimal_drop, RETENTION, "anchor: [closed_at]", "anchor: [opened_at]")
    _replace(minimal_drop, POLICY, "minimum_age: 16", "minimum_age: -1")
    _replace(minimal_drop, POLICY, "max_period: P1Y", "max_period: -P1Y")
    _replace(
        minimal_drop,
        POLICY,
        "[cloud_hosting]",
        "[cloud_hosting]\n  disclosed_transfer_countries: [USA]",
    )
    _replace(minimal_drop, PORTAL, "[user.contact.email, user.name]", "[user.nickname]")
    error = _load_error(minimal_drop, tmp_path)
    assert isinstance(error, DropErrors)
    found = {(p.file, p.field) for p in error.problems}
    assert found == {
        (RETENTION, "period"), (RETENTION, "action"), (RETENTION, "anchor"),
        (POLICY, "minimum_age"), (POLICY, "max_period"), (POLICY, "disclosed_transfer_countries"),
        (PORTAL, "data_categories"),
    }  # fmt: skip
    assert all("line " in p.location for p in error.problems)


def test_anchors_and_aliases_of_ordinary_size_load(minimal_drop: Path, tmp_path: Path) -> None:
    _replace(minimal_drop, PORTAL, "data_categories: [user.contact.email, user.name]",
             "data_categories: &portal_categories [user.contact.email, user.name]")  # fmt: skip
    _replace(minimal_drop, PORTAL, "data_categories: [user.content]",
             "data_categories: *portal_categories")  # fmt: skip
    connection = _load(minimal_drop, tmp_path)
    categories = connection.execute(
        "select data_category from raw.activity_data_categories "
        "where activity_key = 'chat:essential.service' order by 1"
    ).fetchall()
    assert categories == [("user.contact.email",), ("user.name",)]


def test_a_zero_retention_period_is_zero_days(minimal_drop: Path, tmp_path: Path) -> None:
    """exports.md: a duration is ISO 8601, and P0D is one: the record is due at its anchor."""
    _replace(minimal_drop, RETENTION, "period: P1Y", "period: P0D")
    connection = _load(minimal_drop, tmp_path)
    rows = connection.execute(
        "select period, period_months, period_days from raw.retention_rules "
        "where rule_key = 'portal-accounts'"
    ).fetchall()
    assert rows == [("P0D", 0, 0)]
