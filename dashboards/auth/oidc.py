"""Sign-in through OpenID Connect (`st.login`), when `.streamlit/secrets.toml` configures it.

Streamlit's `[auth]` section needs `redirect_uri` and `cookie_secret`, and a provider: either
`client_id`, `client_secret` and `server_metadata_url` in `[auth]` itself (the default
provider) or in a named section such as `[auth.microsoft]`. The role of a signed-in person comes
from their e-mail address in a section of the same file:

    [dashboard_roles]
    dpo = ["dpo@example.org"]
    viewer = ["auditor@example.org"]

Anyone the provider signs in whose address is listed under neither role sees nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboards.auth.accounts import ROLES, Role

DEFAULT_PROVIDER = "default"
ROLES_SECTION = "dashboard_roles"
_COOKIE_KEYS = ("redirect_uri", "cookie_secret")
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


def _is_provider(section: Any) -> bool:
    return isinstance(section, Mapping) and all(key in section for key in _PROVIDER_KEYS)


def providers(secrets: Mapping[str, Any]) -> list[str]:
    """The providers `st.login` can use with these secrets; empty means local accounts."""
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping) or not all(key in auth for key in _COOKIE_KEYS):
        return []
    # Streamlit refuses provider names with an underscore.
    named = [name for name, section in auth.items() if _is_provider(section) and "_" not in name]
    return [DEFAULT_PROVIDER, *named] if _is_provider(auth) else named


def role_for(secrets: Mapping[str, Any], email: str | None) -> Role | None:
    """The role listed for this address (case does not matter; dpo wins over viewer)."""
    if not email:
        return None
    listed = secrets.get(ROLES_SECTION)
    if not isinstance(listed, Mapping):
        return None
    for role in ROLES:
        addresses = listed.get(role) or []
        if email.casefold() in {str(address).casefold() for address in addresses}:
            return role
    return None
