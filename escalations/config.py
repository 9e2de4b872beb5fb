"""Where a run reads and writes: one data directory, chosen in one place.

Everything lives under the home folder (``--home`` or ``ESCALATIONS_HOME``, default ``data/``):
``landing/``, ``warehouse.duckdb``, ``publish/``, ``reports/`` and Dagster's own ``dagster/``.
``--landing``/``ESCALATIONS_LANDING`` and ``--warehouse``/``ESCALATIONS_WAREHOUSE`` override the
first two. dbt's ``profiles.yml`` and the Dagster code location read the same variables, so the
command line, ``make dev`` and the nightly schedule all see one warehouse.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = PROJECT_ROOT / "seeds"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


@dataclass(frozen=True)
class Paths:
    home: Path
    landing: Path
    warehouse: Path

    @property
    def publish(self) -> Path:
        return self.home / "publish"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def data_docs(self) -> Path:
        """Great Expectations Data Docs (index.html), rebuilt by every quality check."""
        return self.quality / "gx" / "uncommitted" / "data_docs" / "local_site"

    @property
    def watch(self) -> Path:
        """Watch and tell: the delivery outbox and the SLA-watch report."""
        return self.home / "watch"

    @property
    def quality(self) -> Path:
        """The quality gate's state: the GX project (suites, results, Data Docs) and row-count baselines."""
        return self.home / "quality"


def resolve_paths(
    home: str | os.PathLike | None = None,
    landing: str | os.PathLike | None = None,
    warehouse: str | os.PathLike | None = None,
) -> Paths:
    """Resolve the data directory from arguments, then the environment, then defaults.

    An explicit ``home`` owns its landing zone and warehouse: the ESCALATIONS_LANDING and
    ESCALATIONS_WAREHOUSE variables only apply when no home is given.
    """
    env = {} if home else os.environ
    home_path = Path(home or os.environ.get("ESCALATIONS_HOME") or "data").expanduser().resolve()
    landing_path = Path(landing or env.get("ESCALATIONS_LANDING") or home_path / "landing").expanduser()
    warehouse_path = Path(
        warehouse or env.get("ESCALATIONS_WAREHOUSE") or home_path / "warehouse.duckdb"
    ).expanduser()
    return Paths(home=home_path, landing=landing_path.resolve(), warehouse=warehouse_path.resolve())


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant with its zone (``2026-11-01T00:00:00Z``); ValueError otherwise.

    The one parser of instants given on the command line, in the environment or in run config:
    a time without a zone is refused, never read as the machine's local time."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO-8601 instant: {text!r}") from None
    if value.tzinfo is None:
        raise ValueError(f"an instant needs a zone (e.g. {text}Z): {text!r}")
    return value


def duckdb_config() -> dict[str, str]:
    """Settings for a DuckDB connection that writes the warehouse: a memory ceiling
    (``ESCALATIONS_DUCKDB_MEMORY_LIMIT``, default 4GB; DuckDB's own default is 80% of RAM), past
    which DuckDB spills to a temp folder beside the file instead of growing. dbt's profile reads
    the same variable."""
    return {"memory_limit": os.environ.get("ESCALATIONS_DUCKDB_MEMORY_LIMIT", "4GB")}


def export_env(paths: Paths) -> None:
    """Publish the resolved paths to the environment so dbt and Dagster read the same ones."""
    os.environ["ESCALATIONS_HOME"] = str(paths.home)
    os.environ["ESCALATIONS_LANDING"] = str(paths.landing)
    os.environ["ESCALATIONS_WAREHOUSE"] = str(paths.warehouse)
    os.environ.setdefault("DAGSTER_HOME", str(paths.dagster_home))


@contextmanager
def environ(**values: str | None) -> Iterator[None]:
    """Set (or, for None, unset) environment variables for a block; restore them afterwards."""
    old = {k: os.environ.get(k) for k in values}

    def apply(pairs: dict[str, str | None]) -> None:
        for k, v in pairs.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    apply(values)
    try:
        yield
    finally:
        apply(old)


def release_memory() -> None:
    """Hand memory a step freed back to the system (glibc keeps freed heap otherwise).

    Every step of a run shares one process, so without this the pandas frames of one quality
    check stay in the process's footprint through the steps after it.
    """
    import gc

    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim():
    """glibc's malloc_trim, looked up once (find_library runs ldconfig); None elsewhere (macOS, musl)."""
    import ctypes
    import ctypes.util

    libc = ctypes.util.find_library("c")
    with suppress(OSError, AttributeError):
        return ctypes.CDLL(libc).malloc_trim if libc else None
    return None
