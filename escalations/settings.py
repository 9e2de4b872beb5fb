"""Every setting of the warehouse, in one typed object read from the environment.

``current()`` is the one reader of ``ESCALATIONS_*`` variables: every module asks it (or is handed
a ``Settings``) instead of reading ``os.environ``. The environment is parsed once per distinct set
of ``ESCALATIONS_*`` values, so a run that sets its home or as-of instant sees them, and a wrong
value fails at once with an error naming the variable and what it expects (``SettingsError``).

Each field says its variable, its default and its meaning; the README's settings table is this
list (``python -m escalations.settings --table`` prints it, and a test keeps the two equal).
Families named per tool (``ESCALATIONS_<TOOL>_*``: the extract's credentials, base URLs and rate
limits, the loader's encodings) are kept as given in ``Settings.tools`` and read by
``escalations.extract.settings`` and ``escalations.ingestion.settings``.

dbt reads its warehouse, target and windows from variables the runner sets from this object
(``dbt_environment``); ``python -m escalations.settings --dbt-env`` prints them for a shell.
"""

from __future__ import annotations

import argparse
import codecs
import math
import os
import shlex
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

PREFIX = "ESCALATIONS_"
ENGINES = ("duckdb", "postgres", "spark", "spark_thrift")  # ESCALATIONS_TARGET: docs/engines.md
# dbt's threads when ESCALATIONS_DBT_THREADS is unset: DuckDB runs two models at once in its one
# process (a nightly build at 100k: 19 s with 1 thread, 16 s with 4), a server or a Spark session
# four (most of a small query's time there is planning and scheduling)
DBT_THREADS = {"duckdb": 2, "postgres": 4, "spark": 4, "spark_thrift": 4}
TOOLS = ("zendesk", "salesforce", "hubspot", "pagerduty", "jira")
# set by a run for the dbt process it starts (escalations/runlock.py): run state, not settings
INTERNAL = frozenset({"ESCALATIONS_RUN_TOKEN", "ESCALATIONS_RUN_PID"})


class SettingsError(ValueError):
    """A setting that cannot be used as given; the message names the variable and what it expects."""


# ---- parsers: text -> value, ValueError with what was expected -----------------------------------
def _text(text: str) -> str:
    return text


def _optional(text: str) -> str | None:
    return text or None


def _instant(text: str) -> str:
    """An ISO-8601 instant with zone, or a date (midnight UTC), normalized to '...Z'."""
    try:
        if len(text) == 10:
            value = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        else:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            "a date (2000-01-01) or an ISO-8601 instant with zone (2026-11-01T00:00:00Z)"
        ) from None
    if value.tzinfo is None:
        raise ValueError(f"an instant needs a zone (e.g. {text}Z)")
    return text


