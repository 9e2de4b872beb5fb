"""The Dagster code location: Definitions load, lineage, checks, the nightly schedule and the sensor."""

from __future__ import annotations

import shutil
from datetime import datetime
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from escalations.ingestion import TABLES
from orchestration.definitions import defs
from orchestration.resources import WarehouseResource
from orchestration.schedules import new_landing_files, nightly_schedule

SAMPLES = Path(__file__).parent / "fixtures" / "samples"


@pytest.fixture(scope="module")
def asset_graph():
    return defs.resolve_asset_graph()


def test_every_raw_table_is_an_ingestion_asset(asset_graph):
    for spec in TABLES:
        node = asset_graph.get(dg.AssetKey(["raw", spec.name]))
        assert node.group_name == "ingestion"
        assert node.owners


def test_lineage_runs_raw_to_staging_to_marts(asset_graph):
    fct = dg.AssetKey(["marts", "fct_escalations"])
    upstream = asset_graph.get_ancestor_asset_keys(fct)
    assert dg.AssetKey(["raw", "zendesk_tickets"]) in upstream
    assert dg.AssetKey(["raw", "salesforce_case"]) in upstream
    assert dg.AssetKey(["raw", "hubspot_tickets"]) in upstream
    assert any(k.path[0] == "staging" for k in upstream)
    assert any(k.path[0] == "intermediate" for k in upstream)
    assert asset_graph.get(fct).group_name == "marts"


def test_the_voice_step_sits_between_the_two_dbt_builds(asset_graph):
    redacted = dg.AssetKey(["restricted", "redacted_text"])
    themes = dg.AssetKey(["voice", "text_themes"])
    assert asset_graph.get(redacted).group_name == asset_graph.get(themes).group_name == "voice"
    assert dg.AssetKey(["raw", "zendesk_tickets"]) in asset_graph.get_ancestor_asset_keys(redacted)
    upstream = asset_graph.get_ancestor_asset_keys(themes)
    assert {redacted, dg.AssetKey(["marts", "fct_escalations"])} <= upstream
    after = {
        dg.AssetKey(["marts", name])
        for name in ("fct_emerging_themes", "fct_voice_of_creator", "fct_metric_alerts")
    }
    for key in after:
        assert themes in asset_graph.get_ancestor_asset_keys(key)
    job = defs.resolve_job_def("materialize_everything")
    steps = {node.name for node in job.graph.nodes}
    assert {"dbt_models", "dbt_voice_models", "voice_themes", "restricted__redacted_text"} <= steps
    assert not {name for name in steps if name.startswith("dbt_models_")}  # no split of the dbt build
    assert dg.AssetKey(["marts", "fct_calls"]) in asset_graph.get_ancestor_asset_keys(
        dg.AssetKey(["marts", "fct_escalation_kpis_daily"])
    )


def test_dashboards_from_dbt_exposures_sit_downstream_of_the_marts(asset_graph):
    dashboards = {k.path[1]: k for k in asset_graph.get_all_asset_keys() if k.path[0] == "dashboards"}
    assert {"escalations_command_center", "rca_and_remediation_workbook", "sla_compliance_report"} <= set(
        dashboards
    )
    sla_report = asset_graph.get(dashboards["sla_compliance_report"])
    assert dg.AssetKey(["marts", "fct_sla_events"]) in sla_report.parent_keys
    assert dg.AssetKey(["publish", "postgres_bi"]) in sla_report.parent_keys  # Power BI reads Postgres
    publish_parquet = asset_graph.get(dg.AssetKey(["publish", "parquet"]))
    assert dg.AssetKey(["marts", "fct_escalations"]) in publish_parquet.parent_keys
    assert dg.AssetKey(["raw", "zendesk_ticket_metric_events"]) in asset_graph.get_ancestor_asset_keys(
        sla_report.key
    )
    workbook = asset_graph.get(dashboards["rca_and_remediation_workbook"])
    assert dg.AssetKey(["marts", "fct_remediation_plans"]) in workbook.parent_keys
    assert not workbook.is_materializable  # Tableau and Power BI refresh on their own


