"""dbt outside Dagster, for tests and benchmarks: on a DuckDB warehouse, or on any engine given its
connection settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from escalations.config import DBT_PROJECT_DIR, HASH_KEY_ENV, HashKey, dbt_key_environment, environ
from escalations.settings import Settings, dbt_environment


def _args(work: Path, *args: str) -> list[str]:
    common = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    return [
        *args,
        *common,
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--quiet",
    ]


def _env(
    warehouse: Path,
    as_of: str | None,
    engine: str = "duckdb",
    connection: dict[str, str] | None = None,
    home: Path | None = None,
) -> dict[str, str]:
    """What dbt's profile reads, from the settings, on ``warehouse``: on ``engine`` with the settings
    in ``connection`` alone (Postgres', Spark's) and the requester hash key as a run hands it to
    dbt; else on the duckdb target with this process's settings."""
    if connection is None:
        env = {**dbt_environment(warehouse, home=home), "ESCALATIONS_TARGET": engine}
    else:
        settings = Settings.from_env({**connection, "ESCALATIONS_TARGET": engine})
        env = {
            **dbt_environment(warehouse, settings, home=home),
            **dbt_key_environment(HashKey(os.environ[HASH_KEY_ENV], "environment")),
        }
    if as_of:
        env["ESCALATIONS_AS_OF"] = as_of
    return env


def run_dbt(work: Path, warehouse: Path, *args: str, as_of: str | None = None):
    """Invoke ``dbt <args>`` in this process on ``warehouse``; target and logs go under ``work``.

    ``as_of`` (ISO-8601 with zone) is the instant open SLA clocks are measured to. dbt-duckdb keeps
    the file open in this process afterwards: use ``run_dbt_process`` where something else opens
    the same file with other settings later. Raises on failure.
    """
    from dbt.cli.main import dbtRunner

    with environ(**_env(warehouse, as_of)):
        result = dbtRunner().invoke(_args(work, *args))
    if not result.success:
        raise RuntimeError(f"dbt {args[0]} failed: {result.exception}")
    return result


def run_dbt_process(
    work: Path,
    warehouse: Path,
    *args: str,
    as_of: str | None = None,
    engine: str = "duckdb",
    connection: dict[str, str] | None = None,
    home: Path | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess:
    """``run_dbt`` in a child process (as Dagster runs dbt), which lets go of the file when done;
    on another ``engine`` with its ``connection`` settings (see ``_env``). Raises on failure unless
    ``check`` is false; the finished process either way."""
    dbt = Path(sys.executable).with_name("dbt")
    done = subprocess.run(
        [str(dbt), *_args(work, *args)],
        env={**os.environ, **_env(warehouse, as_of, engine, connection, home)},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"dbt {args[0]} failed:\n{done.stdout[-4000:]}{done.stderr[-2000:]}")
    return done
