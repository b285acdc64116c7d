"""Small pieces of UI that several pages draw the same way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from dashboards.art30 import Section

MISSING = "—"


def nothing_yet(what: str) -> None:
    st.info(f"No {what} in this warehouse yet: the run that published it did not build them.")


def table(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """A table with readable headings, index hidden: a record column's label (`labels`, from
    `art30.labels`), else its name in words (`records_overdue` → "Records overdue")."""
    shown = list(frame.columns) if columns is None else list(columns)
    named = labels or {}
    headings = {
        column: named.get(column, column.replace("_", " ").capitalize()) for column in shown
    }
    st.dataframe(frame, hide_index=True, column_order=shown, column_config=headings)


def _text(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):  # type: ignore[call-overload]
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def field_sections(row: pd.Series, sections: Sequence[Section]) -> None:
    """Every field of one record, grouped under its Art. 30 heading; missing fields show `—`
    rather than vanish, since an empty Art. 30 field is itself a finding for the DPO."""
    for title, fields in sections:
        st.markdown(f"**{title}**")
        labels = [label for _, label in fields]
        values = [_text(row.get(column)) for column, _ in fields]
        st.table(pd.DataFrame({"Value": values}, index=pd.Index(labels, name="Field")))
