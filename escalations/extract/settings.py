"""Every setting the extract reads, in one place: base URLs, credentials, limits, retries.

They are the ``ESCALATIONS_<TOOL>_*`` and ``ESCALATIONS_EXTRACT_*`` variables the settings object
keeps as given (``escalations.settings.Settings.tools``), parsed here.

Credentials come from the environment or from a secrets file (``ESCALATIONS_SECRETS_FILE``, else
``<home>/secrets/extract.env``: ``NAME=value`` lines, readable by its owner only). The environment
wins over the file. A source whose credentials are missing is skipped with one line saying which
variable to set; a landing zone filled by hand or by another tool keeps working.

Secrets never leave this module except inside an HTTP ``Authorization`` header: ``SourceConfig``
keeps them out of its ``repr``, and ``redact`` blanks them in any text that is about to be logged,
raised or written as metadata.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from escalations.settings import current

SOURCES = ("zendesk", "salesforce", "hubspot", "pagerduty", "jira")

# (credential variables that must all be set) per way of signing in; the first complete one wins
_CREDENTIALS: dict[str, tuple[tuple[str, ...], ...]] = {
    "zendesk": (("EMAIL", "API_TOKEN"),),
    "salesforce": (("CLIENT_ID", "CLIENT_SECRET"), ("ACCESS_TOKEN",)),
    "hubspot": (("ACCESS_TOKEN",),),
    "pagerduty": (("API_TOKEN",),),
    "jira": (("EMAIL", "API_TOKEN"),),
}
_SECRET_KEYS = frozenset({"API_TOKEN", "CLIENT_SECRET", "ACCESS_TOKEN"})
# public API hosts; Zendesk, Salesforce and Jira live on the account's own domain
_DEFAULT_BASE_URL = {"hubspot": "https://api.hubapi.com", "pagerduty": "https://api.pagerduty.com"}
# requests per window (count, seconds) the client keeps to, per bucket; see docs/extract.md
_DEFAULT_LIMITS: dict[str, dict[str, str]] = {
    "zendesk": {"api": "200/60", "export": "10/60"},  # Suite Team plan; incremental exports 10/min
    "salesforce": {},  # no per-minute limit: a daily API request budget, reported per run
    "hubspot": {"api": "100/10", "search": "4/1"},  # private app on Free/Starter; CRM search 4/s
    "pagerduty": {"api": "960/60"},
    "jira": {},  # cost-based; 429 with Retry-After is honoured
}


# non-secret per-source settings: Jira's project key, Salesforce's API version, PagerDuty's incident
# lookback; the result caps of HubSpot's search and PagerDuty's offsets (lowered only by tests)
_OPTIONS = ("PROJECT", "API_VERSION", "LOOKBACK_DAYS", "SEARCH_CAP", "OFFSET_CAP")


class SettingsError(ValueError):
    """A setting that cannot be used as given; the message names the variable and the fix."""


def parse_limit(text: str, name: str) -> tuple[int, float]:
    """'200/60' -> (200, 60.0): at most 200 requests in any 60 seconds."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*", text)
    if not m or int(m.group(1)) < 1 or float(m.group(2)) <= 0:
        raise SettingsError(f"{name}={text!r} is not a rate limit like '200/60' (requests per seconds)")
    return int(m.group(1)), float(m.group(2))


@dataclass(frozen=True)
class SourceConfig:
    name: str
    base_url: str | None
    credentials: Mapping[str, str] = field(repr=False, default_factory=dict)
    limits: Mapping[str, tuple[int, float]] = field(default_factory=dict)
    options: Mapping[str, str] = field(default_factory=dict)  # non-secret extras (project key, API version)
    missing: str | None = None  # why the source cannot run, or None

    @property
    def enabled(self) -> bool:
        return self.missing is None

    def secret_values(self) -> list[str]:
        return [v for k, v in self.credentials.items() if k in _SECRET_KEYS and v]


@dataclass(frozen=True)
class ExtractSettings:
    sources: Mapping[str, SourceConfig]
    timeout: float = 60.0  # seconds for one HTTP request
    max_attempts: int = 6  # tries of one request before the stream fails
    backoff: float = 1.0  # first wait after a 5xx or timeout, doubling, with jitter
    backoff_max: float = 60.0
    retry_after_max: float = 900.0  # longest Retry-After honoured; a longer one fails the stream
    sleep_scale: float = 1.0  # multiplies every wait (tests shrink it)
    lag: int = 60  # seconds: a window ends this long before the API's own clock
    poll: float = 5.0  # seconds between Salesforce Bulk job polls
    page_size: Mapping[str, int] = field(default_factory=dict)  # per source, tests shrink it
    since: str | None = None  # start of the first pull where a stream has no cursor yet
    secrets_file: Path | None = None
    notes: tuple[str, ...] = ()  # one line per problem found while reading settings

    def redact(self, text: str) -> str:
        """``text`` with every configured secret replaced by ***."""
        for cfg in self.sources.values():
            for value in cfg.secret_values():
                if len(value) >= 4:
                    text = text.replace(value, "***")
        return text


