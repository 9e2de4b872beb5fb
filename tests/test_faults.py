"""The held-out fault run, through the command line as an operator would run it.

A small generated world (with the generator's bad records) is run once undisturbed: the
reference. In a second home the same world then meets the faults: a run killed (kill -9) while
dbt builds, with a second run started meanwhile (it stops at once naming the first) and a third
waiting for it (it starts as soon as the killed one is gone), then a run of another world on a
second warehouse in the same home. Every good record must end in the marts, every bad one in
quarantine once, nothing lost or doubled, no process of the killed run left; the marts must equal
the reference's. The reference run also proves what a run leaves on disk: private files, group-
readable published outputs, and the requester hash key nowhere.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from escalations.config import resolve_paths
from escalations.generator import generate
from escalations.publish import duckdb_snapshot_path, parquet_current_path

AS_OF = "2026-03-01T00:00:00Z"
CLI = str(Path(sys.executable).with_name("escalations"))


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=3600, **kwargs)


def _run_args(home: Path, landing: Path, *extra: str) -> list[str]:
    return ["run", "--home", str(home), "--landing", str(landing), "--as-of", AS_OF, *extra]


def _marts(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {n: conn.execute(f"select * from marts.{n} order by all").fetchall() for n in names}


def _raw(warehouse: Path) -> dict[str, object]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'raw' "
                "and table_name not like '\\_%' escape '\\' order by 1"
            ).fetchall()
        ]
        return {
            "rows": {t: conn.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables},
            "quarantine": conn.execute(
                "select source_file, position, reason, count(*) from raw._quarantine group by all order by all"
            ).fetchall(),
        }


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("world") / "landing"
    generate(path, seed=21, escalations=300, days=35)
    return path


@pytest.fixture(scope="module")
def reference(landing, tmp_path_factory):
    home = tmp_path_factory.mktemp("reference")
    started = time.time()
    done = _cli(*_run_args(home, landing))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    paths = resolve_paths(home, landing=landing)
    return {"paths": paths, "done": done, "started": started, "marts": _marts(paths.warehouse)}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_a_run_keeps_its_files_private_and_publishes_group_readable(reference):
    paths = reference["paths"]
    private = [paths.warehouse, paths.dagster_home, paths.quality, paths.watch, paths.reports]
    for root in private:
        for path in [root, *root.rglob("*")] if root.is_dir() else [root]:
            if path.is_symlink():
                continue
            expected = 0o700 if path.is_dir() else 0o600
            assert _mode(path) == expected, f"{path} is {oct(_mode(path))}"
    assert _mode(paths.watch / "outbox.sqlite") == 0o600
    assert _mode(paths.home) == 0o710  # the group may pass through to publish/, not list the home
    current = (paths.publish / "current").resolve()
    for path in [current / "marts.hyper", current / "version.json", *(current / "parquet").iterdir()]:
        assert _mode(path) == 0o640, path
    assert _mode(current / "escalations.duckdb") == 0o440
    assert _mode(paths.publish) == _mode(current) == 0o750


def test_the_hash_key_is_in_no_file_log_or_output_of_the_run(reference, hash_key):
    paths = reference["paths"]
    needle = hash_key.encode()
    assert needle not in (reference["done"].stdout + reference["done"].stderr).encode()
    runs = list((paths.home / "dbt" / "target").iterdir())  # inside the home: searched with it
    assert runs, "the run's dbt target folder"
    searched = 0
    for root in [paths.home, *runs]:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink() and paths.landing not in path.parents:
                assert needle not in path.read_bytes(), path
                searched += 1
    assert searched > 50


def _children(pid: int, word: bytes) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat_line = (entry / "stat").read_text()
            ppid = int(stat_line[stat_line.rfind(")") + 2 :].split()[1])
            if ppid == pid and word in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return not stat_line[stat_line.rfind(")") + 2 :].startswith(("Z", "X"))


def _wait_for(condition, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _models_built(home: Path, since: float) -> int:
    logs = [p for p in (home / "dbt" / "target").glob("*/dbt_models/dbt.log") if p.stat().st_mtime >= since]
    return max((p.read_text(errors="replace").count("OK created") for p in logs), default=0)


def test_held_out_fault_run(landing, reference, tmp_path):
    home = tmp_path / "home"
    paths = resolve_paths(home, landing=landing)
    started = time.time()
    first = subprocess.Popen(
        [CLI, *_run_args(home, landing)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    waiting = None
    try:
        # the first run holds the home: a second stops at once and says who holds it
        _wait_for(lambda: (home / "dagster" / "dagster.yaml").exists(), 300, "the first run to start")
        second = _cli(*_run_args(home, landing))
        assert second.returncode == 3, second.stderr[-2000:]
        assert f"another run (pid {first.pid}, started at " in second.stderr
        # a third waits for it
        waiting = subprocess.Popen(
            [CLI, *_run_args(home, landing, "--wait")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # kill -9 the first while dbt is half-way through its build
        dbt = _wait_for(lambda: _children(first.pid, b"dbt"), 900, "the first run's dbt")
        _wait_for(lambda: _models_built(home, started) >= 30, 900, "dbt to build some models")
        assert first.poll() is None
        first.kill()
        first.wait(timeout=60)
        assert _wait_for(lambda: not any(_alive(p) for p in dbt), 10, "dbt to die with its run")
        out, err = waiting.communicate(timeout=3600)
        assert waiting.returncode == 0, out[-3000:] + err[-3000:]
        assert f"waiting for another run (pid {first.pid}" in err
        assert "published by this run" in out
    finally:
        for proc in (first, waiting):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()

    # every good record in the marts, every bad one quarantined once, as in the undisturbed run
    assert _marts(paths.warehouse) == reference["marts"]
    assert _raw(paths.warehouse) == _raw(reference["paths"].warehouse)
    truth = json.loads((landing / "_generator" / "truth.json").read_text())
    assert _by_source(paths.warehouse) == {k: v for k, v in truth["escalations_non_deleted"].items() if v}
    planted = [
        json.loads(line) for line in (landing / "_generator" / "bad_records.jsonl").read_text().splitlines()
    ]
    quarantined = {(f, p) for f, p, _, n in _raw(paths.warehouse)["quarantine"]}
    missing = [
        p for p in planted if p["kind"] != "unknown_enum" and (p["file"], p["position"]) not in quarantined
    ]
    assert planted and not missing, missing[:5]
    assert all(n == 1 for *_, n in _raw(paths.warehouse)["quarantine"])
    # and BI tools read this version, whole
    with duckdb.connect(str(duckdb_snapshot_path(paths.publish)), read_only=True) as conn:
        snapshot = conn.execute("select count(*) from marts.fct_escalations").fetchone()[0]
    manifest = json.loads((parquet_current_path(paths.publish) / "manifest.json").read_text())
    assert (
        snapshot == manifest["marts"]["fct_escalations"]["rows"] == len(reference["marts"]["fct_escalations"])
    )

    # another world on a second warehouse in the same home: held to no baseline of the first
    other_landing = tmp_path / "other-landing"
    generate(other_landing, seed=22, escalations=60, days=35)
    second_warehouse = home / "second.duckdb"
    done = _cli(*_run_args(home, other_landing, "--warehouse", str(second_warehouse)))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "published by this run" in done.stdout
    other_truth = json.loads((other_landing / "_generator" / "truth.json").read_text())
    assert _by_source(second_warehouse) == {
        k: v for k, v in other_truth["escalations_non_deleted"].items() if v
    }
    assert _marts(paths.warehouse) == reference["marts"]  # the home's first warehouse is untouched
    summary = _cli("summary", "--home", str(home))
    assert summary.returncode == 0
    assert f"NOT from this warehouse but from {second_warehouse}" in summary.stdout


def _by_source(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return dict(
            conn.execute("select source_system, count(*) from marts.fct_escalations group by 1").fetchall()
        )


def _start_load(home: Path, landing: Path) -> tuple[subprocess.Popen, float]:
    """A load in a child process, and the moment it began writing (its warehouse file appeared)."""
    proc = subprocess.Popen(
        [CLI, "load", "--home", str(home), "--landing", str(landing)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    end = time.monotonic() + 300
    while not (home / "warehouse.duckdb").exists():
        assert proc.poll() is None, "the load ended before it wrote a warehouse"
        assert time.monotonic() < end, "timed out waiting for the load to start writing"
        time.sleep(0.01)
    return proc, time.monotonic()


@pytest.fixture(scope="module")
def writing_seconds(landing, tmp_path_factory) -> float:
    """How long an undisturbed load writes, so the kills below land inside that span on any machine."""
    proc, began = _start_load(tmp_path_factory.mktemp("timed_load") / "home", landing)
    proc.communicate()
    assert proc.returncode == 0
    return time.monotonic() - began


@pytest.mark.parametrize("fraction", [0.25, 0.7])
def test_a_load_killed_part_way_is_redone_whole_by_the_next(
    landing, reference, tmp_path, writing_seconds, fraction
):
    """kill -9 of ingestion part-way (each table loads in one transaction), then a load at once:
    the raw layer equals the undisturbed run's, nothing lost or doubled."""
    home = tmp_path / "home"
    proc, began = _start_load(home, landing)
    time.sleep(max(0.0, began + writing_seconds * fraction - time.monotonic()))
    killed_before_the_end = proc.poll() is None
    proc.kill()
    proc.communicate()
    done = _cli("load", "--home", str(home), "--landing", str(landing))
    assert done.returncode == 0, done.stderr[-3000:]
    assert _raw(home / "warehouse.duckdb") == _raw(reference["paths"].warehouse)
    assert killed_before_the_end  # the kill did land part-way