def test_dbt_tests_and_gx_suite_are_asset_checks(asset_graph):
    fct = dg.AssetKey(["marts", "fct_escalations"])
    checks = {k.name: k for k in asset_graph.asset_check_keys if k.asset_key == fct}
    assert "gx_fct_escalations" in checks
    assert any(name.startswith(("unique_", "not_null_")) for name in checks), sorted(checks)
    from orchestration.quality import quality_checks

    specs = [s for c in quality_checks for s in c.check_specs if s.key == checks["gx_fct_escalations"]]
    assert specs and all(s.blocking for s in specs)
    # every check of the marts BI tools read is blocking: GX, personal data, reconciliations
    gates = [c for c in quality_checks if c.node_def.name.endswith("marts_gate")]
    assert len(gates) == 2 and all(s.blocking for c in gates for s in c.check_specs)
    assert {s.key.name for c in gates for s in c.check_specs} >= {"personal_data_scan", "reconciles_with_raw"}
    # a singular dbt test over several marts shows as a check of the mart it reconciles
    kpis = dg.AssetKey(["marts", "fct_escalation_kpis_daily"])
    assert dg.AssetCheckKey(kpis, "assert_backlog_matches_status_clock") in asset_graph.asset_check_keys


def test_the_dbt_resource_skips_only_what_dagster_dbt_would_do_in_vain(tmp_path):
    """DbtResource replaces two private members of DbtCliResource (orchestration/resources.py): if
    an upgrade renames them, the overrides would silently stop saving anything, so they must exist."""
    from dagster_dbt import DbtCliResource
    from dbt.version import __version__

    from orchestration.resources import DbtResource

    assert isinstance(DbtCliResource.__dict__["_cli_version"], cached_property)
    assert callable(DbtCliResource.__dict__["_initialize_dbt_core_adapter"])
    dbt = defs.resources["dbt"] if hasattr(defs, "resources") else None
    dbt = (
        dbt
        if isinstance(dbt, DbtResource)
        else DbtResource(warehouse=WarehouseResource(home=str(tmp_path)), project_dir=str(tmp_path))
    )
    assert str(dbt._cli_version) == __version__ and dbt._cli_version.major < 2  # dbt Core, not Fusion


def test_nightly_schedule_runs_everything_at_two_in_los_angeles():
    assert nightly_schedule.cron_schedule == "0 2 * * *"
    assert nightly_schedule.execution_timezone == "America/Los_Angeles"
    when = datetime(2026, 11, 24, 2, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    with dg.build_schedule_context(scheduled_execution_time=when) as ctx:
        data = nightly_schedule.evaluate_tick(ctx)
    assert len(data.run_requests) == 1
    assert nightly_schedule.job_name == "materialize_everything"


def test_sensor_requests_a_run_only_when_files_change(tmp_path):
    landing = tmp_path / "landing"
    resources = {"warehouse": WarehouseResource(home=str(tmp_path), landing=str(landing))}
    with dg.build_sensor_context(resources=resources) as ctx:
        assert isinstance(new_landing_files(ctx), dg.SkipReason)  # nothing landed yet
    shutil.copytree(SAMPLES, landing)
    with dg.build_sensor_context(resources=resources) as ctx:
        first = new_landing_files(ctx)
        cursor = ctx.cursor
    assert isinstance(first, dg.RunRequest) and first.run_key == cursor
    with dg.build_sensor_context(resources=resources, cursor=cursor) as ctx:
        assert isinstance(new_landing_files(ctx), dg.SkipReason)
    (landing / "zendesk/tickets/page-0002.json").write_text('{"tickets": []}')
    with dg.build_sensor_context(resources=resources, cursor=cursor) as ctx:
        again = new_landing_files(ctx)
    assert isinstance(again, dg.RunRequest) and again.run_key != cursor
