"""Writes records/<system>/* with DuckDB: one `COPY (SELECT ... FROM range(n)) TO file` per file.

Nothing is held in memory: every value is a function of the row's index, hashed with the seed
(`hash(seed, salt, index)`), and every planted class a function of `index % LAYOUT_MODULUS`
(see streams.py), so the truth can count what was written without reading it back.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

from demo_drop.parties import CUSTOMERS
from demo_drop.retention import MINIMUM_AGE
from demo_drop.streams import (
    LAYOUT_MODULUS,
    FileFormat,
    PlacedFile,
    RecordClass,
    RecordStream,
)

TERMINATION_CLASSES = (RecordClass.AFTER_TERMINATION, RecordClass.ON_TERMINATION)
AFTER_TERMINATION_DAYS = 30  # created 1..30 days after the terminated_on date

SUBJECT_COUNTRIES = (
    "DE",
    "FR",
    "CA",
    "US",
    "GB",
    "IE",
    "NL",
    "ES",
    "IT",
    "SE",
    "JP",
    "AU",
    "IN",
    "BR",
)
NOMINAL_ANCHORS = ("last_activity_at", "created_at")  # dates of streams no rule covers
MARGIN_DAYS = 5  # deadlines stay this far from the as-of date (month-end clipping moves <= 3)
UNPARSEABLE_TIMESTAMP = "2026-02-30 25:61"
UNKNOWN_COUNTRY = "Atlantis"
NOT_A_BOOLEAN = "maybe"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_text(v) for v in values) + "]"


def _is(*classes: RecordClass) -> str:
    """SQL: the row belongs to one of these planted classes."""
    return f"cls IN ({', '.join(_text(c.value) for c in classes)})"


class RowExpressions:
    """SQL expressions for the columns of one file; `g` is the row's global index in its
    stream, `i` its index in the file, `r` its residue in the block."""

    def __init__(self, placed: PlacedFile, seed: int, as_of: dt.date) -> None:
        self.placed = placed
        self.stream: RecordStream = placed.stream
        self.seed = seed
        # Streams of the same record type in two systems must not share their random values.
        self.salt = f"{self.stream.system}/{self.stream.record_type}"
        self.as_of = f"DATE '{as_of.isoformat()}'"

    def hashed(self, salt: str, modulus: int, index: str = "g") -> str:
        return f"(hash({self.seed}, '{self.salt}:{salt}', {index}) % {modulus})::BIGINT"

    def record_class(self) -> str:
        branches = " ".join(
            f"WHEN r >= {c.start} AND r < {c.end} THEN {_text(c.planted.record_class)}"
            for c in self.stream.layout(self.placed.file)
        )
        clean = _text(RecordClass.CLEAN)
        return f"CASE {branches} ELSE {clean} END" if branches else clean

    def fixed_customer(self) -> str:
        branches = " ".join(
            f"WHEN r >= {c.start} AND r < {c.end} THEN {_text(c.planted.customer_key)}"
            for c in self.stream.layout(self.placed.file)
            if c.planted.customer_key is not None
        )
        return f"CASE {branches} END" if branches else "NULL::VARCHAR"

    def fixed_customer_facts(self) -> tuple[str, str]:
        """(retention_days, terminated_on) of the row's fixed customer, from customers.csv."""
        days, terminated = [], []
        for customer in CUSTOMERS:
            when = f"WHEN fixed_customer = {_text(customer.key)}"
            if customer.retention_days is not None:
                days.append(f"{when} THEN {customer.retention_days}")
            if customer.terminated_days_ago is not None:
                terminated.append(
                    f"{when} THEN {self.as_of} - to_days({customer.terminated_days_ago})"
                )
        return (
            f"CASE {' '.join(days)} END::INTEGER" if days else "NULL::INTEGER",
            f"CASE {' '.join(terminated)} END::TIMESTAMP" if terminated else "NULL::TIMESTAMP",
        )

    def customer_columns(self) -> tuple[str, str]:
        """(customer_key, customer's retention_days) of each row."""
        pool = self.stream.customer_pool()
        if not pool:
            return "fixed_customer", "fixed_days"
        keys = _text_list([key for key, _ in pool])
        days = "[" + ", ".join("NULL" if d is None else str(d) for _, d in pool) + "]::INTEGER[]"
        pick = f"1 + {self.hashed('customer', len(pool))}"
        return (
            f"coalesce(fixed_customer, list_extract({keys}, {pick}))",
            f"CASE WHEN fixed_customer IS NULL THEN list_extract({days}, {pick}) "
            "ELSE fixed_days END",
        )

    def period(self) -> tuple[str, str]:
        """(months, days) of each row's retention period, as the warehouse will apply it."""
        rule = self.stream.rule
        if rule is None:
            return "12", "0"
        fallback = rule.period
        months, days = (fallback.months, fallback.days) if fallback is not None else (0, 0)
        if rule.period_source == "customer_setting":
            return (
                f"CASE WHEN customer_days IS NULL THEN {months} ELSE 0 END",
                f"coalesce(customer_days, {days})",
            )
        return str(months), str(days)

    def offset_days(self) -> str:
        """Days from the as-of date to the row's deadline."""
        late = f"-({MARGIN_DAYS} + {self.hashed('late', 696)})"
        if self.stream.rule is None:
            ahead = f"({self.hashed('offset', 1000)} - 695)"
        else:
            span = f"greatest(1, least(396, period_months * 30 + period_days - 3 * {MARGIN_DAYS}))"
            offset = f"hash({self.seed}, '{self.salt}:offset', g) % {span}"
            ahead = f"({MARGIN_DAYS} + ({offset})::BIGINT)"
        past_deadline = _is(RecordClass.OVERDUE, RecordClass.LEGAL_HOLD)
        return f"CASE WHEN {past_deadline} THEN {late} ELSE {ahead} END"

    def anchor_column(self) -> str:
        rule = self.stream.rule
        anchors = NOMINAL_ANCHORS if rule is None else rule.anchor
        if (
            rule is not None
            and "created_at" in anchors
            and any(
                c.planted.record_class is RecordClass.NO_DEADLINE
                for c in self.stream.layout(self.placed.file)
            )
        ):
            raise ValueError(f"{self.stream.system}: created_at anchors leave no record undated")
        if len(anchors) == 1:
            return _text(anchors[0])
        second, first = _text(anchors[1]), _text(anchors[0])
        # termination rows set their own created_at: their clock runs from the first anchor
        return (
            f"CASE WHEN {_is(*TERMINATION_CLASSES)} THEN {first} "
            f"WHEN {self.hashed('anchor', 10)} < 3 THEN {second} ELSE {first} END"
        )

    def check_termination_classes(self) -> None:
        """Termination rows keep created_at before their other dates and their clean deadline."""
        planted = [
            c.planted
            for c in self.stream.layout(self.placed.file)
            if c.planted.record_class in TERMINATION_CLASSES
        ]
        rule = self.stream.rule
        for entry in planted:
            customer = next(c for c in CUSTOMERS if c.key == entry.customer_key)
            if (
                rule is None
                or rule.anchor[0] == "created_at"
                or customer.terminated_days_ago is None
            ):
                raise ValueError(
                    f"{self.stream.system}: {entry.record_class} needs a rule anchored first on "
                    "another column than created_at, and a terminated customer"
                )
            period = customer.retention_days
            if period is None:
                period = 0 if rule.period is None else rule.period.months * 31 + rule.period.days
            # latest created_at (terminated_on + 30 days) stays before the earliest
            # last_activity_at (clean deadline as_of + MARGIN_DAYS - period - 20 days)
            if (
                customer.terminated_days_ago - AFTER_TERMINATION_DAYS - 1
                <= period + 20 - MARGIN_DAYS
            ):
                raise ValueError(f"{customer.key}: terminated too recently for its period")

    def select(self) -> str:
        self.check_termination_classes()
        customer_key, customer_days = self.customer_columns()
        fixed_days, fixed_terminated_at = self.fixed_customer_facts()
        months, days = self.period()
        time_of_day = f"to_seconds({self.hashed('time', 86_400)})"
        # undated rows of a terminated customer lie before its termination
        undated = (
            f"coalesce(fixed_terminated_at, {self.as_of}::TIMESTAMP) "
            f"- to_days(30 + {self.hashed('undated', 800)}) + {time_of_day}"
        )
        after_termination = (
            f"fixed_terminated_at + to_days(1 + {self.hashed('after', AFTER_TERMINATION_DAYS)}) "
            f"+ {time_of_day}"
        )
        deadline = f"{self.as_of}::TIMESTAMP + to_days(offset_days) + {time_of_day}"
        before_end = f"to_seconds({self.hashed('before_end', 20 * 86_400)})"
        lifetime = f"to_days(10 + {self.hashed('lifetime', 890)})"
        age_known = f"{self.hashed('age_known', 100)} < {self.stream.known_age_percent}"
        country_pick = f"1 + {self.hashed('country', len(SUBJECT_COUNTRIES))}"
        record_id = (
            f"'{self.stream.id_prefix}' || lpad(CAST(id_index AS VARCHAR), 9, '0') || "
            f"printf('%04x', {self.hashed('id', 65_536, 'id_index')})"
        )
        return f"""
WITH rows AS (
    SELECT i, {self.placed.first_index} + i AS g, i % {LAYOUT_MODULUS} AS r
    FROM range({self.placed.rows}) AS t(i)
), classed AS (
    SELECT *, {self.record_class()} AS cls, {self.fixed_customer()} AS fixed_customer FROM rows
), facts AS (
    SELECT *, {fixed_days} AS fixed_days, {fixed_terminated_at} AS fixed_terminated_at
    FROM classed
), customers AS (
    SELECT *, {customer_key} AS customer_key, {customer_days} AS customer_days FROM facts
), periods AS (
    SELECT *, {months} AS period_months, {days} AS period_days,
        {self.anchor_column()} AS anchor_column FROM customers
), offsets AS (
    SELECT *, {self.offset_days()} AS offset_days FROM periods
), anchored AS (
    SELECT *,
        CASE WHEN {_is(RecordClass.NO_PERIOD, RecordClass.NO_DEADLINE)} THEN {undated}
             ELSE {deadline} - to_days(period_days) - to_months(period_months) END AS anchor_at
    FROM offsets
)
SELECT
    {record_id} AS record_id,
    '{self.stream.record_type}' AS record_type,
    '{self.stream.data_subject}' AS data_subject,
    customer_key,
    CASE WHEN {_is(RecordClass.NO_DEADLINE)} THEN anchor_at
         WHEN {_is(RecordClass.AFTER_TERMINATION)} THEN {after_termination}
         WHEN {_is(RecordClass.ON_TERMINATION)} THEN fixed_terminated_at + {time_of_day}
         WHEN anchor_column = 'created_at' THEN anchor_at
         WHEN anchor_column = 'last_activity_at' THEN anchor_at - {lifetime}
         ELSE anchor_at - {before_end} - {lifetime} END AS created_at,
    CASE WHEN {_is(RecordClass.NO_DEADLINE)} OR anchor_column = 'created_at' THEN NULL
         WHEN anchor_column = 'last_activity_at' THEN anchor_at
         ELSE anchor_at - {before_end} END AS last_activity_at,
    CASE WHEN NOT {_is(RecordClass.NO_DEADLINE)} AND anchor_column = 'closed_at'
         THEN anchor_at END AS closed_at,
    CASE WHEN {_is(RecordClass.LEGAL_HOLD)} THEN true
         WHEN {self.hashed("hold", 3)} = 0 THEN NULL ELSE false END AS legal_hold,
    CASE WHEN {self.hashed("country_known", 10)} = 0 THEN NULL
         ELSE list_extract({_text_list(SUBJECT_COUNTRIES)}, {country_pick}) END AS subject_country,
    CASE WHEN {_is(RecordClass.CHILD)} THEN {MINIMUM_AGE - 6} + {self.hashed("age", 6)}
         WHEN {_is(RecordClass.MINIMUM_AGE)} THEN {MINIMUM_AGE}
         WHEN {_is(RecordClass.BAD_AGE)} THEN -(1 + {self.hashed("age", 9)})
         WHEN {age_known} THEN 18 + {self.hashed("age", 50)} END::INTEGER AS subject_age,
    cls
FROM (SELECT *, CASE WHEN {_is(RecordClass.DUPLICATE)} THEN g - r ELSE g END AS id_index
      FROM anchored)
"""

    def formatted(self) -> str:
        """The select above, with the text the file format carries and the planted bad values."""
        file_format = self.placed.file.format
        columns = ["record_id", "record_type", "data_subject", "customer_key"]
        if file_format is FileFormat.PARQUET:
            if self.placed.rejected_rows():
                raise ValueError(
                    f"{self.placed.relative_path}: Parquet is typed, it cannot carry bad values"
                )
            columns += ["created_at", "last_activity_at", "closed_at", "legal_hold"]
        else:
            fmt = _text(self.stream.timestamp_format)
            columns += [
                f"CASE WHEN {_is(RecordClass.BAD_TIMESTAMP)} THEN {_text(UNPARSEABLE_TIMESTAMP)} "
                f"ELSE strftime(created_at, {fmt}) END AS created_at",
                f"strftime(last_activity_at, {fmt}) AS last_activity_at",
                f"strftime(closed_at, {fmt}) AS closed_at",
                self.boolean_text(file_format),
            ]
        columns += [
            f"CASE WHEN {_is(RecordClass.BAD_COUNTRY)} THEN {_text(UNKNOWN_COUNTRY)} "
            "ELSE subject_country END AS subject_country",
            "subject_age",
        ]
        return f"SELECT {', '.join(columns)} FROM ({self.select()})"

    def boolean_text(self, file_format: FileFormat) -> str:
        if file_format is FileFormat.JSONL:
            return (
                f"CASE WHEN {_is(RecordClass.BAD_BOOLEAN)} THEN '\"{NOT_A_BOOLEAN}\"'::JSON "
                "ELSE to_json(legal_hold) END AS legal_hold"
            )
        yes, no = self.stream.boolean_style
        return (
            f"CASE WHEN {_is(RecordClass.BAD_BOOLEAN)} THEN {_text(NOT_A_BOOLEAN)} "
            f"WHEN legal_hold THEN {_text(yes)} WHEN NOT legal_hold THEN {_text(no)} END "
            "AS legal_hold"
        )


COPY_OPTIONS = {
    FileFormat.CSV: "FORMAT csv, HEADER true",
    FileFormat.JSONL: "FORMAT json",
    FileFormat.PARQUET: "FORMAT parquet, COMPRESSION zstd",
}


def write_records(drop: Path, placed_files: list[PlacedFile], seed: int, as_of: dt.date) -> None:
    connection = duckdb.connect()
    # Insertion order keeps every file byte-identical between runs; the limit keeps memory flat.
    connection.execute("SET preserve_insertion_order = true")
    connection.execute("SET memory_limit = '1GB'")
    connection.execute("SET enable_progress_bar = false")
    total = sum(p.rows for p in placed_files)
    written = 0
    for number, placed in enumerate(placed_files, start=1):
        target = drop / placed.relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        query = RowExpressions(placed, seed, as_of).formatted()
        path = _text(str(target))
        connection.execute(f"COPY ({query}) TO {path} ({COPY_OPTIONS[placed.file.format]})")
        written += placed.rows
        print(
            f"[{number}/{len(placed_files)}] {placed.relative_path}: {placed.rows:,} rows in "
            f"{time.monotonic() - started:.1f}s ({written / max(total, 1):.0%} of {total:,})",
            file=sys.stderr,
        )
    connection.close()
