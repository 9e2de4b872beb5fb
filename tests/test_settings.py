"""The settings object (escalations/settings.py): defaults, the environment over them, a clear
error naming a bad variable, the README's table, and no module reading os.environ for a setting."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from escalations.config import resolve_paths
from escalations.settings import Settings, SettingsError, current, dbt_environment, readme_table

ROOT = Path(__file__).resolve().parents[1]


def test_defaults():
    s = Settings.from_env({})
    assert s.home == "data" and s.landing is None and s.warehouse is None
    assert s.target == "duckdb" and s.duckdb_memory_limit == "4GB"
    assert s.dbt_keep_runs == 5
    assert s.hash_key is None and s.as_of is None
    assert s.run_lock_wait == 0.0
    assert (s.plausible_from, s.plausible_years_ahead) == ("2000-01-01", 10)
    assert (s.max_file_bytes, s.max_record_bytes) == (256 * 2**20, 16 * 2**20)
    assert s.freshness_hours == 36.0 and s.gx_chunk_rows == 1_000_000
    assert s.publish_mode == 0o640
    assert s.postgres is None and (s.pg_lock_timeout, s.pg_swap_attempts) == ("5s", 5)
    assert (s.alert_min_severity, s.alert_lookback_days) == ("high", 3.0)
    assert (s.smtp_port, s.smtp_starttls, s.alert_email_to) == (25, False, ())
    assert dict(s.tools) == {} and s.encoding("salesforce") is None


def test_the_environment_overrides_the_defaults():
    s = Settings.from_env(
        {
            "ESCALATIONS_HOME": "/srv/esc",
            "ESCALATIONS_TARGET": "Postgres",
            "ESCALATIONS_DBT_KEEP_RUNS": "2",
            "ESCALATIONS_RUN_LOCK_WAIT": "inf",
            "ESCALATIONS_AS_OF": "2026-11-01T00:00:00Z",
            "ESCALATIONS_PUBLISH_MODE": "0600",
            "ESCALATIONS_PG_HOST": "db.internal",
            "ESCALATIONS_PG_PORT": "6432",
            "ESCALATIONS_ALERT_MIN_SEVERITY": "Critical",
            "ESCALATIONS_ALERT_EMAIL_TO": "a@example.com, b@example.com,",
            "ESCALATIONS_SMTP_STARTTLS": "yes",
            "ESCALATIONS_SALESFORCE_ENCODING": "cp1252",
            "ESCALATIONS_ZENDESK_API_TOKEN": "tok",
            "ESCALATIONS_FRESHNESS_HOURS": "",  # empty is unset: the default holds
            "OTHER": "ignored",
        }
    )
    assert s.home == "/srv/esc" and s.target == "postgres" and s.dbt_keep_runs == 2
    assert s.run_lock_wait == float("inf") and s.as_of == "2026-11-01T00:00:00Z"
    assert s.publish_mode == 0o600 and s.freshness_hours == 36.0
    assert s.postgres == {
        "host": "db.internal",
        "port": "6432",
        "user": "escalations",
        "password": "",
        "dbname": "escalations",
    }
    assert s.alert_min_severity == "critical" and s.smtp_starttls is True
    assert s.alert_email_to == ("a@example.com", "b@example.com")
    assert s.encoding("salesforce") == "cp1252"
    assert s.tools["ESCALATIONS_ZENDESK_API_TOKEN"] == "tok" and "OTHER" not in s.tools
    assert "tok" not in repr(s)  # credentials stay out of the repr


@pytest.mark.parametrize(
    ("name", "value", "expects"),
    [
        ("ESCALATIONS_TARGET", "snowflake", "one of duckdb, postgres"),
        ("ESCALATIONS_DBT_KEEP_RUNS", "0", "at least 1"),
        ("ESCALATIONS_RUN_LOCK_WAIT", "soon", "seconds"),
        ("ESCALATIONS_AS_OF", "2026-11-01T00:00:00", "needs a zone"),
        ("ESCALATIONS_PUBLISH_MODE", "0777", "file mode"),
        ("ESCALATIONS_PG_SWAP_ATTEMPTS", "many", "whole number"),
        ("ESCALATIONS_MAX_FILE_BYTES", "-1", "at least 1"),
        ("ESCALATIONS_ALERT_LOOKBACK_DAYS", "a week", "a number"),
        ("ESCALATIONS_SMTP_STARTTLS", "maybe", "true or false"),
        ("ESCALATIONS_JIRA_ENCODING", "klingon", "encoding Python knows"),
    ],
)
def test_a_bad_value_is_a_clear_error_naming_the_variable(name, value, expects):
    with pytest.raises(SettingsError, match=re.escape(name)) as err:
        Settings.from_env({name: value})
    assert expects in str(err.value)


def test_current_follows_the_environment_and_parses_once(monkeypatch):
    monkeypatch.setenv("ESCALATIONS_GX_CHUNK_ROWS", "5000")
    first = current()
    assert first.gx_chunk_rows == 5000 and current() is first  # read once for one environment
    monkeypatch.setenv("ESCALATIONS_GX_CHUNK_ROWS", "7000")
    assert current().gx_chunk_rows == 7000
    monkeypatch.setenv("ESCALATIONS_GX_CHUNK_ROWS", "lots")
    with pytest.raises(SettingsError, match="ESCALATIONS_GX_CHUNK_ROWS='lots'"):
        current()


def test_modules_read_the_settings(monkeypatch, tmp_path):
    from escalations.ingestion.settings import ingest_settings
    from escalations.publish import postgres_settings
    from escalations.watch.alerts import AlertSettings
    from orchestration.quality import freshness_hours

    monkeypatch.setenv("ESCALATIONS_HOME", str(tmp_path))
    monkeypatch.setenv("ESCALATIONS_MAX_RECORD_BYTES", "1000")
    monkeypatch.setenv("ESCALATIONS_FRESHNESS_HOURS", "0")
    monkeypatch.setenv("ESCALATIONS_ALERT_LOOKBACK_DAYS", "7")
    monkeypatch.delenv("ESCALATIONS_PG_HOST", raising=False)
    assert resolve_paths().warehouse == tmp_path / "warehouse.duckdb"
    assert ingest_settings().max_record_bytes == 1000
    assert freshness_hours() == 0
    assert AlertSettings.from_env().lookback == timedelta(days=7)
    assert postgres_settings() is None


def test_dbt_is_handed_the_warehouse_and_the_settings():
    s = Settings.from_env(
        {"ESCALATIONS_PLAUSIBLE_FROM": "2010-01-01", "ESCALATIONS_DUCKDB_MEMORY_LIMIT": "2GB"}
    )
    env = dbt_environment(Path("/w/warehouse.duckdb"), s)
    assert env["ESCALATIONS_WAREHOUSE"] == "/w/warehouse.duckdb"
    assert env["ESCALATIONS_TARGET"] == "duckdb"
    assert env["ESCALATIONS_PLAUSIBLE_FROM"] == "2010-01-01"
    assert env["ESCALATIONS_DUCKDB_MEMORY_LIMIT"] == "2GB"
    assert "ESCALATIONS_PG_HOST" not in env  # the postgres target without a host stops, naming it
    profiles = (ROOT / "dbt_project" / "profiles.yml").read_text()
    assert "../data" not in profiles
    # every variable the profile reads is handed over (its port is read through `| as_number`)
    read = set(re.findall(r"env_var\('(ESCALATIONS_\w+)'\)", profiles))
    # but the hosts of targets not in use (their target stops naming the one it lacks)
    assert read - set(env) == {"ESCALATIONS_PG_HOST", "ESCALATIONS_SPARK_THRIFT_HOST"}


def test_spark_keeps_its_warehouse_and_metastore_under_the_home():
    s = Settings.from_env({})
    env = dbt_environment(Path("/w/warehouse.duckdb"), s, home=Path("/h"))
    assert env["ESCALATIONS_SPARK_WAREHOUSE_DIR"] == "/h/spark/warehouse"
    assert env["ESCALATIONS_SPARK_METASTORE"] == "/h/spark/metastore_db"
    assert env["ESCALATIONS_SPARK_DRIVER_MEMORY"] == "2g"
    assert env["ESCALATIONS_DBT_THREADS"] == "2"  # each engine's own unless set
    spark = dbt_environment(Path("/w/warehouse.duckdb"), Settings.from_env({"ESCALATIONS_TARGET": "spark"}))
    assert spark["ESCALATIONS_DBT_THREADS"] == "4"
    one = Settings.from_env({"ESCALATIONS_TARGET": "spark", "ESCALATIONS_DBT_THREADS": "1"})
    assert dbt_environment(Path("/w/warehouse.duckdb"), one)["ESCALATIONS_DBT_THREADS"] == "1"
    with pytest.raises(ValueError, match="ESCALATIONS_DBT_THREADS"):
        Settings.from_env({"ESCALATIONS_DBT_THREADS": "0"})
    # without a home: beside the warehouse file; given folders win, made absolute
    assert (
        dbt_environment(Path("/w/warehouse.duckdb"), s)["ESCALATIONS_SPARK_METASTORE"]
        == "/w/spark/metastore_db"
    )
    given = Settings.from_env(
        {"ESCALATIONS_SPARK_WAREHOUSE_DIR": "/big/spark", "ESCALATIONS_TARGET": "spark"}
    )
    env = dbt_environment(Path("/w/warehouse.duckdb"), given, home=Path("/h"))
    assert env["ESCALATIONS_SPARK_WAREHOUSE_DIR"] == "/big/spark"
    assert env["ESCALATIONS_TARGET"] == "spark"
    profiles = (ROOT / "dbt_project" / "profiles.yml").read_text()
    assert "env_var('ESCALATIONS_SPARK_WAREHOUSE_DIR')" in profiles
    assert "jdbc:derby:;databaseName={{ env_var('ESCALATIONS_SPARK_METASTORE') }}" in profiles


def test_the_readme_lists_every_setting_once_with_its_default():
    readme = (ROOT / "README.md").read_text()
    assert readme_table() in readme
    for row in readme_table().splitlines()[2:]:
        name = row.split("`")[1]
        assert readme.count(f"| `{name}` |") == 1, name


def test_no_module_reads_a_setting_from_os_environ():
    """Only escalations/settings.py reads ESCALATIONS_* variables; the rest ask it."""
    offenders = []
    for path in [*(ROOT / "escalations").rglob("*.py"), *(ROOT / "orchestration").rglob("*.py")]:
        if path.name == "settings.py" and path.parent.name == "escalations":
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(
                r"os\.(environ\.get|getenv)\(\s*[\"']ESCALATIONS_|(dict\(|= )os\.environ( if|\)|$)", line
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    for path in (ROOT / "expectations").glob("*.py"):
        if "os.environ" in path.read_text():
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_command_line_names_a_bad_setting_and_stops(monkeypatch, tmp_path, capsys):
    from escalations.cli import main

    monkeypatch.setenv("ESCALATIONS_RUN_LOCK_WAIT", "forever")
    assert main(["summary", "--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "ESCALATIONS_RUN_LOCK_WAIT='forever' is not usable" in err
