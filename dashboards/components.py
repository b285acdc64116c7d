"""Small pieces of UI that several pages draw the same way."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from dashboards.art30 import Section

MISSING = "—"
# Every ASCII punctuation character: CommonMark lets a backslash make any of them literal.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# What GitHub-flavoured markdown links without any syntax (URLs, `www.`, e-mail addresses), and a
# bit more: Streamlit finds these in the text after backslash escapes are resolved.
_BARE_LINK = re.compile(r"(?:https?://|www\.)\S*|[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.IGNORECASE)
_BACKTICKS = re.compile(r"`+")


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


def literal_markdown(text: str) -> str:
    """Markdown that Streamlit shows as exactly `text`: text from the register or the exports
    may hold `**`, `#`, `![..](..)` or HTML, which must never turn into formatting, images or
    links. Bare URLs and e-mail addresses become code spans, which nothing links."""
    parts, start = [], 0
    for link in _BARE_LINK.finditer(text):
        parts += [_MARKDOWN_PUNCTUATION.sub(r"\\\1", text[start : link.start()]), _code(link[0])]
        start = link.end()
    parts.append(_MARKDOWN_PUNCTUATION.sub(r"\\\1", text[start:]))
    return "".join(parts)


def _code(text: str) -> str:
    """A code span of `text`: fenced by more backticks than it holds in a row, padded where it
    begins or ends with one (CommonMark strips that one space)."""
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


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
        values = [literal_markdown(_text(row.get(column))) for column, _ in fields]
        st.table(pd.DataFrame({"Value": values}, index=pd.Index(labels, name="Field")))
