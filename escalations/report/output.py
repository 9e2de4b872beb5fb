"""Write the brief under ``<home>/reports/``: ``brief-YYYY-Www.html``, ``.json`` (the numbers),
``.pdf`` where a Chromium is found, and ``brief-latest.html``, a stable copy of the newest one.

Each file is written under a temporary name and renamed into place, so a reader never sees half
a brief. The PDF is printed by headless Chromium from the HTML (its print CSS aims at one or two
pages); without a Chromium the PDF is skipped and the reason is returned and logged.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from escalations.report.brief import build_brief
from escalations.report.model import Brief, Week
from escalations.report.render import render_html
from escalations.settings import current as settings

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PDF_TIMEOUT_SECONDS = 120


@dataclasses.dataclass
class BriefFiles:
    brief: Brief
    html: Path
    json: Path
    latest: Path | None  # brief-latest.html, when this brief is the newest week written
    pdf: Path | None
    pdf_pages: int | None
    pdf_skipped: str | None  # why there is no PDF


def write_brief(snapshot: Path, reports: Path, week: Week | None = None, pdf: bool = True) -> BriefFiles:
    """Build one week's brief from the published snapshot and write its files to ``reports``."""
    brief = build_brief(snapshot, week)
    reports.mkdir(parents=True, exist_ok=True)
    stem = f"brief-{brief.week.label}"
    html = render_html(brief)
    html_path = _write(reports / f"{stem}.html", html)
    json_path = _write(reports / f"{stem}.json", json.dumps(brief_dict(brief), indent=2) + "\n")
    pdf_path, pages, skipped = None, None, "not asked for"
    if pdf:
        pdf_path, skipped = print_pdf(html_path, reports / f"{stem}.pdf")
        pages = pdf_page_count(pdf_path) if pdf_path else None
    # the newest week wins brief-latest: an older week asked for on demand does not replace it
    latest = None
    if max(reports.glob("brief-????-W??.html"), key=lambda p: p.name) == html_path:
        latest = _write(reports / "brief-latest.html", html)
    return BriefFiles(brief, html_path, json_path, latest, pdf_path, pages, skipped)


def _write(path: Path, text: str) -> Path:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def brief_dict(brief: Brief) -> dict[str, Any]:
    """The brief's numbers as JSON-ready data (dates ISO, the week as YYYY-Www)."""

    def plain(value: Any) -> Any:
        if isinstance(value, Week):
            return {"label": value.label, "start": value.start.isoformat(), "end": value.end.isoformat()}
        if dataclasses.is_dataclass(value):
            data = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
            # derived numbers people want without recomputing them
            for name in ("attainment", "change_vs_last_week", "change_vs_trailing"):
                if hasattr(type(value), name):
                    data[name] = getattr(value, name)
            return data
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, datetime | date):
            return value.isoformat()
        return value

    return plain(brief)


# ---- PDF -------------------------------------------------------------------------------------
def find_chromium() -> str | None:
    """``ESCALATIONS_CHROMIUM`` if set, else the first Chromium or Chrome on the PATH."""
    configured = settings().chromium
    if configured:
        return shutil.which(configured)
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def print_pdf(html: Path, pdf: Path) -> tuple[Path | None, str | None]:
    """Print ``html`` to ``pdf`` with headless Chromium: (the PDF, None) or (None, why not)."""
    binary = find_chromium()
    if binary is None:
        return None, (
            "no Chromium found (install the `chromium` package, or set ESCALATIONS_CHROMIUM to a "
            "Chrome/Chromium binary); the HTML brief prints on its own"
        )
    tmp = pdf.with_name(f".{pdf.name}.{os.getpid()}.tmp")
    with tempfile.TemporaryDirectory(prefix="brief-chromium-") as profile:
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={tmp}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PDF_TIMEOUT_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as exc:
            tmp.unlink(missing_ok=True)
            return None, f"{binary} failed to print the PDF: {exc}"
    if done.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return None, f"{binary} exited with {done.returncode} without a PDF ({detail[0]})"
    os.replace(tmp, pdf)
    return pdf, None


def pdf_page_count(pdf: Path) -> int | None:
    """Pages of a PDF, from its page objects (Chromium writes them uncompressed)."""
    count = len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf.read_bytes()))
    return count or None
