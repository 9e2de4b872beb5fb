"""The brief as one self-contained HTML page (inline CSS and SVG): Jinja2 template plus the
number formatting executives read ("93.4%", "1h 12m", "▲ 4.1%")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from escalations.labels import PLAN_STATES, alert_metric_label, alert_metric_unit, humanize, sla_metric_label
from escalations.report import charts
from escalations.report.model import Brief, Escalation, Metric
from escalations.report.rules import at_risk_days

TEMPLATES = Path(__file__).parent / "templates"


# ---- number formatting -----------------------------------------------------------------------
def num(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f}%"


def duration(minutes: float | None) -> str:
    """Minutes for people: 42m, 1h 12m, 2d 4h."""
    if minutes is None:
        return "–"
    m = round(abs(minutes))
    if m < 1:
        return "<1m"
    if m < 60:
        return f"{m}m"
    if m < 24 * 60:
        return f"{m // 60}h {m % 60}m" if m % 60 else f"{m // 60}h"
    days, hours = divmod(round(m / 60), 24)
    return f"{days}d {hours}h" if hours else f"{days}d"


def value_text(value: float | None, unit: str) -> str:
    return {"count": num, "rate": pct, "minutes": duration}[unit](value)


@dataclass(frozen=True)
class Change:
    arrow: str  # ▲, ▼ or = (no change at the precision shown)
    text: str  # the size of the change, without sign: "4.1%", "1.2 pts", "12m"
    tone: str  # good, bad or flat

    def __str__(self) -> str:
        return f"{self.arrow} {self.text}".strip()


def change(metric: Metric, base: float | None) -> Change | None:
    """How ``metric``'s value moved from ``base``: relative for counts, points for rates,
    minutes for durations; good or bad by the metric's ``better`` direction."""
    if metric.value is None or base is None:
        return None
    diff = metric.value - base
    if metric.unit == "count":
        text = f"{abs(diff) / base:.1%}" if base else f"{abs(diff):,.0f}"
    elif metric.unit == "rate":
        text = f"{abs(diff) * 100:.1f} pts"
    else:
        text = duration(diff)
    if text in ("0.0%", "0", "0.0 pts", "<1m"):
        return Change("=", "no change", "flat")
    up = diff > 0
    return Change("▲" if up else "▼", text, "good" if up == (metric.better == "up") else "bad")


def signed_pct(value: float | None) -> str:
    return "–" if value is None else f"{'+' if value > 0 else ''}{value:.0%}"


def when(at: datetime) -> str:
    return f"{at:%a %d %b %H:%M}"


# ---- the timeline of an escalation -----------------------------------------------------------
@dataclass(frozen=True)
class Chip:
    text: str
    offset: str  # time since received, "" for the received step itself
    tone: str = ""  # good, bad or ""


def timeline(escalation: Escalation) -> list[Chip]:
    """The escalation's steps as short chips, times relative to receipt; runs of replies merged
    into one, and only the first SLA breach shown."""
    received = escalation.steps[0].at
    chips: list[Chip] = []
    replies: list[str] = []
    breached = False

    def flush_replies() -> None:
        if replies:
            text = "Reply" if len(replies) == 1 else f"{len(replies)} replies"
            span = replies[0] if len(replies) == 1 else f"{replies[0]}–{replies[-1]}"
            chips.append(Chip(text, span))
            replies.clear()

    for step in escalation.steps:
        offset = "+" + duration((step.at - received).total_seconds() / 60)
        if step.kind == "reply":
            replies.append(offset)
            continue
        flush_replies()
        if step.kind == "received":
            chips.append(Chip(f"Received {when(step.at)}", ""))
        elif step.kind == "acknowledged":
            chips.append(Chip("Acknowledged", offset))
        elif step.kind == "handoff":
            chips.append(Chip(f"→ {step.detail}", offset))
        elif step.kind == "sla_breached":
            # the first breach is the news; the header counts the breached SLAs
            if not breached:
                chips.append(Chip(f"{sla_metric_label(step.detail)} SLA breached", offset, "bad"))
            breached = True
        elif step.kind == "resolved":
            chips.append(Chip("Resolved", offset, "good"))
        elif step.kind == "resolved_again":
            chips.append(Chip("Reopened, resolved again", offset, "good"))
    flush_replies()
    return chips


def sla_names(metrics: list[str]) -> str:
    return ", ".join(sla_metric_label(m) for m in metrics)


def status_text(escalation: Escalation) -> str:
    return humanize(escalation.status_group)


def alert_value(metric: str, value: float | None) -> str:
    """An alert's observed/expected value in its metric's unit (rates are 0-1, times minutes)."""
    if value is None:
        return "–"
    unit = alert_metric_unit(metric)
    if unit == "rate":
        return pct(value)
    if unit == "minutes":
        return duration(value)
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"


# ---- the page --------------------------------------------------------------------------------
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=num,
        pct=pct,
        duration=duration,
        signed_pct=signed_pct,
        humanize=humanize,
    )
    env.globals.update(
        value_text=value_text,
        change=change,
        timeline=timeline,
        status_text=status_text,
        sla_names=sla_names,
        alert_value=alert_value,
        charts=charts,
        alert_metric_label=alert_metric_label,
        PLAN_STATES=PLAN_STATES,
        AT_RISK_DAYS=at_risk_days(),
    )
    return env


def render_html(brief: Brief) -> str:
    created = brief.metric("created")
    return (
        _environment()
        .get_template("brief.html")
        .render(
            brief=brief,
            volume_chart=charts.columns(
                created.history,
                [label.split("-W")[1] for label in brief.weeks],
                highlight=len(brief.weeks) - 1,
                height=88,
                title=f"Escalations created per week, {brief.weeks[0]} to {brief.weeks[-1]}",
            ),
            plan_counts=brief.plan_counts,
        )
    )
