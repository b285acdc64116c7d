"""How much memory DuckDB may use in a refresh, and where it spills what does not fit.

One setting for every DuckDB connection of a refresh (load, dbt, checks, publish, pack, and the
dashboard's reads): `ROPA_MEMORY_LIMIT`, a DuckDB size such as `4GB`, `4GiB`, `800MB`, or a share
of the machine's memory such as `25%` (the default). Without a limit DuckDB takes 80 % of the
machine, and a 100M-record `dbt build` grew past 17 GB. What does not fit spills into
`<database file>.tmp`, beside the file in the warehouse folder: for a run's build file that is
`build/<run_id>.duckdb.tmp`, which `warehouse.remove_leftovers` removes when a killed run left it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

MEMORY_LIMIT_ENV = "ROPA_MEMORY_LIMIT"
# A quarter of the machine: the refresh shares it with the dashboard and the operating system,
# and DuckDB spills the rest. profiles.yml repeats it for dbt run by hand.
DEFAULT_MEMORY_LIMIT = "25%"
SPILL_SUFFIX = ".tmp"

_UNITS = {unit.lower(): unit for unit in ("KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB")}
_SIZE = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[a-z]+|%)$", re.IGNORECASE)


class MemoryLimitError(ValueError):
    """`ROPA_MEMORY_LIMIT` does not name a size DuckDB understands."""


def memory_limit(environ: Mapping[str, str] = os.environ) -> str:
    """The memory limit of every DuckDB connection of a refresh, as DuckDB writes sizes."""
    value = environ.get(MEMORY_LIMIT_ENV, "").strip()
    return parse_memory_limit(value) if value else DEFAULT_MEMORY_LIMIT


def parse_memory_limit(value: str) -> str:
    """`value` (`4GB`, `4 gib`, `800MB`, `25%`) in DuckDB's spelling; MemoryLimitError if it is
    no size, zero, or a share above 100 %."""
    match = _SIZE.match(value.strip())
    unit = match["unit"] if match else ""
    canonical = "%" if unit == "%" else _UNITS.get(unit.lower())
    if match is None or canonical is None:
        raise MemoryLimitError(
            f"{MEMORY_LIMIT_ENV}={value!r} is not a memory size: write e.g. 4GB, 4GiB, 800MB "
            "or 25% (of the machine's memory)"
        )
    amount = float(match["amount"])
    if amount <= 0 or (canonical == "%" and amount > 100):
        raise MemoryLimitError(
            f"{MEMORY_LIMIT_ENV}={value!r} is out of range: a size above zero, a share up to 100%"
        )
    return f"{match['amount']}{canonical}"


def spill_directory(database: Path) -> Path:
    """Where DuckDB spills for `database`: beside it, inside the warehouse folder."""
    return database.with_name(database.name + SPILL_SUFFIX)


def duckdb_config(database: Path) -> dict[str, str]:
    """The configuration every DuckDB connection of a refresh opens `database` with."""
    return {"memory_limit": memory_limit(), "temp_directory": str(spill_directory(database))}
