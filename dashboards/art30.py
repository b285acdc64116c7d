"""How the record's detail view groups each Art. 30 field of the marts, and what it calls them.

The labels are the field `title`s of the regulator pack's JSON Schema (`ropa.schema.json` of
`pipelines.pack`), the one place they are kept, so that the DPO finds the same wording here as in
the pack's workbook and PDF. This module only groups the fields under their Art. 30 headings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_PACKAGE = "pipelines.pack"
SCHEMA_FILE = "ropa.schema.json"

# Definitions of the schema (`$defs`), one per mart the pack reads.
CONTROLLER = "controller_activity"
PROCESSOR = "processor_activity"
RECIPIENT = "recipient"
TRANSFER = "transfer"
RETENTION_RULE = "retention_rule"

# (heading, column names): the labels come from `labels(definition)`.
Grouping = tuple[str, tuple[str, ...]]
# (heading, ((column, label), ...)): what `field_sections` draws.
Section = tuple[str, tuple[tuple[str, str], ...]]


@cache
def _schema() -> Mapping[str, Any]:
    text = resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return dict(json.loads(text))


def labels(definition: str) -> dict[str, str]:
    """Column name → label (the property's `title`) of one schema definition, in schema order."""
    properties: Mapping[str, Any] = _schema()["$defs"][definition]["properties"]
    return {name: str(spec.get("title", name)) for name, spec in properties.items()}


def sections(definition: str, groupings: tuple[Grouping, ...]) -> tuple[Section, ...]:
    """The groupings with each column's label from the schema definition."""
    named = labels(definition)
    return tuple(
        (heading, tuple((column, named[column]) for column in columns))
        for heading, columns in groupings
    )


_CONTROLLER_GROUPS: tuple[Grouping, ...] = (
    ("Controller and contacts — Art. 30(1)(a)", (
        "controller_name", "controller_address", "controller_email", "controller_phone",
        "joint_controller", "representative_name", "representative_address",
        "representative_email", "representative_phone", "dpo_name", "dpo_address", "dpo_email",
        "dpo_phone",
    )),
    ("Purpose — Art. 30(1)(b)", (
        "business_function", "activity_name", "purpose_name", "purpose_key",
        "purpose_description",
    )),
    ("Data subjects and personal data — Art. 30(1)(c)", (
        "data_subject_categories", "personal_data_categories", "personal_data_category_keys",
    )),
    ("Recipients — Art. 30(1)(d)", ("recipient_categories", "recipients", "processor_contracts")),
    ("Transfers — Art. 30(1)(e)", ("third_countries", "transfer_safeguards")),
    ("Erasure — Art. 30(1)(f)", ("retention_period_text", "retention_rules")),
    ("Security — Art. 30(1)(g)", ("security_measures", "security_policy_url")),
    ("Lawfulness, rights and DPIA", (
        "lawful_basis", "processes_special_category_data", "special_category_condition",
        "legitimate_interest_assessment", "rights_available", "automated_decision_making",
        "data_source", "data_location", "dpia_required", "dpia_progress", "dpia_location",
    )),
    ("Governance", ("first_recorded_on", "last_changed_on")),
    ("Evidence", ("records_held", "records_overdue", "open_findings", "source_files", "loaded_at")),
)  # fmt: skip

_PROCESSOR_GROUPS: tuple[Grouping, ...] = (
    ("Processor and contacts — Art. 30(2)(a)", (
        "processor_name", "processor_address", "processor_email", "processor_phone",
        "representative_name", "representative_email", "dpo_name", "dpo_email", "dpo_phone",
    )),
    ("Controller (customer)", (
        "customer_name", "customer_country", "customer_contact_email", "customer_status",
        "customer_dpa_signed_on",
    )),
    ("Processing — Art. 30(2)(b)", (
        "system_name", "processing_categories", "personal_data_categories",
        "data_subject_categories",
    )),
    ("Transfers — Art. 30(2)(c)", ("sub_processors", "third_countries", "transfer_safeguards")),
    ("Security and retention — Art. 30(2)(d)", (
        "security_measures", "customer_retention_setting", "retention_period_text",
    )),
)  # fmt: skip


def controller_sections() -> tuple[Section, ...]:
    return sections(CONTROLLER, _CONTROLLER_GROUPS)


def processor_sections() -> tuple[Section, ...]:
    return sections(PROCESSOR, _PROCESSOR_GROUPS)
