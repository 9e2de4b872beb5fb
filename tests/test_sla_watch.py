"""The hourly SLA watch on a hand-made published snapshot: which open P0/P1 instances it lists,
with owner and time left, and that each is announced once however often the watch runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import dagster as dg
import duckdb

from escalations.watch.delivery import Outbox
from escalations.watch.sla_watch import sla_watch
from orchestration.resources import WarehouseResource
from orchestration.watch import sla_watch_job

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _snapshot(home):
    path = home / "publish" / "duckdb" / "escalations.duckdb"
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.fct_escalations (escalation_key varchar, priority varchar, is_open boolean, owning_team varchar)"
        )
        conn.execute(
            """insert into marts.fct_escalations values
            ('zendesk:1', 'P0', true, 'account_security'),   -- due in 30 min: listed
            ('zendesk:2', 'P1', true, 'content_review'),     -- breached 2 h ago: listed
            ('zendesk:3', 'P2', true, 'content_review'),     -- P2: not watched
            ('zendesk:4', 'P0', false, 'content_review'),    -- solved: not listed
            ('zendesk:5', 'P1', true, 'live_safety')         -- due in 3 h: not yet"""
        )
        conn.execute(
            "create table marts.fct_sla_events (sla_event_key varchar, escalation_key varchar, metric varchar, "
            "sla_status varchar, due_at timestamptz, fulfilled_at timestamptz, as_of timestamptz)"
        )
        conn.execute(
            """insert into marts.fct_sla_events values
            ('zendesk:1:first_reply_time:1', 'zendesk:1', 'first_reply_time', 'active', '2026-03-02 12:30:00+00', null, '2026-03-02 11:00:00+00'),
            ('zendesk:2:next_reply_time:1', 'zendesk:2', 'next_reply_time', 'breached', '2026-03-02 10:00:00+00', null, '2026-03-02 11:00:00+00'),
            ('zendesk:2:first_reply_time:1', 'zendesk:2', 'first_reply_time', 'achieved', '2026-03-02 09:00:00+00', '2026-03-02 08:00:00+00', '2026-03-02 11:00:00+00'),
            ('zendesk:3:first_reply_time:1', 'zendesk:3', 'first_reply_time', 'active', '2026-03-02 12:10:00+00', null, '2026-03-02 11:00:00+00'),
            ('zendesk:4:first_reply_time:1', 'zendesk:4', 'first_reply_time', 'breached', '2026-03-02 09:00:00+00', null, '2026-03-02 11:00:00+00'),
            ('zendesk:5:first_reply_time:1', 'zendesk:5', 'first_reply_time', 'active', '2026-03-02 15:00:00+00', null, '2026-03-02 11:00:00+00')"""
        )
        conn.execute(
            "create table marts.fct_status_intervals (escalation_key varchar, assignee varchar, team varchar, is_current boolean)"
        )
        conn.execute(
            """insert into marts.fct_status_intervals values
            ('zendesk:1', 'agent-7', 'account_security', true), ('zendesk:1', 'agent-3', 'account_security', false),
            ('zendesk:2', null, 'content_review', true)"""
        )
    return path


def test_the_watch_lists_open_p0_p1_due_within_the_hour_or_breached(tmp_path):
    hits = sla_watch(_snapshot(tmp_path), NOW)
    assert [(h.escalation_key, h.metric, h.status, h.minutes_left, h.assignee) for h in hits] == [
        ("zendesk:2", "next_reply_time", "breached", -120.0, None),
        ("zendesk:1", "first_reply_time", "due_within_hour", 30.0, "agent-7"),
    ]
    assert (
        hits[0].line()
        == "P1 zendesk:2 next_reply_time: breached 120 min ago (owner unassigned, team content_review)"
    )


def test_the_hourly_job_announces_each_hit_once(tmp_path, monkeypatch):
    for name in ("ESCALATIONS_ALERT_WEBHOOK_URL", "ESCALATIONS_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    _snapshot(tmp_path)
    resources = {"warehouse": WarehouseResource(home=str(tmp_path))}
    config = {"ops": {"watch_slas": {"config": {"now": NOW.isoformat()}}}}
    for _ in range(2):
        result = sla_watch_job.execute_in_process(
            run_config=config, resources=resources, instance=dg.DagsterInstance.ephemeral()
        )
        assert result.success and result.output_for_node("watch_slas") == 2
    report = json.loads((tmp_path / "watch" / "sla_watch.json").read_text())
    assert [h["escalation_key"] for h in report["hits"]] == ["zendesk:2", "zendesk:1"]
    outbox = Outbox(tmp_path / "watch" / "outbox.sqlite")
    assert outbox.pending() == []
    import sqlite3

    with sqlite3.connect(tmp_path / "watch" / "outbox.sqlite") as db:
        assert db.execute("select count(*) from notices where kind = 'sla_watch'").fetchone()[0] == 2
