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
