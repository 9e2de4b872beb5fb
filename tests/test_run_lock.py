"""One run at a time per home and per warehouse, and nothing of a killed run left running.

A helper process holds a home the way a run does (escalations.runlock.hold_run); a second
`escalations run`/`load`, and a Dagster run of a step that writes, then stops at once naming
the holder, or waits for it; the read-only SLA watch runs regardless. A killed holder's untied
children are stopped by the next run, and nothing else is; a child started through the tied
wrapper (as dbt is) dies with its parent.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from escalations.config import resolve_paths
from escalations.runlock import BUSY_EXIT, RunBusy, hold_run
from orchestration.definitions import defs
from orchestration.resources import RunLockResource, WarehouseResource, build_resources, run_resources
from orchestration.watch import sla_watch_job

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
CLI = str(Path(sys.executable).with_name("escalations"))

HOLDER = """
import subprocess, sys, time
from escalations.config import resolve_paths
from escalations.runlock import hold_run
home, seconds, warehouse, *child = sys.argv[1:]
with hold_run(resolve_paths(home, warehouse=warehouse or None), wait=0):
    if child:  # a child not tied to us, as an orphaned dbt was
        print(subprocess.Popen(child).pid, flush=True)
    else:
        print("held", flush=True)
    time.sleep(float(seconds))
