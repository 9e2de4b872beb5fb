"""Business-time maths on precomputed UTC open intervals, and fast timestamp formatting.

A ``BusinessClock`` turns a weekly local schedule plus holidays into sorted UTC open intervals
over the whole world (plus margins) once, with the cumulative open seconds before each interval.
Open seconds between two instants, and the instant at which N open seconds have passed, are then
two binary searches: exact across daylight-saving changes (each interval is built from local wall
times through zoneinfo) and never a per-minute loop. ``CALENDAR`` has the same interface for 24x7.

All instants are integer epoch seconds (UTC).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from escalations.generator.reference import FIXED_HOLIDAYS, MOVABLE_HOLIDAYS

DAY = 86400
HOUR = 3600
MINUTE = 60


class CalendarClock:
    """24x7: every second counts."""

    business = False

    def open_at(self, t: int) -> int:  # cumulative open seconds at t
        return t

    def at_open(self, x: int) -> int:  # first instant with cumulative open seconds x
        return x

    def between(self, a: int, b: int) -> int:
        return b - a if b > a else 0

    def add(self, t: int, seconds: int) -> int:
        return t + seconds


CALENDAR = CalendarClock()


class BusinessClock:
    """Weekly open hours in one zone, minus holidays, as UTC intervals with cumulative sums."""

    business = True

    def __init__(
        self,
        time_zone: str,
        weekly: dict[int, list[tuple[int, int]]],
        holidays: set[date] | dict[date, list[tuple[int, int]]],
        first_day: date,
        last_day: date,
    ) -> None:
        """``weekly``: Python weekday (Monday 0) -> [(start minute, end minute)] local; an end past
        1440 runs into the next day. ``holidays``: whole local days off, or date -> [(start, end)]
        local minutes closed that date (a partial-day holiday). Each local date keeps the parts of
        its pieces that no holiday of that date closes."""
        tz = ZoneInfo(time_zone)
        closures = holidays if isinstance(holidays, dict) else {d: [(0, 1440)] for d in holidays}
        pieces: dict[int, list[tuple[int, int]]] = {wd: [] for wd in range(7)}
        for wd, spans in weekly.items():
            for s, e in spans:
                while s < e:  # split at local midnight: each part belongs to its own date
                    day, start = divmod(s, 1440)
                    end = min(e - day * 1440, 1440)
                    pieces[(wd + day) % 7].append((start, end))
                    s = (day + 1) * 1440
        merged = {wd: _merge(p) for wd, p in pieces.items()}
        starts: list[int] = []
        ends: list[int] = []
        d = first_day
        while d <= last_day:
            day_pieces = merged[d.weekday()]
            closed = closures.get(d)
            if closed:
                day_pieces = _subtract(day_pieces, _merge(closed))
            for s, e in day_pieces:
                # local wall times resolved one by one: 09:00-17:00 stays 8 h on DST days
                a = int(_wall(d, s, tz).timestamp())
                b = int(_wall(d, e, tz).timestamp())
                if b > a:
                    starts.append(a)
                    ends.append(b)
            d += timedelta(days=1)
        self.starts = starts
        self.ends = ends
        cum = [0]
        for s, e in zip(starts, ends, strict=True):
            cum.append(cum[-1] + (e - s))
        self.cum = cum  # cum[i] = open seconds before interval i; cum[-1] = total
        self.cum_end = cum[1:]

    def open_at(self, t: int) -> int:
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        s = self.starts[i]
        e = self.ends[i]
        return self.cum[i] + ((t if t < e else e) - s)

    def at_open(self, x: int) -> int:
        if x <= 0:
            return self.starts[0]
        i = bisect_left(self.cum_end, x)
        if i >= len(self.starts):  # past the precomputed span: extrapolate in calendar time
            return self.ends[-1] + (x - self.cum[-1])
        return self.starts[i] + (x - self.cum[i])

    def between(self, a: int, b: int) -> int:
        return self.open_at(b) - self.open_at(a) if b > a else 0

    def add(self, t: int, seconds: int) -> int:
        """The instant at which ``seconds`` open seconds have passed after ``t`` (>= t)."""
        r = self.at_open(self.open_at(t) + seconds)
        return r if r > t else t


class ScheduleChain:
    """One clock made of schedules in turn: ``[(from, clock), ...]`` ordered, the first from the
    beginning of time. Each stretch counts on the clock in force then, as Zendesk measures a
    ticket a trigger moved to another schedule."""

    business = True

    def __init__(self, parts: list[tuple[int, object]]) -> None:
        self.froms = [t for t, _ in parts]
        self.clocks = [c for _, c in parts]
        # open_at(t) = offsets[k] + clocks[k].open_at(t) for t in stretch k; reached[k] = open_at(froms[k])
        self.offsets = [0]
        self.reached = [0]
        for k in range(1, len(parts)):
            at = self.offsets[k - 1] + self.clocks[k - 1].open_at(self.froms[k])
            self.reached.append(at)
            self.offsets.append(at - self.clocks[k].open_at(self.froms[k]))

    def open_at(self, t: int) -> int:
        k = max(bisect_right(self.froms, t) - 1, 0)
        return self.offsets[k] + self.clocks[k].open_at(t)

    def at_open(self, x: int) -> int:
        k = max(bisect_left(self.reached, x) - 1, 0)  # the last stretch reached below x
        return self.clocks[k].at_open(x - self.offsets[k])

    def between(self, a: int, b: int) -> int:
        return self.open_at(b) - self.open_at(a) if b > a else 0

    def add(self, t: int, seconds: int) -> int:
        r = self.at_open(self.open_at(t) + seconds)
        return r if r > t else t


def _merge(spans) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out if e > s]


def _subtract(pieces, closed) -> list[tuple[int, int]]:
    """Local-minute pieces less the (merged) closed stretches."""
    out = []
    for s, e in pieces:
        cur = s
        for cs, ce in closed:
            if ce <= cur or cs >= e:
                continue
            if cs > cur:
                out.append((cur, cs))
            cur = max(cur, ce)
        if cur < e:
            out.append((cur, e))
    return out


def _wall(d: date, minute: int, tz: ZoneInfo) -> datetime:
    extra, minute = divmod(minute, 1440)
    day = d + timedelta(days=extra)
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz)


def holidays_for(region: str, first_year: int, last_year: int) -> list[tuple[str, date, date]]:
    """(name, first day, last day) whole local days off for one schedule region, by start date."""
    out = []
    for year in range(first_year, last_year + 1):
        rules = list(FIXED_HOLIDAYS) + list(MOVABLE_HOLIDAYS.get(year, ()))
        for name, regions, month, day, length in rules:
            if region in regions:
                first = date(year, month, day)
                out.append((name, first, first + timedelta(days=length - 1)))
    out.sort(key=lambda h: (h[1], h[0]))
    return out


def holiday_days(spans: list[tuple[str, date, date]]) -> set[date]:
    days: set[date] = set()
    for _, a, b in spans:
        d = a
        while d <= b:
            days.add(d)
            d += timedelta(days=1)
    return days


def weekdays(open_hours: tuple[int, int]) -> dict[int, list[tuple[int, int]]]:
    """Monday-Friday from open_hours[0] to open_hours[1] local (minutes from midnight)."""
    return {wd: [(open_hours[0] * 60, open_hours[1] * 60)] for wd in range(5)}


# ---- timestamps ----------------------------------------------------------------------------
_DAY_STR: dict[int, str] = {}


def _day(d: int) -> str:
    s = _DAY_STR.get(d)
    if s is None:
        s = _DAY_STR[d] = date.fromordinal(719163 + d).isoformat()
    return s


_HM = tuple(f"{m // 60:02d}:{m % 60:02d}:" for m in range(1440))
_SS = tuple(f"{s:02d}" for s in range(60))


def iso_z(t: int) -> str:
    """2026-06-01T16:05:11Z (Zendesk, PagerDuty)."""
    d, s = divmod(t, DAY)
    m, s = divmod(s, 60)
    return f"{_DAY_STR.get(d) or _day(d)}T{_HM[m]}{_SS[s]}Z"


def iso_ms(t: int) -> str:
    """2026-06-01T16:05:11.000Z (Salesforce, HubSpot)."""
    d, s = divmod(t, DAY)
    m, s = divmod(s, 60)
    return f"{_DAY_STR.get(d) or _day(d)}T{_HM[m]}{_SS[s]}.000Z"


def iso_jira(t: int) -> str:
    """2026-06-01T16:05:11.000+0000 (Jira)."""
    d, s = divmod(t, DAY)
    m, s = divmod(s, 60)
    return f"{_day(d)}T{_HM[m]}{_SS[s]}.000+0000"


def day_str(t: int) -> str:
    return _day(t // DAY)


def epoch(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())
