"""How the record's detail view names and groups each Art. 30 field of the marts.

Labels follow outputs.md (Art. 30(1) letters and the ICO template's wording), so that the DPO
finds the same headings here as in the regulator pack.
"""

from __future__ import annotations

Section = tuple[str, tuple[tuple[str, str], ...]]

CONTROLLER_SECTIONS: tuple[Section, ...] = (
    ("Controller and contacts — Art. 30(1)(a)", (
        ("controller_name", "Controller"),
        ("controller_address", "Controller address"),
        ("controller_email", "Controller email"),
        ("controller_phone", "Controller phone"),
        ("joint_controller", "Joint controller"),
        ("representative_name", "Representative"),
        ("representative_address", "Representative address"),
        ("representative_email", "Representative email"),
        ("representative_phone", "Representative phone"),
        ("dpo_name", "Data protection officer"),
        ("dpo_address", "DPO address"),
        ("dpo_email", "DPO email"),
        ("dpo_phone", "DPO phone"),
    )),
    ("Purpose — Art. 30(1)(b)", (
        ("business_function", "Business function"),
        ("activity_name", "Processing activity"),
        ("purpose_name", "Purpose of processing"),
        ("purpose_key", "Purpose key"),
        ("purpose_description", "Purpose description"),
    )),
    ("Data subjects and personal data — Art. 30(1)(c)", (
        ("data_subject_categories", "Categories of individuals"),
        ("personal_data_categories", "Categories of personal data"),
        ("personal_data_category_keys", "Category keys"),
    )),
    ("Recipients — Art. 30(1)(d)", (
        ("recipient_categories", "Categories of recipients"),
        ("recipients", "Recipients"),
        ("processor_contracts", "Link to contract with processor"),
    )),
    ("Transfers — Art. 30(1)(e)", (
        ("third_countries", "Third countries"),
        ("transfer_safeguards", "Safeguards"),
    )),
    ("Erasure — Art. 30(1)(f)", (
        ("retention_period_text", "Retention period (declared)"),
        ("retention_rules", "Retention rules"),
    )),
    ("Security — Art. 30(1)(g)", (
        ("security_measures", "Technical and organisational measures"),
        ("security_policy_url", "Security policy"),
    )),
    ("Lawfulness and DPIA", (
        ("lawful_basis", "Article 6 lawful basis"),
        ("processes_special_category_data", "Processes special category data"),
        ("special_category_condition", "Article 9 condition"),
        ("legitimate_interest_assessment", "Legitimate interests assessment"),
        ("dpia_required", "DPIA required"),
        ("dpia_progress", "DPIA progress"),
        ("dpia_location", "Link to DPIA"),
        ("data_location", "Location of personal data"),
    )),
    ("Evidence", (
        ("records_held", "Records held"),
        ("records_overdue", "Records past their retention deadline"),
        ("open_findings", "Open findings"),
        ("source_files", "Source files"),
        ("loaded_at", "Loaded at"),
    )),
)  # fmt: skip

PROCESSOR_SECTIONS: tuple[Section, ...] = (
    ("Processor and contacts — Art. 30(2)(a)", (
        ("processor_name", "Processor"),
        ("processor_address", "Processor address"),
        ("processor_email", "Processor email"),
        ("processor_phone", "Processor phone"),
        ("representative_name", "Representative"),
        ("representative_email", "Representative email"),
        ("dpo_name", "Data protection officer"),
        ("dpo_email", "DPO email"),
        ("dpo_phone", "DPO phone"),
    )),
    ("Controller (customer)", (
        ("customer_name", "Customer"),
        ("customer_country", "Country"),
        ("customer_contact_email", "Privacy contact"),
        ("customer_status", "Status"),
        ("customer_dpa_signed_on", "DPA signed on"),
    )),
    ("Processing — Art. 30(2)(b)", (
        ("system_name", "System"),
        ("processing_categories", "Categories of processing"),
        ("personal_data_categories", "Categories of personal data"),
        ("data_subject_categories", "Categories of individuals"),
    )),
    ("Transfers — Art. 30(2)(c)", (
        ("sub_processors", "Sub-processors"),
        ("third_countries", "Third countries"),
        ("transfer_safeguards", "Safeguards"),
    )),
    ("Security and retention — Art. 30(2)(d)", (
        ("security_measures", "Technical and organisational measures"),
        ("customer_retention_days", "Customer's retention setting (days)"),
        ("retention_period_text", "Retention period"),
    )),
)  # fmt: skip
