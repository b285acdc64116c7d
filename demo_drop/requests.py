"""privacy_requests.csv: each request is built from the status it must have on the as-of date.

A request is placed by its due date: received dates are chosen, the due date follows the
policy's commitments, and the completion is put before, on or after it on purpose.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from demo_drop.dates import iso_utc, nth_business_day_after, previous_weekday
from demo_drop.findings import Finding, counted
from demo_drop.retention import (
    EXTENSION_DAYS,
    RIGHTS_REQUEST_DAYS,
    UNSUBSCRIBE_BUSINESS_DAYS,
)

REQUEST_COLUMNS = (
    "request_id",
    "request_type",
    "data_subject",
    "customer_key",
    "received_at",
    "completed_at",
    "extended",
    "outcome",
    "channel",
)
RIGHTS_TYPES = (
    "access",
    "erasure",
    "rectification",
    "restriction",
    "portability",
    "objection",
    "withdraw_consent",
)
SUBJECTS_AND_CUSTOMERS = (
    ("customer", ""),
    ("prospect", ""),
    ("visitor", ""),
    ("consumer", "brightpath_insurance"),
    ("consumer", "eastgate_bank"),
    ("consumer", "alpenhof_hotels"),
)
CHANNELS = ("email", "web_form", "phone")
ON_TIME_REQUESTS = 80


@dataclass(frozen=True)
class Request:
    request_type: str
    received: dt.date
    completed: dt.date | None
    extended: bool = False
    status: str = "on_time"  # on_time | late | open | overdue, by construction
    received_at: str | None = None  # an explicit timestamp, for the time-zone near-miss


def due_date(request_type: str, received: dt.date, extended: bool) -> dt.date:
    if request_type == "unsubscribe":
        return nth_business_day_after(received, UNSUBSCRIBE_BUSINESS_DAYS)
    extra = EXTENSION_DAYS if extended else 0
    return received + dt.timedelta(days=RIGHTS_REQUEST_DAYS + extra)


def _placed(
    request_type: str, received: dt.date, after_due: int | None, *, extended: bool = False
) -> Request:
    """A request completed `after_due` days after its due date (None = still open)."""
    due = due_date(request_type, received, extended)
    if after_due is None:
        return Request(request_type, received, None, extended, "open")
    completed = due + dt.timedelta(days=after_due)
    return Request(
        request_type, received, completed, extended, "late" if after_due > 0 else "on_time"
    )


def planted_requests(as_of: dt.date) -> list[Request]:
    def ago(days: int) -> dt.date:
        return as_of - dt.timedelta(days=days)

    thursday = previous_weekday(ago(40), 3)
    friday_evening_utc_saturday = previous_weekday(ago(60), 4)
    return [
        # request.late
        _placed("access", ago(120), 5),
        _placed("access", ago(200), 1),
        _placed("erasure", ago(250), 3, extended=True),  # later than even the extension
        _placed("portability", ago(90), 12),
        _placed("unsubscribe", ago(50), 2),
        _placed("unsubscribe", ago(70), 1),
        # request.overdue: open past the due date
        Request("access", ago(45), None, status="overdue"),
        Request("erasure", ago(33), None, status="overdue"),
        Request("erasure", ago(100), None, status="overdue"),
        Request("rectification", ago(60), None, status="overdue"),
        Request("unsubscribe", ago(30), None, status="overdue"),
        # Near-misses, all on time or not yet due:
        _placed("access", ago(100), 0),  # completed on the due date
        _placed("erasure", ago(150), -5, extended=True),  # day 85, within 30 + 60
        _placed("unsubscribe", thursday, 0),  # 10 business days = 14 calendar days
        Request("objection", ago(RIGHTS_REQUEST_DAYS), None, status="open"),  # due today
        Request("access", ago(3), None, status="open"),
        Request("unsubscribe", ago(4), None, status="open"),
        # 21:30 at UTC-5 on a Friday is Saturday in UTC: the due date counts from Saturday.
        Request(
            "access",
            friday_evening_utc_saturday + dt.timedelta(days=1),
            friday_evening_utc_saturday + dt.timedelta(days=1 + RIGHTS_REQUEST_DAYS),
            received_at=f"{friday_evening_utc_saturday.isoformat()}T21:30:00-05:00",
        ),
    ]


def on_time_requests(as_of: dt.date, rng: random.Random) -> list[Request]:
    """Requests answered in time: every type in turn, every tenth one extended and answered
    after the 30 days but within the extension (a near-miss)."""
    types = (*RIGHTS_TYPES, "unsubscribe")
    requests = []
    for number in range(ON_TIME_REQUESTS):
        request_type = types[number % len(types)]
        extended = number % 10 == 9 and request_type != "unsubscribe"
        received = as_of - dt.timedelta(days=rng.randint(100, 400))
        due = due_date(request_type, received, extended)
        earliest = RIGHTS_REQUEST_DAYS + 1 if extended else 0
        completed = received + dt.timedelta(days=rng.randint(earliest, (due - received).days))
        requests.append(Request(request_type, received, completed, extended))
    return requests


def request_rows(as_of: dt.date, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    requests = planted_requests(as_of) + on_time_requests(as_of, rng)
    requests.sort(key=lambda request: (request.received, request.request_type))
    rows = []
    for number, request in enumerate(requests, start=1):
        subject, customer = rng.choice(SUBJECTS_AND_CUSTOMERS)
        if request.request_type == "unsubscribe" and subject == "visitor":
            subject = "prospect"
        rows.append(
            {
                "request_id": f"dsr-{request.received.year}-{number:05d}",
                "request_type": request.request_type,
                "data_subject": subject,
                "customer_key": customer,
                "received_at": request.received_at
                or iso_utc(request.received, rng.randint(0, 23), rng.randint(0, 59)),
                "completed_at": ""
                if request.completed is None
                else iso_utc(request.completed, rng.randint(0, 23), rng.randint(0, 59)),
                "extended": "true" if request.extended else "false",
                "outcome": _outcome(request, rng),
                "channel": rng.choice(CHANNELS),
            }
        )
    return rows


def _outcome(request: Request, rng: random.Random) -> str:
    if request.completed is None:
        return ""
    return rng.choice(("fulfilled", "fulfilled", "fulfilled", "rejected", "forwarded", "withdrawn"))


def request_findings(as_of: dt.date) -> list[Finding]:
    statuses = Counter((r.status, r.request_type) for r in planted_requests(as_of))
    findings = []
    for (status, request_type), count in sorted(statuses.items()):
        if status == "late":
            findings.append(
                Finding(
                    "request.late",
                    (request_type,),
                    count,
                    f"{counted(count, request_type + ' request')} completed after the due date",
                )
            )
        elif status == "overdue":
            findings.append(
                Finding(
                    "request.overdue",
                    (request_type,),
                    count,
                    f"{counted(count, request_type + ' request')} still open after the due date",
                )
            )
    return findings
