"""The loader's limits, read from the environment in one place (see docs/raw_layer.md).

| variable | default | what |
|---|---|---|
| ``ESCALATIONS_PLAUSIBLE_FROM`` | ``2000-01-01`` | earliest plausible timestamp or date (a date, or an instant with zone) |
| ``ESCALATIONS_PLAUSIBLE_YEARS_AHEAD`` | ``10`` | latest plausible: this many years after the as-of instant |
| ``ESCALATIONS_AS_OF`` | now | the as-of instant (also what open SLA clocks are measured to) |
| ``ESCALATIONS_MAX_FILE_BYTES`` | 256 MiB | a bigger landing file is refused whole (``too_large``), never read |
| ``ESCALATIONS_MAX_RECORD_BYTES`` | 16 MiB | a bigger record (as canonical JSON) is quarantined (``too_large``) |
| ``ESCALATIONS_<SOURCE>_ENCODING`` | ``utf-8`` | how a source's files are decoded when they carry no byte-order mark |

dbt reads ``ESCALATIONS_PLAUSIBLE_FROM`` and ``ESCALATIONS_PLAUSIBLE_YEARS_AHEAD`` too (vars
``plausible_from`` and ``plausible_years_ahead``), so calendars never span more than the window.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from escalations.config import parse_instant

SOURCES = ("zendesk", "salesforce", "hubspot", "pagerduty", "jira")
DEFAULT_PLAUSIBLE_FROM = "2000-01-01"
DEFAULT_YEARS_AHEAD = 10
DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024


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


def _instant(name: str, text: str) -> datetime:
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        return parse_instant(text)
    except ValueError as exc:
        raise ValueError(
            f"{name}={text!r} is not a date (2000-01-01) or an instant with zone: {exc}"
        ) from None


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not a whole number") from None
    if value <= 0:
        raise ValueError(f"{name}={text!r} must be greater than 0")
    return value


def _years_after(instant: datetime, years: int) -> datetime:
    if instant.year + years > 9999:
        return datetime.max.replace(tzinfo=UTC)
    try:
        return instant.replace(year=instant.year + years)
    except ValueError:  # 29 February into a year that has none
        return instant.replace(year=instant.year + years, day=28)


def plausible_window(env: Mapping[str, str] | None = None) -> PlausibleWindow:
    env = os.environ if env is None else env
    start = _instant(
        "ESCALATIONS_PLAUSIBLE_FROM", env.get("ESCALATIONS_PLAUSIBLE_FROM") or DEFAULT_PLAUSIBLE_FROM
    )
    as_of_text = env.get("ESCALATIONS_AS_OF", "").strip()
    as_of = _instant("ESCALATIONS_AS_OF", as_of_text) if as_of_text else datetime.now(UTC)
    years = _positive_int(env, "ESCALATIONS_PLAUSIBLE_YEARS_AHEAD", DEFAULT_YEARS_AHEAD)
    end = _years_after(as_of.astimezone(UTC), years)
    if start >= end:
        raise ValueError(
            f"ESCALATIONS_PLAUSIBLE_FROM ({start:%Y-%m-%d}) is not before the end of the plausible window "
            f"({end:%Y-%m-%d}, {years} years after the as-of)"
        )
    return PlausibleWindow(start.astimezone(UTC), end)


def ingest_settings(env: Mapping[str, str] | None = None) -> IngestSettings:
    """The loader's settings from the environment; ValueError naming the variable when one is wrong."""
    env = os.environ if env is None else env
    encodings = {}
    for source in SOURCES:
        name = f"ESCALATIONS_{source.upper()}_ENCODING"
        value = env.get(name, "").strip()
        if not value:
            continue
        try:
            encodings[source] = codecs.lookup(value).name
        except LookupError:
            raise ValueError(
                f"{name}={value!r} is not an encoding Python knows (e.g. utf-8, latin-1, cp1252)"
            ) from None
    return IngestSettings(
        window=plausible_window(env),
        max_file_bytes=_positive_int(env, "ESCALATIONS_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES),
        max_record_bytes=_positive_int(env, "ESCALATIONS_MAX_RECORD_BYTES", DEFAULT_MAX_RECORD_BYTES),
        encodings=encodings,
    )
