"""The record extracts: which system holds which record type, in which files and formats, and
which planted classes of records each file contains.

Rows are laid out by index arithmetic so every count is known for any size: in each file, row
`i` falls in class `layout[i % LAYOUT_MODULUS]`. Row 0 of every block is a clean record (the one
a duplicated id copies), then come the planted classes in order, then clean records.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from demo_drop.parties import CUSTOMERS
from demo_drop.retention import RULES_BY_KEY, RetentionRule

LAYOUT_MODULUS = 1000


class RecordClass(StrEnum):
    CLEAN = "clean"  # deadline at least 5 days ahead (or no rule covers the stream)
    OVERDUE = "overdue"  # deadline at least 5 days past, no legal hold
    LEGAL_HOLD = "legal_hold"  # past its deadline but on legal hold: never overdue
    NO_DEADLINE = "no_deadline"  # every anchor column null
    NO_PERIOD = "no_period"  # customer without retention_days under a rule without period
    CHILD = "child"  # subject_age under the minimum age
    MINIMUM_AGE = "minimum_age"  # subject_age exactly the minimum age: not a child
    DUPLICATE = "duplicate"  # reuses the id of the clean row that starts its block
    # held for a terminated customer (its fixed customer_key), created 1-30 days after its
    # terminated_on date / on that date (a near-miss); otherwise placed like a clean record
    AFTER_TERMINATION = "after_termination"
    ON_TERMINATION = "on_termination"
    BAD_TIMESTAMP = "bad_timestamp"
    BAD_AGE = "bad_age"
    BAD_BOOLEAN = "bad_boolean"
    BAD_COUNTRY = "bad_country"


REJECTED_CLASSES = frozenset(
    {
        RecordClass.BAD_TIMESTAMP,
        RecordClass.BAD_AGE,
        RecordClass.BAD_BOOLEAN,
        RecordClass.BAD_COUNTRY,
    }
)
ALL_BAD_VALUES = (
    (RecordClass.BAD_TIMESTAMP, 1),
    (RecordClass.BAD_AGE, 1),
    (RecordClass.BAD_BOOLEAN, 1),
    (RecordClass.BAD_COUNTRY, 1),
)


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


@dataclass(frozen=True)
class Planted:
    record_class: RecordClass
    per_block: int  # rows of this class in every block of LAYOUT_MODULUS rows
    customer_key: str | None = None  # NO_PERIOD rows belong to one customer


@dataclass(frozen=True)
class ClassRange:
    """Residues [start, end) of the block that hold one class."""

    planted: Planted
    start: int
    end: int

    def rows_in(self, file_rows: int) -> int:
        blocks, rest = divmod(file_rows, LAYOUT_MODULUS)
        return blocks * (self.end - self.start) + max(0, min(rest, self.end) - self.start)


@dataclass(frozen=True)
class RecordFile:
    name: str
    planted: tuple[tuple[RecordClass, int], ...] = ()  # bad rows specific to this file

    @property
    def format(self) -> FileFormat:
        return FileFormat(self.name.rsplit(".", 1)[1])


@dataclass(frozen=True)
class RecordStream:
    system: str
    record_type: str
    data_subject: str
    id_prefix: str
    weight: int  # share of --records, in ten-thousandths
    files: tuple[RecordFile, ...]
    rule_key: str | None
    planted: tuple[Planted, ...] = ()
    holds_customer_data: bool = False
    known_age_percent: int = 0
    boolean_style: tuple[str, str] = ("true", "false")
    timestamp_format: str = "%Y-%m-%dT%H:%M:%SZ"

    @property
    def rule(self) -> RetentionRule | None:
        return None if self.rule_key is None else RULES_BY_KEY[self.rule_key]

    def layout(self, record_file: RecordFile) -> list[ClassRange]:
        ranges = []
        start = 1  # residue 0 stays clean: the row duplicated ids copy
        planted = [*self.planted, *(Planted(cls, n) for cls, n in record_file.planted)]
        for entry in planted:
            ranges.append(ClassRange(entry, start, start + entry.per_block))
            start += entry.per_block
        if start > LAYOUT_MODULUS:
            raise ValueError(f"{self.system}/{record_file.name}: planted classes exceed a block")
        return ranges

    def customer_pool(self) -> list[tuple[str, int | None]]:
        """Customers whose records this stream may hold, with their retention_days.

        Under a customer_setting rule without a period, customers without a setting only get
        rows in their own NO_PERIOD class, so the pool leaves them out. Terminated customers
        only get rows in their own planted classes, so that the records created after their
        termination are counted exactly (customer.processing_after_termination).
        """
        if not self.holds_customer_data:
            return []
        rule = self.rule
        needs_setting = (
            rule is not None and rule.period_source == "customer_setting" and rule.period is None
        )
        return [
            (customer.key, customer.retention_days)
            for customer in CUSTOMERS
            if self.system in customer.systems
            and not (needs_setting and customer.retention_days is None)
            and customer.terminated_days_ago is None
        ]


TICKETING_BAD_ROWS = RecordFile("tickets-part-2.csv", ALL_BAD_VALUES)
SUBSCRIBER_BAD_ROWS = RecordFile("subscribers-1.jsonl", ALL_BAD_VALUES)

STREAMS: tuple[RecordStream, ...] = (
    RecordStream(
        "live_chat",
        "chat_transcript",
        "consumer",
        "cht_",
        2900,
        (
            RecordFile("transcripts-0001.parquet"),
            RecordFile("transcripts-0002.parquet"),
            RecordFile("transcripts-0003.parquet"),
        ),
        "chat-transcript-customer-setting",
        (
            Planted(RecordClass.OVERDUE, 20),
            Planted(RecordClass.LEGAL_HOLD, 2),
            Planted(RecordClass.AFTER_TERMINATION, 7, "ivory_retail"),
            Planted(RecordClass.ON_TERMINATION, 2, "ivory_retail"),
        ),
        holds_customer_data=True,
    ),
    RecordStream(
        "ticketing",
        "ticket",
        "consumer",
        "tkt_",
        1500,
        (RecordFile("tickets-part-1.csv"), TICKETING_BAD_ROWS),
        "ticket-customer-setting",
        (
            Planted(RecordClass.OVERDUE, 15),
            Planted(RecordClass.NO_PERIOD, 10, "granite_telecom"),
            Planted(RecordClass.NO_PERIOD, 5, "juniper_games"),
        ),
        holds_customer_data=True,
        known_age_percent=5,
    ),
    RecordStream(
        "email_marketing",
        "subscriber",
        "consumer",
        "sub_",
        1500,
        (SUBSCRIBER_BAD_ROWS, RecordFile("subscribers-2.jsonl")),
        "subscriber-customer-setting",
        (Planted(RecordClass.OVERDUE, 10),),
        holds_customer_data=True,
        timestamp_format="%Y-%m-%dT%H:%M:%S+00:00",
    ),
    RecordStream(
        "account_portal",
        "user_account",
        "customer",
        "usr_",
        800,
        (RecordFile("users.csv"),),
        "user-account-after-end",
        (
            Planted(RecordClass.OVERDUE, 30),
            Planted(RecordClass.LEGAL_HOLD, 3),
            Planted(RecordClass.NO_DEADLINE, 20),
            Planted(RecordClass.MINIMUM_AGE, 2),
        ),
        known_age_percent=40,
        boolean_style=("yes", "no"),
    ),
    RecordStream(
        "billing",
        "invoice",
        "customer",
        "inv_",
        500,
        (RecordFile("invoices.parquet"),),
        "invoice-tax-retention",
        (Planted(RecordClass.OVERDUE, 5),),
    ),
    RecordStream(
        "crm",
        "lead",
        "prospect",
        "lead_",
        500,
        (RecordFile("leads.csv"),),
        "crm-lead",
        (Planted(RecordClass.DUPLICATE, 8), Planted(RecordClass.OVERDUE, 10)),
        boolean_style=("1", "0"),
        timestamp_format="%Y-%m-%d %H:%M:%S",
    ),
    RecordStream(
        "crm",
        "contact_note",
        "prospect",
        "note_",
        300,
        (RecordFile("contact_notes.jsonl"),),
        "crm-default",
        (Planted(RecordClass.OVERDUE, 25),),
    ),
    RecordStream(
        "website_analytics",
        "visitor_profile",
        "visitor",
        "vis_",
        1000,
        (RecordFile("visitors-a.parquet"), RecordFile("visitors-b.parquet")),
        "web-visitor-13-months",
        (Planted(RecordClass.OVERDUE, 40), Planted(RecordClass.NO_DEADLINE, 30)),
    ),
    RecordStream(
        "webinars",
        "registration",
        "prospect",
        "reg_",
        200,
        (RecordFile("registrations.csv"),),
        "webinar-registration",
        (
            Planted(RecordClass.CHILD, 5),
            Planted(RecordClass.MINIMUM_AGE, 3),
            Planted(RecordClass.OVERDUE, 10),
        ),
        known_age_percent=60,
        boolean_style=("TRUE", "FALSE"),
    ),
    RecordStream(
        "knowledge_base",
        "kb_feedback",
        "visitor",
        "kbf_",
        200,
        (RecordFile("exports/2026/feedback.jsonl"),),  # near-miss: read at any depth
        "kb-feedback",
        (Planted(RecordClass.OVERDUE, 15),),
    ),
    RecordStream(
        "telephony",
        "call_recording",
        "customer",
        "call_",
        200,
        (RecordFile("call_recordings.parquet"),),
        "call-recording-90-days",
        (Planted(RecordClass.OVERDUE, 20),),
    ),
    RecordStream(
        "telephony",
        "voicemail",
        "customer",
        "vm_",
        100,
        (RecordFile("2026/voicemails.csv"),),  # near-miss: a subfolder of records/telephony/
        None,  # planted: retention.no_rule (only call_recording has a rule)
    ),
    RecordStream(
        "community_forum",
        "forum_member",
        "customer",
        "fm_",
        100,
        (RecordFile("members.jsonl"),),
        None,  # planted: register.retention_missing and retention.no_rule
        (Planted(RecordClass.CHILD, 3),),
        known_age_percent=50,
    ),
    RecordStream(
        "legacy_chat_archive",
        "chat_transcript",
        "consumer",
        "arc_",
        200,
        (RecordFile("archive.csv"),),
        None,  # planted: register.undeclared_system (not in the register)
        holds_customer_data=True,
    ),
)

if sum(stream.weight for stream in STREAMS) != 10_000:
    raise ValueError("stream weights must add up to 10,000")


@dataclass(frozen=True)
class PlacedFile:
    """A file of a stream with its size and the global index of its first row."""

    stream: RecordStream
    file: RecordFile
    rows: int
    first_index: int

    @property
    def relative_path(self) -> str:
        return f"records/{self.stream.system}/{self.file.name}"

    def class_rows(self) -> list[tuple[Planted, int]]:
        return [(r.planted, r.rows_in(self.rows)) for r in self.stream.layout(self.file)]

    def rejected_rows(self) -> int:
        return sum(n for p, n in self.class_rows() if p.record_class in REJECTED_CLASSES)


def place_files(total_records: int) -> list[PlacedFile]:
    """Split --records over the streams by weight, the rounding remainder to the first stream,
    and each stream evenly over its files, the remainder to its last file."""
    stream_rows = [total_records * stream.weight // 10_000 for stream in STREAMS]
    stream_rows[0] += total_records - sum(stream_rows)
    placed = []
    for stream, rows in zip(STREAMS, stream_rows, strict=True):
        per_file, remainder = divmod(rows, len(stream.files))
        first_index = 0
        for position, record_file in enumerate(stream.files):
            file_rows = per_file + (remainder if position == len(stream.files) - 1 else 0)
            placed.append(PlacedFile(stream, record_file, file_rows, first_index))
            first_index += file_rows
    return placed
