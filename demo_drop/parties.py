"""vendors.csv, customers.csv and cookies.csv, each row with the findings it is planted to raise.

Dates are offsets from the as-of date so the same drop tells the same story on any run date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from demo_drop.findings import Finding, counted
from demo_drop.retention import DISCLOSED_TRANSFER_COUNTRIES, DPA_RENEWAL_NOTICE_DAYS

# checks.md: the EEA is the 27 EU member states plus Iceland, Liechtenstein and Norway.
EEA_COUNTRIES = frozenset(
    ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
     "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO")
)  # fmt: skip

VENDOR_COLUMNS = (
    "vendor_key",
    "legal_name",
    "recipient_category",
    "role",
    "country",
    "transfer_mechanism",
    "dpa_signed_on",
    "dpa_expires_on",
    "tia_completed_on",
    "service_description",
    "contact_email",
)


@dataclass(frozen=True)
class Vendor:
    key: str
    legal_name: str
    category: str
    role: str
    country: str
    mechanism: str = ""
    dpa_signed_days_ago: int | None = 900
    dpa_expires_in_days: int | None = None  # negative = already expired
    tia_days_ago: int | None = None
    description: str = ""
    planted: tuple[tuple[str, str], ...] = ()  # (check, message)

    def row(self, as_of: dt.date) -> dict[str, str]:
        def day(offset: int | None) -> str:
            return "" if offset is None else (as_of + dt.timedelta(days=offset)).isoformat()

        return {
            "vendor_key": self.key,
            "legal_name": self.legal_name,
            "recipient_category": self.category,
            "role": self.role,
            "country": self.country,
            "transfer_mechanism": self.mechanism,
            "dpa_signed_on": day(
                None if self.dpa_signed_days_ago is None else -self.dpa_signed_days_ago
            ),
            "dpa_expires_on": day(self.dpa_expires_in_days),
            "tia_completed_on": day(None if self.tia_days_ago is None else -self.tia_days_ago),
            "service_description": self.description,
            "contact_email": f"privacy@{self.key.replace('_', '-')}.example",
        }


# Which systems send data to which vendor is in register.py (egress); comments say why each
# vendor passes or fails.
VENDORS: tuple[Vendor, ...] = (
    # Canada has a partial (commercial organisations) decision: stated adequacy passes.
    Vendor(
        "aws_canada",
        "Amazon Web Services Canada, Inc.",
        "cloud_hosting",
        "sub_processor",
        "CA",
        "adequacy",
        dpa_expires_in_days=DPA_RENEWAL_NOTICE_DAYS + 1,  # one day past the notice: not yet
        tia_days_ago=700,
        description="Primary hosting (ca-central-1)",
    ),
    Vendor(
        "aws_frankfurt",
        "Amazon Web Services EMEA SARL",
        "cloud_hosting",
        "sub_processor",
        "DE",
        description="EU hosting for email marketing (eu-central-1)",
    ),
    Vendor(
        "equinix_coloc",
        "Equinix (Canada) Ltd.",
        "colocation",
        "sub_processor",
        "CA",
        "adequacy",
        dpa_expires_in_days=-40,
        description="Co-location of database servers",
        planted=(("vendor.dpa_expired", "DPA with Equinix (Canada) Ltd. expired 40 days ago"),),
    ),
    Vendor(
        "stripe_payments",
        "Stripe Payments Europe, Ltd.",
        "payment_processing",
        "independent_controller",
        "IE",
        dpa_signed_days_ago=None,
        description="Card payments (independent controller, no DPA needed)",
    ),
    # United States: partial decision (Data Privacy Framework); stated adequacy passes.
    Vendor(
        "google_analytics",
        "Google LLC",
        "web_analytics",
        "processor",
        "US",
        "adequacy",
        tia_days_ago=400,
        description="Google Analytics for site traffic",
    ),
    Vendor(
        "adroll_ads",
        "NextRoll, Inc.",
        "advertising",
        "independent_controller",
        "US",
        dpa_signed_days_ago=None,
        description="Retargeting advertising partner",
        planted=(
            (
                "transfer.no_safeguard",
                "NextRoll, Inc. (US) receives data without a transfer mechanism",
            ),
        ),
    ),
    Vendor(
        "sendgrid_email",
        "Twilio Inc. (SendGrid)",
        "email_delivery",
        "sub_processor",
        "US",
        "scc",
        dpa_expires_in_days=DPA_RENEWAL_NOTICE_DAYS,  # the last day of the notice: expiring
        tia_days_ago=500,
        description="Transactional and campaign email delivery",
    ),
    # Expires exactly on the evaluation date: not "before" it, so not expired, but expiring.
    Vendor(
        "zoom_webinars",
        "Zoom Communications, Inc.",
        "webinar_hosting",
        "processor",
        "US",
        "adequacy",
        dpa_expires_in_days=0,
        description="Webinar hosting",
    ),
    Vendor(
        "salesforce_crm",
        "Salesforce, Inc.",
        "crm",
        "processor",
        "US",
        "bcr",
        tia_days_ago=300,
        description="CRM integration and sales pipeline",
        planted=(
            (
                "policy.undisclosed_recipient",
                "Salesforce, Inc. receives data as 'crm', a category the policy does not name",
            ),
        ),
    ),
    Vendor(
        "rankwise_seo",
        "Rankwise Digital Pvt. Ltd.",
        "seo",
        "processor",
        "IN",
        dpa_signed_days_ago=None,
        description="Search engine optimisation agency",
        planted=(
            (
                "transfer.no_safeguard",
                "Rankwise Digital Pvt. Ltd. (IN) receives data without a transfer mechanism",
            ),
            ("vendor.dpa_missing", "Processor Rankwise Digital Pvt. Ltd. has no DPA"),
        ),
    ),
    # India has no adequacy decision at all: "adequacy" is not a valid safeguard there.
    Vendor(
        "datavault_backup",
        "DataVault Backup India Pvt. Ltd.",
        "data_storage",
        "sub_processor",
        "IN",
        "adequacy",
        description="Off-site backups of help-desk data",
        planted=(
            (
                "transfer.adequacy_invalid",
                "DataVault Backup India Pvt. Ltd. relies on adequacy, India has no decision",
            ),
        ),
    ),
    # Switzerland and Japan have full decisions: no mechanism needed.
    Vendor(
        "helvetic_archive",
        "Helvetic Archive AG",
        "data_storage",
        "sub_processor",
        "CH",
        description="Long-term archive of account notices",
    ),
    Vendor(
        "sakura_voice",
        "Sakura Voice K.K.",
        "telephony",
        "processor",
        "JP",
        description="Telephony carrier and call recording",
    ),
    Vendor(
        "eventos_brasil",
        "Eventos Brasil Ltda.",
        "event_management",
        "processor",
        "BR",
        "scc",
        tia_days_ago=200,
        description="On-site registration at trade shows",
    ),
    # Disclosure to the tax authority relies on the Art. 49 derogation.
    Vendor(
        "canada_revenue_agency",
        "Canada Revenue Agency",
        "public_authority",
        "public_authority",
        "CA",
        "derogation",
        dpa_signed_days_ago=None,
        description="Tax audits of invoices",
    ),
    # Receives nothing: no transfer or DPA finding, but an expired DPA is reported regardless.
    Vendor(
        "legacy_pbx",
        "Legacy PBX Services Ltd.",
        "telephony",
        "processor",
        "GB",
        dpa_signed_days_ago=2500,
        dpa_expires_in_days=-400,
        description="Former phone system, contract ended",
        planted=(("vendor.dpa_expired", "DPA with Legacy PBX Services Ltd. expired 400 days ago"),),
    ),
    Vendor(
        "mumbai_dev_studio",
        "Mumbai Dev Studio LLP",
        "software_development",
        "processor",
        "IN",
        dpa_signed_days_ago=None,
        description="Prototype work; never received data",
    ),
)

CUSTOMER_COLUMNS = (
    "customer_key",
    "legal_name",
    "country",
    "contact_email",
    "systems",
    "dpa_signed_on",
    "retention_days",
    "status",
    "terminated_on",
)


@dataclass(frozen=True)
class Customer:
    key: str
    legal_name: str
    country: str
    systems: tuple[str, ...]
    retention_days: int | None
    dpa_signed_days_ago: int | None = 800
    terminated_days_ago: int | None = None
    planted: tuple[tuple[str, str], ...] = ()

    def row(self, as_of: dt.date) -> dict[str, str]:
        def ago(days: int | None) -> str:
            return "" if days is None else (as_of - dt.timedelta(days=days)).isoformat()

        return {
            "customer_key": self.key,
            "legal_name": self.legal_name,
            "country": self.country,
            "contact_email": f"dpo@{self.key.replace('_', '-')}.example",
            "systems": ";".join(self.systems),
            "dpa_signed_on": ago(self.dpa_signed_days_ago),
            "retention_days": "" if self.retention_days is None else str(self.retention_days),
            "status": "active" if self.terminated_days_ago is None else "terminated",
            "terminated_on": ago(self.terminated_days_ago),
        }


CHAT, TICKETS, EMAIL = "live_chat", "ticketing", "email_marketing"
CUSTOMERS: tuple[Customer, ...] = (
    Customer("alpenhof_hotels", "Alpenhof Hotels GmbH", "DE", (CHAT, TICKETS), 365),
    Customer("brightpath_insurance", "Brightpath Insurance DAC", "IE", (CHAT, TICKETS, EMAIL), 180),
    # No setting: the chat rule falls back to its own period (a near-miss for no_period).
    Customer("casa_lumina_travel", "Casa Lumina Viajes S.L.", "ES", (CHAT,), None),
    Customer("dunmore_university", "Dunmore University", "GB", (CHAT, TICKETS), 730),
    Customer("eastgate_bank", "Eastgate Bank N.V.", "NL", (CHAT, TICKETS, EMAIL), 90),
    Customer("fjord_outdoor", "Fjord Outdoor AS", "NO", (EMAIL,), None),
    # No setting and the ticket rule has no period: planted retention.no_period.
    Customer("granite_telecom", "Granite Telecom Inc.", "US", (TICKETS,), None),
    Customer(
        "harbor_health_clinics",
        "Harbor Health Clinics Ltd.",
        "CA",
        (CHAT, TICKETS),
        365,
        dpa_signed_days_ago=None,
        planted=(
            ("customer.dpa_missing", "Active customer Harbor Health Clinics Ltd. has no DPA"),
        ),
    ),
    Customer("ivory_retail", "Ivory Retail SAS", "FR", (CHAT, EMAIL), 60, terminated_days_ago=120),
    # Terminated without a DPA on file: not active, so no customer.dpa_missing (near-miss).
    # The only user of cobrowse: a customer of any status keeps register.processor_without_customers
    # away (near-miss).
    Customer(
        "juniper_games",
        "Juniper Games AB",
        "SE",
        (TICKETS, "cobrowse"),
        None,
        dpa_signed_days_ago=None,
        terminated_days_ago=300,
    ),
    Customer("kestrel_logistics", "Kestrel Logistics S.p.A.", "IT", (CHAT,), 120),
    Customer("lumen_software", "Lumen Software Pty Ltd", "AU", (CHAT, TICKETS, EMAIL), 400),
)

COOKIE_COLUMNS = (
    "cookie_name",
    "domain",
    "vendor_key",
    "purpose",
    "duration_days",
    "set_before_consent",
)


@dataclass(frozen=True)
class Cookie:
    name: str
    domain: str
    vendor_key: str
    purpose: str
    duration_days: int | None
    set_before_consent: bool

    def row(self) -> dict[str, str]:
        return {
            "cookie_name": self.name,
            "domain": self.domain,
            "vendor_key": self.vendor_key,
            "purpose": self.purpose,
            "duration_days": "" if self.duration_days is None else str(self.duration_days),
            "set_before_consent": "true" if self.set_before_consent else "false",
        }


WWW, COMMUNITY = "www.talkwell.example", "community.talkwell.example"
COOKIES: tuple[Cookie, ...] = (
    # Strictly necessary cookies may be set before consent (near-misses).
    Cookie("tw_session", WWW, "", "strictly_necessary", None, True),
    Cookie("tw_consent", WWW, "", "strictly_necessary", 365, True),
    Cookie("tw_lang", WWW, "", "functional", 365, False),
    Cookie("_ga", WWW, "google_analytics", "analytics", 400, True),
    Cookie("_gid", WWW, "google_analytics", "analytics", 1, False),
    Cookie("_gcl_au", WWW, "google_analytics", "advertising", 90, False),
    # Same cookie on two domains, both before consent: one finding, count 2.
    Cookie("__ar_v4", WWW, "adroll_ads", "advertising", 365, True),
    Cookie("__ar_v4", COMMUNITY, "adroll_ads", "advertising", 365, True),
    Cookie("_hjSessionUser", WWW, "hotjar", "analytics", 365, False),
    Cookie("zm_aid", WWW, "zoom_webinars", "functional", 30, False),
    Cookie("forum_sid", COMMUNITY, "", "strictly_necessary", None, True),
)


def party_findings() -> list[Finding]:
    """The vendor, customer and cookie findings, as planted above."""
    findings = [
        Finding(check, (vendor.key,), 1, message)
        for vendor in VENDORS
        for check, message in vendor.planted
    ]
    findings += [
        Finding(check, (customer.key,), 1, message)
        for customer in CUSTOMERS
        for check, message in customer.planted
    ]
    findings += [
        Finding("cookies.before_consent", ("_ga",), 1, "Analytics cookie _ga set before consent"),
        Finding(
            "cookies.before_consent",
            ("__ar_v4",),
            2,
            "Advertising cookie __ar_v4 set before consent on 2 domains",
        ),
        Finding(
            "cookies.unknown_vendor",
            ("_hjSessionUser",),
            1,
            "Cookie _hjSessionUser names vendor hotjar, missing from vendors.csv",
        ),
    ]
    findings += [
        Finding(
            "vendor.dpa_expiring",
            (vendor.key,),
            1,
            f"DPA with {vendor.legal_name} expires in {vendor.dpa_expires_in_days} days",
        )
        for vendor in VENDORS
        if vendor.dpa_expires_in_days is not None
        and 0 <= vendor.dpa_expires_in_days <= DPA_RENEWAL_NOTICE_DAYS
    ]
    return findings


def transfer_findings(receiving_vendors: Iterable[str]) -> list[Finding]:
    """policy.undisclosed_transfer: vendors receiving data (some system egress), counted by
    their country outside the EEA (adequacy decision or not) that the policy does not name."""
    receiving = set(receiving_vendors)
    countries = Counter(
        vendor.country
        for vendor in VENDORS
        if vendor.key in receiving
        and vendor.country not in EEA_COUNTRIES
        and vendor.country not in DISCLOSED_TRANSFER_COUNTRIES
    )
    return [
        Finding(
            "policy.undisclosed_transfer",
            (country,),
            n,
            f"{counted(n, 'vendor')} in {country}, a country the policy does not disclose",
        )
        for country, n in sorted(countries.items())
    ]
