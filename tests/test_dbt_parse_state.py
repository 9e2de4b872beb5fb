"""dbt parses only what changed from one invocation to the next, and the run's as-of still reaches
the models (macro as_of reads ESCALATIONS_AS_OF when dbt executes, not when it parses)."""

from __future__ import annotations

from escalations.config import resolve_paths
from escalations.dbt_runner import run_dbt_process
from orchestration.resources import keep_parse_state, parse_state_path, seed_parse_state

DIM_DATE = "target/compiled/escalation_warehouse/models/marts/dims/dim_date.sql"


def test_a_new_as_of_takes_effect_without_parsing_the_project_again(tmp_path):
    for as_of in ("2026-03-01T00:00:00Z", "2026-04-15T12:00:00Z"):
        run_dbt_process(tmp_path, tmp_path / "w.duckdb", "compile", "--select", "dim_date", as_of=as_of)
        sql = (tmp_path / DIM_DATE).read_text()
        # the calendar runs to the day after this compile's as-of (macro as_of, then add_days)
        (last_date,) = [line for line in sql.splitlines() if line.strip().endswith("as last_date")]
        assert f"cast('{as_of}' as timestamp with time zone) as date)" in last_date
    log = (tmp_path / "logs" / "dbt.log").read_text()
    # the first invocation had no parse state; the second, with another as-of, reused it
    assert log.count("Unable to do partial parsing") == 1
    assert "saved manifest not found" in log


def test_the_home_keeps_the_last_parse_state_and_hands_it_to_the_next_invocation(tmp_path):
    paths = resolve_paths(tmp_path / "home")
    first, second = tmp_path / "run1" / "dbt_models", tmp_path / "run2" / "dbt_models"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    assert not seed_parse_state(paths, first)  # nothing kept yet: dbt parses everything
    assert not keep_parse_state(paths, first)  # the invocation wrote none (it failed to start)
    (first / "partial_parse.msgpack").write_bytes(b"state of run 1")
    assert keep_parse_state(paths, first)
    assert parse_state_path(paths) == paths.home / "dbt" / "partial_parse.msgpack"
    assert seed_parse_state(paths, second)
    assert (second / "partial_parse.msgpack").read_bytes() == b"state of run 1"
    (second / "partial_parse.msgpack").write_bytes(b"state of run 2")
    assert not seed_parse_state(paths, second)  # never over an invocation's own
    assert keep_parse_state(paths, second)
    assert parse_state_path(paths).read_bytes() == b"state of run 2"
    assert [p.name for p in parse_state_path(paths).parent.iterdir()] == ["partial_parse.msgpack"]
