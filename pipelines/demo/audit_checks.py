"""Severity and subject keys of each audit check, as checks.md names them."""

from __future__ import annotations

# check name -> (severity, subject keys in the order of checks.md's "one finding per" column)
AUDIT_CHECKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "retention.overdue": ("error", ("system", "rule")),
    "retention.no_rule": ("warn", ("system", "record_type")),
    "retention.no_period": ("warn", ("system", "rule", "customer")),
    "register.retention_missing": ("warn", ("system",)),
    "register.lawful_basis_missing": ("error", ("activity",)),
    "register.special_category_without_condition": ("error", ("activity",)),
    "register.unknown_recipient": ("error", ("system", "recipient")),
    "register.undeclared_system": ("error", ("system",)),
    "register.undeclared_category": ("warn", ("system", "category")),
    "vendor.dpa_missing": ("error", ("vendor",)),
    "vendor.dpa_expired": ("error", ("vendor",)),
    "transfer.no_safeguard": ("error", ("vendor",)),
    "transfer.adequacy_invalid": ("error", ("vendor",)),
    "customer.dpa_missing": ("error", ("customer",)),
    "request.late": ("warn", ("request_type",)),
    "request.overdue": ("error", ("request_type",)),
    "records.child": ("error", ("system",)),
    "records.duplicate_id": ("warn", ("system", "record_type")),
    "records.rejected": ("error", ("file",)),
    "policy.retention_exceeds_notice": ("warn", ("rule",)),
    "policy.undisclosed_recipient": ("warn", ("vendor",)),
    "policy.special_category_contradiction": ("error", ("activity",)),
    "cookies.before_consent": ("error", ("cookie",)),
    "cookies.unknown_vendor": ("warn", ("cookie",)),
}
