"""Errors a privacy team can act on: which file, where in it, which field, what is wrong."""

from __future__ import annotations


class DropError(Exception):
    """The drop breaks the input contract; the run stops before anything is published."""

    def __init__(self, file: str, location: str, field: str | None, problem: str) -> None:
        self.file = file
        self.location = location
        self.field = field
        self.problem = problem
        where = f"{file}, {location}" if location else file
        field_part = f", field '{field}'" if field else ""
        super().__init__(f"{where}{field_part}: {problem}")
