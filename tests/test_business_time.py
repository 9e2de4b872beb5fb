"""The warehouse's business-time SQL against a brute-force minute-by-minute count.

Random Zendesk schedules (zones on both sides of UTC, northern and southern DST, midnight and
half-hour transitions, intervals over midnight, multi-day holidays, one 24x7) go through the real
loader and the real dbt models; 12,000 random spans are then asked of the compiled macros and
compared to the minute with a reference that classifies every UTC minute on its own. The inverse
(the instant at which a number of business minutes has passed: an SLA's due time) is checked the
same way.
"""

from __future__ import annotations

import numpy as np
import pytest

from escalations.sla.business_time import (
    BUSINESS_SECONDS_SQL,
    DUE_SQL,
    FIRST,
    LAST,
    BruteForce,
    build_random_calendar,
    compile_sql,
    random_spans,
    run_sql,
)

SPANS = 12_000


@pytest.fixture(scope="module")
def calendar(tmp_path_factory):
    work = tmp_path_factory.mktemp("business_time")
    warehouse, schedules = build_random_calendar(work)
    return work, warehouse, schedules, BruteForce(schedules, FIRST, LAST)


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
    assert spans["due_s"].notna().all()
    for key, part in spans.groupby("schedule_key"):
        start = part["start_s"].to_numpy()
        due = part["due_s"].to_numpy().astype(np.int64)
        # exactly the target's minutes are open between the start and the due instant ...
        assert (brute.open_minutes(key, start, due) * 60 == part["target_s"].to_numpy()).all(), key
        # ... and the last of them is the minute just before it
        assert brute.is_open_minute(key, due - 60).all(), key
