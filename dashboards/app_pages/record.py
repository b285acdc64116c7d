"""Record of processing: the controller and processor records, filtered, with a row's detail."""

import streamlit as st

from dashboards import art30, queries
from dashboards.components import field_sections, nothing_yet, table
from dashboards.filters import matching, options
from dashboards.source import warehouse_dir

warehouse = warehouse_dir()
controller_labels = art30.labels(art30.CONTROLLER)
processor_labels = art30.labels(art30.PROCESSOR)
st.title("Record of processing")
controller_tab, processor_tab = st.tabs(["Controller — Art. 30(1)", "Processor — Art. 30(2)"])

with controller_tab:
    activities = queries.controller_records(warehouse)
    if activities.empty:
        nothing_yet("controller records")
    else:
        filter_columns = ["system_name", "purpose_name", "lawful_basis",
                          "data_subject_categories", "personal_data_categories",
                          "third_countries"]  # fmt: skip
        selected = {
            column: slot.multiselect(
                controller_labels[column], options(activities, column), key=f"controller_{column}"
            )
            for slot, column in zip(st.columns(3) * 2, filter_columns, strict=True)
        }
        shown = matching(activities, selected)
        st.caption(f"{len(shown)} of {len(activities)} processing activities")
        table(
            shown,
            ["system_name", "activity_name", "purpose_name", "lawful_basis",
                          "data_subject_categories", "personal_data_categories",
                          "recipient_categories", "third_countries", "retention_period_text",
                          "records_held", "records_overdue", "open_findings"],
            labels=controller_labels,
        )  # fmt: skip
        by_key = shown.set_index("activity_key")
        labels = {
            key: f"{system} — {name} ({key})"
            for key, system, name in zip(
                shown["activity_key"], shown["system_name"], shown["activity_name"], strict=True
            )
        }
        chosen = st.selectbox(
            "Show every Art. 30 field of",
            list(labels),
            format_func=labels.__getitem__,
            key="controller_detail",
        )
        if chosen is not None:
            activity = by_key.loc[chosen]
            field_sections(activity, art30.controller_sections())
            st.markdown("**Open findings on this activity and its system**")
            findings = queries.findings_about_activity(warehouse, chosen, activity["system_key"])
            if findings.empty:
                st.success("None.")
            else:
                table(findings)

with processor_tab:
    processing = queries.processor_records(warehouse)
    if processing.empty:
        nothing_yet("processor records")
    else:
        filter_columns = ["customer_name", "system_name", "data_subject_categories",
                          "personal_data_categories", "third_countries"]  # fmt: skip
        selected = {
            column: slot.multiselect(
                processor_labels[column], options(processing, column), key=f"processor_{column}"
            )
            for slot, column in zip(st.columns(3) * 2, filter_columns, strict=False)
        }
        shown = matching(processing, selected)
        st.caption(f"{len(shown)} of {len(processing)} customer × activity records")
        table(
            shown,
            ["customer_name", "customer_country", "customer_status",
                          "customer_dpa_signed_on", "system_name", "processing_categories",
                          "personal_data_categories", "sub_processors", "third_countries",
                          "customer_retention_days"],
            labels=processor_labels,
        )  # fmt: skip
        row_labels = {
            index: f"{customer} — {system} ({activity})"
            for index, customer, system, activity in zip(
                shown.index, shown["customer_name"], shown["system_name"], shown["activity_key"],
                strict=True,
            )
        }  # fmt: skip
        chosen_row = st.selectbox(
            "Show every Art. 30(2) field of",
            list(row_labels),
            format_func=row_labels.__getitem__,
            key="processor_detail",
        )
        if chosen_row is not None:
            field_sections(shown.loc[chosen_row], art30.processor_sections())
