"""The demo account's SLA settings in each tool, and the clocks they make.

The world's desk works the hours of ``reference.ZENDESK_SCHEDULES`` (``World.clocks``: when agents
answer). What each tool measures SLAs on is account configuration, and it need not be the same:

- Zendesk schedules (``ZENDESK_HOURS``): a split day (EMEA closes for lunch), a weekend shift over
  the turn of the week (APAC, Saturday 20:00 to Sunday 02:00, written as two intervals as Zendesk
  does), and a year-end shutdown spanning the turn of the year (EMEA), besides the regions'
  holidays.
- Salesforce BusinessHours (``SALESFORCE_HOURS``): 24-hour weekdays (APAC, 00:00:00.000Z to
  00:00:00.000Z) and a Friday open past midnight (LATAM, 09:00 to 02:00). Holidays
  (``SALESFORCE_HOLIDAYS``): one-off, recurring of every type the warehouse reads, and partial-day
  ones (one past midnight). Which schedules a holiday closes: the BusinessHoursId column of the
  export for some, the account seed ``map_salesforce_holiday_business_hours`` for others, every
  schedule for the rest. The statuses that stop a case: the seed ``sla_salesforce_stopped_statuses``.
- HubSpot: each pipeline's operating hours from the seed ``sla_hubspot_business_hours`` (with a
  split day), its goals from ``map_hubspot_sla``.

Recurring Salesforce holidays are expanded with dateutil's RFC 5545 rules (``rrule``), which share
nothing with the warehouse's SQL. The seeds are read, not copied: the generator's tools honour
the same account settings the warehouse is given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from dateutil import rrule

from escalations.generator.calendars import BusinessClock
from escalations.generator.reference import SALESFORCE_BUSINESS_HOURS, ZENDESK_SCHEDULES, _rows

WEEK = 10080
SF_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
INSTANCES = {"First": 1, "Second": 2, "Third": 3, "Fourth": 4, "Last": -1}
_RRULE_DAYS = (rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA)  # mask bit order


def _weekdays(*spans: tuple[int, int], days=range(1, 6)) -> tuple[tuple[int, int], ...]:
    """Zendesk intervals (minutes from Sunday 00:00) of local (start, end) minutes on ``days``."""
    return tuple((d * 1440 + s, d * 1440 + e) for d in days for s, e in spans)


# region -> weekly intervals in minutes from Sunday 00:00 local, as Zendesk writes them
ZENDESK_HOURS = {
    "AMER": _weekdays((540, 1020)),
    "EMEA": _weekdays((480, 750), (810, 1080)),  # 08:00-12:30 and 13:30-18:00
    "APAC": _weekdays((540, 1080)) + ((6 * 1440 + 1200, WEEK), (0, 120)),  # + Sat 20:00 - Sun 02:00
    "LATAM": _weekdays((540, 1080)),
}
# region -> (name, month, day, days) closed every year from that date, possibly into the next year
ZENDESK_EXTRA_HOLIDAYS = {"EMEA": (("Year-end shutdown", 12, 24, 14),)}

_NINE_TO_FIVE = {d: ("09:00:00.000Z", "17:00:00.000Z") for d in range(1, 6)}
# region -> Salesforce day (0 = Sunday) -> (start, end); a missing day is closed
SALESFORCE_HOURS = {
    "AMER": _NINE_TO_FIVE,
    "EMEA": {d: ("08:00:00.000Z", "18:00:00.000Z") for d in range(1, 6)},
    "APAC": {d: ("00:00:00.000Z", "00:00:00.000Z") for d in range(1, 6)},  # open 24 hours
    "LATAM": {
        **{d: ("09:00:00.000Z", "18:00:00.000Z") for d in range(1, 5)},
        5: ("09:00:00.000Z", "02:00:00.000Z"),  # Friday, open past midnight
    },
}


@dataclass(frozen=True)
class SalesforceHoliday:
    """One Holiday row. ``business_hours_region`` fills its BusinessHoursId column; otherwise the
    seed map_salesforce_holiday_business_hours names its schedules, or it applies to all."""

    name: str
    activity_date: date | None = None
    minutes: tuple[int, int] | None = None  # StartTimeInMinutes, EndTimeInMinutes (partial day)
    recurrence_type: str | None = None
    start: date | None = None
    end: date | None = None
    interval: int | None = None
    mask: int | None = None  # Sunday 1, Monday 2, ... Saturday 64
    day_of_month: int | None = None
    instance: str | None = None
    month: str | None = None
    business_hours_region: str | None = None


SALESFORCE_HOLIDAYS = (
    SalesforceHoliday("New Year's Day", recurrence_type="RecursYearly", start=date(2020, 1, 1), month="January",
                      day_of_month=1),
    SalesforceHoliday("Martin Luther King Jr. Day", recurrence_type="RecursYearlyNth", start=date(2020, 1, 1),
                      month="January", mask=2, instance="Third"),
    SalesforceHoliday("Memorial Day", recurrence_type="RecursYearlyNth", start=date(2020, 1, 1), month="May",
                      mask=2, instance="Last"),
    SalesforceHoliday("Independence Day (observed)", activity_date=date(2026, 7, 3), business_hours_region="AMER"),
    SalesforceHoliday("Thanksgiving", recurrence_type="RecursYearlyNth", start=date(2020, 1, 1), month="November",
                      mask=16, instance="Fourth"),
    SalesforceHoliday("Fortnightly training", minutes=(960, 1020), recurrence_type="RecursWeekly",
                      start=date(2026, 2, 3), end=date(2026, 6, 30), interval=2, mask=4 + 16),
    SalesforceHoliday("Winter break", recurrence_type="RecursDaily", start=date(2026, 12, 24),
                      end=date(2026, 12, 26), interval=1),
    SalesforceHoliday("Easter", recurrence_type="RecursDaily", start=date(2026, 4, 3), end=date(2026, 4, 6),
                      interval=1),
    SalesforceHoliday("Summer bank holiday", recurrence_type="RecursYearlyNth", start=date(2020, 1, 1),
                      month="August", mask=2, instance="Last"),
    SalesforceHoliday("Quarterly all-hands", minutes=(780, 900), recurrence_type="RecursMonthlyNth",
                      start=date(2026, 1, 1), interval=3, mask=8, instance="First"),
    SalesforceHoliday("Lunar New Year", activity_date=date(2026, 2, 17), business_hours_region="APAC"),
    SalesforceHoliday("Lunar New Year", activity_date=date(2026, 2, 18), business_hours_region="APAC"),
    SalesforceHoliday("Labour Day", recurrence_type="RecursYearly", start=date(2020, 1, 1), month="May",
                      day_of_month=1),
    SalesforceHoliday("National Day (observed)", activity_date=date(2026, 8, 10), business_hours_region="APAC"),
    SalesforceHoliday("Monthly maintenance", minutes=(0, 240), recurrence_type="RecursMonthly",
                      start=date(2026, 1, 15), interval=1, day_of_month=15),
    SalesforceHoliday("Christmas Day", recurrence_type="RecursYearly", start=date(2020, 1, 1), month="December",
                      day_of_month=25),
    SalesforceHoliday("Carnival", recurrence_type="RecursDaily", start=date(2026, 2, 16), end=date(2026, 2, 17),
                      interval=1),
    SalesforceHoliday("Tiradentes", recurrence_type="RecursYearly", start=date(2020, 1, 1), month="April",
                      day_of_month=21),
    SalesforceHoliday("Independence of Brazil", recurrence_type="RecursYearly", start=date(2020, 1, 1),
                      month="September", day_of_month=7),
    SalesforceHoliday("Quarterly upgrade", minutes=(1320, 60), recurrence_type="RecursMonthlyNth",
                      start=date(2026, 3, 1), interval=3, mask=32, instance="Last"),
)  # fmt: skip


def holiday_dates(h: SalesforceHoliday, first: date, last: date) -> list[date]:
    """The dates in [first, last] a Salesforce Holiday falls on, by dateutil's rules."""
    if h.recurrence_type is None:
        return [h.activity_date] if h.activity_date is not None and first <= h.activity_date <= last else []
    t = h.recurrence_type
    days = [_RRULE_DAYS[i] for i in range(7) if (h.mask or 0) & (1 << i)]
    kw: dict = {"dtstart": datetime.combine(h.start, datetime.min.time())}
    if h.end is not None:
        kw["until"] = datetime.combine(h.end, datetime.min.time())
    if t == "RecursDaily":
        rule = rrule.rrule(rrule.DAILY, interval=h.interval or 1, **kw)
    elif t == "RecursEveryWeekday":
        rule = rrule.rrule(rrule.DAILY, byweekday=_RRULE_DAYS[1:6], **kw)
    elif t == "RecursWeekly":
        rule = rrule.rrule(rrule.WEEKLY, interval=h.interval or 1, byweekday=days, wkst=rrule.SU, **kw)
    elif t == "RecursMonthly":
        rule = rrule.rrule(rrule.MONTHLY, interval=h.interval or 1, bymonthday=h.day_of_month, **kw)
    elif t == "RecursMonthlyNth":
        rule = rrule.rrule(
            rrule.MONTHLY, interval=h.interval or 1, byweekday=days, bysetpos=INSTANCES[h.instance], **kw
        )
    elif t == "RecursYearly":
        rule = rrule.rrule(rrule.YEARLY, bymonth=MONTHS.index(h.month) + 1, bymonthday=h.day_of_month, **kw)
    elif t == "RecursYearlyNth":
        rule = rrule.rrule(
            rrule.YEARLY,
            bymonth=MONTHS.index(h.month) + 1,
            byweekday=days,
            bysetpos=INSTANCES[h.instance],
            **kw,
        )
    else:
        raise ValueError(f"unknown Salesforce RecurrenceType {t!r} on holiday {h.name!r}")
    lo = datetime.combine(first, datetime.min.time())
    hi = datetime.combine(last, datetime.min.time())
    return [d.date() for d in rule.between(lo, hi, inc=True)]


