"""Entry script of the DPO dashboard: routes to the pages and draws the shared frame."""

from __future__ import annotations

import streamlit as st

from dashboards import frame
from dashboards.source import warehouse_dir

st.set_page_config(page_title="Records of processing", page_icon=":material/policy:", layout="wide")

page = st.navigation(
    {
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
            st.Page("app_pages/export.py", title="Export", icon=":material/download:"),
        ],
    }
)  # fmt: skip

if frame.draw(warehouse_dir()):
    page.run()
