"""A small generated world built end to end in a temp folder, through the Dagster definitions.

Proves: one fct_escalations row per non-deleted escalation, every injected bad record in
quarantine with its reason, a second run on the same landing zone leaves every mart identical,
and a Zendesk-only landing zone builds.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from escalations.cli import run_pipeline
from escalations.config import DBT_PROJECT_DIR, resolve_paths
from escalations.dbt_runner import run_dbt_process
from escalations.generator import generate
from escalations.ingestion import load_landing

# open SLA clocks are measured to this instant in every run here, so runs are reproducible
AS_OF = "2026-03-01T00:00:00Z"

# loaded but mapped (not quarantined), or kinds whose loader reason differs in name
_NOT_QUARANTINED = {"unknown_enum"}
_REASONS = {
    "truncated": {"truncated"},
    "malformed": {"malformed", "not_an_object"},
    "missing_id": {"missing_id"},
    "timestamp_without_zone": {"timestamp_without_zone"},
    "wrong_type": {"wrong_type", "bad_timestamp"},
    "duplicate": {"duplicate"},
    "stale_version": {"stale_version"},
    "out_of_range": {"out_of_range"},
    "too_deep": {"too_deep"},
    "encoding": {"encoding"},
}


def _marts(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {n: conn.execute(f"select * from marts.{n} order by all").fetchall() for n in names}


OLD_DBT_RUNS = 6  # left by earlier runs; more than ESCALATIONS_DBT_KEEP_RUNS (5)
STARTED: list[float] = []  # when the world's run started


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    generate(home / "landing", seed=11, escalations=600, days=45)
    paths = resolve_paths(home)
    for n in range(OLD_DBT_RUNS):  # run folders of earlier runs, oldest first
        old = paths.dbt_targets / f"old-run-{n}" / "dbt_models"
        old.mkdir(parents=True)
        (old / "dbt.log").write_text("an earlier run")
        os.utime(old.parent, (1_700_000_000 + n * 3600,) * 2)
    started = time.time()
    assert run_pipeline(paths, AS_OF, log_file=paths.logs / "run.log"), (
        "the pipeline failed on a small generated world"
    )
    STARTED.append(started)
    return paths


def test_a_run_leaves_its_dbt_target_in_the_home_and_prunes_old_ones(world):
    runs = {d.name: d for d in world.dbt_targets.iterdir()}
    new = [name for name in runs if not name.startswith("old-run-")]
    assert len(new) == 1, runs  # this run's folder, named by its run id
    (run,) = new
    for step in ("dbt_models", "dbt_voice_models"):
        assert (runs[run] / step / "run_results.json").is_file(), step
        assert "OK created" in (runs[run] / step / "dbt.log").read_text()
    # the 5 newest runs are kept: this one and the 4 newest earlier ones
    assert sorted(name for name in runs if name.startswith("old-run-")) == [
        f"old-run-{n}" for n in range(OLD_DBT_RUNS - 4, OLD_DBT_RUNS)
    ]
    # and dbt wrote nothing of this run into the project (dagster-dbt's default would be
    # target/<step>-<first 7 characters of the run id>-<hash>); other processes may run dbt
    written = [p.name for p in (DBT_PROJECT_DIR / "target").glob(f"*-{run[:7]}-*")]
    assert written == []
    assert not (DBT_PROJECT_DIR / "logs").exists() or all(
        p.stat().st_mtime < STARTED[0] for p in (DBT_PROJECT_DIR / "logs").iterdir()
    )


def test_the_dbt_unit_tests_pass(world, tmp_path):
    """dbt's unit tests (hand-made rows beside the models) check logic, not data: the nightly
    build leaves them out, so they run here, on the built warehouse (their models' inputs exist)."""
    build = run_dbt_process(tmp_path, world.warehouse, "test", "--select", "test_type:unit", as_of=AS_OF)
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    assert len(results) >= 40, "every unit test of the project ran"
    assert all(r["status"] == "pass" for r in results), [
        r["unique_id"] for r in results if r["status"] != "pass"
    ]
    assert build.returncode == 0


def test_a_model_not_null_test_counts_the_nulls_of_every_listed_column(world, tmp_path):
    """A model's never-null columns are one not_null_columns test (docs/quality.md): 3 nulls
    planted in fct_escalations.channel and 2 in its priority fail that test with 5 failures, one
    stored row per column; an unlisted column's nulls (first_reply_at) are not its business."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(world.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        keys = [
            r[0]
            for r in conn.execute(
                "select escalation_key from marts.fct_escalations order by 1 limit 5"
            ).fetchall()
        ]
        conn.execute(
            "update marts.fct_escalations set channel = null where escalation_key in (?, ?, ?)", keys[:3]
        )
        conn.execute(
            "update marts.fct_escalations set priority = null where escalation_key in (?, ?)", keys[3:]
        )
        conn.execute("update marts.fct_escalations set first_reply_at = null")
    select = "test_name:not_null_columns,fct_escalations"
    run = run_dbt_process(tmp_path, warehouse, "test", "--select", select, "--store-failures", check=False)
    (result,) = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    assert (result["status"], result["failures"]) == ("fail", 5)
    assert run.returncode == 1
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        (stored,) = [
            r[0]
            for r in conn.execute(
                "select table_schema || '.' || table_name from information_schema.tables "
                "where table_name like 'not_null_columns_fct_escalations%'"
            ).fetchall()
        ]
        assert conn.execute(f"select * from {stored} order by 1").fetchall() == [
            ("channel", 3),
            ("priority", 2),
        ]


def test_the_nightly_build_leaves_the_unit_tests_out(world):
    for run in (d for d in world.dbt_targets.iterdir() if not d.name.startswith("old-run-")):
        for step in ("dbt_models", "dbt_voice_models"):
            ran = json.loads((run / step / "run_results.json").read_text())["results"]
            assert ran and not [r for r in ran if r["unique_id"].startswith("unit_test.")], (run, step)


def test_the_run_log_holds_every_event_and_dbt_line(world):
    log = (world.logs / "run.log").read_text()
    assert "STEP_START" in log and "dbt_models" in log and "OK created" in log
    assert "RUN_SUCCESS" in log or "PIPELINE_SUCCESS" in log


def test_one_row_per_non_deleted_escalation(world):
    truth = json.loads((world.landing / "_generator" / "truth.json").read_text())
    expected = truth["escalations_non_deleted"]
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        rows = dict(
            conn.execute("select source_system, count(*) from marts.fct_escalations group by 1").fetchall()
        )
        dupes = conn.execute(
            "select count(*) - count(distinct escalation_key) from marts.fct_escalations"
        ).fetchone()[0]
    assert dupes == 0
    assert rows == {k: v for k, v in expected.items() if v}


def test_every_injected_bad_record_is_quarantined_with_a_reason(world):
    planted = [
        json.loads(line)
        for line in (world.landing / "_generator" / "bad_records.jsonl").read_text().splitlines()
        if line.strip()
    ]
    assert {p["kind"] for p in planted} >= set(_REASONS), "the generator should plant every kind"
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        quarantined = {
            (f, p): r
            for f, p, r in conn.execute(
                "select source_file, position, reason from raw._quarantine"
            ).fetchall()
        }
        reconcile = conn.execute(
            "select sum(records_read) = sum(records_loaded + records_quarantined + records_superseded)"
            " from raw._ingested_files"
        ).fetchone()[0]
    assert reconcile
    missing = []
    for p in planted:
        if p["kind"] in _NOT_QUARANTINED:
            continue
        reason = quarantined.get((p["file"], p["position"]))
        if reason not in _REASONS[p["kind"]]:
            missing.append((p, reason))
    assert not missing, missing[:5]


FULL_PARSE = "Unable to do partial parsing"  # what dbt logs before it parses the whole project


def test_a_second_run_leaves_every_mart_identical(world):
    before = _marts(world.warehouse)
    assert "fct_escalations" in before and before["fct_escalations"]
    first = {d.name for d in world.dbt_targets.iterdir()}
    assert run_pipeline(world, AS_OF)
    assert _marts(world.warehouse) == before
    # dbt parsed the whole project once, in the first build of the first run: the second build
    # and every build of the next run started from the home's parse state
    assert (world.dbt_targets.parent / "partial_parse.msgpack").is_file()
    (second,) = {d.name for d in world.dbt_targets.iterdir()} - first
    (first_run,) = {name for name in first if not name.startswith("old-run-")}
    for run, step in ((first_run, "dbt_voice_models"), (second, "dbt_models"), (second, "dbt_voice_models")):
        folder = world.dbt_targets / run / step
        # dbt rolls its log over at 10 MB: the parse is logged at the start, in the older file
        log = "".join(f.read_text() for f in (folder / "dbt.log.1", folder / "dbt.log") if f.exists())
        assert "PartialParsingEnabled" in log and FULL_PARSE not in log, (run, step)


def test_a_zendesk_only_landing_zone_builds(world, tmp_path):
    shutil.copytree(world.landing / "zendesk", tmp_path / "landing" / "zendesk")
    paths = resolve_paths(tmp_path)
    assert run_pipeline(paths, AS_OF)
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        systems = {
            r[0] for r in conn.execute("select distinct source_system from marts.fct_escalations").fetchall()
        }
    assert systems == {"zendesk"}


def test_sla_verdicts_agree_with_the_tools_outside_planted_disagreements(world):
    """The generator's tools judge SLAs on their own clocks; ours must agree except where it planted
    a disagreement (a Zendesk policy other than the conditions pick; a Salesforce milestone not
    re-applied after a priority change), and every planted one must show in the report."""
    planted = [
        json.loads(line)
        for line in (world.landing / "_generator" / "sla_disagreements.jsonl").read_text().splitlines()
        if line.strip()
    ]
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        compared, agreeing = conn.execute(
            "select sum(instances_compared), sum(instances_agreeing) from marts.rpt_sla_vendor_agreement"
        ).fetchone()
        reported = conn.execute(
            "select distinct escalation_key, metric, difference from marts.rpt_sla_vendor_reconciliation"
        ).fetchall()
    assert compared > 1000
    reported_keys = {k for k, _, _ in reported}
    planted_keys = {p["escalation_key"] for p in planted}
    assert reported_keys <= planted_keys, sorted(reported_keys - planted_keys)[:5]
    assert planted_keys <= reported_keys, sorted(planted_keys - reported_keys)[:5]
    salesforce = {(p["escalation_key"], p["metric"]) for p in planted if p["kind"].startswith("salesforce")}
    assert salesforce == {(k, m) for k, m, d in reported if k.startswith("salesforce:") and d == "target"}
    zendesk = {p["escalation_key"] for p in planted if p["kind"].startswith("zendesk")}
    assert zendesk == {k for k, _, d in reported if d == "policy"}
    # verdicts differ only on escalations with a planted disagreement
    verdicts = {k for k, _, d in reported if d == "verdict"}
    assert verdicts <= planted_keys
    assert compared - agreeing == len({(k, m) for k, m, d in reported if d == "verdict"})


def test_sla_account_settings_are_in_force(world):
    """The demo account's settings (docs/sla.md) reach the marts as the generator's tools applied
    them: every date and minute the Salesforce Holidays close (recurring, partial, past midnight)
    on the schedules they belong to; the tickets a trigger moved to another schedule; the cases
    stopped in Pending Vendor; milestones' running and stopped minutes equal the tool's; HubSpot
    goals on the pipeline's hours give the generator's verdicts."""
    truth = json.loads((world.landing / "_generator" / "truth.json").read_text())
    accounts = truth["sla_accounts"]
    first, last = truth["world"]["start"][:10], truth["world"]["end"][:10]
    bh_ids = {region: v["id"] for region, v in accounts["salesforce"]["business_hours"].items()}
    expected = {
        (f"salesforce:{bh_ids[region]}", d, a, b)
        for h in accounts["salesforce"]["holidays"]
        for region in h["regions"]
        for d, a, b in h["closes_in_world"]
        if first <= d < last
    }
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        closed = {
            (k, str(d), a, b)
            for k, d, a, b in conn.execute(
                "select schedule_key, holiday_date, start_minute, end_minute from intermediate.int_sla__schedule_holidays "
                "where schedule_key like 'salesforce:%' and holiday_date >= ? and holiday_date < ?",
                [first, last],
            ).fetchall()
        }
        moved = conn.execute(
            "select count(distinct s.escalation_key) from intermediate.int_escalations__schedule_stretches s "
            "join marts.fct_escalations e using (escalation_key) where s.stretch_number > 1 and s.set_by = 'trigger'"
        ).fetchone()[0]
        vendor_held = conn.execute(
            "select count(distinct c.escalation_key) from intermediate.int_escalations__status_changes c "
            "join marts.fct_escalations e using (escalation_key) where c.source_status = 'Pending Vendor'"
        ).fetchone()[0]
        elapsed_compared, elapsed_agreeing = conn.execute(
            "select sum(elapsed_compared), sum(elapsed_agreeing) from marts.rpt_sla_vendor_agreement"
        ).fetchone()
        hubspot = {
            (metric, "breached" if breached else "achieved"): n
            for metric, breached, n in conn.execute(
                "select metric, is_breached, count(*) from marts.fct_sla_events "
                "where escalation_key like 'hubspot:%' and fulfilled_at is not null group by all"
            ).fetchall()
        }
    assert any(h["partial_minutes"] for h in accounts["salesforce"]["holidays"] if h["closes_in_world"])
    assert closed == expected, (sorted(expected - closed)[:5], sorted(closed - expected)[:5])
    assert moved == accounts["zendesk_tickets_moved_to_another_schedule"] > 0
    assert vendor_held == accounts["salesforce_cases_stopped_pending_vendor"] > 0
    assert elapsed_compared > 100 and elapsed_agreeing == elapsed_compared
    outcomes = accounts["hubspot_sla_outcomes"]
    assert hubspot == {(m, o): n for m, by in outcomes.items() for o, n in by.items() if n}


def test_status_intervals_and_sla_events_cover_every_escalation(world):
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        missing = conn.execute(
            "select count(*) from marts.fct_escalations e where not exists "
            "(select 1 from marts.fct_status_intervals i where i.escalation_key = e.escalation_key)"
        ).fetchone()[0]
        without_first_reply_sla = conn.execute(
            "select count(*) from marts.fct_escalations e where not exists (select 1 from marts.fct_sla_events s "
            "where s.escalation_key = e.escalation_key and s.metric = 'first_reply_time')"
        ).fetchone()[0]
        duplicate_keys = conn.execute(
            "select count(*) - count(distinct sla_event_key) from marts.fct_sla_events"
        ).fetchone()[0]
    assert missing == 0
    assert without_first_reply_sla == 0
    assert duplicate_keys == 0


def test_analysis_marts_reconcile_and_find_the_planted_drivers(world):
    truth = json.loads((world.landing / "_generator" / "truth.json").read_text())
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        created, backlog_last = conn.execute(
            "select sum(created), sum(backlog_open_end_of_day) filter (where date_day = "
            "(select max(date_day) from marts.fct_escalation_kpis_daily where backlog_open_end_of_day > 0)) "
            "from marts.fct_escalation_kpis_daily"
        ).fetchone()
        escalations, open_now = conn.execute(
            "select count(*), count(*) filter (where is_open) from marts.fct_escalations"
        ).fetchone()
        top = [
            r[0]
            for r in conn.execute(
                "select root_cause from marts.fct_root_cause_drivers group by 1 order by sum(escalations) desc, 1 limit 3"
            ).fetchall()
        ]
        incidents = {r[0] for r in conn.execute("select incident_key from marts.fct_incidents").fetchall()}
        plans = dict(conn.execute("select plan_key, is_overdue from marts.fct_remediation_plans").fetchall())
    assert created == escalations
    assert backlog_last <= open_now  # escalations open now, counted at the end of their market's last day
    assert top == [p["root_cause"] for p in truth["root_cause_pareto"][:3]]
    assert set(top) <= set(truth["recurring_driver_root_causes"])
    assert incidents == {i["id"] for i in truth["incidents"]}
    assert plans == {p["key"]: p["is_overdue"] for p in truth["remediation_plans"]}


def test_without_metric_events_the_policies_give_the_same_verdicts(world, tmp_path):
    """Drop Zendesk's metric events: the engine then applies the first matching policy itself (at
    creation and at every priority change) and must reach the tool's own verdicts, except on the
    tickets where the generator planted an applied policy that differs from the conditions."""
    landing = tmp_path / "landing"
    shutil.copytree(world.landing, landing, ignore=shutil.ignore_patterns("ticket_metric_events"))
    paths = resolve_paths(tmp_path, landing=landing)
    # the SLA events and what they are built from (seeds included), as the run's dbt build makes
    # them; the whole run without a source is test_a_zendesk_only_landing_zone_builds
    load_landing(paths.warehouse, landing)
    run_dbt_process(
        tmp_path,
        paths.warehouse,
        "build",
        "--select",
        "+fct_sla_events",
        "--exclude-resource-type",
        "test",
        "unit_test",
        as_of=AS_OF,
    )
    planted = {
        json.loads(line)["escalation_key"]
        for line in (world.landing / "_generator" / "sla_disagreements.jsonl").read_text().splitlines()
        if line.strip()
    }
    query = (
        "select sla_event_key, metric, policy_key, target_minutes, is_business_hours, is_breached, breached_at "
        "from marts.fct_sla_events where escalation_key like 'zendesk:%' order by 1"
    )
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        recorded = {r[0]: r[1:] for r in conn.execute(query).fetchall()}
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        matched = {r[0]: r[1:] for r in conn.execute(query).fetchall()}
        applied_by = {
            r[0]
            for r in conn.execute(
                "select distinct applied_by from marts.fct_sla_events where escalation_key like 'zendesk:%'"
            ).fetchall()
        }
    assert applied_by == {"policy_match"}
    keys = {k for k in recorded if k.rsplit(":", 2)[0] not in planted}
    assert len(keys) > 500
    differing = sorted(k for k in keys if matched.get(k) != recorded[k])
    assert not differing, [(k, recorded[k], matched.get(k)) for k in differing[:3]]
    # and nothing appears that the tool never applied
    extra = sorted(k for k in matched if k not in recorded and k.rsplit(":", 2)[0] not in planted)
    assert not extra, extra[:5]
