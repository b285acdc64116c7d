"""Signing an `AppTest` session in to the dashboard the way a person does: through the form."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from commands.dashboard import APP
from dashboards.auth import accounts
from dashboards.auth.accounts import Role

# Loading a page reads a few tables of a fresh warehouse; CI machines are slow and shared.
TIMEOUT_SECONDS = 120
PASSWORD = "a test password, long enough"


def ensure_account(warehouse: Path, role: Role) -> str:
    """The name of a test account with this role in the warehouse folder, created once."""
    name = f"test-{role}"
    if accounts.role_of(warehouse, name) != role:
        accounts.add_account(warehouse, name, role, PASSWORD, replace=True)
    return name


def submit_login(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input(key="login_name").input(name)
    app.text_input(key="login_password").input(password)
    return app.button(key="login_submit").click().run()


def open_signed_out(secrets: Mapping[str, Any] | None = None) -> AppTest:
    """The entry script run by a new session (warehouse from the environment, as `ropa
    dashboard` sets it; `secrets` as `.streamlit/secrets.toml` would hold them)."""
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    app.secrets.update(secrets or {})
    return app.run()


def open_signed_in(warehouse: Path, role: Role = "dpo") -> AppTest:
    name = ensure_account(warehouse, role)
    app = submit_login(open_signed_out(), name, PASSWORD)
    assert not app.exception, [error.value for error in app.exception]
    # A refused login is an error on the form, not an exception: say why it was refused.
    still_on_the_form = [button for button in app.button if button.key == "login_submit"]
    assert not still_on_the_form, [message.value for message in app.error]
    return app