def read_secrets_file(path: Path) -> tuple[dict[str, str], str | None]:
    """``NAME=value`` lines of a secrets file, or ({}, why not) when it must not be read.

    A file that others may read is refused: a token readable by every account on the machine is
    a leaked token. Lines may be ``export NAME=value``; quotes around the value are dropped.
    """
    if not path.exists():
        return {}, None
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return {}, (
            f"secrets file {path} is readable by other accounts (mode {stat.S_IMODE(mode):o}); "
            f"not reading it: run `chmod 600 {path}`"
        )
    values: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        if "=" not in line:
            return {}, f"secrets file {path} line {n} is not NAME=value; not reading the file"
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values, None


def load_settings(home: Path | None = None, environ: Mapping[str, str] | None = None) -> ExtractSettings:
    """Read the extract's settings from ``environ`` (default: the process environment) and the
    secrets file; never raises for a missing credential (the source is marked skipped)."""
    if environ is None:  # the process's settings (escalations/settings.py)
        s = current()
        env = {**s.tools, **({"ESCALATIONS_SECRETS_FILE": s.secrets_file} if s.secrets_file else {})}
    else:
        env = dict(environ)
    notes: list[str] = []
    secrets_path = env.get("ESCALATIONS_SECRETS_FILE") or (
        str(Path(home) / "secrets" / "extract.env") if home is not None else None
    )
    secrets_file = Path(secrets_path).expanduser() if secrets_path else None
    file_values: dict[str, str] = {}
    if secrets_file is not None:
        file_values, problem = read_secrets_file(secrets_file)
        if problem:
            notes.append(problem)
    merged = {**file_values, **env}

    sources: dict[str, SourceConfig] = {}
    for name in SOURCES:
        prefix = f"ESCALATIONS_{name.upper()}_"
        base_url = (merged.get(prefix + "BASE_URL") or _DEFAULT_BASE_URL.get(name) or "").rstrip("/") or None
        creds: dict[str, str] = {}
        for keys in _CREDENTIALS[name]:
            if all(merged.get(prefix + k) for k in keys):
                creds = {k: merged[prefix + k] for k in keys}
                break
        limits = {}
        for bucket, default in _DEFAULT_LIMITS[name].items():
            var = prefix + ("RATE_LIMIT" if bucket == "api" else f"{bucket.upper()}_RATE_LIMIT")
            limits[bucket] = parse_limit(merged.get(var, default), var)
        options = {
            k[len(prefix) :].lower(): v
            for k, v in merged.items()
            if k.startswith(prefix) and k[len(prefix) :] in _OPTIONS
        }
        missing = None
        if not creds:
            ways = " or ".join("+".join(prefix + k for k in keys) for keys in _CREDENTIALS[name])
            missing = f"no credentials ({ways})"
        elif not base_url:
            missing = f"no base URL ({prefix}BASE_URL)"
        sources[name] = SourceConfig(name, base_url, creds, limits, options, missing)

    def number(var: str, default: float, kind=float) -> float:
        raw = merged.get(var)
        if raw in (None, ""):
            return default
        try:
            value = kind(raw)
        except ValueError:
            raise SettingsError(f"{var}={raw!r} is not a number") from None
        if value < 0:
            raise SettingsError(f"{var}={raw!r} must not be negative")
        return value

    page_size = {}
    for name in SOURCES:
        var = f"ESCALATIONS_{name.upper()}_PAGE_SIZE"
        if merged.get(var):
            page_size[name] = int(number(var, 0, int)) or 1
    return ExtractSettings(
        sources=sources,
        timeout=number("ESCALATIONS_EXTRACT_TIMEOUT_SECONDS", 60.0),
        max_attempts=max(1, int(number("ESCALATIONS_EXTRACT_MAX_ATTEMPTS", 6, int))),
        backoff=number("ESCALATIONS_EXTRACT_BACKOFF_SECONDS", 1.0),
        backoff_max=number("ESCALATIONS_EXTRACT_BACKOFF_MAX_SECONDS", 60.0),
        retry_after_max=number("ESCALATIONS_EXTRACT_RETRY_AFTER_MAX_SECONDS", 900.0),
        sleep_scale=number("ESCALATIONS_EXTRACT_SLEEP_SCALE", 1.0),
        lag=int(number("ESCALATIONS_EXTRACT_LAG_SECONDS", 60, int)),
        poll=number("ESCALATIONS_EXTRACT_POLL_SECONDS", 5.0),
        page_size=page_size,
        since=merged.get("ESCALATIONS_EXTRACT_SINCE") or None,
        secrets_file=secrets_file,
        notes=tuple(notes),
    )
