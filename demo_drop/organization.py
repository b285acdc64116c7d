"""register/organization.yml and register/taxonomy.yml: who the controller is, custom terms."""

from __future__ import annotations

from typing import Any

ORGANIZATION_KEY = "talkwell"


def organization_document() -> dict[str, Any]:
    return {
        "organization": [
            {
                "fides_key": ORGANIZATION_KEY,
                "name": "Talkwell Network Corporation",
                "description": "Customer-engagement SaaS: live chat, help desk, email marketing.",
                "controller": {
                    "name": "Talkwell Network Corporation",
                    "address": "Suite 400, 1055 Harbour Street, Vancouver, BC V6E 0A1, Canada",
                    "email": "privacy@talkwell.example",
                    "phone": "+1-604-555-0142",
                },
                "data_protection_officer": {
                    "name": "Dana Whitfield, Data Protection Officer",
                    "address": "Suite 400, 1055 Harbour Street, Vancouver, BC V6E 0A1, Canada",
                    "email": "dpo@talkwell.example",
                    "phone": "+1-604-555-0187",
                },
                "representative": {
                    "name": "Talkwell EU Representative Ltd.",
                    "address": "2 Grand Canal Plaza, Dublin 4, D04 X1Y2, Ireland",
                    "email": "eu-representative@talkwell.example",
                    "phone": "+353-1-555-0123",
                },
                "security_policy": "https://www.talkwell.example/security",
            }
        ]
    }


def taxonomy_document() -> dict[str, Any]:
    """Only what fideslang's default taxonomy lacks: consumers and contests."""
    return {
        "data_subject": [
            {
                "fides_key": "consumer",
                "organization_fides_key": ORGANIZATION_KEY,
                "name": "Consumer",
                "description": (
                    "End user of a customer organisation who talks to it through our chat, "
                    "help desk or email products; we process their data for that customer."
                ),
            }
        ],
        "data_use": [
            {
                "fides_key": "marketing.contests",
                "organization_fides_key": ORGANIZATION_KEY,
                "name": "Contests and rewards",
                "description": "Process contest entries and deliver rewards.",
                "parent_key": "marketing",
            }
        ],
    }
