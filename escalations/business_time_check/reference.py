"""Random business schedules, the warehouse's business-time SQL, and a brute-force reference.

Used by the property test (``tests/test_business_time.py``) and the benchmark (``make bench``):
both build the warehouse's own ``int_sla__business_periods`` with dbt from schedules written in
the vendors' formats (Zendesk schedules with holidays; Salesforce BusinessHours with 24-hour days
and days open past midnight, and Holidays: one-off, recurring of every type, partial-day), then
ask the compiled SQL of ``macros/business_time.sql``. The reference classifies every UTC minute on
its own (local wall time in an open stretch of its weekday, or of the day before when that runs
past midnight, and not closed by a holiday of its local date; recurring holidays expanded with
dateutil's RFC 5545 rules), which shares nothing with the SQL but the schedule.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from escalations.dbt_runner import run_dbt
from escalations.generator.accounts import MONTHS, SalesforceHoliday, holiday_closures, hubspot_hours

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

    def weekly_open(self) -> np.ndarray:
        """Open flags of the week's local minutes (0 = Sunday 00:00)."""
        weekly = np.zeros(WEEK, dtype=bool)
        for a, b in self.intervals:
            weekly[a:b] = True
        return weekly

    def closures(self, first: date, last: date) -> list[tuple[date, int, int]]:
        """(local date, start minute, end minute) closed by holidays."""
        out = []
        for a, b in self.holidays:
            d = max(a, first)
            while d <= min(b, last):
                out.append((d, 0, 1440))
                d += timedelta(days=1)
        return out


SF_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@dataclass(frozen=True)
class SalesforceSchedule:
    """A Salesforce BusinessHours row and the Holidays that close it."""

    business_hours_id: str
    time_zone: str
    days: tuple[tuple[int, int] | None, ...]  # Sunday..Saturday: local (start, end) minutes or closed
    holidays: tuple[SalesforceHoliday, ...]

    @property
    def key(self) -> str:
        return f"salesforce:{self.business_hours_id}"

    def weekly_open(self) -> np.ndarray:
        """An end at or before the start runs past midnight (00:00 to 00:00 is 24 hours)."""
        weekly = np.zeros(WEEK, dtype=bool)
        for d, hours in enumerate(self.days):
            if hours is None:
                continue
            s, e = hours
            if e > s:
                weekly[d * 1440 + s : d * 1440 + e] = True
            else:
                weekly[d * 1440 + s : (d + 1) * 1440] = True
                nxt = (d + 1) % 7
                weekly[nxt * 1440 : nxt * 1440 + e] = True
        return weekly

    def closures(self, first: date, last: date) -> list[tuple[date, int, int]]:
        return [c for h in self.holidays for c in holiday_closures(h, first, last)]


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


@dataclass(frozen=True)
class HubspotSchedule:
    """A pipeline's operating hours from the project's seed sla_hubspot_business_hours."""

    pipeline: str
    time_zone: str
    weekly: tuple[tuple[int, int, int], ...]  # (Python weekday, start, end) local; end > 1440 runs on

    @property
    def key(self) -> str:
        return f"hubspot:pipeline:{self.pipeline}"

    def weekly_open(self) -> np.ndarray:
        weekly = np.zeros(WEEK, dtype=bool)
        for wd, a, b in self.weekly:
            start = ((wd + 1) % 7) * 1440  # Python Monday 0 -> minutes from Sunday
            for m in range(a, b):
                weekly[(start + m) % WEEK] = True
        return weekly

    def closures(self, first: date, last: date) -> list[tuple[date, int, int]]:
        return []  # HubSpot does not count holidays


def hubspot_schedules() -> list[HubspotSchedule]:
    """The seed's pipelines (the warehouse builds them whatever the landing zone holds)."""
    return [
        HubspotSchedule(p, zone, tuple((wd, a, b) for wd, spans in weekly.items() for a, b in spans))
        for p, (zone, weekly) in hubspot_hours().items()
    ]


