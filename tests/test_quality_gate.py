"""The quality gate holds: faults planted in a real warehouse fail their check, the metadata names
the problem, and the asset downstream of the checked one (where publishing will sit) does not run.

One small world is built end to end once; each test copies its warehouse, plants one fault, and
runs the real check in a Dagster job with the checked asset and one downstream asset.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from escalations.cli import run_pipeline
from escalations.config import resolve_paths
from escalations.dbt_runner import run_dbt_process
from escalations.generator import generate
from orchestration.quality import quality_checks
from orchestration.resources import run_resources

AS_OF = "2026-03-01T00:00:00Z"
DBT_GATE_TESTS = (
    "unique_fct_escalations_escalation_key",
    "assert_business_time_within_calendar_time",
    "assert_backlog_matches_status_clock",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    home = tmp_path_factory.mktemp("gate")
    generate(home / "landing", seed=5, escalations=400, days=40)
    paths = resolve_paths(home)
    assert run_pipeline(paths, AS_OF), "the pipeline failed on a small world"
    return paths


def _check(asset: list[str], name: str) -> dg.AssetChecksDefinition:
    key = dg.AssetCheckKey(dg.AssetKey(asset), name)
    for c in quality_checks:
        if key in c.check_keys:
            return c
    raise LookupError(key)


def _run(home: Path, warehouse: Path, asset: list[str], check: str):
    """Materialize a stand-in for the checked asset, its check, and one asset downstream."""

    @dg.asset(key=asset)
    def checked() -> None:
        return None

    @dg.asset(key=["publish", "downstream"], deps=[dg.AssetKey(asset)])
    def downstream() -> None:
        return None

    gate = _check(asset, check)
    # the gate checks other marts too: they stand in as external assets, and only this check
    # is selected (with the asset and what is downstream)
    others = [dg.AssetSpec(key=k) for k in {c.asset_key for c in gate.check_keys} if k != dg.AssetKey(asset)]
    result = dg.materialize(
        [checked, downstream, *others, gate],
        selection=dg.AssetSelection.assets(checked, downstream).without_checks()
        | dg.AssetSelection.checks(dg.AssetCheckKey(dg.AssetKey(asset), check)),
        resources=run_resources(home=str(home), warehouse=str(warehouse)),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    evaluations = [e for e in result.get_asset_check_evaluations() if e.check_name == check]
    assert len(evaluations) == 1
    # only the selected check ran
    assert [(e.asset_key, e.check_name) for e in result.get_asset_check_evaluations()] == [
        (dg.AssetKey(asset), check)
    ]
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    return evaluations[0], dg.AssetKey(["publish", "downstream"]) in materialized


def _copy(built, tmp_path: Path) -> Path:
    target = tmp_path / "warehouse.duckdb"
    shutil.copy(built.warehouse, target)
    return target


def test_the_gate_passes_on_a_clean_warehouse(built, tmp_path):
    evaluation, downstream_ran = _run(
        tmp_path, _copy(built, tmp_path), ["marts", "fct_escalations"], "gx_fct_escalations"
    )
    assert evaluation.passed
    assert downstream_ran
    assert Path(evaluation.metadata["data_docs"].value).exists()


def _dbt_test(warehouse: Path, work: Path, *tests: str) -> dict[str, int]:
    """Run the named dbt tests on ``warehouse`` (as the dbt build of a run does, which stops what
    is downstream when one fails): failing rows per test name."""
    with contextlib.suppress(RuntimeError):  # a failed test fails the command; run_results.json says which
        run_dbt_process(work, warehouse, "test", "--select", *tests, as_of=AS_OF)
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[2]: r["failures"] or 0 for r in results}


def test_keys_invariants_and_the_backlog_are_dbt_tests_that_catch_planted_faults(built, tmp_path):
    """Keys, row invariants and the backlog reconciliation have their home in dbt (docs/quality.md):
    a duplicate key, business time above calendar time and a wrong backlog each fail their test."""
    (tmp_path / "clean").mkdir()
    clean = _dbt_test(_copy(built, tmp_path / "clean"), tmp_path / "clean", *DBT_GATE_TESTS)
    assert clean == dict.fromkeys(DBT_GATE_TESTS, 0)
    warehouse = _copy(built, tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        key = conn.execute("select min(escalation_key) from marts.fct_escalations").fetchone()[0]
        conn.execute(
            "insert into marts.fct_escalations select * from marts.fct_escalations where escalation_key = ?",
            [key],
        )
        interval = conn.execute("select min(status_interval_key) from marts.fct_status_intervals").fetchone()[
            0
        ]
        conn.execute(
            "update marts.fct_status_intervals set minutes_business = minutes_calendar + 60 where status_interval_key = ?",
            [interval],
        )
        conn.execute(
            "update marts.fct_escalation_kpis_daily set backlog_open_end_of_day = backlog_open_end_of_day + 1 "
            "where kpi_key = (select max(kpi_key) from marts.fct_escalation_kpis_daily where backlog_open_end_of_day > 0)"
        )
    failures = _dbt_test(warehouse, tmp_path / "dbt", *DBT_GATE_TESTS)
    assert failures["unique_fct_escalations_escalation_key"] == 1  # one key, twice
    assert failures["assert_business_time_within_calendar_time"] == 1
    # the duplicated escalation is open on no day or on some: one market-day off by one at least
    assert failures["assert_backlog_matches_status_clock"] >= 1


def test_a_leaked_email_fails_the_personal_data_scan_and_blocks(built, tmp_path):
    warehouse = _copy(built, tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "update marts.fct_remediation_plans set title = 'Call back jane.doe@example.com' "
            "where plan_key = (select min(plan_key) from marts.fct_remediation_plans)"
        )
    evaluation, downstream_ran = _run(
        tmp_path, warehouse, ["marts", "fct_remediation_plans"], "personal_data_scan"
    )
    assert not evaluation.passed
    assert not downstream_ran
    findings = evaluation.metadata["findings"].value
    assert {k: findings[0][k] for k in ("column", "kind", "rows")} == {
        "column": "title",
        "kind": "email",
        "rows": 1,
    }


def test_a_requester_name_in_a_mart_fails_the_scan(built, tmp_path):
    warehouse = _copy(built, tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        name = conn.execute(
            "select json_extract_string(record, '$.name') from raw.zendesk_users "
            "where json_extract_string(record, '$.role') = 'end-user' limit 1"
        ).fetchone()[0]
        conn.execute(
            "update marts.fct_incidents set title = ? where incident_key = (select min(incident_key) from marts.fct_incidents)",
            [name],
        )
    evaluation, downstream_ran = _run(tmp_path, warehouse, ["marts", "fct_incidents"], "personal_data_scan")
    assert not evaluation.passed and not downstream_ran
    assert evaluation.metadata["findings"].value[0]["kind"] == "requester_name"


def test_a_stale_source_fails_freshness_and_blocks(built, tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATIONS_FRESHNESS_HOURS", "36")
    warehouse = _copy(built, tmp_path)
    evaluation, downstream_ran = _run(tmp_path, warehouse, ["raw", "zendesk_tickets"], "delivered_recently")
    assert evaluation.passed and downstream_ran  # just delivered
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "update raw._ingested_files set _loaded_at = _loaded_at - interval 5 days where source_table = 'zendesk_tickets'"
        )
    evaluation, downstream_ran = _run(tmp_path, warehouse, ["raw", "zendesk_tickets"], "delivered_recently")
    assert not evaluation.passed
    assert not downstream_ran
    assert evaluation.metadata["hours_since_newest_file"].value > 36
    assert "stale" in (evaluation.description or "")


def test_reconciliation_catches_a_lost_escalation(built, tmp_path):
    warehouse = _copy(built, tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "delete from marts.fct_escalations where escalation_key = (select min(escalation_key) from marts.fct_escalations where source_system = 'hubspot')"
        )
    evaluation, downstream_ran = _run(
        tmp_path, warehouse, ["marts", "fct_escalations"], "reconciles_with_raw"
    )
    assert not evaluation.passed and not downstream_ran
    differences = evaluation.metadata["differences"].value
    assert differences["hubspot"]["raw"] == differences["hubspot"]["fct_escalations"] + 1


def test_a_large_mart_is_validated_in_chunks_with_the_same_verdict(built, tmp_path, monkeypatch):
    """Above CHUNK_ROWS the row-wise expectations run chunk by chunk: faults in different chunks
    add up, the samples come from all of them, and the whole-table ones still see every row."""
    from expectations import runner

    warehouse = _copy(built, tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        rows = conn.execute("select count(*) from marts.fct_escalations").fetchone()[0]
        keys = [
            k
            for (k,) in conn.execute(
                "select escalation_key from marts.fct_escalations where rowid in (?, ?, ?)",
                [3, rows // 2, rows - 2],
            ).fetchall()
        ]
        conn.execute(  # a reply before the escalation, in three chunks
            "update marts.fct_escalations set first_reply_at = created_at - interval 1 hour "
            "where escalation_key in (?, ?, ?)",
            keys,
        )
        conn.execute(
            "insert into marts.fct_escalations select * from marts.fct_escalations where escalation_key = ?",
            [keys[0]],
        )
    whole = runner.validate_duckdb("fct_escalations", warehouse)
    monkeypatch.setattr(runner, "CHUNK_ROWS", max(2, rows // 4))
    chunked = runner.validate_duckdb("fct_escalations", warehouse)
    assert rows > 300 and not whole.success and not chunked.success
    assert chunked.row_count == whole.row_count == rows + 1  # the whole-table count sees every row

    def verdicts(outcome):
        return {(f["expectation"], str(f["column"])): f["unexpected_count"] for f in outcome.failures}

    assert verdicts(chunked) == verdicts(whole)
    assert verdicts(chunked) == {("expect_column_pair_values_a_to_be_greater_than_b", "first_reply_at"): 4}
    pair = chunked.failures[0]
    assert sorted(set(pair["sample_keys"])) == sorted(keys)


def test_the_gate_keeps_fingerprints_so_the_next_check_reads_only_changed_rows(built, tmp_path, monkeypatch):
    """The check records the rows that passed in the warehouse it checked; the next check
    validates the row-wise expectations on the changed row alone, and still fails on it."""
    from expectations import runner

    monkeypatch.setattr(runner, "SCOPED_ABOVE_ROWS", 50)
    warehouse = _copy(built, tmp_path)
    first, _ = _run(tmp_path, warehouse, ["marts", "fct_escalations"], "gx_fct_escalations")
    with duckdb.connect(str(warehouse)) as conn:
        rows = conn.execute("select count(*) from marts.fct_escalations").fetchone()[0]
        kept = conn.execute('select count(*) from _quality."fingerprints_fct_escalations"').fetchone()[0]
        key = conn.execute("select min(escalation_key) from marts.fct_escalations").fetchone()[0]
        conn.execute(
            "update marts.fct_escalations set first_reply_at = created_at - interval 1 hour "
            "where escalation_key = ?",
            [key],
        )
    assert first.passed and rows > 50 and kept == rows
    assert first.metadata["row_wise_rows_validated"].value == rows
    assert first.metadata["row_wise_scope"].value == "every row"
    second, downstream_ran = _run(tmp_path, warehouse, ["marts", "fct_escalations"], "gx_fct_escalations")
    assert not second.passed and not downstream_ran
    assert second.metadata["row_wise_rows_validated"].value == 1
    assert second.metadata["row_wise_scope"].value.startswith("rows new or changed")
    [failure] = second.metadata["failures"].value
    assert (failure["unexpected_count"], failure["element_count"], failure["sample_keys"]) == (1, rows, [key])


def _fct_escalations_baseline(warehouse: Path) -> int | None:
    from expectations.baselines import read_baseline

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return read_baseline(conn, "fct_escalations")


def _keep_a_quarter(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse)) as conn:
        # a quarter of the rows, none of them one the suite's distribution checks count against it
        conn.execute(
            "delete from marts.fct_escalations where hash(escalation_key) % 4 != 0 "
            "or channel = 'other' or issue_category = 'unknown'"
        )
        return conn.execute("select count(*) from marts.fct_escalations").fetchone()[0]


def test_the_row_count_band_holds_a_warehouse_to_its_own_last_good_run(built, tmp_path):
    """The baseline travels with the warehouse (it is kept in it): a copy that lost three quarters
    of its escalations fails the band, whatever home it is checked from."""
    rows = _fct_escalations_baseline(built.warehouse)
    assert rows and rows > 100  # the run recorded it in the warehouse it describes
    warehouse = _copy(built, tmp_path)
    left = _keep_a_quarter(warehouse)
    evaluation, downstream_ran = _run(tmp_path, warehouse, ["marts", "fct_escalations"], "gx_fct_escalations")
    assert not evaluation.passed and not downstream_ran
    assert evaluation.metadata["previous_row_count"].value == rows
    assert f"({rows:,} rows)" in str(evaluation.metadata["failures"].value)
    assert left < rows / 2


def test_another_warehouse_in_the_same_home_is_not_held_to_its_baselines(built, tmp_path):
    """`escalations run --warehouse W` in a home whose default warehouse has baselines: W is a
    warehouse of its own, with no baseline yet, so a quarter of the rows is no failure, and its
    pass sets W's baseline, not the home's other warehouse's."""
    other = tmp_path / "other.duckdb"
    shutil.copy(built.warehouse, other)
    with duckdb.connect(str(other)) as conn:
        conn.execute("drop schema if exists _quality cascade")  # never checked before
    left = _keep_a_quarter(other)
    before = _fct_escalations_baseline(built.warehouse)
    evaluation, downstream_ran = _run(built.home, other, ["marts", "fct_escalations"], "gx_fct_escalations")
    assert evaluation.passed, evaluation.description
    assert downstream_ran
    assert evaluation.metadata["previous_row_count"].value is None
    assert _fct_escalations_baseline(other) == left
    assert _fct_escalations_baseline(built.warehouse) == before
    assert not list(built.home.glob("quality/*.json"))  # no baselines of any warehouse in the home


