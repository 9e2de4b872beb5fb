"""The weekly executive brief on a hand-made published snapshot: every section renders, and its
numbers are the ones worked out by hand below.

The snapshot holds only the marts and columns the brief reads (same names and types as the real
marts). The week briefed is 2026-W10 (Mon 2 Mar - Sun 8 Mar 2026); W06-W09 are the trailing weeks.

Hand-computed answers for 2026-W10 (daily KPI rows below):
- created 12 (5 + 7); last week 10; trailing 4 weeks (8, 10, 12, 10) average 10 -> +20.0% both
- solved 9 (4 + 5) vs 10 and 10 -> -10.0%
- SLA attainment (2 + 4) / (2 + 1 + 4 + 1) = 6 / 8 = 75.0%; every earlier week 8 / 10 = 80.0% -> -5.0 pts
  by priority: P0 4/5 = 80.0%, P1 2/3 = 66.7%; by channel: chat 80.0%, email 66.7% (last week 80.0%)
- median first reply over the week's escalations (30, 90, 60 minutes) = 60 = 1h; last week 60; the
  four weeks before 30, 40, 50, 60 -> average 45 -> +15m
- reopen rate 1 / 9 = 11.1% (last week 1 / 10 = 10.0%); CSAT good 3 / 4 = 75.0% (last week 80.0%)
- backlog at the end of Sunday 8 Mar 15 + 10 = 25 (last week 20) -> +25.0%
- P0/P1: zendesk:10 (P1, open, next reply breached) then zendesk:11 (P1, solved, restricted)
- remediation as of 11 Mar, states as the mart's plan_state gives them (the dbt unit test
  fct_remediation_plans_states decides these five plans by the rule): REM-1 overdue (10 days), REM-2 at risk (due in 9 days, 1 of 4 actions done
  with 38 of 47 days gone), REM-5 at risk (1 action past due), REM-3 on track, REM-4 shipped (-40%)
"""

from __future__ import annotations

import json
import re

import dagster as dg
import duckdb
import pytest

from escalations.cli import main
from escalations.report import NoDataError, Week, build_brief, write_brief
from escalations.report.render import duration
from orchestration.report import weekly_brief
from orchestration.resources import WarehouseResource

TRAILING = {"2026-02-02": 8, "2026-02-09": 10, "2026-02-16": 12, "2026-02-23": 10}  # Mondays: created

