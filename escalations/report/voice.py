"""The brief's voice section: themes new this week, and who is unhappier or happier than usual.

- New this week: themes ``fct_emerging_themes`` calls emerging in the week (newly emerging first,
  then by score), with their escalations, how much of them agents left uncategorized, and a few
  example escalations.
- Satisfaction moved most: per creator tier (requester type) and per market, the week's CSAT good
  rate against the pooled rate of the 4 weeks before (``fct_voice_of_creator``), the slices with
  enough ratings (``MIN_RESPONSES`` this week and ``MIN_BASELINE`` before), the largest moves
  first, either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

MAX_THEMES = 5
MAX_MOVERS = 4
MIN_RESPONSES = 10
MIN_BASELINE = 20
BASELINE_WEEKS = 4

THEMES_SQL = """
select theme_key, label, language, escalations, share, baseline_share, score, is_newly_emerging,
       escalations_uncategorized, top_issue_category, example_escalation_keys, first_seen_week
from marts.fct_emerging_themes
where week_start = ? and is_emerging
order by is_newly_emerging desc, score desc, theme_key
"""

MOVERS_SQL = """
with weeks as (
    select {dimension} as slice, week_start, sum(csat_good) as good, sum(csat_responses) as responses
    from marts.fct_voice_of_creator
    where week_start between ? and ?
    group by 1, 2
)
select
    slice,
    sum(case when week_start = ? then good end) as good,
    sum(case when week_start = ? then responses end) as responses,
    sum(case when week_start < ? then good end) as baseline_good,
    sum(case when week_start < ? then responses end) as baseline_responses
from weeks
group by 1
"""


@dataclass
class Theme:
    key: str
    label: str
    language: str
    escalations: int
    share: float | None
    baseline_share: float | None
    score: float | None
    is_new: bool  # newly emerging this week (not the week before)
    uncategorized: int
    top_issue_category: str | None
    examples: list[str]
    first_seen_week: date | None


@dataclass
class Mover:
    dimension: str  # requester_type or market
    slice: str
    label: str
    good_rate: float
    baseline_good_rate: float
    responses: int

    @property
    def change(self) -> float:
        return self.good_rate - self.baseline_good_rate


@dataclass
class Voice:
    themes: list[Theme]
    movers: list[Mover]


def voice_section(
    conn: duckdb.DuckDBPyConnection, week_start: date, tables: list[str], labels: dict[str, dict[str, str]]
) -> Voice | None:
    """The section for the week starting ``week_start``; None when the voice marts are not published."""
    if not {"fct_emerging_themes", "fct_voice_of_creator"} <= set(tables):
        return None
    themes = [
        Theme(
            key=r[0],
            label=r[1],
            language=r[2],
            escalations=int(r[3]),
            share=r[4],
            baseline_share=r[5],
            score=r[6],
            is_new=bool(r[7]),
            uncategorized=int(r[8] or 0),
            top_issue_category=r[9],
            examples=[k for k in (r[10] or "").split(", ") if k],
            first_seen_week=r[11],
        )
        for r in conn.execute(THEMES_SQL, [week_start]).fetchall()[:MAX_THEMES]
    ]
    first = week_start - timedelta(weeks=BASELINE_WEEKS)
    movers = []
    for dimension in ("requester_type", "market"):  # column names, never input
        rows = conn.execute(
            MOVERS_SQL.format(dimension=dimension),
            [first, week_start, week_start, week_start, week_start, week_start],
        ).fetchall()
        for slice_, good, responses, base_good, base_responses in rows:
            if (responses or 0) < MIN_RESPONSES or (base_responses or 0) < MIN_BASELINE:
                continue
            names = labels.get(dimension, {})
            movers.append(
                Mover(
                    dimension=dimension,
                    slice=slice_,
                    label=names.get(slice_)
                    or (slice_ if dimension == "market" else str(slice_).replace("_", " ").capitalize()),
                    good_rate=good / responses,
                    baseline_good_rate=base_good / base_responses,
                    responses=int(responses),
                )
            )
    movers.sort(key=lambda m: (-abs(m.change), m.dimension, m.slice))
    return Voice(themes, movers[:MAX_MOVERS])
