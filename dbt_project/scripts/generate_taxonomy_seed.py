"""Write seeds/fideslang_taxonomy.csv from the installed fideslang default taxonomy.

Run from anywhere: ``python dbt_project/scripts/generate_taxonomy_seed.py``.
The seed is generated, never edited by hand; rerun after upgrading fideslang.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import fideslang
from fideslang.default_taxonomy import DEFAULT_TAXONOMY

SEED_PATH = Path(__file__).resolve().parents[1] / "seeds" / "fideslang_taxonomy.csv"
COLUMNS = ["taxonomy_type", "taxonomy_key", "name", "description", "parent_key"]
TYPES = ["data_category", "data_use", "data_subject"]


def rows() -> list[dict[str, str]]:
    out = []
    for taxonomy_type in TYPES:
        for term in getattr(DEFAULT_TAXONOMY, taxonomy_type):
            # Deprecated terms are still valid keys in manifests; keep them.
            out.append(
                {
                    "taxonomy_type": taxonomy_type,
                    "taxonomy_key": term.fides_key,
                    "name": (term.name or term.fides_key).strip(),
                    "description": " ".join((term.description or "").split()),
                    "parent_key": getattr(term, "parent_key", None) or "",
                }
            )
    out.sort(key=lambda r: (r["taxonomy_type"], r["taxonomy_key"]))
    return out


def main(path: Path = SEED_PATH) -> int:
    data = rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
    print(
        f"wrote {len(data)} terms from fideslang {fideslang.__version__} to {path}", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
