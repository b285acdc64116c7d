"""Errors a privacy team can act on: which file, where in it, which field, what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


class DropError(Exception):
    """The drop breaks the input contract; the run stops before anything is published."""

    def __init__(self, file: str, location: str, field: str | None, problem: str) -> None:
        self.file = file
        self.location = location
        self.field = field
        self.problem = problem
        super().__init__(describe(file, location, field, problem))


def describe(file: str, location: str, field: str | None, problem: str) -> str:
    where = f"{file}, {location}" if location else file
    field_part = f", field '{field}'" if field else ""
    return f"{where}{field_part}: {problem}"


@dataclass(frozen=True)
class Problem:
    """One breach of the contract found while the register is checked whole."""

    file: str
    location: str
    field: str | None
    problem: str

    @classmethod
    def of(cls, error: DropError) -> Problem:
        return cls(error.file, error.location, error.field, error.problem)

    def __str__(self) -> str:
        return describe(self.file, self.location, self.field, self.problem)


class DropErrors(DropError):
    """Every problem found in the register, one a line; `file`, `location`, `field` and
    `problem` are those of the first, so a caller that handles one DropError still can."""

    def __init__(self, problems: list[Problem], subject: str = "the register") -> None:
        if not problems:
            raise ValueError("DropErrors needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.file, first.location, first.field, first.problem)
        count = len(self.problems)
        if count == 1:
            self.args = (str(first),)
        else:
            lines = [f"{subject} has {count} problems:", *(f"  {p}" for p in self.problems)]
            self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return str(self.args[0])
