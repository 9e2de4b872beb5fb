"""The extract against the local fake APIs: pulled pages load into the same raw tables as the
generator's own export of the same world; incremental pulls neither lose nor repeat; settings."""

from __future__ import annotations

import logging
import os

import pytest
from extract_support import (
    START,
    T2,
    fake_apis,
    fast_env,
    landed_records,
    load,
    make_world,
    pull,
    pull_twice,
    raw_tables,
)

from escalations.extract import SOURCES, SettingsError, load_settings, run_extract
from escalations.extract.settings import read_secrets_file


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Bad records included: the loader's verdicts must not depend on how the pages arrived."""
    return make_world(tmp_path_factory.mktemp("world") / "landing")


@pytest.fixture(scope="module")
def clean_world(tmp_path_factory):
    """No planted bad copies: every duplicate the loader finds would be the extract's own."""
    return make_world(tmp_path_factory.mktemp("clean") / "landing", bad_share=0)


@pytest.fixture(scope="module")
def pulled(world, tmp_path_factory):
    landing = tmp_path_factory.mktemp("pulled") / "landing"
    runs = pull_twice(world, landing)
    return landing, runs


def test_full_then_incremental_pull_loads_into_the_exports_raw_tables(world, pulled, tmp_path):
    landing, runs = pulled
    load(world, tmp_path / "export.duckdb")
    load(landing, tmp_path / "pulled.duckdb")
    expected, got = raw_tables(tmp_path / "export.duckdb"), raw_tables(tmp_path / "pulled.duckdb")
    for table, rows in expected.items():
        assert rows, f"{table}: the export should hold records"
        assert got[table] == rows, f"{table}: pulled raw rows differ from the export's"
    # both pulls brought something from every source: the second one is really incremental
    for when in ("first", "second"):
        for source, result in runs[when].items():
            assert result.records > 0, f"{source}: the {when} pull landed nothing"
    assert runs["second"]["zendesk"].records < runs["first"]["zendesk"].records


def test_pages_keep_the_vendors_shapes(pulled):
    landing, _ = pulled
    tickets = sorted((landing / "zendesk" / "tickets").glob("extract-*.json"))
    assert len(tickets) > 2, "small pages: the tickets export should span several pages"
    import orjson

    page = orjson.loads(tickets[0].read_bytes())
    assert {"tickets", "after_cursor", "end_of_stream"} <= set(page)
    cases = sorted((landing / "salesforce" / "Case").glob("extract-*.csv"))
    assert cases and cases[0].read_text().splitlines()[0].startswith("Id,CaseNumber,Status,")
    assert (landing / "salesforce" / "User.csv").exists() and (
        landing / "zendesk" / "schedules.json"
    ).exists()
    schedules = orjson.loads((landing / "zendesk" / "schedules.json").read_bytes())["schedules"]
    assert all("holidays" in s for s in schedules), "each schedule carries its holidays"
    hubspot = orjson.loads(sorted((landing / "hubspot" / "tickets").glob("*.json"))[0].read_bytes())[
        "results"
    ][0]
    assert "propertiesWithHistory" in hubspot and "associations" in hubspot
    assert not list(landing.rglob("*.part")), "no uncommitted page is left behind"


def test_pulled_pages_hold_no_record_twice(clean_world, tmp_path):
    """Time-based exports repeat their boundary second, windows touch: still each record lands once,
    so the loader quarantines nothing (the clean world plants no bad copies of its own)."""
    landing = tmp_path / "landing"
    pull_twice(clean_world, landing)
    results = load(landing, tmp_path / "w.duckdb")
    quarantined = {t: dict(r.quarantine_reasons) for t, r in results.items() if r.records_quarantined}
    assert not quarantined
    assert all(n == 1 for n in landed_records(landing).values())


def test_pulling_again_with_the_same_cursor_lands_nothing(world, pulled):
    landing, _ = pulled
    before = sorted(
        p.relative_to(landing) for p in landing.rglob("*") if p.is_file() and "_extract" not in p.parts
    )
    with fake_apis(world, now=T2) as fake:
        again = pull(landing, fast_env(fake), since=None)
    assert all(r.status == "done" and r.records == 0 for r in again.values()), {
        k: r.records for k, r in again.items()
    }
    after = sorted(
        p.relative_to(landing) for p in landing.rglob("*") if p.is_file() and "_extract" not in p.parts
    )
    assert after == before


