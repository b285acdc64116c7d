"""Reading a pack's files as text, the way a recipient's tools would."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path


def pdf_text(path: Path, raw: bool = False) -> str:
    """The PDF's text laid out as on the page, or (`raw`) in drawing order, which keeps the
    lines of one table cell together."""
    completed = subprocess.run(
        ["pdftotext", "-raw" if raw else "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout


def words(text: str) -> str:
    """Whitespace collapsed, so that names wrapped over lines in the PDF still match."""
    return " ".join(text.split())


def readable_text(path: Path) -> str:
    """A file's content as text: the PDF's extracted text, every XML part of the workbook."""
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
            )
    return path.read_text(encoding="utf-8")
