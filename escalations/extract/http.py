"""HTTP for the extract: httpx for the requests, tenacity for the retries, a pacer for rate limits.

One ``ApiClient`` per source and run. Every request:

- waits for its rate-limit buckets (``Pacer``: at most N requests in any window of W seconds, as
  the API counts them), so a well-behaved pull is never throttled;
- is retried on 429 (after the ``Retry-After`` the API asked for), on 5xx, on timeouts and on
  connections cut mid-response, with exponential backoff and jitter, up to ``max_attempts`` tries;
- fails after the last try with an ``ExtractError`` naming the source, stream, cursor, request and
  the response (status, the start of the body), with secrets blanked.

The server's clock (its ``Date`` header) is remembered, so a window can end at the API's "now"
rather than at the local clock's.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import orjson
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from escalations.extract.settings import ExtractSettings, SourceConfig

log = logging.getLogger("escalations.extract")
USER_AGENT = "escalation-warehouse-extract/0.1 (+docs/extract.md)"
BODY_SNIPPET = 300


class ExtractError(RuntimeError):
    """A stream that cannot go on; the message says where, with which cursor, and what the API said."""


class _Retryable(Exception):
    def __init__(
        self, message: str, retry_after: float | None = None, response: httpx.Response | None = None
    ):
        super().__init__(message)
        self.retry_after = retry_after
        self.response = response


class Pacer:
    """At most ``count`` requests in any ``seconds``-long window, as the API counts them.

    It keeps the times the last ``count`` responses came back and sends the next request only once
    the oldest of them is ``seconds`` old. A request reaches the API before its response comes back,
    so however long a request spent on the way, the API never sees more than ``count`` arrivals in
    a window (a token bucket, or times taken at sending, can: a burst on top of a refill, or one
    slow delivery followed by fast ones).
    """

    def __init__(self, count: int, seconds: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.count = count
        self.seconds = seconds
        self.done: deque[float] = deque()
        self.sleep = sleep
        self.waited = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until one more request fits in the window."""
        with self._lock:
            while len(self.done) >= self.count:
                pause = self.done[0] + self.seconds - time.monotonic()
                if pause > 0:
                    self.waited += pause
                    self.sleep(pause)
                self.done.popleft()

    def record(self) -> None:
        """A response (or an error) came back for the request ``wait`` let through."""
        with self._lock:
            self.done.append(time.monotonic())


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


