"""Work spread over worker processes (escalations/parallel.py) writes exactly what one process
writes: the raw tables, the quarantine (every reason, file and position) and the bookkeeping of a
generated world with its planted bad records, loaded by workers and by the loading process alone;
and the redacted texts of that world. A worker dies with its parent: a kill -9 leaves none behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

import escalations.ingestion.load as load_module
import escalations.voice.text as text_module
from escalations.generator import generate
from escalations.ingestion import load_landing
from escalations.ingestion.specs import TABLES

NOW = datetime(2026, 3, 1, tzinfo=UTC)  # when the loads and the redaction happen, for both paths


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("world") / "landing"
    generate(path, seed=5, escalations=150, days=30)
    return path


def _load(warehouse: Path, landing: Path, monkeypatch, workers: int) -> None:
    with monkeypatch.context() as m:
        m.setenv("ESCALATIONS_WORKERS", str(workers))
        m.setattr(load_module, "PARALLEL_BYTES", 0)  # every table through the workers, however small
        load_landing(warehouse, landing, loaded_at=NOW)


def _everything(warehouse: Path, tables: list[str]) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {t: conn.execute(f"select * from {t} order by all").fetchall() for t in tables}


def test_workers_load_every_record_where_one_process_does(landing, tmp_path, monkeypatch):
    alone, spread = tmp_path / "alone.duckdb", tmp_path / "spread.duckdb"
    _load(alone, landing, monkeypatch, workers=1)
    _load(spread, landing, monkeypatch, workers=2)
    tables = [f"raw.{t.name}" for t in TABLES] + ["raw._quarantine", "raw._ingested_files"]
    expected = _everything(alone, tables)
    assert expected["raw._quarantine"], "the world's planted bad records are quarantined"
    assert sum(len(rows) for rows in expected.values()) > 2_000
    assert _everything(spread, tables) == expected


def test_workers_redact_every_text_as_one_process_does(landing, tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    _load(warehouse, landing, monkeypatch, workers=1)
    redacted = {}
    for workers in (1, 2):
        monkeypatch.setenv("ESCALATIONS_WORKERS", str(workers))
        monkeypatch.setattr(text_module, "PARALLEL_FROM", 1)
        monkeypatch.setattr(text_module, "ITEM", 37)  # many pieces, and a last one part-full
        with duckdb.connect(str(warehouse)) as conn:
            conn.execute("set TimeZone = 'UTC'")
            conn.execute(f"drop table if exists {text_module.TABLE}")
            result = text_module.redact_new_text(conn, NOW)
            rows = conn.execute(f"select * from {text_module.TABLE} order by text_key").fetchall()
        redacted[workers] = (rows, result.metadata() | {"texts_in_table": len(rows)})
    rows, metadata = redacted[1]
    assert len(rows) > 100 and metadata["redactions_by_kind"]
    assert redacted[2] == redacted[1]


_HOLDER = """
import sys, time
from escalations.parallel import pool

def pid(_):
    import os
    time.sleep(0.2)  # so that both workers take some
    return os.getpid()

if __name__ == "__main__":
    with pool(2) as executor:
        pids = sorted(set(executor.map(pid, range(10))))
        busy = [executor.submit(time.sleep, 600) for _ in pids]  # each worker in the middle of a task
        time.sleep(0.5)
        print(" ".join(map(str, pids)), flush=True)
        time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = (
        Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] if Path(f"/proc/{pid}").exists() else "X"
    )
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_dies_with_its_parent(tmp_path):
    script = tmp_path / "holder.py"
    script.write_text(_HOLDER)
    holder = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(p) for p in holder.stdout.readline().split()]
        assert workers and all(_alive(p) for p in workers)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers), "a worker outlived its killed parent"
    finally:
        if holder.poll() is None:
            holder.kill()