RECURRENCES = (
    None,
    "RecursDaily",
    "RecursEveryWeekday",
    "RecursWeekly",
    "RecursMonthly",
    "RecursMonthlyNth",
    "RecursYearly",
    "RecursYearlyNth",
)


def random_salesforce_holiday(rng: random.Random, n: int, first: date, last: date) -> SalesforceHoliday:
    """Holiday ``n``: one-off or recurring of each type in turn, with random fields, whole or
    partial day (a partial one may run past midnight), its range starting long before the calendar
    or inside it."""
    kind = RECURRENCES[n % len(RECURRENCES)]  # every kind, five times over 40 holidays
    minutes = None
    if rng.random() < 0.45:
        a = rng.randrange(0, 1440)
        b = rng.randrange(0, 1440) if rng.random() < 0.25 else rng.randrange(a + 1, 1441)
        minutes = (a, b)
    span = (last - first).days
    if kind is None:
        return SalesforceHoliday(f"Random {n}", first + timedelta(days=rng.randrange(span)), minutes)
    start = first + timedelta(days=rng.randrange(-800, span))
    # open-ended, or ending inside the calendar (none that could close nothing in it)
    end = first + timedelta(days=rng.randrange(30, span)) if rng.random() < 0.5 else None
    if end is not None and end < start:
        start, end = end - timedelta(days=rng.randrange(60, 400)), end
    if kind in ("RecursDaily", "RecursEveryWeekday", "RecursWeekly"):
        # frequent ones end within weeks (without an end they would close most of every calendar)
        start = first + timedelta(days=rng.randrange(-30, span))
        end = start + timedelta(days=rng.randrange(0, 60))
    return SalesforceHoliday(
        f"Random {n}",
        minutes=minutes,
        recurrence_type=kind,
        start=start,
        end=end,
        interval=rng.choice((1, 1, 2, 3, 5)),
        mask=rng.randrange(1, 128),
        day_of_month=rng.choice((rng.randrange(1, 29), 29, 30, 31)),
        instance=("First", "Second", "Third", "Fourth", "Last")[n // len(RECURRENCES) % 5],  # each in turn
        month=rng.choice(MONTHS),
    )


def random_salesforce_schedules(
    rng: random.Random, first: date, last: date
) -> tuple[list[SalesforceSchedule], list[tuple[SalesforceHoliday, str | None]]]:
    """One BusinessHours per zone, each day closed, 24 hours, ordinary or past midnight; random
    Holidays, some naming one schedule (BusinessHoursId), the rest closing every schedule."""
    ids = [f"01mPROP{n:08d}AA" for n in range(len(ZONES))]
    days_of = []
    for _ in ZONES:
        days = []
        for _d in range(7):
            u = rng.random()
            if u < 0.2:
                days.append(None)
            elif u < 0.35:
                days.append((0, 0))
            elif u < 0.55:
                a = rng.randrange(60, 1440)
                days.append((a, rng.randrange(0, a)))
            else:
                a = rng.randrange(0, 1380)
                days.append((a, rng.randrange(a + 1, 1441) % 1440))  # an end of 24:00 reads 00:00
        days_of.append(tuple(days))
    holidays: list[tuple[SalesforceHoliday, str | None]] = []
    for n in range(40):
        h = random_salesforce_holiday(rng, n, first, last)
        holidays.append((h, ids[rng.randrange(len(ids))] if rng.random() < 0.5 else None))
    return [
        SalesforceSchedule(
            bid,
            iana,
            days_of[i],
            tuple(h for h, owner in holidays if owner in (None, bid)),
        )
        for i, (bid, (_zd, iana)) in enumerate(zip(ids, ZONES, strict=True))
    ], holidays


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}:00.000Z"


