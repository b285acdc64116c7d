"""The UK ICO controller template: its column headings, in its order, filled from the register.

A heading the register has no field for maps to None and its cells stay empty: the record is
evidence for a regulator, so nothing is guessed (links to consent records, breaches...). Where
one heading covers several fields they share the cell, one per line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipelines.pack.record import Row

Cell = str | None


def joined_lines(*parts: Any) -> Cell:
    """The non-empty parts, one per line; None when there is none, so the cell stays empty."""
    texts = [str(part).strip() for part in parts if part is not None and str(part).strip()]
    return "\n".join(texts) or None


def yes_no(value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _labelled(label: str, value: Any) -> Cell:
    return f"{label}: {value}" if value not in (None, "") else None


def _field(name: str) -> Callable[[Row], Cell]:
    return lambda row: joined_lines(row.get(name))


ICO_CONTROLLER_COLUMNS: tuple[tuple[str, Callable[[Row], Cell] | None], ...] = (
    ("Business function", _field("business_function")),
    (
        "Purpose of processing",
        lambda row: joined_lines(
            row.get("activity_name"),
            _labelled(str(row.get("purpose_name") or "Purpose"), row.get("purpose_description"))
            or row.get("purpose_name"),
        ),
    ),
    ("Name and contact details of joint controller (if applicable)", _field("joint_controller")),
    ("Categories of individuals", _field("data_subject_categories")),
    ("Categories of personal data", _field("personal_data_categories")),
    (
        "Categories of recipients",
        lambda row: joined_lines(
            row.get("recipient_categories"), _labelled("Recipients", row.get("recipients"))
        ),
    ),
    ("Link to contract with processor", _field("processor_contracts")),
    (
        "Names of third countries or international organisations that personal data are "
        "transferred to (if applicable)",
        _field("third_countries"),
    ),
    (
        "Safeguards for exceptional transfers of personal data to third countries or "
        "international organisations (if applicable)",
        _field("transfer_safeguards"),
    ),
    (
        "Retention schedule (if possible)",
        lambda row: joined_lines(row.get("retention_period_text"), row.get("retention_rules")),
    ),
    (
        "General description of technical and organisational security measures (if possible)",
        lambda row: joined_lines(
            row.get("security_measures"),
            _labelled("Security policy", row.get("security_policy_url")),
        ),
    ),
    ("Article 6 lawful basis for processing personal data", _field("lawful_basis")),
    (
        "Article 9 basis for processing special category personal data",
        _field("special_category_condition"),
    ),
    ("Legitimate interests for the processing (if applicable)", None),
    (
        "Link to record of legitimate interests assessment (if applicable)",
        _field("legitimate_interest_assessment"),
    ),
    ("Rights available to individuals", _field("rights_available")),
    (
        "Existence of automated decision-making, including profiling (if applicable)",
        _field("automated_decision_making"),
    ),
    ("The source of the personal data (if applicable)", _field("data_source")),
    ("Link to record of consent", None),
    ("Location of personal data", _field("data_location")),
    ("Data Protection Impact Assessment required?", lambda row: yes_no(row.get("dpia_required"))),
    ("Data Protection Impact Assessment progress", _field("dpia_progress")),
    ("Link to Data Protection Impact Assessment", _field("dpia_location")),
    ("Personal data breach?", None),
    ("Link to record of personal data breach", None),
)

ICO_CONTROLLER_HEADINGS: tuple[str, ...] = tuple(heading for heading, _ in ICO_CONTROLLER_COLUMNS)


def ico_controller_row(activity: Row) -> list[Cell]:
    """One activity as the cells under ICO_CONTROLLER_HEADINGS."""
    return [fill(activity) if fill else None for _, fill in ICO_CONTROLLER_COLUMNS]
