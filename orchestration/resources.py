"""Resources: the warehouse location, the run lock and the dbt CLI, configured from the environment in one place."""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging import version
from pydantic import PrivateAttr

from escalations.config import Paths, duckdb_config, environ, resolve_paths
from escalations.engines import describe_warehouse, local_duckdb
from escalations.engines.reader import open_reader
from escalations.runlock import hold_run
from escalations.settings import current as settings
from escalations.settings import dbt_environment
from orchestration.project import dbt_project

log = logging.getLogger(__name__)


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse and the landing zone. Empty fields fall back to ESCALATIONS_* variables.

    ``connect`` opens the DuckDB file the Python steps write (ingestion, redaction, themes): the
    warehouse on DuckDB, the staging file on Postgres and Spark, whose tables are shipped to the
    engine before dbt reads them (escalations/engines/). ``reader`` reads the engine's warehouse.
    """

    home: str = ""
    landing: str = ""
    warehouse: str = ""

    def paths(self):
        return resolve_paths(self.home or None, self.landing or None, self.warehouse or None)

    @property
    def landing_path(self) -> Path:
        return self.paths().landing

    @property
    def warehouse_path(self) -> Path:
        return self.paths().warehouse

    @property
    def local_path(self) -> Path:
        """The DuckDB file the Python steps write: the warehouse, or the staging file before ``ship``."""
        return local_duckdb(self.paths())

    def describe(self) -> str:
        """Where the warehouse is, for people (version.json): the DuckDB file, or the engine's."""
        return describe_warehouse(self.paths())

    def reader(self):
        """A reader of the engine's warehouse (a context manager: escalations/engines/reader.py)."""
        return open_reader(self.paths())

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection to ``local_path`` that the caller must close; only one step writes at a time
        (in-process executor)."""
        path = self.local_path
        path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path), read_only=read_only, config=duckdb_config())


class RunLockResource(dg.ConfigurableResource):
    """Holds the run's home and warehouse from its start to its end (escalations/runlock.py).

    Every step that writes the warehouse or the home's shared state (ingestion, dbt, the quality
    gate's baselines, publishing) requires it, so a run of the job, from the schedule, a sensor,
    the UI or ``escalations run``, takes it once before its first step: a second run waits
    (``wait_seconds``, default ESCALATIONS_RUN_LOCK_WAIT) or fails at once saying which run
    (pid, start) holds it. The read-only SLA watch does not need it.
    """

    warehouse: WarehouseResource
    wait_seconds: float | None = None
    _stack: contextlib.ExitStack | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        stack = contextlib.ExitStack()
        stack.enter_context(hold_run(self.warehouse.paths(), self.wait_seconds))
        self._stack = stack

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None


def _dbt_executable() -> str:
    """``escalations-dbt`` (dbt, killed with its run: escalations/runlock.py), beside this Python."""
    tied = Path(sys.executable).parent / "escalations-dbt"
    if tied.exists():
        return str(tied)
    log.warning(f"{tied} is missing (reinstall with `make install`): dbt is not tied to its run")
    return str(Path(sys.executable).parent / "dbt")


def prune_dbt_targets(targets: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest run folders of ``targets``; the removed ones."""
    runs = sorted(
        (d for d in targets.iterdir() if d.is_dir() and not d.is_symlink()),
        key=lambda d: d.stat().st_mtime,
        reverse=True,
    )
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return runs[keep:]


def dbt_target_path(paths: Paths, context: dg.OpExecutionContext | dg.AssetExecutionContext | None) -> Path:
    """``HOME/dbt/target/<run id>/<step>``: where one dbt invocation of a run writes its artifacts
    and dbt.log (outside a run: a folder of its own, by time)."""
    if context is not None:
        return paths.dbt_targets / context.run.run_id / context.op_execution_context.op.name
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return paths.dbt_targets / f"{stamp}-{uuid.uuid4().hex[:7]}" / "dbt"


PARSE_STATE = "partial_parse.msgpack"


