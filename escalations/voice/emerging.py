"""Week x theme counts and the rule that calls a theme emerging.

Weeks are ISO weeks (Monday) of the escalation's creation in UTC. A theme's week counts the
escalations whose request text belongs to it; the week's total counts every escalation with
text (restricted ones never: their text is not themed). ``share`` = escalations / total;
``baseline_share`` pools the ``baseline_weeks`` weeks before (escalations over totals), so it is
the theme's usual share, and ``expected`` = baseline share x this week's total.

A theme is emerging in a week when all of:
- the data has ``min_history_weeks`` weeks before it (the first weeks of a world have no baseline);
- it has at least ``min_escalations`` escalations that week (a handful is no wave);
- its share is at least ``min_ratio`` times its baseline share (new, or grown several-fold: a
  known theme that merely had a busy week does not qualify);
- the rise is beyond noise: Anscombe's score 2(sqrt(n + 3/8) - sqrt(expected + 3/8)), about
  normal for Poisson counts, is at least ``min_score`` (3.5: many themes are tested each week).
The week still running is judged on its days so far (shares, not counts, carry the rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class EmergingRule:
    baseline_weeks: int = 8
    min_history_weeks: int = 4
    min_escalations: int = 8
    min_ratio: float = 3.0
    # about 200 themes are tested every week: at 3.5 a normal count passes by chance once in
    # 4,300 tests, so a year of weeks gives a false alarm or two, not dozens
    min_score: float = 3.5
    first_seen_min: int = 3  # a theme is first seen in the first week it has this many escalations


def week_start(ts: pd.Series) -> pd.Series:
    """The Monday (UTC) of each instant's ISO week."""
    days = pd.to_datetime(ts, utc=True).dt.tz_convert("UTC").dt.normalize()
    return (days - pd.to_timedelta(days.dt.weekday, unit="D")).dt.date


def theme_weeks(
    requests: pd.DataFrame, data_through: datetime, rule: EmergingRule | None = None
) -> pd.DataFrame:
    """One row per theme and week from the theme's first week to ``data_through``'s week.

    ``requests``: one row per escalation with text: ``escalation_key``, ``created_at``,
    ``theme_key`` (None: no theme).
    """
    rule = rule or EmergingRule()
    columns = [
        "week_start",
        "theme_key",
        "escalations",
        "week_escalations",
        "share",
        "baseline_escalations",
        "baseline_week_escalations",
        "baseline_share",
        "expected_escalations",
        "score",
        "history_weeks",
        "first_seen_week",
        "is_emerging",
        "is_complete_week",
    ]
    if requests.empty:
        return pd.DataFrame(columns=columns)
    df = requests.assign(week=week_start(requests["created_at"]))
    first_week = min(df["week"])
    last_week = week_start(pd.Series([data_through - timedelta(microseconds=1)]))[
        0
    ]  # a week starting then is empty
    weeks = [first_week + timedelta(weeks=i) for i in range((last_week - first_week).days // 7 + 1)]
    index = {w: i for i, w in enumerate(weeks)}
    totals = np.zeros(len(weeks))
    for w, n in df.groupby("week").size().items():
        if w in index:
            totals[index[w]] = n
    themed = df[df["theme_key"].notna()]
    rows = []
    for key, group in themed.groupby("theme_key", sort=True):
        counts = np.zeros(len(weeks))
        for w, n in group.groupby("week").size().items():
            if w in index:
                counts[index[w]] = n
        seen = np.flatnonzero(counts >= rule.first_seen_min)
        first = int(seen[0]) if len(seen) else int(np.flatnonzero(counts)[0])
        for i in range(first, len(weeks)):
            lo = max(0, i - rule.baseline_weeks)
            base_n, base_total = counts[lo:i].sum(), totals[lo:i].sum()
            base_share = base_n / base_total if base_total else 0.0
            share = counts[i] / totals[i] if totals[i] else 0.0
            expected = base_share * totals[i]
            score = 2 * (np.sqrt(counts[i] + 0.375) - np.sqrt(expected + 0.375))
            emerging = bool(
                i >= rule.min_history_weeks
                and counts[i] >= rule.min_escalations
                and share >= rule.min_ratio * base_share
                and score >= rule.min_score
            )
            rows.append(
                (
                    weeks[i],
                    key,
                    int(counts[i]),
                    int(totals[i]),
                    share,
                    int(base_n),
                    int(base_total),
                    base_share,
                    expected,
                    float(score),
                    i,
                    weeks[first],
                    emerging,
                    datetime.combine(weeks[i] + timedelta(days=7), datetime.min.time(), data_through.tzinfo)
                    <= data_through,
                )
            )
    return pd.DataFrame(rows, columns=columns)


def first_emerging(weeks: pd.DataFrame) -> dict[str, date]:
    """The first week each theme was emerging."""
    flagged = weeks[weeks["is_emerging"]]
    return {k: min(g["week_start"]) for k, g in flagged.groupby("theme_key")}
