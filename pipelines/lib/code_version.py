"""The version of the code that turns a drop into the warehouse, as one hash (run_info).

A run whose drop, evaluation date, pseudonym key and code version all equal the published run's
would rebuild the same warehouse, so it is skipped; a record file is carried over only under the
same code. The hash is over the files themselves, not a release number or `git describe`: it is
the same in a fresh clone and in an installed package, and it changes with any edit, released or
not. It covers the loader and the audit suites (Python, and the C accelerator's source), the dbt
project's models, macros, seeds, snapshots and tests, and the versions of DuckDB and dbt, whose
behaviour the build depends on.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata

from pipelines.lib.dbt_manifest import DBT_PROJECT_DIR

_PACKAGE_ROOT = DBT_PROJECT_DIR.parent  # dbt_project/ sits beside the Python packages
_PYTHON_FOLDERS = ("pipelines", "expectations")
_PYTHON_SUFFIXES = (".py", ".c")
_DBT_FOLDERS = ("models", "macros", "seeds", "snapshots", "tests")
_DBT_SUFFIXES = (".sql", ".yml", ".yaml", ".csv")
_DISTRIBUTIONS = ("duckdb", "dbt-core", "dbt-duckdb")


@functools.cache
def code_version() -> str:
    """`sha256:` over `<sha256>  <path>` lines of the code's files, then the distributions'
    versions; computed once per process (a few hundred small files: milliseconds)."""
    files = [
        path
        for folder in _PYTHON_FOLDERS
        for path in (_PACKAGE_ROOT / folder).rglob("*")
        if path.suffix in _PYTHON_SUFFIXES
    ]
    files += [
        path
        for folder in _DBT_FOLDERS
        for path in (DBT_PROJECT_DIR / folder).rglob("*")
        if path.suffix in _DBT_SUFFIXES
    ]
    files.append(DBT_PROJECT_DIR / "dbt_project.yml")
    lines = sorted(
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(_PACKAGE_ROOT)}\n"
        for path in files
        if path.is_file()
    )
    lines += [f"{name} {_installed_version(name)}\n" for name in _DISTRIBUTIONS]
    return "sha256:" + hashlib.sha256("".join(lines).encode()).hexdigest()


def _installed_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"
