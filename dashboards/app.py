"""Entry script of the DPO dashboard: signs the session in, routes to the pages its role may
see, and draws the shared frame."""

from __future__ import annotations

import streamlit as st

from dashboards import frame
from dashboards.auth import gate
from dashboards.auth.accounts import Role, may_export
from dashboards.source import warehouse_dir


def pages_for(role: Role) -> dict[str, list[st.Page]]:
    """The navigation of a role: a page left out cannot be reached, not even by its URL."""
    exports = [st.Page("app_pages/export.py", title="Export", icon=":material/download:")]
    return {
        "Record": [
            st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:",
                    default=True),
            st.Page("app_pages/record.py", title="Record of processing",
                    icon=":material/list_alt:"),
            st.Page("app_pages/retention.py", title="Retention", icon=":material/auto_delete:"),
            st.Page("app_pages/recipients.py", title="Recipients and transfers",
                    icon=":material/public:"),
            st.Page("app_pages/requests.py", title="Rights requests",
                    icon=":material/support_agent:"),
        ],
        "Audit": [
            st.Page("app_pages/findings.py", title="Findings", icon=":material/report:"),
            st.Page("app_pages/runs.py", title="Runs and data quality",
                    icon=":material/fact_check:"),
            *(exports if may_export(role) else []),
        ],
    }  # fmt: skip


st.set_page_config(page_title="Records of processing", page_icon=":material/policy:", layout="wide")

warehouse = warehouse_dir()
session = gate.signed_in(warehouse)
if session is None:
    every_page = [page for section in pages_for("dpo").values() for page in section]
    st.navigation(gate.login_pages(warehouse, every_page), position="hidden").run()
else:
    page = st.navigation(pages_for(session.role))
    gate.draw_signed_in(session, warehouse)
    if frame.draw(warehouse):
        page.run()
