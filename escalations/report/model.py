"""The weekly brief as plain data: an ISO week and the dataclasses the reader fills
(``brief.py``), which the HTML (``render.py``), the JSON and the tests all read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from escalations.labels import PLAN_STATES
from escalations.report.voice import Voice

_WEEK = re.compile(r"(\d{4})-W(\d{2})")


class NoDataError(Exception):
    """The snapshot has nothing to brief for the asked week (or at all)."""


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week: Monday ``start`` to Sunday ``end``."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """``2026-W43`` -> Week; ValueError saying what is wrong otherwise."""
        match = _WEEK.fullmatch(text.strip())
        if not match:
            raise ValueError(f"not an ISO week: {text!r} (expected YYYY-Www, e.g. 2026-W43)")
        year, number = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ValueError(f"{year} has no ISO week {number}: {text!r}") from None
        return cls(year, number)

    @classmethod
    def of(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def shifted(self, weeks: int) -> Week:
        return Week.of(self.start + timedelta(weeks=weeks))

    def history(self, weeks: int) -> list[Week]:
        """The ``weeks`` weeks ending with this one, oldest first."""
        return [self.shifted(i - weeks + 1) for i in range(weeks)]


# ---- the data structure ----------------------------------------------------------------------
@dataclass
class Metric:
    """A headline number of the week, with last week, the trailing average and its history."""

    key: str
    label: str
    unit: str  # count, rate (0-1) or minutes
    better: str  # up or down: which direction is good news
    value: float | None
    last_week: float | None
    trailing_average: float | None  # mean of the weekly values of the 4 weeks before
    history: list[float | None]  # rules.HISTORY_WEEKS weekly values, oldest first, this week last

    @property
    def change_vs_last_week(self) -> float | None:
        return diff(self.value, self.last_week)

    @property
    def change_vs_trailing(self) -> float | None:
        return diff(self.value, self.trailing_average)


@dataclass
class SlaSlice:
    key: str
    label: str
    achieved: int
    breached: int
    last_week_attainment: float | None

    @property
    def attainment(self) -> float | None:
        return ratio(self.achieved, self.achieved + self.breached)


@dataclass
class Step:
    """One key step of an escalation's timeline."""

    at: datetime
    kind: str  # received, acknowledged, handoff, reply, sla_breached, resolved, resolved_again
    detail: str | None = None  # the team handed to, or the SLA metric breached


@dataclass
class Escalation:
    key: str
    priority: str
    channel: str
    issue_category: str
    owning_team: str
    status_group: str
    is_open: bool
    is_restricted: bool
    any_sla_breached: bool
    created_at: datetime
    breached_metrics: list[str]
    steps: list[Step]


@dataclass
class RootCause:
    key: str
    label: str
    escalations: int
    share: float | None
    change_vs_previous_4_weeks: float | None
    history: list[int]  # rules.ROOT_CAUSE_WEEKS weekly counts, oldest first


@dataclass
class Plan:
    key: str
    title: str
    root_cause: str
    owning_team: str
    state: str  # overdue, at_risk, on_track, shipped
    reason: str
    due_at: date | None
    shipped_at: datetime | None
    actions_done: int
    actions_total: int
    effect_pct: float | None


@dataclass
class Alert:
    metric: str
    slice: str  # dimension=value, as the mart has it
    slice_label: str  # for people: "Channel: Email", "All escalations"
    period: date
    observed: float | None
    expected: float | None
    direction: str
    severity: str
    score: float | None
    rule: str


@dataclass
class Incidents:
    count: int
    high_urgency: int
    escalations_linked: int
    median_minutes_to_acknowledge: float | None


@dataclass
class Brief:
    week: Week
    as_of: datetime  # the build's clock (open SLA clocks, overdue plans are measured to it)
    data_through: datetime  # the data's as-of: as_of, but no later than a day after the last escalation
    is_partial: bool  # the week ends after data_through
    weeks: list[str]  # labels of the rules.HISTORY_WEEKS weeks, oldest first
    headline: list[Metric]
    incidents: Incidents
    sla_by_channel: list[SlaSlice]
    sla_by_priority: list[SlaSlice]
    escalations_total: int  # P0/P1 created in the week
    escalations_open: int  # of them, still open
    escalations_breached: int  # of them, with an SLA breached
    escalations: list[Escalation]  # the rules.MAX_ESCALATIONS most important of them
    root_causes: list[RootCause]
    plans: list[Plan]
    alerts: list[Alert] | None  # None: fct_metric_alerts is not built
    alerts_total: int = 0
    notes: list[str] = field(default_factory=list)
    voice: Voice | None = None  # None: the voice marts are not published

    def metric(self, key: str) -> Metric:
        return next(m for m in self.headline if m.key == key)

    @property
    def plan_counts(self) -> dict[str, int]:
        """Plans per state (every state, zeros included)."""
        return {state: sum(p.state == state for p in self.plans) for state in PLAN_STATES}


def diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if not denominator or numerator is None else numerator / denominator
