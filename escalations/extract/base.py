"""What every source's extract shares: the run of its streams, windows, results."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from escalations.extract.http import ApiClient, ExtractError
from escalations.extract.landing import Landing
from escalations.extract.settings import ExtractSettings, SourceConfig

log = logging.getLogger("escalations.extract")


def epoch_ms(text: str | None) -> int | None:
    """An ISO-8601 timestamp as epoch milliseconds (None when absent or unreadable; a zoneless one
    is read as UTC here, only to place it in a window: the loader still quarantines it)."""
    if not text or not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return round(value.timestamp() * 1000)


def epoch(text: str | None) -> int | None:
    """An ISO-8601 timestamp as epoch seconds (see ``epoch_ms``)."""
    ms = epoch_ms(text)
    return None if ms is None else ms // 1000


def iso(t: int | float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class StreamResult:
    stream: str
    status: str = "done"  # done / failed
    pages: int = 0
    records: int = 0
    unchanged: bool = False  # a whole-list document identical to the one already landed
    cursor: Any = None
    error: str | None = None
    seconds: float = 0.0


@dataclass
class SourceResult:
    source: str
    status: str = "done"  # done / skipped / failed
    reason: str | None = None
    streams: dict[str, StreamResult] = field(default_factory=dict)
    requests: int = 0
    retries: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    seconds: float = 0.0
    paced_seconds: float = 0.0
    api_usage: str | None = None  # Salesforce: "used/limit" daily API requests
    recovered: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(s.records for s in self.streams.values())

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.streams.values())

    def metadata(self) -> dict:
        """What a run reports (Dagster metadata, the CLI): counts and cursors, never a secret."""
        return {
            "status": self.status,
            **({"reason": self.reason} if self.reason else {}),
            "records": self.records,
            "pages_written": self.pages,
            "requests": self.requests,
            "retries": self.retries,
            "responses": {str(k): v for k, v in sorted(self.statuses.items(), key=lambda kv: str(kv[0]))},
            "bytes": self.bytes,
            "seconds": round(self.seconds, 2),
            "waited_for_rate_limits_seconds": round(self.paced_seconds, 2),
            "records_per_second": round(self.records / self.seconds) if self.seconds > 0 else None,
            **({"api_usage": self.api_usage} if self.api_usage else {}),
            "streams": {
                name: {
                    "status": s.status,
                    "pages": s.pages,
                    "records": s.records,
                    **({"unchanged": True} if s.unchanged else {}),
                    "cursor": s.cursor,
                    **({"error": s.error} if s.error else {}),
                }
                for name, s in self.streams.items()
            },
        }


class Extractor:
    """One source's pull. Subclasses list ``STREAMS`` and implement ``connect`` and ``pull_<stream>``."""

    NAME = ""
    STREAMS: tuple[str, ...] = ()
    DEFAULT_PAGE_SIZE = 100

    def __init__(
        self, cfg: SourceConfig, settings: ExtractSettings, landing: Landing, since: datetime | None
    ):
        self.cfg = cfg
        self.settings = settings
        self.landing = landing
        self.since = since
        self.client: ApiClient | None = None
        self.page_size = settings.page_size.get(cfg.name, self.DEFAULT_PAGE_SIZE)

    # ---- to implement ----------------------------------------------------------------------
    def connect(self) -> ApiClient:
        raise NotImplementedError

    def pull(self, stream: str) -> None:
        getattr(self, f"pull_{stream}")()

    # ---- helpers ---------------------------------------------------------------------------
    def start(self, stream: str, cursor_key: str | None = None, beginning: bool = False) -> int:
        """Where a stream's next window starts: its cursor, else the first run's start date
        (``beginning``: from the start of time, for lists of people the warehouse needs whole)."""
        cursor = self.landing.cursor(stream)
        if cursor is not None:
            return int(cursor[cursor_key] if cursor_key else cursor)
        if beginning:
            return 0
        if self.since is None:
            raise ExtractError(
                f"{self.NAME}/{stream}: no cursor yet and no start date: run `escalations extract "
                f"--source {self.NAME} --since 2026-01-01T00:00:00Z` once (or set ESCALATIONS_EXTRACT_SINCE)"
            )
        return int(self.since.timestamp())

    def now(self) -> int:
        """The API's clock (its last Date header) less the safety lag, as epoch seconds."""
        server = self.client.server_now if self.client else None
        if server is None:
            server = datetime.now(UTC)
            log.info("%s: no Date header seen yet; the window ends at the local clock", self.NAME)
        return int(server.timestamp()) - self.settings.lag

    def page(self, stream: str, folder: str, ext: str, data: bytes, records: int, **state: Any) -> None:
        """Commit one page of ``stream`` with its new cursor/progress."""
        rel = self.landing.page_name(folder, ext)
        self.landing.commit(stream, [(rel, data, records)], **state)

    # ---- run -------------------------------------------------------------------------------
    def run(self, streams: tuple[str, ...] | None = None) -> SourceResult:
        result = SourceResult(self.NAME, recovered=self.landing.recovered)
        t0 = time.perf_counter()
        try:
            self.client = self.connect()
        except ExtractError as exc:
            result.status, result.reason = "failed", self.settings.redact(str(exc))
            result.seconds = time.perf_counter() - t0
            return result
        try:
            for stream in streams or self.STREAMS:
                sr = result.streams[stream] = StreamResult(stream)
                s0 = time.perf_counter()
                try:
                    self.pull(stream)
                except ExtractError as exc:
                    sr.status, sr.error = "failed", self.client.redact(str(exc))
                    log.error("%s", sr.error)
                stats = self.landing.stats.get(stream)
                if stats is not None:
                    sr.pages, sr.records, sr.unchanged = stats.pages, stats.records, stats.unchanged > 0
                sr.cursor = self.landing.cursor(stream)
                sr.seconds = time.perf_counter() - s0
                log.info(
                    "%s/%s: %s, %d record(s) in %d page(s), %.1fs",
                    self.NAME,
                    stream,
                    sr.status if not sr.unchanged else "unchanged",
                    sr.records,
                    sr.pages,
                    sr.seconds,
                )
        finally:
            self.landing.finish()
            c = self.client
            result.requests, result.retries, result.bytes = c.requests, c.retries, c.bytes
            result.statuses = {str(k): v for k, v in c.statuses.items()}
            result.paced_seconds = c.paced_seconds
            result.api_usage = self.api_usage()
            c.close()
        failed = [s for s in result.streams.values() if s.status == "failed"]
        if failed:
            result.status = "failed"
            result.reason = "; ".join(s.error or s.stream for s in failed)
        result.seconds = time.perf_counter() - t0
        return result

    def api_usage(self) -> str | None:
        return None
