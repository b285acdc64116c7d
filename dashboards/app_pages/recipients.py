"""Recipients and transfers: who receives personal data, where it goes, and the data map."""

import streamlit as st

from dashboards import art30, charts, queries
from dashboards.components import nothing_yet, table
from dashboards.filters import matching, options
from dashboards.source import warehouse_dir

warehouse = warehouse_dir()
st.title("Recipients and transfers")

st.subheader("Vendors")
vendors = queries.recipients(warehouse)
if vendors.empty:
    nothing_yet("recipients")
else:
    role_filter, country_filter = st.columns(2)
    shown = matching(
        vendors,
        {
            "role": role_filter.multiselect("Role", options(vendors, "role"), key="vendor_role"),
            "country_name": country_filter.multiselect(
                "Country", options(vendors, "country_name"), key="vendor_country"
            ),
        },
    )
    st.caption(f"{len(shown)} of {len(vendors)} vendors")
    table(
        shown,
        ["legal_name", "role", "recipient_category", "country_name", "in_eea",
                      "adequacy_scope", "transfer_mechanism", "dpa_status", "dpa_signed_on",
                      "dpa_expires_on", "tia_status", "tia_completed_on", "receives_data",
                      "systems", "activities", "data_categories"],
        labels=art30.labels(art30.RECIPIENT),
    )  # fmt: skip

st.subheader("Where personal data goes")
by_country = queries.destinations_by_country(warehouse)
if by_country.empty:
    st.info("No data flow to a vendor.")
else:
    st.altair_chart(charts.destinations(by_country), width="stretch")

st.subheader("Transfers to third countries")
transfers = queries.transfers(warehouse)
if transfers.empty:
    st.success("No flow leaves the EEA.")
else:
    unsafe = int((~transfers["is_safeguarded"].astype(bool)).sum())
    st.caption(f"{len(transfers)} flows to third countries, {unsafe} without a safeguard")
    table(
        transfers,
        ["system_key", "vendor_name", "country_name", "adequacy_scope",
                      "transfer_mechanism", "safeguard", "is_safeguarded", "tia_completed_on",
                      "data_categories"],
        labels=art30.labels(art30.TRANSFER),
    )  # fmt: skip

st.subheader("Data map: system → data category → recipient")
flows = queries.data_map(warehouse)
if flows.empty:
    nothing_yet("data flows")
else:
    system = st.selectbox("System", options(flows, "system_name"), key="data_map_system")
    system_flows = flows[flows["system_name"] == system]
    st.graphviz_chart(charts.data_map_graph(system_flows))
    with st.expander("Every flow of every system"):
        table(
            flows,
            ["system_name", "category_name", "data_category", "recipient_name",
                          "recipient_kind", "country"],
        )  # fmt: skip
