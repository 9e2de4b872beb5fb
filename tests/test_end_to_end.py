"""A small generated world built end to end in a temp folder, through the Dagster definitions.

Proves: one fct_escalations row per non-deleted escalation, every injected bad record in
quarantine with its reason, a second run on the same landing zone leaves every mart identical,
and a Zendesk-only landing zone builds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from escalations.cli import run_pipeline
from escalations.config import resolve_paths
from escalations.generator import generate

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


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    generate(home / "landing", seed=11, escalations=600, days=45)
    paths = resolve_paths(home)
    assert run_pipeline(paths), "the pipeline failed on a small generated world"
    return paths


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


def test_a_second_run_leaves_every_mart_identical(world):
    before = _marts(world.warehouse)
    assert "fct_escalations" in before and before["fct_escalations"]
    assert run_pipeline(world)
    assert _marts(world.warehouse) == before


def test_a_zendesk_only_landing_zone_builds(world, tmp_path):
    shutil.copytree(world.landing / "zendesk", tmp_path / "landing" / "zendesk")
    paths = resolve_paths(tmp_path)
    assert run_pipeline(paths)
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
        systems = {
            r[0] for r in conn.execute("select distinct source_system from marts.fct_escalations").fetchall()
        }
    assert systems == {"zendesk"}