SNAPSHOT_SQL = [
    "create schema marts",
    """create table marts.fct_escalation_kpis_daily (
        date_day date, channel varchar, priority varchar, created integer, solved integer, reopened integer,
        backlog_open_end_of_day integer, sla_achieved integer, sla_breached integer, csat_good integer,
        csat_bad integer)""",
    # the trailing weeks: flows on Monday, the backlog on Sunday
    *[
        f"""insert into marts.fct_escalation_kpis_daily values
        ('{monday}', 'email', 'P2', {created}, 10, 1, 0, 8, 2, 4, 1),
        (date '{monday}' + 6, 'email', 'P2', 0, 0, 0, 20, 0, 0, 0, 0)"""
        for monday, created in TRAILING.items()
    ],
    """insert into marts.fct_escalation_kpis_daily values
        ('2026-03-02', 'email', 'P1', 5, 4, 1, 0, 2, 1, 2, 1),
        ('2026-03-03', 'chat', 'P0', 7, 5, 0, 0, 4, 1, 1, 0),
        ('2026-03-08', 'email', 'P1', 0, 0, 0, 15, 0, 0, 0, 0),
        ('2026-03-08', 'chat', 'P0', 0, 0, 0, 10, 0, 0, 0, 0)""",
    """create table marts.fct_escalations (
        escalation_key varchar, channel varchar, priority varchar, status_group varchar, is_open boolean,
        issue_category varchar, owning_team varchar, created_at timestamptz, created_date_local date,
        first_reply_at timestamptz, first_resolved_at timestamptz, last_resolved_at timestamptz,
        first_reply_minutes_calendar double, any_sla_breached boolean, is_restricted boolean)""",
    """insert into marts.fct_escalations values
        ('hubspot:1', 'email', 'P3', 'closed', false, 'payments', 'payments', '2026-02-02 10:00:00+00', '2026-02-02',
         '2026-02-02 10:30:00+00', '2026-02-03 10:00:00+00', '2026-02-03 10:00:00+00', 30, false, false),
        ('hubspot:2', 'email', 'P3', 'closed', false, 'payments', 'payments', '2026-02-09 10:00:00+00', '2026-02-09',
         '2026-02-09 10:40:00+00', '2026-02-10 10:00:00+00', '2026-02-10 10:00:00+00', 40, false, false),
        ('hubspot:3', 'email', 'P3', 'closed', false, 'payments', 'payments', '2026-02-16 10:00:00+00', '2026-02-16',
         '2026-02-16 10:50:00+00', '2026-02-17 10:00:00+00', '2026-02-17 10:00:00+00', 50, false, false),
        ('hubspot:4', 'email', 'P3', 'closed', false, 'payments', 'payments', '2026-02-23 10:00:00+00', '2026-02-23',
         '2026-02-23 11:00:00+00', '2026-02-24 10:00:00+00', '2026-02-24 10:00:00+00', 60, false, false),
        ('zendesk:10', 'email', 'P1', 'open', true, 'account_security', 'account_security',
         '2026-03-03 09:00:00+00', '2026-03-03', '2026-03-03 09:30:00+00', null, null, 30, true, false),
        ('zendesk:11', 'law_enforcement', 'P1', 'solved', false, 'account_security', 'account_security',
         '2026-03-04 14:00:00+00', '2026-03-04', '2026-03-04 15:30:00+00', '2026-03-05 14:00:00+00',
         '2026-03-05 14:00:00+00', 90, false, true),
        ('zendesk:12', 'chat', 'P2', 'solved', false, 'payments', 'payments', '2026-03-05 08:00:00+00', '2026-03-05',
         '2026-03-05 09:00:00+00', '2026-03-05 12:00:00+00', '2026-03-05 12:00:00+00', 60, false, false),
        ('zendesk:13', 'chat', 'P2', 'open', true, 'payments', 'payments', '2026-03-10 09:00:00+00', '2026-03-10',
         null, null, null, null, false, false)""",
    """create table marts.fct_status_intervals (
        escalation_key varchar, team varchar, valid_from timestamptz, is_handoff boolean)""",
    """insert into marts.fct_status_intervals values
        ('zendesk:10', 'unassigned', '2026-03-03 09:00:00+00', false),
        ('zendesk:10', 'account_security', '2026-03-03 09:10:00+00', true)""",
    """create table marts.fct_sla_events (
        escalation_key varchar, metric varchar, instance integer, fulfilled_at timestamptz,
        is_breached boolean, breached_at timestamptz, as_of timestamptz)""",
    """insert into marts.fct_sla_events values
        ('zendesk:10', 'first_reply_time', 1, '2026-03-03 09:30:00+00', false, null, '2026-03-11 06:00:00+00'),
        ('zendesk:10', 'next_reply_time', 1, '2026-03-03 12:00:00+00', true, '2026-03-03 11:30:00+00', '2026-03-11 06:00:00+00'),
        ('zendesk:11', 'first_reply_time', 1, '2026-03-04 15:30:00+00', false, null, '2026-03-11 06:00:00+00')""",
    """create table marts.fct_root_cause_drivers (
        week_start date, root_cause varchar, escalations integer, share double, pareto_rank integer,
        change_vs_previous_4_weeks double)""",
    """insert into marts.fct_root_cause_drivers values
        ('2026-02-16', 'login_2fa_failure', 4, 0.5, 1, null),
        ('2026-02-23', 'login_2fa_failure', 5, 0.5, 1, null),
        ('2026-03-02', 'login_2fa_failure', 8, 0.6667, 1, 0.6),
        ('2026-03-02', 'payout_delay_batch_job', 4, 0.3333, 2, -0.2),
        ('2026-03-02', 'appeal_backlog', 0, 0.0, 3, null)""",
    """create table marts.fct_remediation_plans (
        plan_key varchar, title varchar, root_cause varchar, owning_team varchar, status varchar,
        plan_state varchar, opened_at timestamptz, due_at date, shipped_at timestamptz, is_overdue boolean,
        days_past_due integer, actions_total integer, actions_done integer, actions_overdue integer, effect_pct double)""",
    """insert into marts.fct_remediation_plans values
        ('REM-1', 'Fix the 2FA sender', 'login_2fa_failure', 'Identity Engineering', 'In Progress', 'overdue',
         '2026-01-10 00:00:00+00', '2026-03-01', null, true, 10, 3, 1, 1, null),
        ('REM-2', 'Retry payouts', 'payout_delay_batch_job', 'Payments Engineering', 'In Progress', 'at_risk',
         '2026-02-01 00:00:00+00', '2026-03-20', null, false, null, 4, 1, 0, null),
        ('REM-3', 'Appeal queue staffing', 'appeal_backlog', 'Moderation ML', 'In Progress', 'on_track',
         '2026-02-01 00:00:00+00', '2026-06-30', null, false, null, 3, 1, 0, null),
        ('REM-4', 'Password reset loop', 'login_2fa_failure', 'Identity Engineering', 'Done', 'shipped',
         '2026-01-02 00:00:00+00', '2026-02-20', '2026-02-15 12:00:00+00', false, -5, 2, 2, 0, -0.4),
        ('REM-5', 'Payout dashboard', 'payout_delay_batch_job', 'Payments Engineering', 'In Progress', 'at_risk',
         '2026-02-01 00:00:00+00', '2026-05-01', null, false, null, 2, 0, 1, null)""",
    """create table marts.fct_incidents (
        created_at timestamptz, urgency varchar, escalations_linked integer, minutes_to_acknowledge double)""",
    """insert into marts.fct_incidents values
        ('2026-03-04 13:00:00+00', 'high', 5, 4), ('2026-02-25 13:00:00+00', 'low', 3, 9)""",
    """create table marts.fct_metric_alerts (
        alert_key varchar, metric varchar, slice_dimension varchar, slice_value varchar, slice varchar,
        period date, observed double, expected double, lower_bound double, upper_bound double, score double,
        direction varchar, rule varchar, severity varchar, volume double, first_detected_at timestamptz)""",
    """insert into marts.fct_metric_alerts values
        ('a1', 'escalation_volume', 'overall', 'all', 'overall=all', '2026-03-04', 40, 20, 8, 32, 4.5, 'up',
         'beyond_3_sigma', 'high', 40, '2026-03-05 00:00:00+00'),
        ('a2', 'sla_attainment', 'channel', 'chat', 'channel=chat', '2026-03-09', 0.5, 0.8, 0.6, 1.0, -3.2,
         'down', 'beyond_3_sigma', 'medium', 10, '2026-03-10 00:00:00+00')""",
    "create table marts.dim_channel (channel varchar, channel_name varchar)",
    "insert into marts.dim_channel values ('email', 'Email'), ('chat', 'Chat'), ('law_enforcement', 'Law enforcement')",
    "create table marts.dim_issue_category (issue_category varchar, issue_category_name varchar)",
    "insert into marts.dim_issue_category values ('account_security', 'Account security'), ('payments', 'Payments')",
    "create table marts.dim_root_cause (root_cause varchar, root_cause_name varchar)",
    """insert into marts.dim_root_cause values ('login_2fa_failure', 'Two-factor codes not delivered'),
        ('payout_delay_batch_job', 'Payout batch job delayed'), ('appeal_backlog', 'Appeal not reviewed in time')""",
    "create table marts.dim_team (team varchar, team_name varchar)",
    "insert into marts.dim_team values ('account_security', 'Account Security'), ('unassigned', 'Unassigned')",
]