def holiday_closures(h: SalesforceHoliday, first: date, last: date) -> list[tuple[date, int, int]]:
    """(date, start minute, end minute) closed: whole days, or the partial day's local minutes (one
    ending at or before its start runs past midnight into the next date)."""
    out = []
    for d in holiday_dates(h, first, last):
        if h.minutes is None:
            out.append((d, 0, 1440))
            continue
        s, e = h.minutes
        if e <= s:
            out.append((d, s, 1440))
            if e > 0:
                out.append((d + timedelta(days=1), 0, e))
        else:
            out.append((d, s, e))
    return out


@cache
def holiday_regions() -> dict[str, tuple[str, ...]]:
    """Holiday name -> the regions whose schedules it closes (BusinessHoursId, else the seed, else
    every region)."""
    names = {name: region for region, (_bid, name) in SALESFORCE_BUSINESS_HOURS.items()}
    ids = {bid: region for region, (bid, _name) in SALESFORCE_BUSINESS_HOURS.items()}
    mapped: dict[str, list[str]] = defaultdict(list)
    for row in _rows("map_salesforce_holiday_business_hours"):
        region = names.get(row["business_hours"]) or ids.get(row["business_hours"])
        if region is not None:
            mapped[row["holiday"]].append(region)
    every = tuple(r for r, *_ in ZENDESK_SCHEDULES)
    out = {}
    for h in SALESFORCE_HOLIDAYS:
        if h.business_hours_region is not None:
            out[h.name] = (h.business_hours_region, *mapped.get(h.name, ()))
        else:
            out[h.name] = tuple(mapped.get(h.name, ())) or every
    return out


