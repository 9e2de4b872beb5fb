"""Random business schedules, the warehouse's business-time SQL, and a brute-force reference.

Used by the property test (``tests/test_business_time.py``) and the benchmark (``make bench``):
both build the warehouse's own ``int_sla__business_periods`` with dbt from Zendesk schedules
written in the vendor's format, then ask the compiled SQL of ``macros/business_time.sql``. The
reference classifies every UTC minute on its own (local wall time in an open interval, local date
not a holiday), which shares nothing with the SQL but the schedule.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from escalations.dbt_runner import run_dbt

# (Zendesk's zone name, IANA): both sides of UTC, southern DST, midnight transitions (Santiago),
# half-hour offsets (Kolkata, St John's) and a half-hour DST shift (Lord Howe)
ZONES = (
    ("Pacific Time (US & Canada)", "America/Los_Angeles"),
    ("London", "Europe/London"),
    ("Singapore", "Asia/Singapore"),
    ("Sydney", "Australia/Sydney"),
    ("Santiago", "America/Santiago"),
    ("New Delhi", "Asia/Kolkata"),
    ("Newfoundland", "America/St_Johns"),
    ("Auckland", "Pacific/Auckland"),
    ("Berlin", "Europe/Berlin"),
    ("Australia/Lord_Howe", "Australia/Lord_Howe"),
)
WEEK = 10080
# the calendar both the property test and the benchmark build: 31 days before AS_OF to 400 after
AS_OF = datetime(2026, 6, 1, tzinfo=UTC)
FIRST = datetime(2026, 5, 2, tzinfo=UTC)
LAST = datetime(2027, 7, 1, tzinfo=UTC)
SCHEDULE_SEED = 20261125


@dataclass(frozen=True)
class Schedule:
    schedule_id: int
    zendesk_zone: str
    time_zone: str
    intervals: tuple[tuple[int, int], ...]  # minutes from Sunday 00:00 local
    holidays: tuple[tuple[date, date], ...]  # whole local days, inclusive

    @property
    def key(self) -> str:
        return f"zendesk:{self.schedule_id}"


def random_schedules(rng: random.Random, first: date, last: date) -> list[Schedule]:
    """One 24x7 schedule, then one per zone with random weekly intervals and holidays."""
    out = [Schedule(1, ZONES[0][0], ZONES[0][1], ((0, WEEK),), ())]
    for n, (zd, iana) in enumerate(ZONES, start=2):
        intervals: list[tuple[int, int]] = []
        t = rng.randrange(0, 600)
        while True:
            start = t + rng.randrange(0, 900)
            end = start + rng.choice(
                (rng.randrange(1, 240), rng.randrange(60, 1200), rng.randrange(600, 3000))
            )
            if end > WEEK:
                break
            intervals.append((start, end))
            t = end + rng.randrange(1, 600)
        holidays = []
        for _ in range(rng.randrange(0, 12)):
            a = first + timedelta(days=rng.randrange(0, (last - first).days))
            holidays.append((a, a + timedelta(days=rng.choice((0, 0, 0, 1, 2, 9)))))
        out.append(Schedule(n, zd, iana, tuple(intervals), tuple(sorted(holidays))))
    return out


def write_zendesk_schedules(landing: Path, schedules: list[Schedule]) -> Path:
    """``zendesk/schedules.json`` as GET /api/v2/business_hours/schedules returns it."""
    doc = {
        "schedules": [
            {
                "id": s.schedule_id,
                "name": f"Schedule {s.schedule_id}",
                "time_zone": s.zendesk_zone,
                "intervals": [{"start_time": a, "end_time": b} for a, b in s.intervals],
                "holidays": [
                    {
                        "id": s.schedule_id * 100 + i,
                        "name": f"Day off {i}",
                        "start_date": str(a),
                        "end_date": str(b),
                    }
                    for i, (a, b) in enumerate(s.holidays)
                ],
                "created_at": "2024-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
            }
            for s in schedules
        ],
        "next_page": None,
        "previous_page": None,
        "count": len(schedules),
    }
    path = landing / "zendesk" / "schedules.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2))
    return path


def build_periods(warehouse: Path, landing: Path, as_of: datetime, work: Path) -> None:
    """Load the landing zone and build the business calendar models with dbt into ``warehouse``."""
    from escalations.ingestion.load import load_landing

    load_landing(warehouse, landing)
    as_of_text = as_of.astimezone(UTC).isoformat().replace("+00:00", "Z")
    # only the tests whose every parent this build makes: on a fresh warehouse, a relationships
    # test to a model outside the selection (dbt's default, eager) has nothing to read
    run_dbt(
        work,
        warehouse,
        "build",
        "--select",
        "+int_sla__clock_periods",
        "--indirect-selection",
        "cautious",
        as_of=as_of_text,
    )


def build_random_calendar(work: Path) -> tuple[Path, list[Schedule]]:
    """The random schedules of the property test and the benchmark, built into ``work``."""
    schedules = random_schedules(random.Random(SCHEDULE_SEED), FIRST.date(), LAST.date())
    write_zendesk_schedules(work / "landing", schedules)
    warehouse = work / "warehouse.duckdb"
    build_periods(warehouse, work / "landing", AS_OF, work)
    return warehouse, schedules


# SQL asked of the warehouse: the macros, rendered by dbt for the DuckDB target
BUSINESS_SECONDS_SQL = """
select
    s.span_id,
    {{ open_s_at('pb', 's.end_s') }} - {{ open_s_at('pa', 's.start_s') }} as business_s