@pytest.fixture
def cli_env(monkeypatch):
    """The CLI exports the paths it resolves: keep them from leaking into later tests."""
    for name in ("ESCALATIONS_HOME", "ESCALATIONS_LANDING", "ESCALATIONS_WAREHOUSE", "DAGSTER_HOME"):
        monkeypatch.setenv(name, "")


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "publish" / "duckdb" / "escalations.duckdb"
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as conn:
        for sql in SNAPSHOT_SQL:
            conn.execute(sql)
    return tmp_path


def _snapshot(home):
    return home / "publish" / "duckdb" / "escalations.duckdb"


def test_the_default_week_is_the_last_complete_one_before_the_data_as_of(home):
    brief = build_brief(_snapshot(home))
    assert brief.week == Week(2026, 10) and not brief.is_partial
    assert brief.data_through.isoformat() == "2026-03-11T06:00:00+00:00"  # the build's clock


def test_the_json_numbers_are_the_hand_computed_ones(home):
    files = write_brief(_snapshot(home), home / "reports", pdf=False)
    data = json.loads(files.json.read_text())
    assert data["week"] == {"label": "2026-W10", "start": "2026-03-02", "end": "2026-03-08"}
    headline = {m["key"]: m for m in data["headline"]}
    expected = {
        "created": (12, 10, 10.0),
        "solved": (9, 10, 10.0),
        "sla_attainment": (0.75, 0.8, 0.8),
        "first_reply_p50": (60, 60, 45.0),
        "reopen_rate": (1 / 9, 0.1, 0.1),
        "csat_good_share": (0.75, 0.8, 0.8),
        "backlog": (25, 20, 20.0),
    }
    for key, (value, last_week, trailing) in expected.items():
        m = headline[key]
        assert (m["value"], m["last_week"], m["trailing_average"]) == pytest.approx(
            (value, last_week, trailing)
        ), key
        assert m["history"][:7] == [None] * 7, f"{key}: weeks before the data began are no baseline"
    assert headline["created"]["history"][7:] == [8, 10, 12, 10, 12]
    assert headline["created"]["change_vs_last_week"] == 2

    assert [(s["key"], s["achieved"], s["breached"]) for s in data["sla_by_priority"]] == [
        ("P0", 4, 1),
        ("P1", 2, 1),
    ]
    channels = {s["key"]: s for s in data["sla_by_channel"]}
    assert list(channels) == ["chat", "email"]  # most verdicts first
    assert (
        channels["chat"]["attainment"] == pytest.approx(0.8)
        and channels["chat"]["last_week_attainment"] is None
    )
    assert channels["email"]["attainment"] == pytest.approx(2 / 3)
    assert channels["email"]["last_week_attainment"] == pytest.approx(0.8)

    assert (data["escalations_total"], data["escalations_open"], data["escalations_breached"]) == (2, 1, 1)
    first, second = data["escalations"]
    assert first["key"] == "zendesk:10" and first["breached_metrics"] == ["next_reply_time"]
    assert [s["kind"] for s in first["steps"]] == [
        "received",
        "handoff",
        "acknowledged",
        "sla_breached",
        "reply",
    ]
    assert second["key"] == "zendesk:11" and second["is_restricted"]
    assert [s["kind"] for s in second["steps"]] == ["received", "acknowledged", "resolved"]

    assert [(r["key"], r["escalations"], r["history"]) for r in data["root_causes"]] == [
        ("login_2fa_failure", 8, [0, 0, 0, 0, 0, 4, 5, 8]),
        ("payout_delay_batch_job", 4, [0, 0, 0, 0, 0, 0, 0, 4]),
    ]
    assert [(p["key"], p["state"]) for p in data["plans"]] == [
        ("REM-1", "overdue"),
        ("REM-2", "at_risk"),
        ("REM-5", "at_risk"),
        ("REM-3", "on_track"),
        ("REM-4", "shipped"),
    ]
    assert data["incidents"] == {
        "count": 1,
        "high_urgency": 1,
        "escalations_linked": 5,
        "median_minutes_to_acknowledge": 4.0,
    }
    assert [(a["metric"], a["period"]) for a in data["alerts"]] == [("escalation_volume", "2026-03-04")]
    assert files.latest.read_text() == files.html.read_text()


