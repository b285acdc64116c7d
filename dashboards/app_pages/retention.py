"""Retention: overdue records by system and rule, their age, deadlines ahead and legal holds."""

import streamlit as st

from dashboards import art30, charts, queries
from dashboards.components import nothing_yet, table
from dashboards.filters import matching, options
from dashboards.source import warehouse_dir

RULE_COLUMNS = ["system_key", "rule_key", "record_type", "data_subject", "anchor", "period",
                "period_source", "action", "basis"]  # fmt: skip

warehouse = warehouse_dir()
rule_labels = art30.labels(art30.RETENTION_RULE)
st.title("Retention")

schedule = queries.retention_schedule(warehouse)
if schedule.empty:
    nothing_yet("retention rules")
    st.stop()

systems = st.multiselect("System", options(schedule, "system_key"), key="retention_system")
schedule = matching(schedule, {"system_key": systems})

overdue, due_30, due_90, on_hold = st.columns(4)
overdue.metric("Overdue records", f"{schedule['records_overdue'].sum():,}")
due_30.metric("Due within 30 days", f"{schedule['records_due_within_30_days'].sum():,}")
due_90.metric("Due within 90 days", f"{schedule['records_due_within_90_days'].sum():,}")
on_hold.metric("On legal hold", f"{schedule['records_on_legal_hold'].sum():,}")

st.subheader("Overdue by system and rule")
overdue_rules = schedule[schedule["records_overdue"] > 0]
if overdue_rules.empty:
    st.success("No record is past its retention deadline.")
else:
    table(
        overdue_rules,
        [*RULE_COLUMNS, "records", "records_overdue", "overdue_0_30_days",
                      "overdue_31_90_days", "overdue_91_365_days", "overdue_over_365_days"],
        labels=rule_labels,
    )  # fmt: skip

st.subheader("How long overdue records are past their deadline")
ageing = matching(queries.overdue_ageing(warehouse), {"system_key": systems})
if ageing.empty:
    st.success("Nothing overdue.")
else:
    st.altair_chart(charts.overdue_ageing(ageing), width="stretch")

st.subheader("Deadlines ahead")
next_30, next_90 = st.columns(2)
for column, title, measure in (
    (next_30, "In the next 30 days", "records_due_within_30_days"),
    (next_90, "In the next 90 days", "records_due_within_90_days"),
):
    column.markdown(f"**{title}**")
    due = schedule[schedule[measure] > 0].sort_values("next_deadline_on")
    if due.empty:
        column.caption("No deadline falls in this window.")
    else:
        with column:
            table(
                due,
                ["system_key", "rule_key", measure, "next_deadline_on"],
                rule_labels,
            )

st.subheader("Legal holds")
holds = schedule[schedule["records_on_legal_hold"] > 0]
if holds.empty:
    st.caption("No record is on legal hold.")
else:
    table(holds, [*RULE_COLUMNS[:3], "records_on_legal_hold", "records"], rule_labels)

with st.expander("The whole retention schedule"):
    table(schedule, labels=rule_labels)
