"""The login in front of the dashboard: accounts, `ropa users`, failed-login limits, providers,
and what a session sees before and after it signs in (AppTest)."""

from __future__ import annotations

import argparse
import io
import json
import shutil
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from commands.cli import build_parser
from commands.cli import main as ropa
from commands.dashboard import streamlit_command
from dashboards.auth import accounts, oidc
from dashboards.auth.accounts import AccountError
from dashboards.auth.throttle import MAX_FAILURES_PER_NAME, WINDOW, Throttle, auth_log_path
from dashboards.source import WAREHOUSE_ENV
from pipelines.lib.warehouse import published_path
from tests.support.dashboard_login import (
    PASSWORD,
    ensure_account,
    open_signed_in,
    open_signed_out,
    submit_login,
)

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a long random cookie secret",
        "google": {
            "client_id": "id",
            "client_secret": "secret",
            "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
        },
    },
    "dashboard_roles": {"dpo": ["DPO@example.org"], "viewer": ["auditor@example.org"]},
}


@pytest.fixture
def warehouse(demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo's published file in a folder of this test's own: its accounts, failures and log
    are the test's alone."""
    folder = tmp_path / "warehouse"
    folder.mkdir()
    shutil.copyfile(published_path(demo_warehouse), published_path(folder))
    monkeypatch.setenv(WAREHOUSE_ENV, str(folder))
    return folder


def page_text(app: AppTest) -> str:
    return "\n".join(
        str(element.value)
        for kind in ("title", "markdown", "caption", "info", "error", "code", "text")
        for element in getattr(app, kind)
    )


def shows_nothing_of_the_record(app: AppTest) -> bool:
    return not (app.metric or app.dataframe or app.sidebar.markdown or app.get("download_button"))


# Accounts and `ropa users`


def test_accounts_file_holds_salted_hashes_only_and_is_private(tmp_path: Path) -> None:
    accounts.add_account(tmp_path, "anna", "dpo", PASSWORD)
    accounts.add_account(tmp_path, "ben", "viewer", PASSWORD)
    path = accounts.accounts_path(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert PASSWORD not in path.read_text()
    users = json.loads(path.read_text())["users"]
    assert users["anna"]["scrypt"]["salt"] != users["ben"]["scrypt"]["salt"]
    assert users["anna"]["scrypt"]["hash"] != users["ben"]["scrypt"]["hash"]
    assert [(a.name, a.role) for a in accounts.list_accounts(tmp_path)] == [
        ("anna", "dpo"),
        ("ben", "viewer"),
    ]
    assert accounts.authenticate(tmp_path, "anna", PASSWORD) == "dpo"
    assert accounts.authenticate(tmp_path, "anna", PASSWORD + "x") is None
    assert accounts.authenticate(tmp_path, "nobody", PASSWORD) is None
    assert [p.name for p in tmp_path.iterdir()] == [accounts.ACCOUNTS_NAME]  # no scratch left


@pytest.mark.parametrize(
    ("name", "role", "password", "problem"),
    [
        ("../etc", "dpo", PASSWORD, "is not allowed"),
        ("anna", "admin", PASSWORD, "is not one of dpo, viewer"),
        ("anna", "dpo", "short", "at least 12 characters"),
    ],
)
def test_bad_accounts_are_refused(
    tmp_path: Path, name: str, role: str, password: str, problem: str
) -> None:
    with pytest.raises(AccountError, match=problem):
        accounts.add_account(tmp_path, name, role, password)
    assert not accounts.accounts_path(tmp_path).exists()


def test_ropa_users_add_list_remove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def add(*extra: str) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        args = ["users", "add", "anna", "--role", "viewer", "--warehouse", str(tmp_path)]
        return ropa([*args, "--password-stdin", *extra])

    assert add() == 0
    assert add() == 1
    assert "pass --replace" in capsys.readouterr().err
    assert add("--replace") == 0
    assert ropa(["users", "list", "--warehouse", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("anna\tviewer\t")
    assert ropa(["users", "remove", "anna", "--warehouse", str(tmp_path)]) == 0
    assert ropa(["users", "remove", "anna", "--warehouse", str(tmp_path)]) == 1
    assert accounts.list_accounts(tmp_path) == []


def test_the_dashboard_listens_on_this_machine_unless_told_otherwise() -> None:
    def parsed(*extra: str) -> argparse.Namespace:
        return build_parser("dashboard").parse_args(["dashboard", "--warehouse", "w", *extra])

    def host(*extra: str) -> str:
        return str(parsed(*extra).host)

    assert host() == "127.0.0.1"
    defaults = parsed()
    # What the server is started with, not only what the parser holds.
    assert "--server.address=127.0.0.1" in streamlit_command(defaults.port, defaults.host)
    assert host("--host", "0.0.0.0") == "0.0.0.0"
    assert host("--address", "10.0.0.5") == "10.0.0.5"  # the former name still works


# Failed logins and providers


def test_throttle_refuses_a_name_after_five_failures_for_fifteen_minutes() -> None:
    throttle = Throttle()
    for minute in range(MAX_FAILURES_PER_NAME):
        assert throttle.wait("anna", NOW + timedelta(minutes=minute)) is None
        throttle.fail("anna", NOW + timedelta(minutes=minute))
    later = NOW + timedelta(minutes=MAX_FAILURES_PER_NAME)
    assert throttle.wait("anna", later) == WINDOW - timedelta(minutes=MAX_FAILURES_PER_NAME)
    assert throttle.wait("ben", later) is None  # another name may still try
    assert throttle.wait("anna", NOW + WINDOW) is None  # the first failure has left the window


def test_throttle_refuses_everyone_after_failures_spread_over_many_names() -> None:
    throttle = Throttle()
    for attempt in range(20):
        throttle.fail(f"name-{attempt}", NOW)
    assert throttle.wait("anna", NOW) is not None


def test_providers_come_only_from_a_complete_auth_section() -> None:
    assert oidc.providers({}) == []
    assert oidc.providers({"auth": {"google": OIDC_SECRETS["auth"]["google"]}}) == []
    assert oidc.providers(OIDC_SECRETS) == ["google"]
    default = {**OIDC_SECRETS["auth"]["google"], "redirect_uri": "r", "cookie_secret": "c"}
    assert oidc.providers({"auth": {**default, "my_idp": default}}) == ["default"]


def test_provider_roles_come_from_the_listed_addresses() -> None:
    assert oidc.role_for(OIDC_SECRETS, "dpo@example.org") == "dpo"
    assert oidc.role_for(OIDC_SECRETS, "auditor@example.org") == "viewer"
    assert oidc.role_for(OIDC_SECRETS, "someone@example.org") is None
    assert oidc.role_for(OIDC_SECRETS, None) is None


# What a session sees


def test_without_accounts_the_page_says_how_to_create_one(warehouse: Path) -> None:
    app = open_signed_out()
    assert not app.exception
    assert f"ropa users add NAME --role dpo --warehouse {warehouse}" in app.code[0].value
    assert not app.text_input
    assert shows_nothing_of_the_record(app)


def test_a_session_without_login_sees_only_the_login(warehouse: Path) -> None:
    ensure_account(warehouse, "dpo")
    app = open_signed_out()
    assert not app.exception
    assert [field.label for field in app.text_input] == ["User name", "Password"]
    assert shows_nothing_of_the_record(app)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/record.py")  # no page but the login is registered


def test_a_wrong_password_is_refused_and_logged(warehouse: Path) -> None:
    name = ensure_account(warehouse, "dpo")
    app = submit_login(open_signed_out(), name, "not the password")
    assert "Wrong user name or password." in page_text(app)
    assert shows_nothing_of_the_record(app)
    log = auth_log_path(warehouse).read_text()
    assert f"failed user={name}" in log
    assert "not the password" not in log
    assert stat.S_IMODE(auth_log_path(warehouse).stat().st_mode) == 0o600


def test_five_failures_lock_the_name_even_for_the_right_password(warehouse: Path) -> None:
    name = ensure_account(warehouse, "dpo")
    app = open_signed_out()
    for _ in range(MAX_FAILURES_PER_NAME):
        submit_login(app, name, "not the password")
    submit_login(app, name, PASSWORD)
    assert "Too many failed logins" in page_text(app)
    assert shows_nothing_of_the_record(app)
    assert f"refused user={name}" in auth_log_path(warehouse).read_text()


def test_the_dpo_signs_in_to_the_overview_and_out_again(warehouse: Path) -> None:
    app = open_signed_in(warehouse, "dpo")
    assert "Signed in as test-dpo (dpo)" in [str(text.value) for text in app.sidebar.text]
    assert app.metric  # the Overview's headline numbers
    assert "login user=test-dpo" in auth_log_path(warehouse).read_text()
    app.sidebar.button(key="logout").click().run()
    assert [field.label for field in app.text_input] == ["User name", "Password"]
    assert shows_nothing_of_the_record(app)


def test_a_viewer_cannot_reach_export(warehouse: Path) -> None:
    app = open_signed_in(warehouse, "viewer")
    assert app.metric  # the Overview
    app.switch_page("app_pages/findings.py").run()
    assert not app.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/export.py")  # not in a viewer's navigation
    assert not app.get("download_button")


def test_a_removed_account_is_signed_out_at_its_next_rerun(warehouse: Path) -> None:
    app = open_signed_in(warehouse, "viewer")
    accounts.remove_account(warehouse, "test-viewer")
    app.run()
    assert shows_nothing_of_the_record(app)


def test_with_a_provider_configured_the_login_goes_through_it(warehouse: Path) -> None:
    ensure_account(warehouse, "dpo")  # ignored: the provider signs people in
    app = open_signed_out(OIDC_SECRETS)
    assert not app.exception
    assert [button.label for button in app.button] == ["Log in with google"]
    assert not app.text_input
    assert shows_nothing_of_the_record(app)