@cache
def stopped_statuses() -> frozenset[str]:
    """Salesforce Case statuses in which the account stops a case (its milestone clocks)."""
    return frozenset(r["status"] for r in _rows("sla_salesforce_stopped_statuses"))


@cache
def hubspot_hours() -> dict[str, tuple[str, dict[int, list[tuple[int, int]]]]]:
    """Pipeline -> (IANA zone, Python weekday -> [(start, end)] local minutes) from the seed; an
    end at or before the start runs past midnight."""
    out: dict[str, tuple[str, dict[int, list[tuple[int, int]]]]] = {}
    for row in _rows("sla_hubspot_business_hours"):
        zone, weekly = out.setdefault(row["hs_pipeline"], (row["time_zone"], defaultdict(list)))
        s, e = _minutes(row["start_time"]), _minutes(row["end_time"])
        weekly[(SF_DAYS.index(row["day_of_week"]) - 1) % 7].append((s, e if e > s else e + 1440))
    return out


@cache
def hubspot_goals() -> dict[tuple[str, str, str], tuple[int, bool, str]]:
    """(pipeline, priority, metric) -> (target minutes, business hours, running_in) from the seed."""
    return {
        (r["hs_pipeline"], r["priority"], r["metric"]): (
            int(r["target_minutes"]),
            r["is_business_hours"] == "true",
            r["running_in"],
        )
        for r in _rows("map_hubspot_sla")
    }


def _minutes(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:5])


def zendesk_weekly(region: str) -> dict[int, list[tuple[int, int]]]:
    """Python weekday -> local (start, end) minutes of the region's Zendesk schedule."""
    weekly: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s, e in ZENDESK_HOURS[region]:
        day = s // 1440
        weekly[(day - 1) % 7].append((s - day * 1440, e - day * 1440))
    return weekly