def test_a_first_pull_needs_a_start_date(world, tmp_path):
    with fake_apis(world) as fake:
        results = pull(tmp_path / "landing", fast_env(fake), since=None, sources=["zendesk"])
    z = results["zendesk"]
    assert z.status == "failed"
    assert "no cursor yet and no start date" in z.reason and "--since" in z.reason
    # lists pulled whole and users (from the beginning) need no start date
    assert z.streams["groups"].status == "done" and z.streams["users"].status == "done"


def test_a_source_without_credentials_is_skipped_with_one_line(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="escalations.extract")
    results = run_extract(tmp_path / "landing", settings=load_settings(None, {}))
    assert {r.status for r in results.values()} == {"skipped"}
    for source in SOURCES:
        lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith(f"{source}:")]
        assert len(lines) == 1 and "skipped: no credentials" in lines[0], lines
        assert f"ESCALATIONS_{source.upper()}_" in lines[0]
    assert not (tmp_path / "landing").exists(), "a skipped source writes nothing"


def test_credentials_from_a_private_secrets_file_and_the_environment_wins(tmp_path):
    secrets = tmp_path / "secrets" / "extract.env"
    secrets.parent.mkdir()
    secrets.write_text(
        "# pulled nightly\nexport ESCALATIONS_HUBSPOT_ACCESS_TOKEN='pat-from-file'\n"
        "ESCALATIONS_PAGERDUTY_API_TOKEN=pd-from-file\n"
    )
    os.chmod(secrets, 0o600)
    settings = load_settings(tmp_path, {"ESCALATIONS_PAGERDUTY_API_TOKEN": "pd-from-env"})
    assert settings.sources["hubspot"].credentials["ACCESS_TOKEN"] == "pat-from-file"
    assert settings.sources["pagerduty"].credentials["API_TOKEN"] == "pd-from-env"
    assert settings.sources["hubspot"].enabled and not settings.sources["zendesk"].enabled
    assert "pat-from-file" not in repr(settings), "secrets stay out of repr"
    assert settings.redact("token pat-from-file leaked") == "token *** leaked"


def test_a_secrets_file_others_can_read_is_refused(tmp_path):
    secrets = tmp_path / "extract.env"
    secrets.write_text("ESCALATIONS_HUBSPOT_ACCESS_TOKEN=pat-readable\n")
    os.chmod(secrets, 0o644)
    values, problem = read_secrets_file(secrets)
    assert values == {} and "chmod 600" in problem
    settings = load_settings(None, {"ESCALATIONS_SECRETS_FILE": str(secrets)})
    assert not settings.sources["hubspot"].enabled
    assert any("chmod 600" in n for n in settings.notes)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ESCALATIONS_ZENDESK_RATE_LIMIT", "fast", "is not a rate limit like '200/60'"),
        ("ESCALATIONS_EXTRACT_MAX_ATTEMPTS", "many", "is not a number"),
        ("ESCALATIONS_EXTRACT_LAG_SECONDS", "-5", "must not be negative"),
    ],
)
def test_unusable_settings_name_the_variable(name, value, message):
    with pytest.raises(SettingsError, match=message) as err:
        load_settings(None, {name: value})
    assert name in str(err.value)


def test_a_start_date_needs_a_zone(world, tmp_path):
    with fake_apis(world) as fake, pytest.raises(SettingsError, match="needs a zone"):
        pull(tmp_path / "landing", fast_env(fake), since=START.rstrip("Z"))


def test_extract_assets_feed_their_sources_ingestion_and_skip_without_credentials(tmp_path, monkeypatch):
    import dagster as dg

    from escalations.ingestion import TABLES
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    for spec in TABLES:
        assert dg.AssetKey(["extract", spec.source]) in graph.get(dg.AssetKey(["raw", spec.name])).parent_keys
    for source in SOURCES:
        assert graph.get(dg.AssetKey(["extract", source])).group_name == "extract"
    for var in [v for v in os.environ if v.startswith("ESCALATIONS_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("ESCALATIONS_HOME", str(tmp_path))
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("extract").execute_in_process(instance=instance)
    assert result.success
    events = result.get_asset_materialization_events()
    assert sorted(e.asset_key.path[-1] for e in events) == sorted(SOURCES)
    for e in events:
        metadata = e.materialization.metadata
        assert metadata["status"].value == "skipped" and "no credentials" in metadata["reason"].value
