"""Findings: every audit check with its severity, count and trend, and the subjects that fail."""

import streamlit as st

from dashboards import queries
from dashboards.components import nothing_yet, table
from dashboards.source import warehouse_dir

warehouse = warehouse_dir()
st.title("Findings")

checks = queries.check_summary(warehouse)
if checks.empty:
    nothing_yet("audit checks")
    st.stop()

severity_filter, failing_filter = st.columns([2, 1])
severities = severity_filter.segmented_control(
    "Severity", ["error", "warn"], selection_mode="multi", default=["error", "warn"],
    key="findings_severity",
)  # fmt: skip
only_failing = failing_filter.toggle("Only checks that fail", key="findings_only_failing")
shown = checks[checks["severity"].isin(severities)]
if only_failing:
    shown = shown[shown["subjects"] > 0]

st.caption(f"{int((checks['subjects'] > 0).sum())} of {len(checks)} checks fail")
st.dataframe(
    shown,
    hide_index=True,
    column_config={
        "check_name": "check",
        "subjects": st.column_config.NumberColumn("findings", help="failing subjects"),
        "failing_count": st.column_config.NumberColumn(
            "count", help="failing records, requests or items"
        ),
        "trend": st.column_config.LineChartColumn("count in each run", y_min=0),
    },
)

st.subheader("Subjects of a check")
failing = shown[shown["subjects"] > 0]["check_name"].tolist()
if not failing:
    st.success("No check shown here fails.")
else:
    check = st.selectbox("Check", failing, key="findings_check")
    table(queries.finding_subjects(warehouse, check))