def salesforce_weekly(region: str) -> dict[int, list[tuple[int, int]]]:
    """Python weekday -> local (start, end) minutes of the region's BusinessHours (an end at or
    before the start runs past midnight, so 00:00 to 00:00 is 24 hours)."""
    weekly: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for day, (start, end) in SALESFORCE_HOURS[region].items():
        s, e = _minutes(start), _minutes(end)
        weekly[(day - 1) % 7].append((s, e if e > s else e + 1440))
    return weekly


def zendesk_holidays(region: str, first_year: int, last_year: int, regional) -> list[tuple[str, date, date]]:
    """The region's holidays as a Zendesk schedule lists them: ``regional`` plus the account's
    own extra ones (which may start the year before and run into ``first_year``)."""
    spans = list(regional)
    for name, month, day, length in ZENDESK_EXTRA_HOLIDAYS.get(region, ()):
        for year in range(first_year - 1, last_year + 1):
            a = date(year, month, day)
            spans.append((name, a, a + timedelta(days=length - 1)))
    spans.sort(key=lambda h: (h[1], h[0]))
    return spans


def zendesk_clock(region: str, time_zone: str, spans, first: date, last: date) -> BusinessClock:
    closed: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for _name, a, b in spans:
        d = a
        while d <= b:
            closed[d].append((0, 1440))
            d += timedelta(days=1)
    return BusinessClock(time_zone, zendesk_weekly(region), dict(closed), first, last)


def salesforce_closures(region: str, first: date, last: date) -> dict[date, list[tuple[int, int]]]:
    closed: dict[date, list[tuple[int, int]]] = defaultdict(list)
    regions = holiday_regions()
    for h in SALESFORCE_HOLIDAYS:
        if region in regions[h.name]:
            for d, s, e in holiday_closures(h, first, last):
                closed[d].append((s, e))
    return dict(closed)


def salesforce_clock(region: str, time_zone: str, first: date, last: date) -> BusinessClock:
    return BusinessClock(
        time_zone, salesforce_weekly(region), salesforce_closures(region, first, last), first, last
    )


def hubspot_clock(pipeline: str, first: date, last: date) -> BusinessClock | None:
    hours = hubspot_hours().get(pipeline)
    if hours is None:
        return None
    zone, weekly = hours
    return BusinessClock(zone, dict(weekly), {}, first, last)


def describe(world) -> dict:
    """The account settings the demo world uses, for the ground truth: each tool's schedules and
    what its holidays close within the world (local dates and minutes)."""
    first = world.start_date
    last = first + timedelta(days=world.days - 1)
    regions = holiday_regions()
    return {
        "zendesk": {
            region: {
                "schedule_id": sid,
                "time_zone": iana,
                "intervals": [list(i) for i in ZENDESK_HOURS[region]],
                "holidays": [
                    [n, a.isoformat(), b.isoformat()] for n, a, b in world.zendesk_holiday_spans(region)
                ],
            }
            for region, sid, _name, _zd, iana, _hours in ZENDESK_SCHEDULES
        },
        "salesforce": {
            "business_hours": {
                region: {
                    "id": SALESFORCE_BUSINESS_HOURS[region][0],
                    "name": SALESFORCE_BUSINESS_HOURS[region][1],
                    "hours": {SF_DAYS[d]: list(v) for d, v in sorted(SALESFORCE_HOURS[region].items())},
                }
                for region in SALESFORCE_HOURS
            },
            "holidays": [
                {
                    "name": h.name,
                    "recurrence_type": h.recurrence_type,
                    "partial_minutes": list(h.minutes) if h.minutes else None,
                    "regions": list(regions[h.name]),
                    "assigned_by": "BusinessHoursId"
                    if h.business_hours_region
                    else "map_salesforce_holiday_business_hours"
                    if regions[h.name] != tuple(r for r, *_ in ZENDESK_SCHEDULES)
                    else "every schedule",
                    "closes_in_world": [
                        [d.isoformat(), s, e] for d, s, e in holiday_closures(h, first, last)
                    ],
                }
                for h in SALESFORCE_HOLIDAYS
            ],
            "stopped_statuses": sorted(stopped_statuses()),
        },
        "hubspot": {
            pipeline: {"time_zone": zone, "weekly": {str(wd): spans for wd, spans in sorted(weekly.items())}}
            for pipeline, (zone, weekly) in hubspot_hours().items()
        },
    }
