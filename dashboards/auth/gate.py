"""The login in front of every page, and the signed-in user of a Streamlit session.

With an OpenID Connect provider in `.streamlit/secrets.toml` the dashboard signs people in
through `st.login` (see `oidc`); otherwise through the local accounts of the warehouse folder
(`ropa users`). A local sign-in lives in the session state, on the server; it ends when the
account is removed, and follows a changed role, at the session's next rerun.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboards.auth import accounts, oidc
from dashboards.auth.accounts import AccountError, Role
from dashboards.auth.throttle import Throttle, log_attempt

SESSION_KEY = "ropa_signed_in"


@dataclass(frozen=True)
class SignedIn:
    name: str
    role: Role
    via: Literal["local", "oidc"]


@st.cache_resource
def _throttle(warehouse: str) -> Throttle:
    return Throttle()


def _secrets() -> Mapping[str, Any]:
    return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}


def _oidc_user(secrets: Mapping[str, Any]) -> SignedIn | None:
    if not st.user.get("is_logged_in"):
        return None
    email = st.user.get("email")
    role = oidc.role_for(secrets, email if isinstance(email, str) else None)
    return None if role is None else SignedIn(str(email), role, "oidc")


def signed_in(warehouse: Path) -> SignedIn | None:
    """Who this session is signed in as, or None: then only the login page may be drawn."""
    secrets = _secrets()
    if oidc.providers(secrets):
        return _oidc_user(secrets)
    session = st.session_state.get(SESSION_KEY)
    if not isinstance(session, SignedIn):
        return None
    try:
        role = accounts.role_of(warehouse, session.name)
    except AccountError:
        role = None
    if role is None:
        del st.session_state[SESSION_KEY]
        return None
    return replace(session, role=role)


def require_export(warehouse: Path) -> None:
    """Stop a page that builds or downloads packs unless the session may export."""
    session = signed_in(warehouse)
    if session is None or not accounts.may_export(session.role):
        st.error("Only the DPO can build and download packs.")
        st.stop()


def _attempt(warehouse: Path, name: str, password: str) -> None:
    now = datetime.now(UTC)
    client = st.context.ip_address
    throttle = _throttle(str(warehouse))
    wait = throttle.wait(name, now)
    if wait is not None:
        log_attempt(warehouse, "refused", name, client, now)
        minutes = max(1, round(wait.total_seconds() / 60))
        st.error(f"Too many failed logins: try again in {minutes} minutes.")
        return
    try:
        role = accounts.authenticate(warehouse, name, password)
    except AccountError as error:
        st.error(str(error))
        return
    if role is None:
        throttle.fail(name, now)
        log_attempt(warehouse, "failed", name, client, now)
        st.error("Wrong user name or password.")
        return
    log_attempt(warehouse, "login", name, client, now)
    st.session_state[SESSION_KEY] = SignedIn(name, role, "local")
    st.rerun()


def _local_login(warehouse: Path) -> None:
    try:
        has_accounts = bool(accounts.list_accounts(warehouse))
    except AccountError as error:
        st.error(str(error))
        return
    if not has_accounts:
        st.info("No dashboard account yet. Create one for the DPO, then reload this page:")
        st.code(f"ropa users add NAME --role dpo --warehouse {warehouse}", language="bash")
        return
    with st.form("login", clear_on_submit=True):
        name = st.text_input("User name", key="login_name", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="login_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Log in", type="primary", key="login_submit")
    if submitted:
        _attempt(warehouse, name.strip(), password)


def _oidc_login(secrets: Mapping[str, Any], providers: list[str]) -> None:
    if st.user.get("is_logged_in"):
        st.error(
            f"{st.user.get('email') or 'This account'} is signed in but has no role here: the DPO "
            f"lists addresses under [{oidc.ROLES_SECTION}] in .streamlit/secrets.toml."
        )
        st.button("Log out", key="logout", on_click=st.logout)
        return
    for provider in providers:
        default = provider == oidc.DEFAULT_PROVIDER
        st.button(
            "Log in" if default else f"Log in with {provider}",
            key=f"login_{provider}",
            type="primary",
            on_click=st.login,
            args=(None if default else provider,),
        )


def login_pages(warehouse: Path, behind: list[StreamlitPage]) -> list[StreamlitPage]:
    """The only pages a session that is not signed in can reach: the login, at the root and at
    the address of every page `behind` it, so a bookmarked page asks for the login (not "page
    not found") and opens once signed in."""

    def log_in() -> None:
        st.title("Records of processing")
        secrets = _secrets()
        providers = oidc.providers(secrets)
        if providers:
            _oidc_login(secrets, providers)
        else:
            _local_login(warehouse)

    at_root = st.Page(log_in, title="Log in", icon=":material/login:", default=True)
    at_pages = [
        st.Page(log_in, title="Log in", url_path=page.url_path, visibility="hidden")
        for page in behind
        if page.url_path
    ]
    return [at_root, *at_pages]


def draw_signed_in(session: SignedIn, warehouse: Path) -> None:
    """Who is signed in, and the way out, at the top of the sidebar."""
    st.sidebar.text(f"Signed in as {session.name} ({session.role})")
    if st.sidebar.button("Log out", key="logout"):
        if session.via == "oidc":
            st.logout()
            return
        log_attempt(warehouse, "logout", session.name, st.context.ip_address, datetime.now(UTC))
        st.session_state.pop(SESSION_KEY, None)
        st.rerun()
