"""The retention schedule (register/retention.yml) and the policy's commitments (policy.yml).

Rules are Python objects first because the record generator needs their anchors and periods to
place each planted record a known distance before or after its deadline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from demo_drop.findings import Finding

ANCHOR_COLUMNS = ("created_at", "last_activity_at", "closed_at")

MINIMUM_AGE = 16
RIGHTS_REQUEST_DAYS = 30
EXTENSION_DAYS = 60
UNSUBSCRIBE_BUSINESS_DAYS = 10
# policy.yml leaves dpa_renewal_notice_days out: the warehouse applies its default of 60
DPA_RENEWAL_NOTICE_DAYS = 60
# The reference policy says nothing about transfers abroad: policy.yml discloses no country,
# so every third country a receiving vendor is in is policy.undisclosed_transfer.
DISCLOSED_TRANSFER_COUNTRIES: tuple[str, ...] = ()
DISCLOSED_RECIPIENT_CATEGORIES = (
    "cloud_hosting",
    "colocation",
    "data_storage",
    "payment_processing",
    "web_analytics",
    "advertising",
    "email_delivery",
    "webinar_hosting",
    "event_management",
    "seo",
    "telephony",
    "public_authority",
)


@dataclass(frozen=True)
class Period:
    """An ISO 8601 duration split the way the warehouse applies it: months first, then days."""

    iso: str
    months: int
    days: int

    @property
    def approximate_days(self) -> int:
        return self.months * 30 + self.days


P90D = Period("P90D", 0, 90)
P6M = Period("P6M", 6, 0)
P1Y = Period("P1Y", 12, 0)
P13M = Period("P13M", 13, 0)
P2Y = Period("P2Y", 24, 0)
P3Y = Period("P3Y", 36, 0)
P7Y = Period("P7Y", 84, 0)


@dataclass(frozen=True)
class RetentionRule:
    key: str
    system: str
    record_type: str
    data_subject: str | None
    anchor: tuple[str, ...]
    period: Period | None
    period_source: str
    action: str
    basis: str

    def as_yaml(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "key": self.key,
            "system": self.system,
            "record_type": self.record_type,
        }
        if self.data_subject is not None:
            entry["data_subject"] = self.data_subject
        entry["anchor"] = list(self.anchor)
        if self.period is not None:
            entry["period"] = self.period.iso
        entry["period_source"] = self.period_source
        entry["action"] = self.action
        entry["basis"] = self.basis
        return entry


RULES: tuple[RetentionRule, ...] = (
    RetentionRule(
        key="user-account-after-end",
        system="account_portal",
        record_type="user_account",
        data_subject="customer",
        anchor=("closed_at", "last_activity_at"),
        period=P1Y,  # equal to the notice's max_period: a near-miss for retention_exceeds_notice
        period_source="fixed",
        action="delete",
        basis="Privacy policy: one year after termination or last use of an account",
    ),
    RetentionRule(
        key="invoice-tax-retention",
        system="billing",
        record_type="invoice",
        data_subject="customer",
        anchor=("closed_at", "created_at"),
        period=P7Y,  # longer than the one year the notice promises users: planted
        period_source="fixed",
        action="anonymise",
        basis="Income Tax Act (Canada) s. 230: books and records kept six years after the year",
    ),
    RetentionRule(
        key="chat-transcript-customer-setting",
        system="live_chat",
        record_type="chat_transcript",
        data_subject="consumer",
        anchor=("closed_at", "created_at"),
        period=P1Y,  # fallback for customers without a "Save Time of Customer Data"
        period_source="customer_setting",
        action="delete",
        basis="EULA: 'Save Time of Customer Data' set by each customer; one year by default",
    ),
    RetentionRule(
        key="ticket-customer-setting",
        system="ticketing",
        record_type="ticket",
        data_subject="consumer",
        anchor=("closed_at", "created_at"),
        period=None,  # no fallback: customers without a setting give retention.no_period
        period_source="customer_setting",
        action="delete",
        basis="Data processing agreement: as instructed by each customer",
    ),
    RetentionRule(
        key="subscriber-customer-setting",
        system="email_marketing",
        record_type="subscriber",
        data_subject="consumer",
        anchor=("last_activity_at", "created_at"),
        period=P2Y,
        period_source="customer_setting",
        action="delete",
        basis="Data processing agreement: as instructed by each customer; two years by default",
    ),
    RetentionRule(
        key="crm-default",
        system="crm",
        record_type="*",
        data_subject="prospect",
        anchor=("last_activity_at", "created_at"),
        period=P2Y,
        period_source="fixed",
        action="review",
        basis="Privacy policy: business data kept as long as necessary; reviewed after two years",
    ),
    RetentionRule(
        key="crm-lead",
        system="crm",
        record_type="lead",
        data_subject="prospect",
        anchor=("last_activity_at", "created_at"),
        period=P3Y,  # overrides crm-default for leads: leads aged 2-3 years are not overdue
        period_source="fixed",
        action="delete",
        basis="Sales: open opportunities run up to three years",
    ),
    RetentionRule(
        key="web-visitor-13-months",
        system="website_analytics",
        record_type="visitor_profile",
        data_subject="visitor",
        anchor=("last_activity_at",),
        period=P13M,
        period_source="fixed",
        action="delete",
        basis="Analytics cookie lifetime (13 months)",
    ),
    RetentionRule(
        key="webinar-registration",
        system="webinars",
        record_type="registration",
        data_subject="prospect",
        anchor=("created_at",),
        period=P2Y,
        period_source="fixed",
        action="delete",
        basis="Events: registrations kept two years for follow-up",
    ),
    RetentionRule(
        key="kb-feedback",
        system="knowledge_base",
        record_type="kb_feedback",
        data_subject="visitor",
        anchor=("created_at",),
        period=P6M,
        period_source="fixed",
        action="anonymise",
        basis="Support: article feedback reviewed within six months",
    ),
    RetentionRule(
        key="call-recording-90-days",
        system="telephony",
        record_type="call_recording",
        data_subject="customer",
        anchor=("created_at",),
        period=P90D,
        period_source="fixed",
        action="delete",
        basis="Support quality: recordings kept 90 days",
    ),
    RetentionRule(
        key="video-call-customer-setting",
        system="video_calls",
        record_type="video_call",
        data_subject="consumer",
        anchor=("closed_at", "created_at"),
        period=P1Y,
        period_source="customer_setting",
        action="delete",
        basis="Data processing agreement: as instructed by each customer; one year by default",
    ),
    RetentionRule(
        key="cobrowse-session-customer-setting",
        system="cobrowse",
        record_type="cobrowse_session",
        data_subject="consumer",
        anchor=("closed_at", "created_at"),
        period=P1Y,
        period_source="customer_setting",
        action="delete",
        basis="Data processing agreement: as instructed by each customer; one year by default",
    ),
)

RULES_BY_KEY = {rule.key: rule for rule in RULES}


def retention_document() -> dict[str, Any]:
    return {"rules": [rule.as_yaml() for rule in RULES]}


def policy_document() -> dict[str, Any]:
    return {
        "policy": {
            "title": "Privacy Policy",
            "version": "2018-08-21",
            "url": "https://www.talkwell.example/privacy",
            "commitments": {
                "rights_request_days": RIGHTS_REQUEST_DAYS,
                "extension_days": EXTENSION_DAYS,
                "unsubscribe_business_days": UNSUBSCRIBE_BUSINESS_DAYS,
                "minimum_age": MINIMUM_AGE,
                "processes_special_category_data": False,
            },
            "retention": [{"data_subject": "customer", "max_period": P1Y.iso}],
            "disclosed_recipient_categories": list(DISCLOSED_RECIPIENT_CATEGORIES),
            # no disclosed_transfer_countries and no dpa_renewal_notice_days: the defaults
        }
    }


# checks.md "Wording against rule", read on its own: a duration is ISO 8601 or a number (digits,
# one..twenty, a/an) and a unit in words; compared as (months, days), years 12 months, weeks 7 days.
_NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty",
)  # fmt: skip
_NUMBERS = {word: n for n, word in enumerate(_NUMBER_WORDS, start=1)} | {"a": 1, "an": 1}
_WORDED = re.compile(
    r"\b(\d+|" + "|".join(_NUMBERS) + r")\s+(day|week|month|year)s?\b", re.IGNORECASE
)
_ISO = re.compile(r"\bP(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?\b")
_UNITS = {"day": (0, 1), "week": (0, 7), "month": (1, 0), "year": (12, 0)}


def stated_durations(wording: str) -> list[tuple[int, int]]:
    """The (months, days) of every duration the wording states."""
    found = []
    for number, unit in _WORDED.findall(wording):
        amount = int(number) if number.isdigit() else _NUMBERS[number.lower()]
        months, days = _UNITS[unit.lower()]
        found.append((amount * months, amount * days))
    for match in _ISO.finditer(wording):
        if match.group(0) != "P":
            years, months, weeks, days = (int(part or 0) for part in match.groups())
            found.append((12 * years + months, 7 * weeks + days))
    return found


def wording_findings(activities: Iterable[tuple[str, str, str | None]]) -> list[Finding]:
    """record.retention_wording_mismatch for (activity key, system, retention wording)."""
    findings = []
    for activity, system, wording in activities:
        rules = [rule for rule in RULES if rule.system == system]
        if wording is None or not any(rule.period_source == "fixed" for rule in rules):
            continue
        periods = {(r.period.months, r.period.days) for r in rules if r.period is not None}
        stated = stated_durations(wording)
        if stated and not periods.intersection(stated):
            findings.append(
                Finding(
                    "record.retention_wording_mismatch",
                    (activity,),
                    1,
                    f"{activity} says '{wording}'; no retention rule of {system} has that period",
                )
            )
    return findings
