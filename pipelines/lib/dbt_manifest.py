"""The dbt project's place, and the explicit step that prepares its manifest.

dagster-dbt builds its assets from `target/manifest.json`. Importing the definitions never parses
the project: `dagster dev` prepares it (`DbtProject.prepare_if_dev()`), and everything else calls
`ensure_manifest()` as its own step first: `make setup`, `ropa run`, `ropa serve` and the test
session. `dbt parse` does not open the warehouse.
"""

from __future__ import annotations

from pathlib import Path

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"
_SOURCE_FOLDERS = ("models", "seeds", "snapshots", "macros", "tests")


def ensure_manifest() -> Path:
    """Parse the dbt project when the manifest is missing or older than any project file."""
    if MANIFEST_PATH.exists() and MANIFEST_PATH.stat().st_mtime >= _newest_source_mtime():
        return MANIFEST_PATH
    from dbt.cli.main import dbtRunner  # a second of imports: only when it parses

    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--quiet",
            # findings.sql finds the check models among the project's files: a partial parse
            # would not re-parse it when a check is added.
            "--no-partial-parse",
        ]
    )
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return MANIFEST_PATH


def _newest_source_mtime() -> float:
    paths = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in _SOURCE_FOLDERS:
        root = DBT_PROJECT_DIR / folder
        if root.is_dir():
            paths.extend(p for p in root.rglob("*") if p.is_file())
    return max(p.stat().st_mtime for p in paths if p.exists())