def test_a_check_that_cannot_run_fails_saying_why_and_the_others_in_its_step_still_run(built, tmp_path):
    """The checks of a dbt build's marts share one step: one that raises (its mart is gone) is a
    failed check with the error, not a failed step that takes every other check's verdict with it."""
    warehouse = _copy(built, tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("drop table marts.fct_incidents")
    gone, kept = dg.AssetKey(["marts", "fct_incidents"]), dg.AssetKey(["marts", "dim_team"])
    gate = _check(["marts", "fct_incidents"], "gx_fct_incidents")
    assert dg.AssetCheckKey(kept, "personal_data_scan") in gate.check_keys  # the same step
    stand_ins = [dg.AssetSpec(key=k) for k in {c.asset_key for c in gate.check_keys}]
    result = dg.materialize(
        [*stand_ins, gate],
        selection=dg.AssetSelection.checks(
            dg.AssetCheckKey(gone, "gx_fct_incidents"), dg.AssetCheckKey(kept, "personal_data_scan")
        ),
        resources=run_resources(home=str(tmp_path), warehouse=str(warehouse)),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    verdicts = {(e.asset_key, e.check_name): e for e in result.get_asset_check_evaluations()}
    assert set(verdicts) == {(gone, "gx_fct_incidents"), (kept, "personal_data_scan")}
    failed = verdicts[(gone, "gx_fct_incidents")]
    assert not failed.passed and failed.description.startswith("the check could not run: ")
    assert "fct_incidents" in failed.description
    assert verdicts[(kept, "personal_data_scan")].passed


def test_the_marts_of_a_step_are_scanned_together_and_one_that_cannot_be_read_fails_alone(built, tmp_path):
    """The personal-data scans of a step read the requester names once, in one query over their
    marts; if that query fails, each mart is scanned alone: the scan of the mart that cannot be read
    fails with its error, the others keep their verdicts (a leaked e-mail found, a clean mart passed)."""
    warehouse = _copy(built, tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create table marts._incidents_gone as from marts.fct_incidents")
        conn.execute("drop table marts.fct_incidents")
        conn.execute("create view marts.fct_incidents as from marts._incidents_gone")
        conn.execute("drop table marts._incidents_gone")  # the view can no longer be read
        conn.execute(
            "update marts.fct_escalations set issue_category = 'write to jo.doe@example.com' "
            "where escalation_key = (select min(escalation_key) from marts.fct_escalations)"
        )
    broken, leaked, clean = (
        dg.AssetKey(["marts", "fct_incidents"]),
        dg.AssetKey(["marts", "fct_escalations"]),
        dg.AssetKey(["marts", "dim_team"]),
    )
    gate = _check(["marts", "fct_incidents"], "personal_data_scan")
    stand_ins = [dg.AssetSpec(key=k) for k in {c.asset_key for c in gate.check_keys}]
    result = dg.materialize(
        [*stand_ins, gate],
        selection=dg.AssetSelection.checks(
            *(dg.AssetCheckKey(k, "personal_data_scan") for k in (broken, leaked, clean))
        ),
        resources=run_resources(home=str(tmp_path), warehouse=str(warehouse)),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    verdicts = {e.asset_key: e for e in result.get_asset_check_evaluations()}
    assert set(verdicts) == {broken, leaked, clean}
    assert not verdicts[broken].passed
    assert verdicts[broken].description.startswith("the check could not run: ")
    assert not verdicts[leaked].passed
    assert [(f["column"], f["kind"], f["rows"]) for f in verdicts[leaked].metadata["findings"].value] == [
        ("issue_category", "email", 1)
    ]
    assert verdicts[clean].passed