def write_salesforce_calendars(landing: Path, schedules: list[SalesforceSchedule], holidays) -> None:
    """``salesforce/BusinessHours.csv`` and ``salesforce/Holiday.csv`` as Bulk API 2.0 writes them."""
    folder = landing / "salesforce"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "BusinessHours.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["Id", "Name", "IsDefault", "IsActive", "TimeZoneSidKey"]
            + [f"{d}{k}" for d in SF_DAYS for k in ("StartTime", "EndTime")]
        )
        for n, s in enumerate(schedules):
            row = [s.business_hours_id, f"Hours {n}", "true" if n == 0 else "false", "true", s.time_zone]
            for hours in s.days:
                row += ["", ""] if hours is None else [_clock(hours[0]), _clock(hours[1])]
            w.writerow(row)
    with open(folder / "Holiday.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["Id", "Name", "ActivityDate", "IsAllDay", "StartTimeInMinutes", "EndTimeInMinutes", "IsRecurrence",
             "RecurrenceType", "RecurrenceStartDate", "RecurrenceEndDateOnly", "RecurrenceInterval",
             "RecurrenceDayOfWeekMask", "RecurrenceDayOfMonth", "RecurrenceInstance", "RecurrenceMonthOfYear",
             "BusinessHoursId"]
        )  # fmt: skip
        for n, (h, owner) in enumerate(holidays):
            text = lambda v: "" if v is None else str(v)  # noqa: E731
            w.writerow(
                [
                    f"0C0PROP{n:08d}AA",
                    h.name,
                    text(h.activity_date),
                    "false" if h.minutes else "true",
                    text(h.minutes and h.minutes[0]),
                    text(h.minutes and h.minutes[1]),
                    "true" if h.recurrence_type else "false",
                    text(h.recurrence_type),
                    text(h.start),
                    text(h.end),
                    text(h.interval),
                    text(h.mask),
                    text(h.day_of_month),
                    text(h.instance),
                    text(h.month),
                    text(owner),
                ]
            )


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
    # the data tests whose every parent is built here (cautious: not those that also read other
    # seeds); unit tests run with the project's build, not against this calendar
    run_dbt(
        work,
        warehouse,
        "build",
        "--select",
        "+int_sla__clock_periods",
        "--indirect-selection",
        "cautious",
        "--exclude",
        "test_type:unit",
        as_of=as_of_text,
    )


def build_random_calendar(work: Path, salesforce: bool = False) -> tuple[Path, list]:
    """The random schedules of the property test and the benchmark, built into ``work``: the
    Zendesk ones, and with ``salesforce`` also a Salesforce BusinessHours per zone and Holidays."""
    rng = random.Random(SCHEDULE_SEED)
    schedules: list = random_schedules(rng, FIRST.date(), LAST.date())
    write_zendesk_schedules(work / "landing", schedules)
    if salesforce:
        sf, holidays = random_salesforce_schedules(rng, FIRST.date(), LAST.date())
        write_salesforce_calendars(work / "landing", sf, holidays)
        schedules += sf + hubspot_schedules()
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
    """Per-UTC-minute open flags of each schedule, classified one minute at a time: the local
    minute's place in the week is open, and no holiday closes that minute of its local date."""

    def __init__(self, schedules: list, first: datetime, last: datetime) -> None:
        self.origin = int(first.timestamp()) // 60
        idx = pd.date_range(first, last, freq="min", tz="UTC", inclusive="left")
        first_day = first.date() - timedelta(days=2)
        last_day = last.date() + timedelta(days=2)
        self.prefix: dict[str, np.ndarray] = {}
        self.open: dict[str, np.ndarray] = {}
        for s in schedules:
            local = idx.tz_convert(s.time_zone)
            minute_of_day = local.hour.to_numpy() * 60 + local.minute.to_numpy()
            week_minute = ((local.dayofweek.to_numpy() + 1) % 7) * 1440 + minute_of_day
            is_open = s.weekly_open()[week_minute]
            closures = s.closures(first_day, last_day)
            if closures:
                day = (
                    local.tz_localize(None).to_numpy().astype("datetime64[D]") - np.datetime64(first_day)
                ).astype(np.int64)
                closed = np.zeros(((last_day - first_day).days + 1, 1440), dtype=bool)
                for d, a, b in closures:
                    closed[(d - first_day).days, a:b] = True
                is_open &= ~closed[day, minute_of_day]
            self.open[s.key] = is_open
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