def parse_state_path(paths: Paths) -> Path:
    """``HOME/dbt/partial_parse.msgpack``: dbt's parse state of the last invocation in this home."""
    return paths.dbt_targets.parent / PARSE_STATE


def seed_parse_state(paths: Paths, target_path: Path) -> bool:
    """Copy the home's parse state into a new target folder, so dbt parses only what changed since
    the last invocation (dbt compares every file's checksum, the profile, the project's env vars
    and the command-line vars, and parses everything again when one of the last three changed).
    True when there was one."""
    state = parse_state_path(paths)
    into = target_path / PARSE_STATE
    if not state.exists() or into.exists():
        return False
    shutil.copyfile(state, into)
    return True


def keep_parse_state(paths: Paths, target_path: Path) -> bool:
    """Keep an invocation's parse state as the home's (a copy, swapped in whole); True when kept."""
    written = target_path / PARSE_STATE
    if not written.exists():
        return False
    state = parse_state_path(paths)
    state.parent.mkdir(parents=True, exist_ok=True)
    partial = state.with_name(f".{PARSE_STATE}.{uuid.uuid4().hex[:7]}")
    shutil.copyfile(written, partial)
    partial.replace(state)
    return True


class DbtResource(DbtCliResource):
    """The dbt CLI, handed the warehouse resource's paths.

    dbt's profile reads the warehouse file, target and windows from variables set here from the
    settings and the warehouse resource (escalations.settings.dbt_environment), so dbt builds the
    warehouse the rest of the run reads. Each invocation writes its artifacts and dbt.log to
    ``HOME/dbt/target/<run>/<step>``, and only the last ESCALATIONS_DBT_KEEP_RUNS runs' folders
    are kept: nothing is written into the dbt project. Each invocation starts from the home's
    parse state (``HOME/dbt/partial_parse.msgpack``, see ``seed_parse_state``); the caller keeps
    the new one with ``keep_parse_state`` when the invocation is done.
    """

    warehouse: WarehouseResource

    def cli(
        self,
        args: Sequence[str],
        *,
        context: dg.OpExecutionContext | dg.AssetExecutionContext | None = None,
        target_path: Path | None = None,
        **kwargs,
    ):
        paths = self.warehouse.paths()
        if target_path is None:
            target_path = dbt_target_path(paths, context)
        target_path.mkdir(parents=True, exist_ok=True)
        target_path.parent.touch()  # the run's folder is the newest: pruned last
        prune_dbt_targets(paths.dbt_targets, settings().dbt_keep_runs)
        seed_parse_state(paths, target_path)
        with environ(**dbt_environment(paths.warehouse, home=paths.home)):
            return super().cli(args, context=context, target_path=target_path, **kwargs)

    # Two things DbtCliResource does before each invocation that this project has no use for,
    # about 6 s of every run (tests/test_orchestration.py checks both names still exist):
    @cached_property
    def _cli_version(self) -> version.Version:
        """The dbt-core of this environment, which escalations-dbt runs: DbtCliResource asks the
        executable itself (`dbt --version`, a 2-3 s process) to tell dbt Core from dbt Fusion."""
        from dbt.version import __version__

        return version.parse(__version__)

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        """No in-process dbt adapter (about 2 s per invocation: dbt's profile, project and adapter
        loaded again): dagster-dbt uses it only for ``fetch_column_metadata`` and
        ``fetch_row_counts``, which this project does not call, and does without it otherwise."""
        return None


def run_resources(home: str = "", landing: str = "", warehouse: str = "") -> dict:
    """The warehouse and its run lock, for one home (empty: the ESCALATIONS_* variables)."""
    where = WarehouseResource(home=home, landing=landing, warehouse=warehouse)
    return {"warehouse": where, "run_lock": RunLockResource(warehouse=where)}


def build_resources() -> dict:
    run = run_resources()
    return {
        **run,
        "dbt": DbtResource(
            warehouse=run["warehouse"],
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            # the dbt of this environment, even when the venv is not activated
            dbt_executable=_dbt_executable(),
        ),
    }
