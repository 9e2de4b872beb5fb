"""The home's Dagster instance: its dagster.yaml, and an event log that Dagster's own storage (the
UI's, the daemon's) reads back whole."""

from __future__ import annotations

import dagster as dg
import yaml

from orchestration.instance import PooledSqliteEventLogStorage, prepare_dagster_home


@dg.asset
def counted() -> int:
    return 3


@dg.asset_check(asset=counted)
def counted_is_three() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


@dg.asset(deps=[counted])
def downstream() -> None:
    return None


def test_the_home_gets_the_pooled_event_log_and_an_operators_file_is_kept(tmp_path):
    home = tmp_path / "dagster"
    config = prepare_dagster_home(home)
    text = config.read_text()
    assert "class: PooledSqliteEventLogStorage" in text
    assert f'base_dir: "{(home / "history" / "runs").resolve()}"' in text
    assert prepare_dagster_home(home).read_text() == text  # unchanged when run again

    moved = tmp_path / 'it\'s moved: "here"'  # quotes and a colon in the path: still one YAML string
    home.rename(moved)
    config_moved = yaml.safe_load(prepare_dagster_home(moved).read_text())
    assert config_moved["event_log_storage"]["config"]["base_dir"] == str(
        (moved / "history" / "runs").resolve()
    )
    moved.rename(home)

    config.parent.mkdir(parents=True, exist_ok=True)
    own = "storage:\n  postgres:\n    postgres_url: postgresql://x/y\n"
    config.write_text(own)
    prepare_dagster_home(home)
    assert config.read_text() == own  # the operator's storage is theirs

    config.write_text("")  # an empty file (what earlier versions made) becomes ours
    assert "PooledSqliteEventLogStorage" in prepare_dagster_home(home).read_text()


def test_what_a_run_stores_is_read_back_whole_by_dagsters_own_storage(tmp_path, monkeypatch):
    home = tmp_path / "dagster"
    prepare_dagster_home(home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    job = dg.Definitions(
        assets=[counted, downstream], asset_checks=[counted_is_three]
    ).resolve_implicit_global_asset_job_def()
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        runs = [job.execute_in_process(instance=instance).run_id for _ in range(2)]
        written = {run: [e.dagster_event_type for e in instance.all_logs(run)] for run in runs}

    (home / "dagster.yaml").write_text("")  # Dagster's default storage on the same files
    with dg.DagsterInstance.get() as instance:
        assert type(instance.event_log_storage).__name__ == "SqliteEventLogStorage"
        for run in runs:
            assert [e.dagster_event_type for e in instance.all_logs(run)] == written[run]
            assert instance.get_run_by_id(run).is_success
        kinds = written[runs[1]]
        assert kinds.count(dg.DagsterEventType.ASSET_MATERIALIZATION) == 2
        assert kinds.count(dg.DagsterEventType.ASSET_CHECK_EVALUATION) == 1
        # the cross-run index the asset pages read: the latest materialization and check of each
        record = instance.get_latest_materialization_event(dg.AssetKey("downstream"))
        assert record is not None and record.run_id == runs[1]
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("counted"), "counted_is_three")]
        )
        assert next(iter(check.values())).run_id == runs[1]