def test_the_html_has_every_section_and_the_hand_checked_numbers(home):
    html = write_brief(_snapshot(home), home / "reports", Week(2026, 10), pdf=False).html.read_text()
    # the words a reader sees: no tags, no chart titles
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<title>.*?</title>", "", html)))
    for heading in (
        "Headline",
        "SLA attainment",
        "P0/P1 escalations",
        "Top root causes",
        "Remediation plans",
        "Alerts of the week",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "Week 10: 2 Mar – 8 Mar 2026" in text
    for card in (
        "Escalations created 12 ▲ 20.0% vs last wk ▲ 20.0% vs 4-wk avg",
        "Solved 9 ▼ 10.0% vs last wk ▼ 10.0% vs 4-wk avg",
        "SLA attainment 75.0% ▼ 5.0 pts vs last wk ▼ 5.0 pts vs 4-wk avg",
        "Median first reply 1h = no change vs last wk ▲ 15m vs 4-wk avg",
        "Reopen rate 11.1% ▲ 1.1 pts vs last wk ▲ 1.1 pts vs 4-wk avg",
        "CSAT good 75.0% ▼ 5.0 pts vs last wk ▼ 5.0 pts vs 4-wk avg",
        "Backlog at week end 25 ▲ 25.0% vs last wk ▲ 25.0% vs 4-wk avg",
        "Platform incidents 1 1 high urgency",
    ):
        assert card in text, card
    assert "P0 5 verdicts 80.0%" in text and "P1 3 verdicts 66.7%" in text
    assert "Email 66.7% 3 ▼ 13.3 pts" in text
    assert "2 P0/P1 escalations created this week: 1 still open, 1 with an SLA breached." in text
    assert (
        "Open 1 SLA breached zendesk:10 · Account security · Email · Account Security Received Tue 03 Mar 09:00 "
        "→ Account Security +10m Acknowledged +30m Next reply SLA breached +2h 30m Reply +3h"
    ) in text
    assert "Restricted zendesk:11" in text and "Resolved +1d" in text
    assert "Two-factor codes not delivered 8 66.7% +60%" in text
    assert "Overdue: 1 At risk: 2 On track: 1" in text
    assert "Fix the 2FA sender REM-1 · Identity Engineering · due 1 Mar 2026 · 10 days past due" in text
    assert (
        "Retry payouts REM-2 · Payments Engineering · due 20 Mar 2026 · due in 9 days, 1 of 4 actions done"
        in text
    )
    assert "Payout dashboard REM-5 · Payments Engineering · due 1 May 2026 · 1 action past due" in text
    assert "Password reset loop REM-4 · 15 Feb 2026 · effect on its root cause -40%" in text
    assert "High Escalation volume ▲ All escalations Wed 4 Mar 40 20" in text
    assert "Channel: Chat" not in text  # the alert of 9 Mar is next week's
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org", "")  # self-contained


def test_without_the_alert_table_the_section_says_so(home):
    with duckdb.connect(str(_snapshot(home))) as conn:
        conn.execute("drop table marts.fct_metric_alerts")
    brief = build_brief(_snapshot(home))
    assert brief.alerts is None
    html = write_brief(_snapshot(home), home / "reports", pdf=False).html.read_text()
    assert "Alert table not built" in html


def test_a_week_without_escalations_is_a_clear_error(home):
    with pytest.raises(NoDataError, match="no escalations were created in 2026-W20"):
        build_brief(_snapshot(home), Week(2026, 20))


def test_the_pdf_is_skipped_with_a_reason_without_chromium(home, monkeypatch):
    monkeypatch.setenv("ESCALATIONS_CHROMIUM", "no-such-chromium-binary")
    files = write_brief(_snapshot(home), home / "reports")
    assert files.pdf is None and "no Chromium found" in files.pdf_skipped
    assert not (home / "reports" / "brief-2026-W10.pdf").exists()


@pytest.mark.parametrize(
    ("week", "message"),
    [("2026-43", "not an ISO week: '2026-43'"), ("2026-W54", "2026 has no ISO week 54")],
)
def test_the_cli_rejects_a_bad_week(home, capsys, cli_env, week, message):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--home", str(home), "--week", week])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_the_cli_writes_the_brief_and_says_so_for_a_week_without_data(home, capsys, cli_env):
    assert main(["report", "--home", str(home), "--no-pdf"]) == 0
    assert "brief-2026-W10.html" in capsys.readouterr().out
    assert main(["report", "--home", str(home), "--week", "2026-W20", "--no-pdf"]) == 2
    assert "error: no escalations were created in 2026-W20" in capsys.readouterr().err


def test_the_asset_writes_the_brief_with_metadata(home):
    result = dg.materialize(
        [weekly_brief],
        resources={"warehouse": WarehouseResource(home=str(home))},
        run_config={"ops": {"report__weekly_brief": {"config": {"pdf": False}}}},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["week"].value == "2026-W10"
    assert metadata["headline"].value["sla_attainment"] == pytest.approx(0.75)
    assert "| SLA attainment | 75.0% | ▼ 5.0 pts | ▼ 5.0 pts |" in metadata["preview"].value
    assert (home / "reports" / "brief-latest.html").exists()


def test_durations_read_like_people_write_them():
    assert [duration(m) for m in (0.2, 42, 72, 120, 1440, 1530, 3000)] == [
        "<1m",
        "42m",
        "1h 12m",
        "2h",
        "1d",
        "1d 2h",
        "2d 2h",
    ]


VOICE_SQL = [
    """create table marts.fct_emerging_themes (
        week_start date, theme_key varchar, label varchar, language varchar, escalations integer, share double,
        baseline_share double, score double, is_emerging boolean, is_newly_emerging boolean,
        escalations_uncategorized integer, top_issue_category varchar, example_escalation_keys varchar,
        first_seen_week date)""",
    """insert into marts.fct_emerging_themes values
        ('2026-03-02', 'en-bbbb', 'dubbing, ai', 'en', 9, 0.05, 0.01, 3.8, true, false, 8, 'unknown',
         'zendesk:7', '2026-02-16'),
        ('2026-03-02', 'en-aaaa', 'payout, 0.00, withdraw', 'en', 12, 0.1, 0.004, 5.1, true, true, 7,
         'monetization', 'zendesk:1, zendesk:2', '2026-02-23'),
        ('2026-03-02', 'en-cccc', 'appeal, reviewed', 'en', 30, 0.2, 0.2, 0.1, false, false, 0,
         'content_moderation', 'zendesk:3', '2026-01-05'),
        ('2026-02-23', 'en-dddd', 'upload, fails', 'en', 15, 0.1, 0.01, 4.0, true, true, 0,
         'creator_tools', 'zendesk:4', '2026-02-16')""",
    "create table marts.fct_voice_of_creator (week_start date, requester_type varchar, market varchar, "
    "csat_good integer, csat_responses integer)",
    # the 4 weeks before: mega US 9 of 10 good each week, user US 8 of 10, nano BR 5 of 6
    *[
        f"""insert into marts.fct_voice_of_creator values ('{monday}', 'creator_mega', 'US', 9, 10),
            ('{monday}', 'user', 'US', 8, 10), ('{monday}', 'creator_nano', 'BR', 5, 6)"""
        for monday in TRAILING
    ],
    """insert into marts.fct_voice_of_creator values ('2026-03-02', 'creator_mega', 'US', 6, 12),
        ('2026-03-02', 'user', 'US', 16, 20), ('2026-03-02', 'creator_nano', 'BR', 9, 10),
        ('2026-03-02', 'creator_micro', 'JP', 1, 5)""",
]


def test_the_voice_section_lists_new_themes_and_the_satisfaction_that_moved_most(home):
    brief = build_brief(_snapshot(home))
    assert brief.voice is None
    assert (
        "Voice marts not built" in write_brief(_snapshot(home), home / "reports", pdf=False).html.read_text()
    )
    with duckdb.connect(str(_snapshot(home))) as conn:
        for sql in VOICE_SQL:
            conn.execute(sql)
    files = write_brief(_snapshot(home), home / "reports", Week(2026, 10), pdf=False)
    voice = json.loads(files.json.read_text())["voice"]
    # emerging in W10, newly emerging first: en-aaaa, then en-bbbb (en-cccc is not, en-dddd was last week)
    assert [t["key"] for t in voice["themes"]] == ["en-aaaa", "en-bbbb"]
    # CSAT good against the 4 weeks before: mega 6/12 = 50% vs 36/40 = 90% (-40 pts); market US 22/32 =
    # 68.75% vs 68/80 = 85% (-16.25); BR and nano 9/10 = 90% vs 20/24 = 83.3% (+6.7); user US 80% vs 80%
    # (0: fifth); JP 5 ratings (too few)
    movers = [
        (m["dimension"], m["slice"], round(m["good_rate"] - m["baseline_good_rate"], 4))
        for m in voice["movers"]
    ]
    assert movers == [
        ("requester_type", "creator_mega", -0.4),
        ("market", "US", -0.1625),
        ("market", "BR", 0.0667),
        ("requester_type", "creator_nano", 0.0667),
    ]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", files.html.read_text()))
    assert (
        "New payout, 0.00, withdraw en · 12 escalations, 10.0% of the week (usually 0.4%) · 7 filed as "
        "uncategorized · mostly Monetization · e.g. zendesk:1, zendesk:2"
    ) in text
    assert "Requester type: Creator mega 50.0% ▼ 40.0 pts 12" in text
    assert "Market: US 68.8% ▼ 16.2 pts 32" in text
