"""Who may open the dashboard: local accounts or OpenID Connect, and what each role may see.

`accounts` (the accounts file, no Streamlit) is shared with `ropa users`; `oidc` reads the
providers that `.streamlit/secrets.toml` configures; `throttle` limits and logs failed logins;
`gate` draws the login and keeps the signed-in user of a session.
"""