"""


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return not stat[stat.rfind(")") + 2 :].startswith(("Z", "X"))


def _gone_within(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return not _alive(pid)


class Holder:
    """A process holding ``home`` (and its warehouse) for ``seconds``, maybe with a child."""

    def __init__(self, home: Path, seconds: float, warehouse: Path | None = None, child: list[str] = ()):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(home), str(seconds), str(warehouse or ""), *child],
            stdout=subprocess.PIPE,
            text=True,
        )
        first = self.proc.stdout.readline().strip()
        self.child = int(first) if first.isdigit() else None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)


@pytest.fixture
def holders():
    started: list[Holder] = []
    yield lambda *a, **k: started.append(Holder(*a, **k)) or started[-1]
    for holder in started:
        holder.kill()
        if holder.child and _alive(holder.child):
            os.kill(holder.child, signal.SIGKILL)


def _home_with_landing(tmp_path: Path, name: str = "home") -> Path:
    home = tmp_path / name
    shutil.copytree(SAMPLES, home / "landing")
    return home


@pytest.mark.parametrize("shared", ["home", "warehouse"])
def test_a_second_run_stops_at_once_saying_which_run_holds_it(tmp_path, holders, shared):
    home = _home_with_landing(tmp_path)
    warehouse = tmp_path / "shared.duckdb"
    if shared == "home":
        holder = holders(home, 120)
        args = ["run", "--home", str(home)]
        held = f"holds the home {home}"
    else:  # another home, the same warehouse
        holder = holders(tmp_path / "other-home", 120, warehouse)
        args = ["run", "--home", str(home), "--warehouse", str(warehouse)]
        held = f"holds the warehouse {warehouse}"
    started = time.monotonic()
    done = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == BUSY_EXIT, done.stderr[-2000:]
    assert f"another run (pid {holder.proc.pid}, started at " in done.stderr
    assert held in done.stderr and "--wait" in done.stderr
    assert "Could not set lock" not in done.stdout + done.stderr  # never DuckDB's error from deep inside
    assert time.monotonic() - started < 60
    assert not (home / "warehouse.duckdb").exists() and not (home / "dagster").exists()  # nothing ran


def test_with_wait_a_second_run_runs_once_the_first_lets_go(tmp_path, holders):
    home = _home_with_landing(tmp_path)
    holders(home, 6)
    started = time.monotonic()
    done = subprocess.run(
        [CLI, "load", "--home", str(home), "--wait"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert time.monotonic() - started >= 3  # it waited for the holder
    assert "zendesk_tickets" in done.stdout
    assert "waiting for another run (pid" in done.stderr


def _writer_asset(marker: Path) -> dg.AssetsDefinition:
    @dg.asset(key=["raw", "stand_in"])
    def stand_in(warehouse: WarehouseResource, run_lock: RunLockResource) -> None:
        marker.write_text("ran")

    return stand_in


def test_a_dagster_run_of_a_writing_step_fails_at_once_or_waits(tmp_path, holders):
    home = tmp_path / "home"
    holder = holders(home, 8)
    marker = tmp_path / "ran"
    result = dg.materialize(
        [_writer_asset(marker)],
        resources=run_resources(home=str(home)),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not result.success and not marker.exists()
    failure = result.get_run_failure_event()
    events = [e.message or "" for e in result.all_events] + [failure.message or ""]
    text = " ".join(events) + str(failure.event_specific_data)
    assert f"another run (pid {holder.proc.pid}, started at " in text
    # with a wait, the same run starts when the holder lets go
    where = WarehouseResource(home=str(home))
    waited = dg.materialize(
        [_writer_asset(marker)],
        resources={"warehouse": where, "run_lock": RunLockResource(warehouse=where, wait_seconds=60)},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert waited.success and marker.exists()


def test_every_step_that_writes_needs_the_run_lock_and_the_sla_watch_does_not(tmp_path, holders):
    graph = defs.resolve_asset_graph()
    writers = [
        key
        for key in graph.get_all_asset_keys()
        if key.path[0] in ("raw", "publish") or key == dg.AssetKey(["marts", "fct_escalations"])
    ]
    assert len(writers) > 20
    for key in writers:
        assets_def = graph.assets_def_for_key(key)
        assert "run_lock" in assets_def.required_resource_keys, key
    assert "run_lock" not in sla_watch_job.required_resource_keys
    holders(tmp_path / "home", 60)
    watched = sla_watch_job.execute_in_process(
        resources={"warehouse": WarehouseResource(home=str(tmp_path / "home"))}, raise_on_error=False
    )
    assert watched.success  # the hourly watch reads the published snapshot, whoever holds the home


def test_the_next_run_stops_what_a_killed_run_left_and_nothing_else(tmp_path, holders):
    home = tmp_path / "home"
    holder = holders(home, 300, None, ["sleep", "300"])
    bystander = subprocess.Popen(["sleep", "300"])  # same user, not started by the run
    try:
        assert holder.child and _alive(holder.child)
        with pytest.raises(RunBusy), hold_run(resolve_paths(home), wait=0):
            pass
        assert _alive(holder.child)  # a live holder's children are never touched
        holder.proc.kill()  # kill -9 of the run: its untied child lives on, an orphan
        holder.proc.wait(timeout=30)
        time.sleep(0.5)
        assert _alive(holder.child)
        with hold_run(resolve_paths(home), wait=5):
            assert not _alive(holder.child)  # stopped before the new run does anything
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()


PARENT = """
import subprocess, sys, time
tied = subprocess.Popen([sys.executable, "-m", "escalations.runlock", "sleep", "300"])
untied = subprocess.Popen(["sleep", "300"])
print(tied.pid, untied.pid, flush=True)
time.sleep(300)
"""


def test_a_child_started_through_the_tied_wrapper_dies_with_its_parent():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    tied, untied = (int(x) for x in parent.stdout.readline().split())
    try:
        time.sleep(1)  # the wrapper has exec'ed sleep
        assert _alive(tied) and _alive(untied)
        parent.kill()
        parent.wait(timeout=30)
        assert _gone_within(tied, 5)
        assert _alive(untied)  # the control: without the wrapper the child would live on
    finally:
        for pid in (tied, untied):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_dbt_is_started_through_the_tied_wrapper():
    dbt = build_resources()["dbt"]
    assert Path(dbt.dbt_executable).name == "escalations-dbt"
    done = subprocess.run([dbt.dbt_executable, "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Core" in done.stdout


def test_a_run_takes_back_what_an_older_version_left_readable(tmp_path):
    """Files an older version (or another umask) made 0644 are private again once a run holds the
    home; what the run creates is private from the start; the published folder is not touched."""
    home = tmp_path / "home"
    paths = resolve_paths(home)
    before = os.umask(0o022)  # as an older version left them
    for path in (paths.warehouse, paths.dagster_home / "history" / "runs.db", paths.watch / "outbox.sqlite"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
        path.chmod(0o644)
        path.parent.chmod(0o755)
    (paths.publish / "duckdb").mkdir(parents=True)
    (paths.publish / "duckdb" / "escalations.duckdb").write_text("x")
    (paths.publish / "duckdb" / "escalations.duckdb").chmod(0o640)
    try:
        with hold_run(paths, wait=0):
            created = paths.reports / "brief.html"
            created.parent.mkdir()
            created.write_text("x")
            modes = {
                p.relative_to(home).as_posix(): oct(p.stat().st_mode & 0o777)
                for p in [home, *home.rglob("*")]
                if not p.name.endswith(".run.lock")
            }
        assert os.umask(0o022) == 0o022  # the run's umask ended with it
    finally:
        os.umask(before)
    assert modes == {
        ".": "0o710",
        "warehouse.duckdb": "0o600",
        "dagster": "0o700",
        "dagster/history": "0o700",
        "dagster/history/runs.db": "0o600",
        "watch": "0o700",
        "watch/outbox.sqlite": "0o600",
        "reports": "0o700",
        "reports/brief.html": "0o600",
        "publish": "0o755",
        "publish/duckdb": "0o755",
        "publish/duckdb/escalations.duckdb": "0o640",
    }
