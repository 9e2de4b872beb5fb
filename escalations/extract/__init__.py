"""Incremental pulls from the tools' own APIs into the landing zone (docs/extract.md).

``run_extract(landing, sources, since)`` pulls each configured source, stream by stream, from its
saved cursor (or from ``since`` on the first run) and lands the API's pages in the layout of the
source contract, so the loader reads pulled data exactly as it reads exports. A source without
credentials is skipped with one line; a stream that fails keeps its cursor and the others go on.

Modules: ``settings`` (every variable read, secrets), ``http`` (httpx + tenacity, pacing),
``landing`` (durable pages and cursors), one module per source, and ``fake`` (local servers that
speak each API, for tests and demos).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from escalations.config import parse_instant
from escalations.extract.base import SourceResult
from escalations.extract.http import ExtractError
from escalations.extract.hubspot import HubspotExtractor
from escalations.extract.jira import JiraExtractor
from escalations.extract.landing import Landing
from escalations.extract.pagerduty import PagerdutyExtractor
from escalations.extract.salesforce import SalesforceExtractor
from escalations.extract.settings import SOURCES, ExtractSettings, SettingsError, load_settings
from escalations.extract.zendesk import ZendeskExtractor

__all__ = [
    "SOURCES",
    "ExtractError",
    "ExtractSettings",
    "SettingsError",
    "SourceResult",
    "load_settings",
    "run_extract",
    "run_source",
]

log = logging.getLogger("escalations.extract")

EXTRACTORS = {
    "zendesk": ZendeskExtractor,
    "salesforce": SalesforceExtractor,
    "hubspot": HubspotExtractor,
    "pagerduty": PagerdutyExtractor,
    "jira": JiraExtractor,
}


def _since(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise SettingsError(f"start date: {exc}") from None


def run_source(
    name: str, landing: Path, settings: ExtractSettings, since: str | datetime | None = None
) -> SourceResult:
    """Pull one source (or say why it was skipped)."""
    if name not in EXTRACTORS:
        raise SettingsError(f"unknown source {name!r}; known: {', '.join(SOURCES)}")
    cfg = settings.sources[name]
    if not cfg.enabled:
        log.info("%s: skipped: %s", name, cfg.missing)
        return SourceResult(name, status="skipped", reason=cfg.missing)
    start = _since(since) or _since(settings.since)
    extractor = EXTRACTORS[name](cfg, settings, Landing(Path(landing), name), start)
    log.info("%s: pulling from %s into %s", name, cfg.base_url, landing)
    return extractor.run()


def run_extract(
    landing: Path,
    sources: list[str] | None = None,
    since: str | datetime | None = None,
    settings: ExtractSettings | None = None,
    home: Path | None = None,
) -> dict[str, SourceResult]:
    """Pull every (or the named) source into ``landing``; returns a result per source."""
    settings = settings or load_settings(home)
    for note in settings.notes:
        log.warning("%s", note)
    return {name: run_source(name, landing, settings, since) for name in (sources or SOURCES)}
