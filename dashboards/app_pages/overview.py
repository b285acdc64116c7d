"""Overview: counts, open findings, trends across runs and changes since the previous run."""

import streamlit as st

from dashboards import charts, queries
from dashboards.components import nothing_yet, table
from dashboards.source import warehouse_dir

warehouse = warehouse_dir()
st.title("Overview")

headline = queries.headline(warehouse)
if headline is None:
    nothing_yet("record of processing tables")
else:
    activities, systems, vendors, countries, held, overdue = st.columns(6)
    activities.metric("Processing activities", f"{headline.activities:,}")
    systems.metric("Systems", f"{headline.systems:,}")
    vendors.metric("Vendors", f"{headline.vendors:,}")
    countries.metric("Third countries", f"{headline.third_countries:,}")
    held.metric("Records held", f"{headline.records_held:,}")
    overdue.metric("Overdue records", f"{headline.records_overdue:,}")

st.subheader("Open findings")
by_severity = queries.open_findings_by_severity(warehouse)
if by_severity.empty:
    st.success("No open findings.")
else:
    for column, finding in zip(st.columns(len(by_severity)), by_severity.itertuples(), strict=True):
        column.metric(
            f"{finding.severity} findings",
            f"{finding.findings:,}",
            help=f"{finding.failing:,} failing records, requests or items in all",
        )
st.page_link("app_pages/findings.py", label="Every check and its subjects")

st.subheader("Trends across runs")
history = queries.run_history(warehouse)
if len(history) < 2:
    st.info("Trends appear once the warehouse holds more than one run.")
else:
    st.altair_chart(charts.run_trend(history), width="stretch")

st.subheader("Changes since the previous run")
if len(history) < 2:
    st.info("This is the first run: there is no previous run to compare with.")
else:
    latest, previous = history.iloc[-1], history.iloc[-2]
    st.caption(f"Run `{latest.run_id}` (as of {latest.as_of:%Y-%m-%d}) against run "
               f"`{previous.run_id}` (as of {previous.as_of:%Y-%m-%d}).")  # fmt: skip
    loaded, rejected, errors, warnings = st.columns(4)
    # More rejects or findings is bad news (red); more records is neither good nor bad.
    for column, label, measure in (
        (loaded, "Records loaded", "records_loaded"),
        (rejected, "Rows rejected", "rows_rejected"),
        (errors, "Error findings", "findings_error"),
        (warnings, "Warn findings", "findings_warn"),
    ):
        column.metric(
            label,
            f"{int(latest[measure]):,}",
            delta=int(latest[measure]) - int(previous[measure]),
            delta_color="off" if measure == "records_loaded" else "inverse",
        )
    changes = queries.finding_changes(warehouse)
    if changes.empty:
        st.success("No finding appeared, disappeared or changed count since the previous run.")
    else:
        table(changes)
