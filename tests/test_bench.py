"""The pieces of ``make bench`` that decide what a figure means (no timing here: speed belongs in
the bench itself)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from escalations import bench
from escalations.bench import report


def test_sizes():
    assert bench.parse_size("10k") == 10_000
    assert bench.parse_size("1m") == 1_000_000
    assert bench.parse_size("2.5k") == 2_500
    assert bench.parse_size("ten") is None
    assert bench.parse_size("10") is None


def test_steps_fall_into_stages():
    raw = frozenset({"zendesk_tickets"})
    assert bench.stage_of("raw__zendesk_tickets", raw) == "ingestion"
    assert bench.stage_of("raw__zendesk_tickets_delivered_recently", raw) == "quality"
    assert bench.stage_of("dbt_models", raw) == "dbt"
    assert bench.stage_of("dbt_voice_models", raw) == "dbt"  # the build after the theme step
    assert bench.stage_of("restricted__redacted_text", raw) == "voice"
    assert bench.stage_of("voice_themes", raw) == "voice"
    assert bench.stage_of("marts__fct_escalations_gx_fct_escalations", raw) == "quality"
    assert bench.stage_of("publish__parquet", raw) == "publish"


@pytest.mark.parametrize("ignores_sigterm", [False, True])
def test_tree_rss_counts_children_and_stop_tree_ends_them(ignores_sigterm):
    code = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    if ignores_sigterm:  # a child that shrugs off SIGTERM is killed after the grace
        code = "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN); " + code
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        deadline = time.time() + 10
        while len(bench.descendants(proc.pid)) < 2 and time.time() < deadline:
            time.sleep(0.05)
        tree = bench.descendants(proc.pid)
        assert len(tree) == 2
        assert bench.tree_rss(proc.pid) > bench.tree_rss(tree[1]) > 0
        bench.stop_tree(proc.pid, grace=2)
        proc.wait(timeout=10)
        grandchild = Path(f"/proc/{tree[1]}/stat")
        assert not grandchild.exists() or grandchild.read_text().split()[2] == "Z"  # gone or a zombie
    finally:
        if proc.poll() is None:
            proc.kill()


def test_slowest_models_from_a_stopped_build(tmp_path, monkeypatch):
    target = tmp_path / "target" / "abcdef1-rest-of-run-id" / "dbt_models"
    target.mkdir(parents=True)

    def line(name: str, uid: str, started: str, finished: str = "") -> str:
        info = {"unique_id": uid, "node_started_at": started, "node_finished_at": finished}
        return json.dumps({"data": {"node_info": info}, "info": {"name": name}})

    (target / "dbt.log").write_text(
        "\n".join(
            [
                line("NodeStart", "model.p.stg_a", "2026-01-01T00:00:00"),
                line("NodeFinished", "model.p.stg_a", "2026-01-01T00:00:00", "2026-01-01T00:00:02.5"),
                line("NodeStart", "test.p.unique_a", "2026-01-01T00:00:03"),
                line("NodeFinished", "test.p.unique_a", "2026-01-01T00:00:03", "2026-01-01T00:00:04"),
                line("NodeStart", "model.p.int_slow", "2026-01-01T00:00:05"),
            ]
        )
        + "\n"
    )
    slow, running = bench.slowest_models("abcdef1-rest-of-run-id", tmp_path / "target")
    assert slow[0] == {"model": "stg_a", "seconds": 2.5}
    assert slow[-1] == {"model": "(1 tests and seeds together)", "seconds": 1.0}
    assert running == ["int_slow"]


def _run(
    seconds: float, floor: float, peak: float, ok: bool = True, delta_floor: float | None = None
) -> dict:
    """A run's figures as the bench writes them (stages by hand: dbt the slowest)."""
    stages = {
        "ingestion": 1.0,
        "dbt": seconds / 2,
        "voice": 0.5,
        "quality": 2.0,
        "publish": 0.5,
        "other": 1.0,
    }
    run = {
        "ok": ok,
        "rows_in": 1000,
        "floor": {"seconds": delta_floor or floor, "bytes": 1024 * 1024, "records_parsed": 1000},
        "whole": {"seconds": seconds, "rows_per_second": None, "peak_rss_mb": peak},
        **{k: {"seconds": v, "rows_per_second": None, "peak_rss_mb": None} for k, v in stages.items()},
        "multiple_of_floor": round(seconds / floor, 1),
    }
    if delta_floor:
        run["multiple_of_delta_floor"] = round(seconds / delta_floor, 1)
    return run


