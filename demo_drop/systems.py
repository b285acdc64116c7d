"""register/systems/*.yml and register/datasets/*.yml: the products and internal applications.

Every purpose of the policy's "Use of Personal Data Collected" appears as a privacy declaration
with the lawful basis the policy names. Planted register findings are listed at the bottom,
next to the declarations and fields that cause them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from demo_drop.findings import Finding
from demo_drop.organization import ORGANIZATION_KEY
from demo_drop.parties import CUSTOMERS

CONTRACT, LEGAL, INTERESTS, CONSENT = (
    "Contract",
    "Legal obligations",
    "Legitimate interests",
    "Consent",
)
LIA = "https://wiki.talkwell.example/privacy/lia/"
DPIA = "https://wiki.talkwell.example/privacy/dpia/"

CHAT_CONTENT = ["user.name", "user.contact.email", "user.content.private", "user.device.ip_address"]
CONTACT = ["user.name", "user.contact.email", "user.contact.phone_number"]
WEB_TRACKING = ["user.device.cookie_id", "user.device.ip_address", "user.behavior.browsing_history"]
# checks.md register.special_category_without_condition: categories that are special by themselves
SPECIAL_PREFIXES = (
    "user.health_and_medical",
    "user.biometric",
    "user.demographic.race_ethnicity",
    "user.demographic.political_opinion",
    "user.demographic.religious_belief",
    "user.demographic.sexual_orientation",
    "user.criminal_history",
)


@dataclass(frozen=True)
class Declaration:
    name: str
    data_use: str
    categories: list[str]
    subjects: list[str]
    basis: str | None
    retention: str
    special_category_basis: str | None = None
    processes_special_category: bool = False
    shared_with: str | None = None

    @property
    def is_special(self) -> bool:
        """Special-category data: declared, or a category equal to or under a special prefix."""
        return self.processes_special_category or any(
            category == prefix or category.startswith(prefix + ".")
            for category in self.categories
            for prefix in SPECIAL_PREFIXES
        )

    def as_yaml(self, system_key: str) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": self.name,
            "data_use": self.data_use,
            "data_categories": self.categories,
            "data_subjects": self.subjects,
        }
        if self.basis is not None:
            entry["legal_basis_for_processing"] = self.basis
        if self.basis == INTERESTS:
            entry["impact_assessment_location"] = f"{LIA}{system_key}-{self.data_use}"
        entry["retention_period"] = self.retention
        entry["processes_special_category_data"] = self.processes_special_category
        if self.special_category_basis is not None:
            entry["special_category_legal_basis"] = self.special_category_basis
        entry["data_shared_with_third_parties"] = self.shared_with is not None
        if self.shared_with is not None:
            entry["third_parties"] = self.shared_with
            entry["shared_categories"] = self.categories
        return entry


@dataclass(frozen=True)
class System:
    key: str
    name: str
    description: str
    department: str
    responsibility: list[str] | None  # None: the manifest leaves it out (taken as Controller)
    egress: dict[str, list[str]]  # recipient key -> data categories that flow there
    security: str
    declarations: list[Declaration]
    fields: dict[str, list[tuple[str, str]]]  # dataset collection -> (field path, category)
    dpia_progress: str | None = None
    joint_controller_info: str | None = None
    # meta.processor_activities: the data uses (or `<data_use>#<slug>`) done for customers
    processor_activities: tuple[str, ...] | None = None
    uses_profiling: bool | None = None  # None: the manifest leaves it out (fideslang: false)
    legal_basis_for_profiling: tuple[str, ...] = ()

    @property
    def dataset_key(self) -> str:
        return f"{self.key}_db"

    @property
    def requires_dpia(self) -> bool:
        return self.dpia_progress is not None

    @property
    def roles(self) -> list[str]:
        """The responsibility as read: a system that declares none is a Controller."""
        return self.responsibility if self.responsibility is not None else ["Controller"]

    def system_document(self) -> dict[str, Any]:
        system: dict[str, Any] = {
            "fides_key": self.key,
            "organization_fides_key": ORGANIZATION_KEY,
            "name": self.name,
            "description": self.description,
            "system_type": "Application",
            "administrating_department": self.department,
        }
        if self.responsibility is not None:
            system["responsibility"] = self.responsibility
        system |= {
            "egress": [
                {"fides_key": key, "type": "system", "data_categories": categories}
                for key, categories in self.egress.items()
            ],
            "dataset_references": [self.dataset_key],
            "data_security_practices": self.security,
            "requires_data_protection_assessments": self.requires_dpia,
        }
        if self.uses_profiling is not None:
            system["uses_profiling"] = self.uses_profiling
        if self.legal_basis_for_profiling:
            system["legal_basis_for_profiling"] = list(self.legal_basis_for_profiling)
        if self.processor_activities is not None:
            system["meta"] = {"processor_activities": list(self.processor_activities)}
        if self.dpia_progress is not None:
            system["dpa_progress"] = self.dpia_progress
            system["dpa_location"] = f"{DPIA}{self.key}"
        if self.joint_controller_info is not None:
            system["joint_controller_info"] = self.joint_controller_info
        system["privacy_declarations"] = [d.as_yaml(self.key) for d in self.declarations]
        return {"system": [system]}

    def dataset_document(self) -> dict[str, Any]:
        collections = [
            {
                "name": collection,
                "fields": [
                    {"name": path, "data_categories": [category]} for path, category in fields
                ],
            }
            for collection, fields in self.fields.items()
        ]
        return {
            "dataset": [
                {
                    "fides_key": self.dataset_key,
                    "organization_fides_key": ORGANIZATION_KEY,
                    "name": f"{self.name} database",
                    "collections": collections,
                }
            ]
        }


STANDARD_SECURITY = (
    "TLS 1.2+ in transit, AES-256 at rest, SSO with MFA for staff, role-based access, "
    "audit logging, quarterly access reviews"
)
AS_SET_BY_CUSTOMER = "As set by the customer ('Save Time of Customer Data'); one year if unset"

SYSTEMS: tuple[System, ...] = (
    System(
        key="live_chat",
        name="Live Chat",
        description="Chat widget and agent console that customers use to talk to their consumers.",
        department="Product - Customer Engagement",
        responsibility=["Processor", "Controller"],
        egress={
            "aws_canada": CHAT_CONTENT,
            "salesforce_crm": ["user.name", "user.contact.email"],
            "ticketing": ["user.name", "user.contact.email", "user.content.private"],
        },
        security=STANDARD_SECURITY + ", transcripts encrypted per customer",
        dpia_progress="complete",
        # The policy: consumer data "on behalf of Organizations"; abuse and fraud are our own.
        # The webhook entry names its declaration by slug (exports.md activity keys).
        processor_activities=(
            "essential.service",
            "essential.service.operations.support",
            "third_party_sharing#send-chats-to-customers-applications-webhooks-crm",
        ),
        declarations=[
            Declaration(
                "Provide live chat for customers' consumers",
                "essential.service",
                [*CHAT_CONTENT, "user.location.imprecise"],
                ["consumer"],
                CONTRACT,
                AS_SET_BY_CUSTOMER,
            ),
            Declaration(
                "Support customers using the chat",
                "essential.service.operations.support",
                ["user.content.private", "user.account.username"],
                ["consumer", "customer"],
                CONTRACT,
                AS_SET_BY_CUSTOMER,
            ),
            Declaration(
                "Investigate abuse complaints",
                "essential.service.security",
                ["user.content.private", "user.device.ip_address"],
                ["consumer"],
                INTERESTS,
                "Until the investigation closes",
            ),
            Declaration(
                "Prevent fraudulent or illegal activity",
                "essential.fraud_detection",
                ["user.device.ip_address", "user.location.imprecise"],
                ["consumer"],
                INTERESTS,
                "90 days",
            ),
            Declaration(
                "Send chats to customers' applications (webhooks, CRM)",
                "third_party_sharing",
                ["user.name", "user.contact.email"],
                ["consumer"],
                CONTRACT,
                "Not kept after transmission",
                shared_with="Applications chosen by the customer (e.g. Salesforce)",
            ),
        ],
        fields={
            "transcripts": [
                ("visitor_name", "user.name"),
                ("visitor_email", "user.contact.email"),
                ("messages", "user.content.private"),
                ("ip_address", "user.device.ip_address"),
                ("geo.city", "user.location.imprecise"),
            ],
            "agents": [("login", "user.account.username")],
        },
    ),
    System(
        key="ticketing",
        name="Ticketing & Help Desk",
        description="Help desk where customers' agents answer their consumers' tickets.",
        department="Product - Customer Engagement",
        responsibility=["Processor", "Controller"],
        egress={
            "aws_canada": [*CONTACT, "user.content.private"],
            "sendgrid_email": ["user.contact.email"],
            "datavault_backup": [*CONTACT, "user.content.private"],
        },
        security=STANDARD_SECURITY,
        # abuse investigations and court orders are the organisation's own
        processor_activities=("essential.service", "essential.service.operations.support"),
        declarations=[
            Declaration(
                "Provide the help desk for customers' consumers",
                "essential.service",
                [*CONTACT, "user.content.private"],
                ["consumer"],
                CONTRACT,
                "As set by the customer",
            ),
            Declaration(
                "Troubleshoot customers' help desks",
                "essential.service.operations.support",
                ["user.content.private"],
                ["consumer", "customer"],
                CONTRACT,
                "As set by the customer",
            ),
            Declaration(
                "Investigate abuse and Hosted Service Agreement violations",
                "essential.service.security",
                ["user.content.private"],
                ["consumer"],
                INTERESTS,
                "Until the investigation closes",
            ),
            Declaration(
                "Answer subpoenas and court orders",
                "essential.legal_obligation",
                [*CONTACT, "user.content.private"],
                ["consumer"],
                LEGAL,
                "As long as the legal process requires",
            ),
        ],
        fields={
            "tickets": [
                ("requester_name", "user.name"),
                ("requester_email", "user.contact.email"),
                ("requester_phone", "user.contact.phone_number"),
                ("body", "user.content.private"),
            ]
        },
    ),
    System(
        key="email_marketing",
        name="Email Marketing",
        description="Campaign tool customers use to email their consumers.",
        department="Product - Customer Engagement",
        responsibility=["Processor", "Controller"],
        egress={"aws_frankfurt": CONTACT[:2], "sendgrid_email": ["user.contact.email"]},
        security=STANDARD_SECURITY + ", outbound content scanned for spam",
        # Planted: register.role_ambiguous (dual role, no meta.processor_activities).
        declarations=[
            Declaration(
                "Send customers' campaigns to their subscribers",
                "marketing.communications.email",
                ["user.name", "user.contact.email"],
                ["consumer"],
                CONSENT,
                "As set by the customer; two years if unset",
            ),
            Declaration(
                "Deliver the email service",
                "essential.service",
                ["user.contact.email", "user.behavior"],
                ["consumer"],
                CONTRACT,
                "As set by the customer; two years if unset",
            ),
            Declaration(
                "Investigate abuse complaints and prevent spamming",
                "essential.service.security",
                ["user.contact.email", "user.content.private"],
                ["consumer"],
                INTERESTS,
                "Until the investigation closes",
            ),
        ],
        fields={
            "subscribers": [
                ("email", "user.contact.email"),
                ("first_name", "user.name.first"),
                ("opens", "user.behavior.media_consumption"),
            ],
            "campaigns": [("content", "user.content.private")],
        },
    ),
    System(
        key="knowledge_base",
        name="Knowledge Base",
        description="Public help articles, with feedback and reading history.",
        department="Customer Success",
        # Planted: register.responsibility_missing (taken as Controller, which it is).
        responsibility=None,
        egress={"aws_canada": WEB_TRACKING},
        security=STANDARD_SECURITY,
        declarations=[
            Declaration(
                "Answer questions through help articles",
                "essential.service.operations.support",
                ["user.device.cookie_id"],
                ["visitor", "customer"],
                INTERESTS,
                "Six months",
            ),
            # Planted: register.lawful_basis_missing.
            Declaration(
                "Recommend articles from reading history",
                "personalize.content",
                WEB_TRACKING,
                ["visitor", "customer"],
                None,
                "Six months",
            ),
            Declaration(
                "Measure which articles help",
                "analytics.reporting.content_performance",
                WEB_TRACKING,
                ["visitor"],
                INTERESTS,
                "Six months",
            ),
        ],
        fields={
            "feedback": [
                ("visitor_cookie", "user.device.cookie_id"),
                ("ip", "user.device.ip_address"),
            ],
            "reads": [("pages", "user.behavior.browsing_history")],
        },
    ),
    System(
        key="account_portal",
        name="Account Portal",
        description="Sign-up, login and account management for customers' users.",
        department="Engineering - Platform",
        responsibility=["Controller"],
        egress={
            "aws_canada": [*CONTACT, "user.account", "user.authorization.credentials"],
            "equinix_coloc": ["user.account", "user.authorization.credentials"],
            "helvetic_archive": ["user.name", "user.contact.email"],
            "billing": ["user.name", "user.contact.email", "user.contact.organization"],
        },
        security=STANDARD_SECURITY + ", bcrypt password hashes, login rate limiting",
        dpia_progress="in progress",
        declarations=[
            Declaration(
                "Create accounts and verify users",
                "essential.service.authentication",
                [
                    *CONTACT,
                    "user.account",
                    "user.authorization.credentials",
                    "user.contact.organization",
                    "user.job_title",
                ],
                ["customer"],
                CONTRACT,
                "One year after termination or last use of the account",
            ),
            Declaration(
                "Send service and product updates",
                "essential.service.notifications.email",
                ["user.name", "user.contact.email"],
                ["customer"],
                INTERESTS,
                # Planted: record.retention_wording_mismatch (365 days is not the rule's P1Y).
                "365 days after termination or last use of the account",
            ),
            Declaration(
                "Provide support to users",
                "essential.service.operations.support",
                [*CONTACT, "user.account"],
                ["customer"],
                CONTRACT,
                # Near-miss for record.retention_wording_mismatch: 12 months is the rule's P1Y.
                "12 Months after termination or last use of the account",
            ),
            Declaration(
                "Keep records required by law",
                "essential.legal_obligation",
                ["user.name", "user.contact.email"],
                ["customer"],
                LEGAL,
                "As long as the law requires",
            ),
        ],
        fields={
            "users": [
                ("name", "user.name"),
                ("email", "user.contact.email"),
                ("phone", "user.contact.phone_number"),
                ("username", "user.account.username"),
                ("password_hash", "user.authorization.credentials"),
                ("role", "user.job_title"),
                ("organization", "user.contact.organization"),
                # Planted: register.undeclared_category (no activity declares it).
                ("date_of_birth", "user.demographic.date_of_birth"),
            ]
        },
    ),
    System(
        key="billing",
        name="Billing",
        description="Subscriptions, invoices and payments of customer organisations.",
        department="Finance",
        responsibility=["Controller"],
        egress={
            "stripe_payments": ["user.name", "user.financial.credit_card"],
            "canada_revenue_agency": [
                "user.name",
                "user.contact.address",
                "user.behavior.purchase_history",
            ],
            "aws_canada": ["user.name", "user.contact.address", "user.behavior.purchase_history"],
        },
        security=STANDARD_SECURITY + ", card data tokenised by the payment processor (PCI DSS)",
        # Planted: register.dpia_missing on every activity (automated fraud decisions can
        # refuse a payment: profiling with a legal effect, and no DPIA required).
        uses_profiling=True,
        legal_basis_for_profiling=("Contract",),
        declarations=[
            Declaration(
                "Process orders, invoices and payments",
                "essential.service.payment_processing",
                ["user.name", "user.contact", "user.financial", "user.behavior.purchase_history"],
                ["customer"],
                CONTRACT,
                "Seven years after the end of the fiscal year",
            ),
            Declaration(
                "Keep tax records",
                "essential.legal_obligation",
                ["user.name", "user.contact.address", "user.behavior.purchase_history"],
                ["customer"],
                LEGAL,
                "Seven years after the end of the fiscal year",
            ),
            Declaration(
                "Detect payment fraud",
                "essential.fraud_detection",
                ["user.financial", "user.device.ip_address"],
                ["customer"],
                INTERESTS,
                "Seven years",
            ),
        ],
        fields={
            "invoices": [
                ("bill_to_name", "user.name"),
                ("bill_to_address", "user.contact.address"),
                ("lines", "user.behavior.purchase_history"),
            ],
            "payments": [
                ("card_token", "user.financial.credit_card"),
                ("ip", "user.device.ip_address"),
            ],
        },
    ),
    System(
        key="crm",
        name="Sales CRM",
        description="Leads from forms, events and purchased lead lists; sales pipeline.",
        department="Sales and Marketing",
        responsibility=["Controller"],
        egress={
            "salesforce_crm": [*CONTACT, "user.job_title", "user.workplace"],
            "sendgrid_email": ["user.contact.email"],
        },
        security=STANDARD_SECURITY,
        declarations=[
            Declaration(
                "Answer requests and manage leads, including purchased lists",
                "sales",
                ["user.name", "user.contact", "user.job_title", "user.workplace"],
                ["prospect", "customer"],
                INTERESTS,
                "Three years after last contact",
            ),
            Declaration(
                "Market our products by email",
                "marketing.communications.email",
                ["user.name", "user.contact.email"],
                ["prospect", "customer"],
                CONSENT,
                "Until consent is withdrawn",
            ),
            Declaration(
                "Evaluate campaigns",
                "analytics.reporting.campaign_insights",
                ["user.contact.email", "user.behavior"],
                ["prospect"],
                INTERESTS,
                "Two years",
            ),
        ],
        fields={
            "leads": [
                ("name", "user.name"),
                ("email", "user.contact.email"),
                ("phone", "user.contact.phone_number"),
                ("company", "user.contact.organization"),
                ("title", "user.job_title"),
                # Planted: register.undeclared_category user.social on two fields.
                ("linkedin_url", "user.social"),
                ("socials.twitter", "user.social"),
            ],
            "activities": [("email_opens", "user.behavior.media_consumption")],
        },
    ),
    System(
        key="website_analytics",
        name="Website & Analytics",
        description="Public website, its analytics, A/B tests and advertising tags.",
        department="Marketing",
        responsibility=["Controller"],
        egress={
            "google_analytics": WEB_TRACKING,
            "adroll_ads": ["user.device.cookie_id", "user.behavior.browsing_history"],
            "rankwise_seo": ["user.behavior.browsing_history", "user.location.imprecise"],
            # Planted: register.unknown_recipient (no such vendor or system).
            "hotjar": ["user.device.cookie_id", "user.behavior.browsing_history"],
        },
        security=STANDARD_SECURITY + ", IP addresses truncated before storage",
        # Near-miss for register.dpia_missing: tailoring has no legal effect, no DPIA needed.
        uses_profiling=False,
        declarations=[
            Declaration(
                "Operate the website",
                "essential.service.operations",
                WEB_TRACKING,
                ["visitor"],
                INTERESTS,
                "13 months",
            ),
            Declaration(
                "Improve the website and services",
                "functional.service.improve",
                [*WEB_TRACKING, "user.location.imprecise"],
                ["visitor", "customer"],
                INTERESTS,
                "13 months",
            ),
            Declaration(
                "Tailor content to visitors",
                "personalize.content",
                WEB_TRACKING,
                ["visitor"],
                CONSENT,
                "13 months",
            ),
            Declaration(
                "Interest-based advertising with partners",
                "marketing.advertising.third_party.targeted",
                ["user.device.cookie_id", "user.behavior.browsing_history"],
                ["visitor"],
                CONSENT,
                "13 months",
                shared_with="Advertising partners",
            ),
        ],
        fields={
            "visitors": [
                ("cookie_id", "user.device.cookie_id"),
                ("ip_prefix", "user.device.ip_address"),
                ("pages", "user.behavior.browsing_history"),
                ("city", "user.location.imprecise"),
            ]
        },
    ),
    System(
        key="webinars",
        name="Webinars & Events",
        description="Webinars, seminars and trade-show demos, with contests for attendees.",
        department="Marketing",
        responsibility=["Controller"],
        joint_controller_info=(
            "Brightline Events GmbH, Torstrasse 140, 10119 Berlin, Germany; "
            "privacy@brightline-events.example; +49 30 5557 0140. Joint controller of co-hosted "
            "webinars under an Art. 26 arrangement (essence available from "
            "privacy@talkwell.example)"
        ),
        egress={
            "zoom_webinars": ["user.name", "user.contact.email"],
            "eventos_brasil": ["user.name", "user.contact.email", "user.health_and_medical"],
            "crm": ["user.name", "user.contact.email", "user.job_title"],
        },
        security=STANDARD_SECURITY,
        declarations=[
            # Planted: accessibility and dietary needs are health data, declared without an
            # Art. 9 condition (special_category_without_condition) against the policy's
            # "no special-category data" (special_category_contradiction).
            Declaration(
                "Run webinars and events",
                "essential.service",
                [
                    "user.name",
                    "user.contact.email",
                    "user.contact.organization",
                    "user.job_title",
                    "user.health_and_medical",
                ],
                ["prospect", "customer"],
                CONTRACT,
                "Two years after registration",
            ),
            Declaration(
                "Invite to future events",
                "marketing.communications.email",
                ["user.name", "user.contact.email"],
                ["prospect", "customer"],
                CONSENT,
                "Until consent is withdrawn",
            ),
            Declaration(
                "Run contests and deliver rewards",
                "marketing.contests",
                ["user.name", "user.contact.email", "user.contact.address"],
                ["prospect", "customer"],
                CONSENT,
                # Planted: record.retention_wording_mismatch (the only rule of webinars is P2Y).
                "One year after the contest",
            ),
        ],
        fields={
            "registrations": [
                ("name", "user.name"),
                ("email", "user.contact.email"),
                ("company", "user.contact.organization"),
                ("title", "user.job_title"),
                ("accessibility_needs", "user.health_and_medical"),
            ],
            "contest_entries": [("shipping_address", "user.contact.address")],
        },
    ),
    System(
        key="community_forum",
        name="Community Forum",
        description="Public forum where users ask and answer product questions.",
        department="Customer Success",
        responsibility=["Controller"],
        egress={"aws_canada": ["user.name", "user.account.username", "user.content.public"]},
        security=STANDARD_SECURITY + ", moderation queue",
        # Planted: register.retention_missing (no retention rule names this system).
        declarations=[
            Declaration(
                "Host the community forum",
                "essential.service",
                ["user.name", "user.account.username", "user.content.public"],
                ["customer", "prospect"],
                CONTRACT,
                "While the account is active",
            ),
            Declaration(
                "Moderate posts",
                "essential.service.security",
                ["user.content.public", "user.device.ip_address"],
                ["customer", "prospect"],
                INTERESTS,
                "One year",
            ),
        ],
        fields={
            "members": [("display_name", "user.name"), ("username", "user.account.username")],
            "posts": [("body", "user.content.public"), ("ip", "user.device.ip_address")],
        },
    ),
    System(
        key="telephony",
        name="Telephony",
        description="Support phone lines with call recording and caller voice verification.",
        department="Customer Success",
        responsibility=["Controller"],
        egress={
            "sakura_voice": ["user.contact.phone_number", "user.content.private"],
            "aws_canada": ["user.contact.phone_number", "user.content.private"],
        },
        security=STANDARD_SECURITY + ", recordings encrypted, voiceprints stored as templates",
        dpia_progress="complete",
        declarations=[
            Declaration(
                "Phone support",
                "essential.service.operations.support",
                ["user.contact.phone_number", "user.content.private"],
                ["customer"],
                CONTRACT,
                "Recordings 90 days",
            ),
            # Has its Art. 9 condition (no special_category_without_condition), but the policy
            # says no special-category data: planted special_category_contradiction.
            Declaration(
                "Verify callers by voice",
                "essential.service.authentication",
                ["user.biometric.voice"],
                ["customer"],
                CONSENT,
                "Until consent is withdrawn",
                special_category_basis="Explicit consent",
                processes_special_category=True,
            ),
        ],
        fields={
            "calls": [
                ("caller_number", "user.contact.phone_number"),
                ("recording", "user.content.private"),
            ],
            "voiceprints": [("template", "user.biometric.voice")],
        },
    ),
    # Processor-only products: which customers use them is customers.csv (parties.py).
    System(
        key="video_calls",
        name="Video Calls (pilot)",
        description="Video calls between customers' agents and their consumers; in pilot.",
        department="Product - Customer Engagement",
        responsibility=["Processor"],
        egress={"aws_canada": ["user.name", "user.contact.email", "user.content.private"]},
        security=STANDARD_SECURITY + ", recordings encrypted per customer",
        # Planted: register.processor_without_customers (no customer uses the pilot yet).
        declarations=[
            Declaration(
                "Provide video calls for customers' consumers",
                "essential.service",
                ["user.name", "user.contact.email", "user.content.private"],
                ["consumer"],
                CONTRACT,
                "As set by the customer",
            )
        ],
        fields={
            "calls": [
                ("participant_name", "user.name"),
                ("participant_email", "user.contact.email"),
                ("recording", "user.content.private"),
            ]
        },
    ),
    System(
        key="cobrowse",
        name="Co-browsing",
        description="Agents of customers see and guide their consumers' browser sessions.",
        department="Product - Customer Engagement",
        responsibility=["Processor"],
        egress={"aws_canada": ["user.device.ip_address", "user.behavior.browsing_history"]},
        security=STANDARD_SECURITY + ", form fields masked before sharing",
        # Near-miss for register.processor_without_customers: its only customer is terminated.
        declarations=[
            Declaration(
                "Share consumers' browser sessions with customers' agents",
                "essential.service",
                ["user.device.ip_address", "user.behavior.browsing_history"],
                ["consumer"],
                CONTRACT,
                "As set by the customer",
            )
        ],
        fields={
            "sessions": [
                ("ip_address", "user.device.ip_address"),
                ("pages", "user.behavior.browsing_history"),
            ]
        },
    ),
)

SYSTEM_KEYS = tuple(system.key for system in SYSTEMS)


def role_findings() -> list[Finding]:
    """Role and DPIA findings, read from the systems above and customers.csv (parties.py)."""
    findings = [
        Finding(
            "register.responsibility_missing",
            (system.key,),
            1,
            f"{system.key} declares no responsibility; taken as Controller",
        )
        for system in SYSTEMS
        if system.responsibility is None
    ]
    findings += [
        Finding(
            "register.role_ambiguous",
            (system.key,),
            len(system.declarations),
            f"{system.key} is Controller and Processor without meta.processor_activities",
        )
        for system in SYSTEMS
        if {"Controller", "Processor"} <= set(system.roles)
        and system.processor_activities is None
        and system.declarations
    ]
    findings += [
        Finding(
            "register.processor_without_customers",
            (system.key,),
            1,
            f"Processor system {system.key} is used by no customer",
        )
        for system in SYSTEMS
        if "Processor" in system.roles
        and not any(system.key in customer.systems for customer in CUSTOMERS)
    ]
    findings += [
        Finding(
            "register.dpia_missing",
            (f"{system.key}:{declaration.data_use}",),
            1,
            f"Activity {system.key}:{declaration.data_use} needs a DPIA its system lacks",
        )
        for system in SYSTEMS
        for declaration in system.declarations
        if (declaration.is_special or system.uses_profiling) and not system.requires_dpia
    ]
    return findings


def register_findings() -> list[Finding]:
    """The findings planted in the register above (records-based ones live in streams.py)."""
    return [
        *role_findings(),
        Finding(
            "register.lawful_basis_missing",
            ("knowledge_base:personalize.content",),
            1,
            "Activity knowledge_base:personalize.content has no lawful basis",
        ),
        Finding(
            "register.special_category_without_condition",
            ("webinars:essential.service",),
            1,
            "Activity webinars:essential.service declares user.health_and_medical "
            "without an Art. 9 condition",
        ),
        Finding(
            "policy.special_category_contradiction",
            ("webinars:essential.service",),
            1,
            "Activity webinars:essential.service processes special-category data; "
            "the policy says it does not",
        ),
        Finding(
            "policy.special_category_contradiction",
            ("telephony:essential.service.authentication",),
            1,
            "Activity telephony:essential.service.authentication processes special-category "
            "data; the policy says it does not",
        ),
        Finding(
            "register.unknown_recipient",
            ("website_analytics", "hotjar"),
            1,
            "website_analytics sends data to hotjar, neither a vendor nor a system",
        ),
        Finding(
            "register.undeclared_category",
            ("account_portal", "user.demographic.date_of_birth"),
            1,
            "account_portal stores user.demographic.date_of_birth on 1 field "
            "that no activity declares",
        ),
        Finding(
            "register.undeclared_category",
            ("crm", "user.social"),
            2,
            "crm stores user.social on 2 fields that no activity declares",
        ),
        Finding(
            "register.retention_missing",
            ("community_forum",),
            1,
            "community_forum has processing activities and no retention rule",
        ),
        Finding(
            "policy.retention_exceeds_notice",
            ("invoice-tax-retention",),
            1,
            "Rule invoice-tax-retention keeps customer data P7Y; the policy promises P1Y",
        ),
    ]
