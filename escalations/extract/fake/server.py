"""One local HTTP server that speaks all five APIs over a generated world (``WorldStore``).

Each API sits under its own prefix (``http://127.0.0.1:<port>/zendesk``, ``/salesforce``, ...), so
each source's ``ESCALATIONS_<SOURCE>_BASE_URL`` points at one. The server:

- answers as the API stood at ``now`` (``set_now``), and says so in its ``Date`` header;
- checks each API's credentials (401 otherwise);
- counts requests per source and rate-limit bucket with their arrival times, answers ``429`` with
  ``Retry-After`` to a request over a configured limit and records it as a violation;
- injects faults on demand: ``429``, ``5xx``, a connection cut in the middle of a body, a stall
  longer than the client's timeout (``inject``).

It is a real server on a real socket (``ThreadingHTTPServer`` on 127.0.0.1, a free port), used by
the tests and by ``python -m escalations.extract.fake`` for a demo or a measurement.
"""

from __future__ import annotations

import base64
import logging
import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from escalations.extract.fake.store import WorldStore

log = logging.getLogger("escalations.extract.fake")


class HttpError(Exception):
    def __init__(self, status: int, body: Any, headers: dict | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


@dataclass
class Request:
    source: str
    method: str
    path: str  # below the source's prefix
    query: dict[str, list[str]]
    headers: Any
    body: bytes
    base: str  # the source's base URL on this server

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return orjson.loads(self.body) if self.body else {}


@dataclass
class Response:
    body: Any
    status: int = 200
    headers: dict = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class Fault:
    source: str
    match: str  # substring of the path
    kind: str  # "429", "500", "503", "cut", "stall"
    times: int = 1
    skip: int = 0  # let this many matching requests through first
    retry_after: int = 1
    stall: float = 2.0
    fired: int = 0
    seen: int = 0


@dataclass
class Credentials:
    zendesk: tuple[str, str] = ("ops@example.com", "zd-token-7f3a9c1e5b")
    salesforce: tuple[str, str] = ("3MVG9-client-id", "sf-secret-4d8e2a6c")
    hubspot: str = "pat-na1-hubspot-token-1b2c3d"
    pagerduty: str = "pd-token-u+9xK2mQ"
    jira: tuple[str, str] = ("ops@example.com", "jira-token-ATATT3xF")

    def env(self, base: str) -> dict[str, str]:
        """The ESCALATIONS_* variables that point the extract at a server on ``base``."""
        return {
            "ESCALATIONS_ZENDESK_BASE_URL": f"{base}/zendesk",
            "ESCALATIONS_ZENDESK_EMAIL": self.zendesk[0],
            "ESCALATIONS_ZENDESK_API_TOKEN": self.zendesk[1],
            "ESCALATIONS_SALESFORCE_BASE_URL": f"{base}/salesforce",
            "ESCALATIONS_SALESFORCE_CLIENT_ID": self.salesforce[0],
            "ESCALATIONS_SALESFORCE_CLIENT_SECRET": self.salesforce[1],
            "ESCALATIONS_HUBSPOT_BASE_URL": f"{base}/hubspot",
            "ESCALATIONS_HUBSPOT_ACCESS_TOKEN": self.hubspot,
            "ESCALATIONS_PAGERDUTY_BASE_URL": f"{base}/pagerduty",
            "ESCALATIONS_PAGERDUTY_API_TOKEN": self.pagerduty,
            "ESCALATIONS_JIRA_BASE_URL": f"{base}/jira",
            "ESCALATIONS_JIRA_EMAIL": self.jira[0],
            "ESCALATIONS_JIRA_API_TOKEN": self.jira[1],
        }

    def secrets(self) -> list[str]:
        return [self.zendesk[1], self.salesforce[1], self.hubspot, self.pagerduty, self.jira[1]]


class FakeApis:
    """The server; ``with FakeApis(world) as fake:`` starts and stops it."""

    def __init__(
        self,
        world: Path | WorldStore,
        now: int | None = None,
        limits: dict[str, dict[str, tuple[int, float]]] | None = None,
        credentials: Credentials | None = None,
        page_sizes: dict[str, int] | None = None,
    ) -> None:
        from escalations.extract.fake import apis

        self.store = world if isinstance(world, WorldStore) else WorldStore(world)
        self.now = now if now is not None else self.store.end
        self.limits = limits or {}
        self.credentials = credentials or Credentials()
        self.page_sizes = page_sizes or {}
        self.faults: list[Fault] = []
        self.arrivals: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.violations: list[tuple[str, str, float]] = []
        self.requests: dict[str, int] = defaultdict(int)
        self.fault_log: list[tuple[str, str, str, float]] = []  # (source, path, kind, time)
        self.retries_seen: list[tuple[str, str, float]] = []  # (source, path, time) of each request
        self._windows: dict[tuple[str, str], deque] = defaultdict(deque)
        self._lock = threading.Lock()
        self.state: dict[str, Any] = {}  # per-API state (Salesforce jobs, issued tokens)
        self.apis: dict[str, Callable[[FakeApis, Request], Response]] = apis.ROUTES
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # ---- control -------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def env(self) -> dict[str, str]:
        return self.credentials.env(self.base)

    def set_now(self, now: int) -> None:
        self.now = now

    def inject(self, source: str, match: str, kind: str, **kw: Any) -> Fault:
        fault = Fault(source, match, kind, **kw)
        self.faults.append(fault)
        return fault

    def page_size(self, source: str, default: int) -> int:
        return min(default, self.page_sizes.get(source, default))

    def max_in_window(self, source: str, bucket: str, seconds: float) -> int:
        """The most requests of a bucket that arrived within any ``seconds``-long window."""
        times = sorted(self.arrivals[(source, bucket)])
        best, j = 0, 0
        for i, t in enumerate(times):
            while t - times[j] >= seconds:
                j += 1
            best = max(best, i - j + 1)
        return best

    def start(self) -> FakeApis:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out together, no delayed-ACK stalls
            wbufsize = 1 << 16  # flushed once per response by handle_one_request

            def log_message(self, *args) -> None:  # quiet: the tests read counters instead
                pass

            def date_time_string(self, timestamp=None) -> str:
                return formatdate(fake.now, usegmt=True)

            def _serve(self) -> None:
                fake._handle(self)

            do_GET = do_POST = do_PATCH = do_DELETE = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-apis", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> FakeApis:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- one request ---------------------------------------------------------------------------
    def _buckets(self, source: str, method: str, path: str) -> list[str]:
        buckets = ["api"]
        if source == "zendesk" and "/incremental/" in path:
            buckets.append("export")
        if source == "hubspot" and path.endswith("/search"):
            buckets.append("search")
        return buckets

    def _throttle(self, source: str, buckets: list[str], t: float) -> int | None:
        """Count the request; seconds to wait when it is over a limit (the request is refused)."""
        with self._lock:
            self.requests[source] += 1
            wait = None
            for bucket in buckets:
                self.arrivals[(source, bucket)].append(t)
                limit = self.limits.get(source, {}).get(bucket)
                if limit is None:
                    continue
                count, seconds = limit
                window = self._windows[(source, bucket)]
                while window and t - window[0] >= seconds:
                    window.popleft()
                if len(window) >= count:
                    self.violations.append((source, bucket, t))
                    wait = max(wait or 0, math.ceil(window[0] + seconds - t))
                window.append(t)
            return wait

    def _fault(self, source: str, path: str) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if f.source == source and f.match in path and f.fired < f.times:
                    f.seen += 1
                    if f.seen > f.skip:
                        f.fired += 1
                        return f
        return None

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        t = time.monotonic()
        parts = urlsplit(h.path)
        source, _, rest = parts.path.lstrip("/").partition("/")
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        if source not in self.apis:
            return self._send(h, Response({"error": f"no API {source!r} here"}, 404))
        req = Request(
            source, h.command, "/" + rest, parse_qs(parts.query), h.headers, body, f"{self.base}/{source}"
        )
        self.retries_seen.append((source, req.path, t))
        wait = self._throttle(source, self._buckets(source, req.method, req.path), t)
        if wait is not None:
            return self._send(
                h,
                Response(
                    {"error": "RateLimited", "description": "slow down"},
                    429,
                    {"Retry-After": str(max(1, wait))},
                ),
            )
        fault = self._fault(source, req.path)
        if fault is not None:
            self.fault_log.append((source, req.path, fault.kind, t))
            if fault.kind == "429":
                return self._send(
                    h, Response({"error": "TooManyRequests"}, 429, {"Retry-After": str(fault.retry_after)})
                )
            if fault.kind.isdigit():
                return self._send(h, Response({"error": "Internal Server Error"}, int(fault.kind)))
            if fault.kind == "stall":
                time.sleep(fault.stall)
        try:
            response = self.apis[source](self, req)
        except HttpError as err:
            response = Response(err.body, err.status, err.headers)
        if fault is not None and fault.kind == "cut":
            return self._send(h, response, cut=True)
        self._send(h, response)

    def _send(self, h: BaseHTTPRequestHandler, response: Response, cut: bool = False) -> None:
        body = response.body
        if not isinstance(body, bytes | bytearray):
            body = orjson.dumps(body)
        h.send_response(response.status)
        h.send_header("Content-Type", response.content_type)
        h.send_header("Content-Length", str(len(body)))
        for k, v in response.headers.items():
            h.send_header(k, v)
        if cut:
            h.send_header("Connection", "close")
        h.end_headers()
        if cut:
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.close_connection = True
            return
        h.wfile.write(body)


def basic_user(req: Request) -> tuple[str, str] | None:
    value = req.headers.get("Authorization") or ""
    if not value.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(value[6:]).decode().partition(":")
    except ValueError:
        return None
    return user, password


def bearer(req: Request, scheme: str = "Bearer ") -> str | None:
    value = req.headers.get("Authorization") or ""
    return value[len(scheme) :] if value.startswith(scheme) else None
