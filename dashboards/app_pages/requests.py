"""Rights requests: performance against the deadline by type and month, late and overdue ones."""

import streamlit as st

from dashboards import charts, queries
from dashboards.components import nothing_yet, table
from dashboards.filters import matching, options
from dashboards.source import warehouse_dir

warehouse = warehouse_dir()
st.title("Rights requests")

requests = queries.privacy_requests(warehouse)
if requests.empty:
    nothing_yet("rights requests")
    st.stop()

types = st.multiselect("Request type", options(requests, "request_type"), key="request_type")
requests = matching(requests, {"request_type": types})

by_status = requests["status"].value_counts()
received, on_time, late, still_open, overdue = st.columns(5)
received.metric("Requests", f"{len(requests):,}")
on_time.metric("Completed on time", f"{by_status.get('on_time', 0):,}")
late.metric("Completed late", f"{by_status.get('late', 0):,}")
still_open.metric("Open, within deadline", f"{by_status.get('open', 0):,}")
overdue.metric("Open past deadline", f"{by_status.get('overdue', 0):,}")

st.subheader("By month received")
st.altair_chart(charts.requests_by_month(requests), width="stretch")

st.subheader("By type")
table(matching(queries.request_sla_by_type(warehouse), {"request_type": types}))

st.subheader("Late and overdue requests")
missed = requests[requests["status"].isin(["late", "overdue"])].sort_values(
    "days_late", ascending=False
)
if missed.empty:
    st.success("Every request met its deadline.")
else:
    table(
        missed,
        ["request_id", "request_type", "status", "days_late", "received_on",
                      "due_on", "completed_on", "extended", "channel", "data_subject",
                      "customer_key"],
    )  # fmt: skip