from spans as s
{{ period_at_join('s.schedule_key', 's.start_s', 'pa') }}
{{ period_at_join('s.schedule_key', 's.end_s', 'pb') }}
"""

DUE_SQL = """
with located as (
    select
        s.span_id,
        s.schedule_key,
        s.target_s,
        {{ open_s_at('pa', 's.start_s') }} + s.target_s as reach_s
    from dues as s
    {{ period_at_join('s.schedule_key', 's.start_s', 'pa') }}
)
select
    l.span_id,
    {{ instant_at_open_s('pr', 'l.reach_s') }} as due_s
from located as l
{{ period_reaching_join('l.schedule_key', 'l.reach_s', 'pr') }}
"""


def compile_sql(work: Path, warehouse: Path, sql: str) -> str:
    """The inline SQL with the project's macros rendered for the DuckDB target."""
    # the compiled relation names carry the database name; the caller opens the file itself
    return run_dbt(work, warehouse, "compile", "--inline", sql).result.results[0].node.compiled_code


class BruteForce:
    """Per-UTC-minute open flags of each schedule, classified one minute at a time."""

    def __init__(self, schedules: list[Schedule], first: datetime, last: datetime) -> None:
        self.origin = int(first.timestamp()) // 60
        idx = pd.date_range(first, last, freq="min", tz="UTC", inclusive="left")
        self.prefix: dict[str, np.ndarray] = {}
        for s in schedules:
            local = idx.tz_convert(s.time_zone)
            week_minute = (
                ((local.dayofweek.to_numpy() + 1) % 7) * 1440
                + local.hour.to_numpy() * 60
                + local.minute.to_numpy()
            )
            weekly = np.zeros(WEEK, dtype=bool)
            for a, b in s.intervals:
                weekly[a:b] = True
            is_open = weekly[week_minute]
            if s.holidays:
                days = local.tz_localize(None).to_numpy().astype("datetime64[D]")
                off = np.zeros(len(days), dtype=bool)
                for a, b in s.holidays:
                    off |= (days >= np.datetime64(a)) & (days <= np.datetime64(b))
                is_open &= ~off
            self.prefix[s.key] = np.concatenate(([0], np.cumsum(is_open, dtype=np.int64)))

    def open_minutes(self, key: str, start_s: np.ndarray, end_s: np.ndarray) -> np.ndarray:
        p = self.prefix[key]
        return p[end_s // 60 - self.origin] - p[start_s // 60 - self.origin]

    def is_open_minute(self, key: str, at_s: np.ndarray) -> np.ndarray:
        p = self.prefix[key]
        i = at_s // 60 - self.origin
        return p[i + 1] - p[i] == 1


def random_spans(
    rng: np.random.Generator, schedules: list[Schedule], n: int, first: datetime, last: datetime
):
    """n spans on whole minutes: a schedule, a start and an end (up to ~6 weeks later)."""
    lo = int(first.timestamp()) // 60
    hi = int(last.timestamp()) // 60 - 60 * 24 * 45
    keys = np.array([s.key for s in schedules])
    start = rng.integers(lo, hi, n)
    length = np.where(rng.random(n) < 0.5, rng.integers(0, 60 * 24 * 3, n), rng.integers(0, 60 * 24 * 42, n))
    return pd.DataFrame(
        {
            "span_id": np.arange(n),
            "schedule_key": keys[rng.integers(0, len(keys), n)],
            "start_s": start * 60,
            "end_s": (start + length) * 60,
        }
    )


def run_sql(warehouse: Path, sql: str, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    # the same configuration as dbt's in-process connection, which may still hold the file
    with duckdb.connect(str(warehouse)) as conn:
        for name, frame in frames.items():
            conn.register(name, frame)
        return conn.execute(sql).df()
