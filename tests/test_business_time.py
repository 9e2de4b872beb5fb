"""The warehouse's business-time SQL against a brute-force minute-by-minute count.

Random Zendesk schedules (zones on both sides of UTC, northern and southern DST, midnight and
half-hour transitions, intervals over midnight, multi-day holidays, one 24x7) and random Salesforce
BusinessHours (24-hour days, days open past midnight, closed days) with random Holidays (one-off and
recurring of every type, whole and partial days, some past midnight, some naming one schedule) go
through the real loader and the real dbt models. Every UTC minute of every schedule's calendar is
compared with a reference that classifies each minute on its own (recurring holidays expanded by
dateutil's RFC 5545 rules, not the warehouse's SQL); then 12,000 random spans are asked of the
compiled macros and compared to the minute. The inverse (the instant at which a number of
business minutes has passed: an SLA's due time) is checked the same way.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from escalations.business_time_check.reference import (
    BUSINESS_SECONDS_SQL,
    DUE_SQL,
    FIRST,
    LAST,
    RECURRENCES,
    BruteForce,
    SalesforceSchedule,
    build_random_calendar,
    compile_sql,
    random_spans,
    run_sql,
)

SPANS = 12_000


@pytest.fixture(scope="module")
def calendar(tmp_path_factory):
    work = tmp_path_factory.mktemp("business_time")
    warehouse, schedules = build_random_calendar(work, salesforce=True)
    return work, warehouse, schedules, BruteForce(schedules, FIRST, LAST)


def test_the_random_calendars_hold_every_case(calendar):
    """The Salesforce side exercises what it claims: every recurrence type, partial-day holidays
    (one past midnight), holidays of one schedule and of all, 24-hour and past-midnight days."""
    _, _, schedules, _ = calendar
    salesforce = [s for s in schedules if isinstance(s, SalesforceSchedule)]
    holidays = {h for s in salesforce for h in s.holidays}
    assert {h.recurrence_type for h in holidays} == set(RECURRENCES)
    assert any(h.minutes and h.minutes[1] <= h.minutes[0] for h in holidays)
    assert any(h.minutes and h.minutes[1] > h.minutes[0] for h in holidays)
    assert any(h not in s.holidays for s in salesforce for h in holidays)  # some close one schedule
    days = [d for s in salesforce for d in s.days if d is not None]
    assert (0, 0) in days and any(0 < e <= s for s, e in days) and any(e > s for s, e in days)
    dates = FIRST.date(), LAST.date()
    assert sum(len(s.closures(*dates)) for s in salesforce) > 500


def test_every_minute_matches_brute_force(calendar):
    """Each schedule's open periods, minute by minute over the whole calendar, are the reference's."""
    _, warehouse, schedules, brute = calendar
    first, last = int(FIRST.timestamp()) // 60, int(LAST.timestamp()) // 60
    periods = run_sql(
        warehouse, "select schedule_key, start_s, end_s from intermediate.int_sla__business_periods", {}
    ).itertuples(index=False)
    got = {s.key: np.zeros(last - first, dtype=np.int8) for s in schedules}
    for key, start_s, end_s in periods:
        assert start_s % 60 == 0 and end_s % 60 == 0, (key, start_s, end_s)
        a, b = max(start_s // 60, first) - first, min(end_s // 60, last) - first
        if b > a:
            got[key][a:b] += 1
    for s in schedules:
        assert got[s.key].max() <= 1, f"{s.key}: overlapping periods"
        wrong = np.flatnonzero(got[s.key].astype(bool) != brute.open[s.key])
        assert len(wrong) == 0, (s.key, [str(FIRST + timedelta(minutes=int(m))) for m in wrong[:5]])
        assert brute.open[s.key].any()


def test_business_minutes_match_brute_force(calendar):
    work, warehouse, schedules, brute = calendar
    spans = random_spans(np.random.default_rng(7), schedules, SPANS, FIRST, LAST)
    got = run_sql(warehouse, compile_sql(work, warehouse, BUSINESS_SECONDS_SQL), {"spans": spans})
    got = got.set_index("span_id").loc[spans["span_id"], "business_s"].to_numpy()
    expected = np.zeros(len(spans), dtype=np.int64)
    for key, part in spans.groupby("schedule_key"):
        expected[part.index] = (
            brute.open_minutes(key, part["start_s"].to_numpy(), part["end_s"].to_numpy()) * 60
        )
    wrong = np.flatnonzero(got != expected)
    assert len(wrong) == 0, spans.iloc[wrong[:5]].assign(got=got[wrong[:5]], expected=expected[wrong[:5]])
    assert (expected > 0).sum() > SPANS // 2  # the spans do cover open time


def test_twenty_four_seven_equals_calendar_time(calendar):
    work, warehouse, schedules, _ = calendar
    spans = random_spans(np.random.default_rng(8), schedules[:1], 2000, FIRST, LAST)
    got = run_sql(warehouse, compile_sql(work, warehouse, BUSINESS_SECONDS_SQL), {"spans": spans})
    got = got.set_index("span_id").loc[spans["span_id"], "business_s"].to_numpy()
    assert (got == (spans["end_s"] - spans["start_s"]).to_numpy()).all()


def test_due_instant_is_where_the_business_minutes_run_out(calendar):
    work, warehouse, schedules, brute = calendar
    spans = random_spans(np.random.default_rng(9), schedules, 4000, FIRST, LAST)
    rng = np.random.default_rng(10)
    spans["target_s"] = rng.integers(1, 60 * 24 * 5, len(spans)) * 60
    got = run_sql(warehouse, compile_sql(work, warehouse, DUE_SQL), {"dues": spans})
    spans["due_s"] = got.set_index("span_id").loc[spans["span_id"], "due_s"].to_numpy()
    last_s = np.int64(LAST.timestamp())
    checked = 0
    for key, part in spans.groupby("schedule_key"):
        start = part["start_s"].to_numpy()
        # where the reference's calendar holds the target's minutes, the due instant is found ...
        reachable = (
            brute.open_minutes(key, start, np.full(len(start), last_s)) * 60 >= part["target_s"].to_numpy()
        )
        part = part[reachable]
        assert part["due_s"].notna().all(), key
        start = part["start_s"].to_numpy()
        due = part["due_s"].to_numpy().astype(np.int64)
        # ... exactly the target's minutes are open between the start and the due instant ...
        assert (brute.open_minutes(key, start, due) * 60 == part["target_s"].to_numpy()).all(), key
        # ... and the last of them is the minute just before it
        assert brute.is_open_minute(key, due - 60).all(), key
        checked += len(part)
    assert checked > 3500
