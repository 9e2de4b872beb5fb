"""Metric-change alerts to people: which alerts of a hand-made published snapshot are pushed
(severity and lookback), what a notice says, and that each is queued once however often it runs.
Detection itself is tested on hand-made series by dbt unit tests (models/marts/watch)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from escalations.publish import duckdb_snapshot_path, marts_as_of
from escalations.watch.alerts import AlertSettings, new_alert_notices
from escalations.watch.delivery import Outbox

AS_OF = datetime(2026, 3, 12, 6, 0, tzinfo=UTC)

# key | metric | slice | period | observed | expected | lower | upper | score | direction | rule |
# severity | first detected; then why it is or is not pushed
ALERTS = [
    line.split(" | ")
    for line in """
a | escalation_volume | issue_category=account_security | 2026-03-10 | 39 | 18 | 8 | 32 | 4.2 | up | beyond_3_sigma | high | 2026-03-12 00:00:00+00
b | sla_attainment | overall=all | 2026-03-10 | 0.71 | 0.86 | 0.8 | 0.92 | -6.5 | down | beyond_3_sigma | critical | 2026-03-12 00:00:00+00
c | reopen_rate | channel=email | 2026-03-10 | 0.2 | 0.1 | 0.02 | 0.19 | 3.1 | up | beyond_3_sigma | medium | 2026-03-12 00:00:00+00
d | escalation_volume | root_cause=login_2fa_failure | 2026-02-01 | 30 | 8 | 2 | 17 | 5 | up | intraday_spike | high | 2026-02-01 14:00:00+00
e | escalation_volume | overall=all | 2026-03-12 | 99 | 60 | 40 | 80 | 4.5 | up | intraday_spike | critical | 2026-03-12 09:00:00+00
""".strip().splitlines()
]
# a, b: high and critical, first seen within the lookback: pushed. c: medium, kept in the mart but
# not pushed. d: first seen long ago. e: first seen after the build's as-of (the next build's news).


def _snapshot(home):
    path = duckdb_snapshot_path(home / "publish")
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.fct_metric_alerts (alert_key varchar, metric varchar, slice varchar, period date, "
            "observed double, expected double, lower_bound double, upper_bound double, score double, "
            "direction varchar, rule varchar, severity varchar, first_detected_at timestamptz)"
        )
        conn.executemany(
            "insert into marts.fct_metric_alerts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ALERTS
        )
        conn.execute("create table marts.fct_sla_events (as_of timestamptz)")
        conn.execute("insert into marts.fct_sla_events values (?)", [AS_OF])
    return path


def test_new_high_and_critical_alerts_within_the_lookback_are_pushed(tmp_path):
    with duckdb.connect(str(_snapshot(tmp_path)), read_only=True) as conn:
        assert marts_as_of(conn) == AS_OF
        notices = new_alert_notices(conn, AS_OF)
        everything = new_alert_notices(conn, AS_OF, AlertSettings("medium", timedelta(days=60)))
    assert [n.key for n in notices] == ["metric_alert|a", "metric_alert|b"]
    a, b = notices
    assert a.subject == "[high] Escalation volume up on issue_category=account_security (2026-03-10)"
    assert (
        "39 against an expected 18 (normal band 8.0 to 32); score +4.2 sigma, rule: beyond 3 sigma" in a.body
    )
    assert b.subject == "[critical] SLA attainment down on overall=all (2026-03-10)"
    assert "71.0% against an expected 86.0% (normal band 80.0% to 92.0%)" in b.body

    assert [n.key for n in everything] == [
        "metric_alert|d",
        "metric_alert|a",
        "metric_alert|b",
        "metric_alert|c",
    ]


def test_each_alert_is_queued_once(tmp_path):
    outbox = Outbox(tmp_path / "watch" / "outbox.sqlite")
    with duckdb.connect(str(_snapshot(tmp_path)), read_only=True) as conn:
        first = [outbox.enqueue(n) for n in new_alert_notices(conn, AS_OF)]
        later = [outbox.enqueue(n) for n in new_alert_notices(conn, AS_OF + timedelta(hours=2))]
    assert first == [True, True]
    assert later == [False, False]
    assert len(outbox.pending()) == 2


def test_settings_from_the_environment():
    assert AlertSettings.from_env({}) == AlertSettings("high", timedelta(days=3))
    assert AlertSettings.from_env(
        {"ESCALATIONS_ALERT_MIN_SEVERITY": "Medium", "ESCALATIONS_ALERT_LOOKBACK_DAYS": "7"}
    ) == AlertSettings("medium", timedelta(days=7))
    with pytest.raises(ValueError, match="ESCALATIONS_ALERT_MIN_SEVERITY"):
        AlertSettings.from_env({"ESCALATIONS_ALERT_MIN_SEVERITY": "urgent"})
    with pytest.raises(ValueError, match="ESCALATIONS_ALERT_LOOKBACK_DAYS"):
        AlertSettings.from_env({"ESCALATIONS_ALERT_LOOKBACK_DAYS": "a week"})
