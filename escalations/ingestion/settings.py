"""The loader's limits, from the settings (escalations/settings.py; see docs/raw_layer.md).

``ESCALATIONS_PLAUSIBLE_FROM`` and ``ESCALATIONS_PLAUSIBLE_YEARS_AHEAD`` after the as-of instant
bound the plausible window, ``ESCALATIONS_MAX_FILE_BYTES`` and ``ESCALATIONS_MAX_RECORD_BYTES``
the sizes, ``ESCALATIONS_<SOURCE>_ENCODING`` how a source's files are decoded without a
byte-order mark. dbt is handed the plausible window too (vars ``plausible_from`` and
``plausible_years_ahead``), so calendars never span more than the window.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from escalations.config import parse_instant
from escalations.settings import Settings, current

SOURCES = ("zendesk", "salesforce", "hubspot", "pagerduty", "jira")
DEFAULT_MAX_FILE_BYTES = Settings.max_file_bytes
DEFAULT_MAX_RECORD_BYTES = Settings.max_record_bytes


@dataclass(frozen=True)
class PlausibleWindow:
    """Instants a record may carry: [start, end]. Anything outside is ``out_of_range``."""

    start: datetime
    end: datetime

    def contains(self, value: datetime) -> bool:
        try:
            return self.start <= value <= self.end
        except OverflowError:  # an offset that pushes year 1 or 9999 out of range when compared
            return False

    def contains_date(self, value: date) -> bool:
        return self.start.date() <= value <= self.end.date()

    def describe(self) -> str:
        return (
            f"the plausible window {self.start:%Y-%m-%d} .. {self.end:%Y-%m-%d} "
            "(ESCALATIONS_PLAUSIBLE_FROM, ESCALATIONS_PLAUSIBLE_YEARS_AHEAD after the as-of)"
        )


@dataclass(frozen=True)
class IngestSettings:
    window: PlausibleWindow
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    encodings: Mapping[str, str] = field(default_factory=dict)  # source -> codec name

    def encoding(self, source: str) -> str:
        return self.encodings.get(source, "utf-8")


def _instant(text: str) -> datetime:
    """A date (midnight UTC) or an instant with zone; escalations.settings has checked it."""
    text = text.strip()
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    return parse_instant(text)


def _years_after(instant: datetime, years: int) -> datetime:
    if instant.year + years > 9999:
        return datetime.max.replace(tzinfo=UTC)
    try:
        return instant.replace(year=instant.year + years)
    except ValueError:  # 29 February into a year that has none
        return instant.replace(year=instant.year + years, day=28)


def _settings(env: Mapping[str, str] | None) -> Settings:
    return current() if env is None else Settings.from_env(env)


def plausible_window(env: Mapping[str, str] | None = None) -> PlausibleWindow:
    """The window of the settings (of ``env`` when given, else the process's)."""
    s = _settings(env)
    start = _instant(s.plausible_from)
    as_of = _instant(s.as_of) if s.as_of else datetime.now(UTC)
    years = s.plausible_years_ahead
    end = _years_after(as_of.astimezone(UTC), years)
    if start >= end:
        raise ValueError(
            f"ESCALATIONS_PLAUSIBLE_FROM ({start:%Y-%m-%d}) is not before the end of the plausible window "
            f"({end:%Y-%m-%d}, {years} years after the as-of)"
        )
    return PlausibleWindow(start.astimezone(UTC), end)


def ingest_settings(env: Mapping[str, str] | None = None) -> IngestSettings:
    """The loader's settings (escalations.settings); ValueError naming the variable when one is wrong."""
    s = _settings(env)
    encodings = {source: codecs.lookup(s.encoding(source)).name for source in SOURCES if s.encoding(source)}
    return IngestSettings(
        window=plausible_window(env),
        max_file_bytes=s.max_file_bytes,
        max_record_bytes=s.max_record_bytes,
        encodings=encodings,
    )
