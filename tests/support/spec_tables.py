"""What the shared specs say, parsed from their Markdown so tests follow the spec, not a copy."""

from __future__ import annotations

import re
from pathlib import Path

# The specs are kept beside the repository (`../shared/spec`), where CI lays them too.
_REPOSITORY = Path(__file__).resolve().parents[2]
SPEC = next(
    folder
    for folder in (_REPOSITORY.parent / "shared" / "spec", Path("/work/shared/spec"))
    if folder.is_dir()
)
CHECK_ROW = re.compile(r"^\| `(?P<check>[a-z_.]+)` \| (?P<severity>\w+) \| (?P<subject>[^|]+) \|")


def checks_from_spec() -> dict[str, tuple[str, tuple[str, ...]]]:
    """check -> (severity, subject keys) from the table of checks.md."""
    checks = {}
    for line in (SPEC / "checks.md").read_text(encoding="utf-8").splitlines():
        match = CHECK_ROW.match(line)
        if match:
            keys = tuple(key.strip() for key in match["subject"].split(","))
            checks[match["check"]] = (match["severity"], keys)
    return checks


def required_columns_from_spec() -> dict[str, set[str]]:
    """Tabular file (`vendors.csv`, ..., `records`) -> its required columns, from exports.md."""
    required: dict[str, set[str]] = {}
    current: str | None = None
    for line in (SPEC / "exports.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            title = line[3:].split()[0]
            current = "records" if title.startswith("records/") else title
            if not (current == "records" or current.endswith(".csv")):
                current = None
        elif current and line.startswith("| ") and not line.startswith("| column"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if len(cells) >= 3 and cells[2] == "yes":
                required.setdefault(current, set()).add(cells[0])
    return required
