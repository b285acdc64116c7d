"""Runs and data quality: the last runs, what each input file gave, and the rejected rows."""

import streamlit as st

from dashboards import queries
from dashboards.components import nothing_yet, table
from dashboards.source import warehouse_dir

warehouse = warehouse_dir()
st.title("Runs and data quality")

st.subheader("Last runs")
history = queries.run_history(warehouse)
if history.empty:
    nothing_yet("run history")
else:
    for run in history[history["pseudonym_key_changed"]].itertuples():
        st.warning(
            f"The pseudonym key changed at run {run.run_id} (as of {run.as_of}): record hashes "
            "before and after it do not match (key fingerprint "
            f"{run.pseudonym_key_fingerprint})."
        )
    latest = history.iloc[-1]
    if latest["outcome"] == "unchanged":
        built = history[history["outcome"] == "built"]
        source = f"run {built.iloc[-1]['run_id']}" if not built.empty else "the published run"
        st.info(
            f"The last run ({latest['run_id']}, started {latest['started_at']}) found nothing "
            f"new: unchanged, nothing rebuilt. The record and findings are those of {source}."
        )
    table(history.iloc[::-1])

st.subheader("Load audit")
audit = queries.load_audit(warehouse)
if audit.empty:
    nothing_yet("load audit rows")
else:
    read, loaded, rejected = st.columns(3)
    read.metric("Rows read", f"{int(audit['rows_read'].sum()):,}")
    loaded.metric("Rows loaded", f"{int(audit['rows_loaded'].sum()):,}")
    rejected.metric("Rows rejected", f"{int(audit['rows_rejected'].sum()):,}")
    table(audit)

st.subheader("Rejected rows by file and reason")
rejects = queries.rejects_by_file_and_reason(warehouse)
if rejects.empty:
    st.success("No row was rejected.")
else:
    table(rejects)
    source_file = st.selectbox(
        "Rejected cells of file", sorted(rejects["source_file"].unique()), key="rejects_file"
    )
    table(queries.rejects_in_file(warehouse, source_file))
