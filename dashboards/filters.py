"""Filtering the record's tables by values that a cell may hold several of.

The marts join multi-valued Art. 30 fields (data subjects, categories, countries) into one
text cell separated by `; `, which is how the regulator reads them; filters split them again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

SEPARATOR = "; "


def _values(cell: object) -> set[str]:
    if not isinstance(cell, str):
        return set()
    return {value.strip() for value in cell.split(SEPARATOR.strip()) if value.strip()}


def options(frame: pd.DataFrame, column: str) -> list[str]:
    """Every distinct value a column holds, splitting multi-valued cells, sorted."""
    if frame.empty or column not in frame.columns:
        return []
    found: set[str] = set()
    for cell in frame[column]:
        found |= _values(cell)
    return sorted(found)


def matching(frame: pd.DataFrame, selected: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Rows that hold at least one selected value in every column with a selection."""
    keep = pd.Series(True, index=frame.index)
    for column, values in selected.items():
        if values:
            wanted = set(values)
            keep &= frame[column].map(lambda cell, wanted=wanted: bool(_values(cell) & wanted))
    return frame[keep]