def _size(full: float, nightly: float, floor: float, peak: float, generate: float = 10.0, **kw) -> dict:
    gen = {"seconds": generate, "escalations_per_second": 1, "records": 10, "peak_rss_mb": 40.0}
    return {
        "generate": {"full": gen, "delta": gen},
        "full_run": _run(full, floor, peak),
        "nightly_run": _run(nightly, floor, peak / 2, delta_floor=floor / 20, **kw),
    }


def test_the_targets_hold_each_size_to_its_figures():
    """Hand-checked: at 1M the full run is 4.5x a floor of 20 s (<= 5x: met), the nightly run 2.5x
    it (<= 2x: missed, dbt its slowest stage), peak RSS 4,096 MB (< 4 GB: missed, the limit is
    strict); at 10k the nightly run takes 14.9 s (< 15 s: met)."""
    sizes = {"10k": _size(40.0, 14.9, 1.0, 900.0), "1m": _size(90.0, 50.0, 20.0, 4096.0, generate=200.0)}
    got = {(v["size"], v["name"]): v for v in report.verdicts(sizes)}
    assert got["1m", "full_run_multiple_of_floor"]["value"] == 4.5
    assert got["1m", "full_run_multiple_of_floor"]["met"] is True
    nightly = got["1m", "nightly_run_multiple_of_floor"]
    assert (nightly["value"], nightly["met"], nightly["bottleneck"]) == (2.5, False, "dbt")
    assert (got["1m", "peak_rss_mb"]["value"], got["1m", "peak_rss_mb"]["met"]) == (4096.0, False)
    assert (got["10k", "nightly_run_seconds"]["value"], got["10k", "nightly_run_seconds"]["met"]) == (
        14.9,
        True,
    )
    assert got["1m", "generate_seconds"]["met"] is True
    # 15.0 s is not under 15 s; a stopped run misses whatever its figure
    sizes["10k"]["nightly_run"]["whole"]["seconds"] = 15.0
    assert {v["name"]: v["met"] for v in report.verdicts(sizes) if v["size"] == "10k"} == {
        "nightly_run_seconds": False
    }
    sizes["1m"]["full_run"]["ok"] = False
    stopped = next(v for v in report.verdicts(sizes) if v["name"] == "full_run_multiple_of_floor")
    assert stopped["met"] is False and "lower bound" in stopped["note"]


def test_targets_of_a_size_not_run_are_not_measured_and_the_table_shows_the_targets():
    sizes = {"10k": _size(40.0, 12.0, 1.0, 900.0)}
    verdicts = report.verdicts(sizes)
    assert {v["name"]: v["met"] for v in verdicts if v["size"] == "1m"} == {
        "full_run_multiple_of_floor": None,
        "nightly_run_multiple_of_floor": None,
        "peak_rss_mb": None,
        "generate_seconds": None,
    }
    lines = report.table(sizes, verdicts).splitlines()
    nightly = next(line for line in lines if line.startswith("10k   nightly  whole"))
    assert "< 15 s: 12.0 s met" in nightly
    assert "12.0x the full delivery's floor (240.0x the delta's)" in nightly
    full = next(line for line in lines if line.startswith("10k   full     whole"))
    assert "40.0x the full delivery's floor" in full


def test_an_older_results_file_is_restated_against_the_full_delivery_floor():
    size = _size(40.0, 12.0, 2.0, 900.0)
    del size["nightly_run"]["multiple_of_delta_floor"]
    size["nightly_run"]["multiple_of_floor"] = 120.0  # measured against the delta's floor of 0.1 s
    restated = report.restate(size)["nightly_run"]
    assert (restated["multiple_of_floor"], restated["multiple_of_delta_floor"]) == (6.0, 120.0)
