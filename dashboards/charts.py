"""The dashboard's charts, built from query results (Altair, and DOT for the data map)."""

from __future__ import annotations

import altair as alt
import pandas as pd

_RUN_MEASURES = {
    "findings_error": "findings (error)",
    "findings_warn": "findings (warn)",
    "rows_rejected": "rows rejected",
}
_PROTECTION_COLOURS = alt.Scale(
    domain=["EEA", "adequacy decision", "partial adequacy", "third country, no adequacy"],
    range=["#4c78a8", "#72b7b2", "#f2cf5b", "#e45756"],
)
_STATUS_COLOURS = alt.Scale(
    domain=["on_time", "open", "late", "overdue"],
    range=["#54a24b", "#9ecae9", "#f58518", "#e45756"],
)


def run_trend(history: pd.DataFrame) -> alt.Chart:
    """Findings and rejected rows per run, one line each, runs in start order."""
    measures = history.rename(columns=_RUN_MEASURES)
    return (
        alt.Chart(measures)
        .transform_fold(list(_RUN_MEASURES.values()), as_=["measure", "value"])
        .mark_line(point=True)
        .encode(
            # One tick per run: runs are days apart at night but minutes apart by hand.
            x=alt.X("yearmonthdatehoursminutes(started_at):O", title="run started"),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("measure:N", title=None),
            tooltip=["run_id:N", "as_of:T", "measure:N", "value:Q"],
        )
    )


def overdue_ageing(buckets: pd.DataFrame) -> alt.Chart:
    """How long overdue records have been past their deadline, stacked by system."""
    return (
        alt.Chart(buckets)
        .mark_bar()
        .encode(
            x=alt.X("age:N", title="past the deadline by", sort=alt.SortField("age_order")),
            y=alt.Y("sum(records):Q", title="overdue records"),
            color=alt.Color("system_key:N", title="system"),
            tooltip=["system_key:N", "age:N", "records:Q"],
        )
    )


def destinations(by_country: pd.DataFrame) -> alt.Chart:
    """Recipients of personal data per country, coloured by the protection the country offers."""
    return (
        alt.Chart(by_country)
        .mark_bar()
        .encode(
            y=alt.Y("country_name:N", title=None, sort="-x"),
            x=alt.X("recipients:Q", title="recipients receiving data"),
            color=alt.Color("protection:N", title="protection", scale=_PROTECTION_COLOURS),
            tooltip=["country_name:N", "protection:N", "recipients:Q", "systems:Q",
                     "data_categories:Q"],
        )
    )  # fmt: skip


def requests_by_month(requests: pd.DataFrame) -> alt.Chart:
    """Requests received per month, stacked by where they stand against their deadline."""
    return (
        alt.Chart(requests)
        .mark_bar()
        .encode(
            x=alt.X("received_month:O", title="received"),
            y=alt.Y("count():Q", title="requests"),
            color=alt.Color("status:N", scale=_STATUS_COLOURS),
            tooltip=["received_month:O", "status:N", "count():Q"],
        )
    )


def _quoted(text: object) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def data_map_graph(flows: pd.DataFrame) -> str:
    """DOT for system → data category → recipient, left to right."""
    lines = ["digraph data_map {", "rankdir=LR;", "node [shape=box, style=rounded];"]
    for flow in flows.itertuples(index=False):
        system = _quoted(f"system: {flow.system_name}")
        named = isinstance(flow.category_name, str)
        category = _quoted(flow.category_name if named else flow.data_category)
        where = f" ({flow.country})" if isinstance(flow.country, str) else ""
        recipient = _quoted(f"{flow.recipient_kind}: {flow.recipient_name}{where}")
        lines.append(f"{system} -> {category};")
        lines.append(f"{category} -> {recipient};")
    lines.append("}")
    return "\n".join(dict.fromkeys(lines))