class ApiClient:
    """Requests to one API with pacing, retries and a clear failure; counts what it did."""

    def __init__(
        self,
        cfg: SourceConfig,
        settings: ExtractSettings,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cfg = cfg
        self.settings = settings
        self.source = cfg.name
        self._sleep = sleep
        self.http = httpx.Client(
            base_url=cfg.base_url or "",
            auth=auth,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
            timeout=settings.timeout,
            follow_redirects=False,
        )
        # pacing waits are real time whatever sleep_scale says: the API counts real seconds
        self.pacers = {b: Pacer(n, s, sleep) for b, (n, s) in cfg.limits.items()}
        self.requests = 0
        self.retries = 0
        self.statuses: Counter = Counter()
        self.bytes = 0
        self.server_now: datetime | None = None
        self.last_headers: httpx.Headers = httpx.Headers()
        self.extra_secrets: list[str] = []  # tokens obtained during the run (an OAuth access token)

    def redact(self, text: str) -> str:
        text = self.settings.redact(text)
        for value in self.extra_secrets:
            if value and len(value) >= 4:
                text = text.replace(value, "***")
        return text

    def sleep(self, seconds: float) -> None:
        self._sleep(seconds * self.settings.sleep_scale)

    def close(self) -> None:
        self.http.close()

    @property
    def paced_seconds(self) -> float:
        return sum(p.waited for p in self.pacers.values())

    def request(
        self,
        method: str,
        url: str,
        *,
        stream: str,
        cursor: Any = None,
        buckets: tuple[str, ...] = ("api",),
        ok: tuple[int, ...] = (),
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request (retried as the module says); 2xx and ``ok`` statuses are returned."""

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, _Retryable) and exc.retry_after is not None:
                if exc.retry_after > self.settings.retry_after_max:
                    raise self._error(stream, cursor, method, url, exc, "asked to wait longer than allowed")
                return exc.retry_after
            return backoff(state)

        backoff = wait_exponential_jitter(
            multiplier=self.settings.backoff, max=self.settings.backoff_max, jitter=self.settings.backoff
        )

        def before_sleep(state: RetryCallState) -> None:
            self.retries += 1
            exc = state.outcome.exception()
            log.warning(
                "%s/%s: %s %s: %s; retry %d of %d in %.1fs",
                self.source,
                stream,
                method,
                self._where(url),
                self.redact(str(exc)),
                state.attempt_number,
                self.settings.max_attempts - 1,
                state.upcoming_sleep * self.settings.sleep_scale,
            )

        retrying = Retrying(
            stop=stop_after_attempt(self.settings.max_attempts),
            wait=wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            return retrying(self._send, method, url, buckets, ok, kwargs)
        except _Retryable as exc:
            raise self._error(
                stream, cursor, method, url, exc, f"gave up after {self.settings.max_attempts} tries"
            ) from None

    def _send(self, method, url, buckets, ok, kwargs) -> httpx.Response:
        pacers = [self.pacers[b] for b in buckets if b in self.pacers]
        for pacer in pacers:
            pacer.wait()
        self.requests += 1
        try:
            response = self.http.request(method, url, **kwargs)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            for pacer in pacers:
                pacer.record()
            # a timeout, a refused or reset connection, or a body cut off before its end
            self.statuses[type(exc).__name__] += 1
            raise _Retryable(f"{type(exc).__name__}: {exc}") from exc
        for pacer in pacers:
            pacer.record()
        self.statuses[response.status_code] += 1
        self.bytes += len(response.content)
        self.last_headers = response.headers
        date = response.headers.get("Date")
        if date:
            with contextlib.suppress(TypeError, ValueError):
                self.server_now = parsedate_to_datetime(date).astimezone(UTC)
        code = response.status_code
        if code == 429:
            after = _retry_after(response)
            raise _Retryable(
                f"429 rate limited (Retry-After {response.headers.get('Retry-After')})",
                retry_after=after if after is not None else None,
                response=response,
            )
        if code >= 500:
            raise _Retryable(f"{code} server error", response=response)
        if 200 <= code < 300 or code in ok:
            return response
        raise ExtractError(self._describe_failure(method, url, response))

    def _where(self, url: str) -> str:
        return str(self.http.build_request("GET", url).url.copy_with(query=None)) if url else url

    def _describe_failure(self, method: str, url: str, response: httpx.Response) -> str:
        body = response.text[:BODY_SNIPPET].replace("\n", " ")
        hint = {
            401: "the credentials were refused: check the token and that it has not expired",
            403: "the account lacks a permission or scope this pull needs (docs/extract.md lists them)",
            404: "not found: check the base URL",
        }.get(response.status_code, "")
        return self.redact(
            f"{method} {self._where(url)} answered {response.status_code}: {body}"
            + (f" ({hint})" if hint else "")
        )

    def _error(self, stream, cursor, method, url, exc: _Retryable, what: str) -> ExtractError:
        response = exc.response
        said = (
            f"last response {response.status_code}: {response.text[:BODY_SNIPPET]!r}"
            if response is not None
            else f"last error {exc}"
        )
        return ExtractError(
            self.redact(
                f"{self.source}/{stream}: {method} {self._where(url)} {what}; {said}; the stream's cursor "
                f"stays at {cursor!r}, so the next run resumes there"
            )
        )

    def json(self, method: str, url: str, **kw: Any) -> Any:
        response = self.request(method, url, **kw)
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise ExtractError(
                self.redact(
                    f"{self.source}/{kw.get('stream')}: {method} {self._where(url)} answered "
                    f"{response.status_code} with a body that is not JSON ({exc}): "
                    f"{response.text[:BODY_SNIPPET]!r}; cursor {kw.get('cursor')!r}"
                )
            ) from None