def _whole(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ValueError("a whole number") from None
        if value < minimum:
            raise ValueError(f"a whole number of at least {minimum}")
        return value

    return parse


def _optional_whole(text: str) -> int | None:
    return _whole(1)(text) if text.strip() else None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("a number of seconds (0, 600, inf)") from None
    if value < 0 or math.isnan(value):
        raise ValueError("a number of seconds, not negative (0, 600, inf)")
    return value


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError("a number") from None
    if value < 0 or not math.isfinite(value):
        raise ValueError("a number, not negative")
    return value


def _mode(text: str) -> int:
    try:
        mode = int(text, 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o666 or not mode & stat.S_IRUSR:
        raise ValueError(
            "a file mode: octal read/write bits that include the owner's read, e.g. 0640 (group reads) "
            "or 0600 (owner only)"
        )
    return mode


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.lower()
        if value not in allowed:
            raise ValueError(f"one of {', '.join(allowed)}")
        return value

    return parse


def _flag(text: str) -> bool:
    value = text.lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("true or false (1/0, yes/no)")


def _addresses(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _setting(
    env: str, default: Any, meaning: str, parse: Callable[[str], Any] = _text, shown: str | None = None
) -> Any:
    """A field read from ``env`` (text parsed by ``parse``); ``shown`` is the default as the README says it."""
    if shown is None:
        shown = "" if default is None else f"`{default}`"
    return field(default=default, metadata={"env": env, "parse": parse, "meaning": meaning, "shown": shown})


@dataclass(frozen=True)
class Settings:
    """The settings of one environment. Fields in README order; ``Settings.from_env`` reads them."""

    # where
    home: str = _setting(
        "ESCALATIONS_HOME",
        "data",
        "the home folder: landing zone, warehouse, publish, quality, dbt, logs (`--home`)",
    )
    landing: str | None = _setting(
        "ESCALATIONS_LANDING", None, "the landing zone, when no `--home` is given", _optional, "HOME/landing"
    )
    warehouse: str | None = _setting(
        "ESCALATIONS_WAREHOUSE",
        None,
        "the DuckDB warehouse file, when no `--home` is given; dbt's profile builds into it",
        _optional,
        "HOME/warehouse.duckdb",
    )
    target: str = _setting(
        "ESCALATIONS_TARGET",
        "duckdb",
        "the engine the whole job runs on: dbt's target, where raw is shipped, what the quality gate and "
        "publishing read (`duckdb`, `postgres`, `spark`, or `spark_thrift`: Spark through a Thrift server; "
        "docs/engines.md)",
        _choice(*ENGINES),
    )
    duckdb_memory_limit: str = _setting(
        "ESCALATIONS_DUCKDB_MEMORY_LIMIT",
        "4GB",
        "memory ceiling of a DuckDB connection that writes the warehouse (dbt's too); past it DuckDB spills to disk",
    )
    dbt_threads: int | None = _setting(
        "ESCALATIONS_DBT_THREADS",
        None,
        "dbt's threads: models and tests built at once (on a 2-core machine Spark's demo world took "
        "790 s with 1 and 964 s with 4, the small test world 237 s and 163 s; docs/engines.md)",
        _optional_whole,
        "2 on DuckDB, 4 on Postgres and Spark",
    )
    workers: int | None = _setting(
        "ESCALATIONS_WORKERS",
        None,
        "processes that parse and validate landing files and redact texts when a load is large "
        "(1: all in the run's own process; escalations/parallel.py)",
        _optional_whole,
        "the machine's cores, at most 4",
    )
    spark_warehouse_dir: str | None = _setting(
        "ESCALATIONS_SPARK_WAREHOUSE_DIR",
        None,
        "the `spark` target's warehouse folder (`spark.sql.warehouse.dir`): its tables' files",
        _optional,
        "HOME/spark/warehouse",
    )
    spark_metastore: str | None = _setting(
        "ESCALATIONS_SPARK_METASTORE",
        None,
        "the `spark` target's Derby metastore folder (its table catalog)",
        _optional,
        "HOME/spark/metastore_db",
    )
    spark_driver_memory: str = _setting(
        "ESCALATIONS_SPARK_DRIVER_MEMORY", "2g", "the `spark` target's driver memory (`spark.driver.memory`)"
    )
    spark_thrift_host: str | None = _setting(
        "ESCALATIONS_SPARK_THRIFT_HOST",
        None,
        "the Spark Thrift server of the `spark_thrift` target; unset: that target stops, naming it",
        _optional,
        "unset",
    )
    spark_thrift_port: int = _setting(
        "ESCALATIONS_SPARK_THRIFT_PORT", 10000, "the Spark Thrift server's port", _whole(1)
    )
    spark_thrift_user: str = _setting(
        "ESCALATIONS_SPARK_THRIFT_USER", "escalations", "the Spark Thrift server's user"
    )
    dbt_keep_runs: int = _setting(
        "ESCALATIONS_DBT_KEEP_RUNS",
        5,
        "how many runs' dbt target folders (`HOME/dbt/target/<run>`: artifacts and dbt.log) are kept",
        _whole(1),
    )
    # the run
    hash_key: str | None = field(
        default=None,
        repr=False,  # never print the key
        metadata={
            "env": "ESCALATIONS_HASH_KEY",
            "parse": _optional,
            "meaning": "the requester hash key (else `HOME/secrets/hash_key`); no default: a run without one stops",
            "shown": "none",
        },
    )
    as_of: str | None = _setting(
        "ESCALATIONS_AS_OF",
        None,
        "the instant open SLA clocks are measured to (`--as-of`), ISO-8601 with zone",
        _instant,
        "the run's start",
    )
    run_lock_wait: float = _setting(
        "ESCALATIONS_RUN_LOCK_WAIT",
        0.0,
        "seconds a run waits for another holding its home or warehouse (`inf`: as long as it takes)",
        _seconds,
        "`0`",
    )
    # the loader
    plausible_from: str = _setting(
        "ESCALATIONS_PLAUSIBLE_FROM",
        "2000-01-01",
        "earliest plausible timestamp or date; earlier ones are quarantined `out_of_range`",
        _instant,
    )
    plausible_years_ahead: int = _setting(
        "ESCALATIONS_PLAUSIBLE_YEARS_AHEAD",
        10,
        "latest plausible: this many years after the as-of",
        _whole(1),
    )
    max_file_bytes: int = _setting(
        "ESCALATIONS_MAX_FILE_BYTES",
        256 * 1024 * 1024,
        "a bigger landing file is refused unread (`too_large`)",
        _whole(1),
        "256 MiB",
    )
    max_record_bytes: int = _setting(
        "ESCALATIONS_MAX_RECORD_BYTES",
        16 * 1024 * 1024,
        "a bigger record (as JSON) is quarantined (`too_large`)",
        _whole(1),
        "16 MiB",
    )
    # the quality gate
    freshness_hours: float = _setting(
        "ESCALATIONS_FRESHNESS_HOURS",
        36.0,
        "a source with no new file for longer fails its `delivered_recently` check (0: off)",
        _non_negative,
        "`36`",
    )
    gx_chunk_rows: int = _setting(
        "ESCALATIONS_GX_CHUNK_ROWS",
        1_000_000,
        "rows per chunk when Great Expectations validates a large mart",
        _whole(1),
        "`1000000`",
    )
    # publishing
    publish_mode: int = _setting(
        "ESCALATIONS_PUBLISH_MODE", 0o640, "permissions of the published outputs (octal)", _mode, "`0640`"
    )
    pg_host: str | None = _setting(
        "ESCALATIONS_PG_HOST",
        None,
        "Postgres host for `bi` (and the postgres target); unset: no Postgres",
        _optional,
        "unset",
    )
    pg_port: int = _setting("ESCALATIONS_PG_PORT", 5432, "Postgres port", _whole(1))
    pg_user: str = _setting("ESCALATIONS_PG_USER", "escalations", "Postgres user")
    pg_password: str = field(
        default="",
        repr=False,
        metadata={
            "env": "ESCALATIONS_PG_PASSWORD",
            "parse": _text,
            "meaning": "Postgres password",
            "shown": "empty",
        },
    )
    pg_dbname: str = _setting("ESCALATIONS_PG_DBNAME", "escalations", "Postgres database")
    pg_bi_reader_password: str | None = field(
        default=None,
        repr=False,
        metadata={
            "env": "ESCALATIONS_PG_BI_READER_PASSWORD",
            "parse": _optional,
            "meaning": "password given to the `bi_reader` login role (unset: the role cannot log in)",
            "shown": "unset",
        },
    )
    pg_lock_timeout: str = _setting(
        "ESCALATIONS_PG_LOCK_TIMEOUT",
        "5s",
        "how long the swap of `bi` waits for its lock (a Postgres interval)",
    )
    pg_swap_attempts: int = _setting(
        "ESCALATIONS_PG_SWAP_ATTEMPTS", 5, "how many times the swap of `bi` is tried", _whole(1)
    )
    # watch and tell
    alert_min_severity: str = _setting(
        "ESCALATIONS_ALERT_MIN_SEVERITY",
        "high",
        "least severity of a metric alert that is sent",
        _choice("medium", "high", "critical"),
    )
    alert_lookback_days: float = _setting(
        "ESCALATIONS_ALERT_LOOKBACK_DAYS",
        3.0,
        "metric alerts first detected this many days back are sent",
        _non_negative,
        "`3`",
    )
    alert_webhook_url: str | None = field(
        default=None,
        repr=False,
        metadata={
            "env": "ESCALATIONS_ALERT_WEBHOOK_URL",
            "parse": _optional,
            "meaning": "Slack-compatible incoming webhook for notices",
            "shown": "unset",
        },
    )
    smtp_host: str | None = _setting(
        "ESCALATIONS_SMTP_HOST", None, "SMTP host for e-mailed notices", _optional, "unset"
    )
    smtp_port: int = _setting("ESCALATIONS_SMTP_PORT", 25, "SMTP port", _whole(1))
    smtp_user: str | None = _setting("ESCALATIONS_SMTP_USER", None, "SMTP login", _optional, "unset")
    smtp_password: str | None = field(
        default=None,
        repr=False,
        metadata={
            "env": "ESCALATIONS_SMTP_PASSWORD",
            "parse": _optional,
            "meaning": "SMTP password",
            "shown": "unset",
        },
    )
    smtp_starttls: bool = _setting("ESCALATIONS_SMTP_STARTTLS", False, "use STARTTLS", _flag, "`false`")
    alert_email_from: str = _setting(
        "ESCALATIONS_ALERT_EMAIL_FROM", "escalation-warehouse@localhost", "sender of e-mailed notices"
    )
    alert_email_to: tuple[str, ...] = _setting(
        "ESCALATIONS_ALERT_EMAIL_TO",
        (),
        "recipients of e-mailed notices, comma-separated",
        _addresses,
        "none",
    )
    chromium: str | None = _setting(
        "ESCALATIONS_CHROMIUM",
        None,
        "the Chromium that prints the brief's PDF",
        _optional,
        "the first on the PATH",
    )
    # the extract
    secrets_file: str | None = _setting(
        "ESCALATIONS_SECRETS_FILE",
        None,
        "the extract's credentials file (`NAME=value` lines, 0600)",
        _optional,
        "HOME/secrets/extract.env",
    )
    tools: Mapping[str, str] = field(default_factory=dict, metadata={})
    """Every ``ESCALATIONS_<TOOL>_*`` and ``ESCALATIONS_EXTRACT_*`` variable as given (the extract and
    the loader parse them, with the secrets file's values under them)."""

    def __repr__(self) -> str:  # secrets stay out; the tools' credentials too
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr and f.metadata
        )
        return f"Settings({shown})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of ``environ`` (default: the process environment); SettingsError names a
        variable whose value cannot be used, and what it expects."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            if not f.metadata:
                continue
            name = f.metadata["env"]
            text = env.get(name, "").strip()
            if not text:
                continue
            try:
                values[f.name] = f.metadata["parse"](text)
            except ValueError as exc:
                shown = "***" if not f.repr else repr(text)
                raise SettingsError(f"{name}={shown} is not usable: give {exc}") from None
        tool_prefixes = tuple(f"{PREFIX}{t.upper()}_" for t in TOOLS) + (f"{PREFIX}EXTRACT_",)
        tools = {k: v for k, v in env.items() if k.startswith(tool_prefixes)}
        for tool in TOOLS:  # the loader's encodings: checked here, so a bad one fails before any load
            name = f"{PREFIX}{tool.upper()}_ENCODING"
            if tools.get(name, "").strip():
                try:
                    codecs.lookup(tools[name].strip())
                except LookupError:
                    raise SettingsError(
                        f"{name}={tools[name]!r} is not usable: give an encoding Python knows (utf-8, latin-1, cp1252)"
                    ) from None
        return cls(**values, tools=MappingProxyType(tools))

    def encoding(self, tool: str) -> str | None:
        """``ESCALATIONS_<TOOL>_ENCODING`` as given, or None."""
        return self.tools.get(f"{PREFIX}{tool.upper()}_ENCODING", "").strip() or None

    @property
    def postgres(self) -> dict[str, str] | None:
        """The Postgres connection (libpq keywords), or None when ESCALATIONS_PG_HOST is not set."""
        if not self.pg_host:
            return None
        return {
            "host": self.pg_host,
            "port": str(self.pg_port),
            "user": self.pg_user,
            "password": self.pg_password,
            "dbname": self.pg_dbname,
        }


_cache: dict[frozenset, Settings] = {}


def current() -> Settings:
    """The settings of the process environment as it is now, parsed once per distinct set of
    ``ESCALATIONS_*`` values (a run that exports its paths or as-of sees them)."""
    snapshot = frozenset((k, v) for k, v in os.environ.items() if k.startswith(PREFIX) and k not in INTERNAL)
    found = _cache.get(snapshot)
    if found is None:
        found = Settings.from_env(dict(snapshot))
        if len(_cache) > 64:
            _cache.clear()
        _cache[snapshot] = found
    return found


def dbt_environment(
    warehouse: Path, settings: Settings | None = None, *, home: Path | None = None
) -> dict[str, str]:
    """What dbt's profile and project read (dbt_project/profiles.yml, dbt_project.yml), set from
    the settings: the warehouse file, the target, DuckDB's memory ceiling, the Postgres connection,
    Spark's warehouse folder and metastore (under ``home``, default the warehouse file's folder, as
    absolute paths: a local Spark session otherwise writes them into its working directory) and
    the plausible window. ``profiles.yml`` has no defaults of its own: dbt run without these fails
    naming the missing variable."""
    s = settings or current()
    spark_home = Path(home if home is not None else Path(warehouse).parent).expanduser() / "spark"
    env = {
        "ESCALATIONS_SPARK_WAREHOUSE_DIR": str(
            Path(s.spark_warehouse_dir or spark_home / "warehouse").resolve()
        ),
        "ESCALATIONS_SPARK_METASTORE": str(Path(s.spark_metastore or spark_home / "metastore_db").resolve()),
        "ESCALATIONS_SPARK_DRIVER_MEMORY": s.spark_driver_memory,
        "ESCALATIONS_SPARK_THRIFT_PORT": str(s.spark_thrift_port),
        "ESCALATIONS_SPARK_THRIFT_USER": s.spark_thrift_user,
        "ESCALATIONS_WAREHOUSE": str(warehouse),
        "ESCALATIONS_TARGET": s.target,
        "ESCALATIONS_DUCKDB_MEMORY_LIMIT": s.duckdb_memory_limit,
        "ESCALATIONS_DBT_THREADS": str(s.dbt_threads or DBT_THREADS[s.target]),
        "ESCALATIONS_PG_PORT": str(s.pg_port),
        "ESCALATIONS_PG_USER": s.pg_user,
        "ESCALATIONS_PG_PASSWORD": s.pg_password,
        "ESCALATIONS_PG_DBNAME": s.pg_dbname,
        "ESCALATIONS_PLAUSIBLE_FROM": s.plausible_from,
        "ESCALATIONS_PLAUSIBLE_YEARS_AHEAD": str(s.plausible_years_ahead),
    }
    if s.pg_host:  # the postgres target without it: dbt stops naming ESCALATIONS_PG_HOST
        env["ESCALATIONS_PG_HOST"] = s.pg_host
    if s.spark_thrift_host:  # likewise for the spark_thrift target
        env["ESCALATIONS_SPARK_THRIFT_HOST"] = s.spark_thrift_host
    if s.as_of:
        env["ESCALATIONS_AS_OF"] = s.as_of
    return env


def readme_table() -> str:
    """The README's settings table: one row per setting, in field order."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for f in fields(Settings):
        if f.metadata:
            rows.append(f"| `{f.metadata['env']}` | {f.metadata['shown']} | {f.metadata['meaning']} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m escalations.settings", description=__doc__.split("\n")[0]
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--table", action="store_true", help="print the README's settings table")
    what.add_argument(
        "--dbt-env",
        action="store_true",
        help="print `export NAME=value` lines of what dbt reads, for a shell",
    )
    parser.add_argument("--home", help="the home (default: ESCALATIONS_HOME)")
    parser.add_argument("--warehouse", help="the warehouse file (default: the home's)")
    args = parser.parse_args(argv)
    if args.table:
        print(readme_table())
        return 0
    from escalations.config import resolve_paths

    paths = resolve_paths(args.home, warehouse=args.warehouse)
    for name, value in dbt_environment(paths.warehouse, home=paths.home).items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
