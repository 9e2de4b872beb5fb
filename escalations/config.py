"""Where a run reads and writes, and the settings it runs with: chosen in one place.

Everything lives under the home folder (``--home`` or ``ESCALATIONS_HOME``, default ``data/``):
``landing/``, ``warehouse.duckdb``, ``publish/``, ``reports/``, ``secrets/`` and Dagster's own
``dagster/``, dbt's run folders ``dbt/target/`` and the run logs ``logs/``.
``--landing``/``ESCALATIONS_LANDING`` and ``--warehouse``/``ESCALATIONS_WAREHOUSE`` override the
first two. Every setting is read by ``escalations.settings`` (one typed object); dbt is handed the
warehouse and its other settings by the runner (``escalations.settings.dbt_environment``), so the
command line, ``make dev`` and the nightly schedule all see one warehouse.

What a run writes is private to its user (files 0600, folders 0700), except what BI tools read:
the published outputs (``ESCALATIONS_PUBLISH_MODE``, default 0640).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from escalations.settings import current as settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# an installed package carries the dbt project and its seeds inside it (setup.py)
PACKAGED_PROJECT = Path(__file__).resolve().parent / "_project"


def _project_root() -> Path:
    """Where ``dbt_project/`` and ``seeds/`` are: the checkout this module runs from, else (an
    installed wheel) the copy packaged inside ``escalations/_project/``."""
    if (PROJECT_ROOT / "dbt_project" / "dbt_project.yml").is_file():
        return PROJECT_ROOT
    return PACKAGED_PROJECT


DBT_PROJECT_DIR = _project_root() / "dbt_project"
SEEDS_DIR = _project_root() / "seeds"  # beside it: dbt_project.yml reads ../seeds


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
        """The quality gate's GX project (suites, results, Data Docs). Its row-count baselines
        belong to the warehouse they describe and live in it (``_quality.row_count_baselines``)."""
        return self.home / "quality"

    @property
    def dbt_targets(self) -> Path:
        """dbt's target folder of each run (``<run>/<step>``: artifacts and dbt.log), the last
        ESCALATIONS_DBT_KEEP_RUNS runs kept (orchestration/resources.py)."""
        return self.home / "dbt" / "target"

    @property
    def logs(self) -> Path:
        """The full log of each ``escalations run`` (``run-<stamp>.log``)."""
        return self.home / "logs"

    @property
    def secrets(self) -> Path:
        """Secrets kept in the home (0700): the requester hash key of the demo."""
        return self.home / "secrets"

    @property
    def private(self) -> list[Path]:
        """What holds personal data or run state and is private to the user who runs the pipeline
        (0600 files, 0700 folders). The landing zone is the operator's, and is left as it is."""
        warehouse = self.warehouse
        beside = [warehouse.with_name(warehouse.name + suffix) for suffix in (".wal", ".tmp")]  # .tmp: spill
        return [
            warehouse,
            *beside,
            self.dagster_home,
            self.quality,
            self.watch,
            self.reports,
            self.secrets,
            self.home / "dbt",
            self.logs,
            # Postgres and Spark targets: the staging file ingestion writes, Spark's tables and metastore
            self.home / "staging",
            self.home / "spark",
        ]


def resolve_paths(
    home: str | os.PathLike | None = None,
    landing: str | os.PathLike | None = None,
    warehouse: str | os.PathLike | None = None,
) -> Paths:
    """Resolve the data directory from arguments, then the environment, then defaults.

    An explicit ``home`` owns its landing zone and warehouse: the ESCALATIONS_LANDING and
    ESCALATIONS_WAREHOUSE variables only apply when no home is given.
    """
    s = settings()
    home_path = Path(home or s.home).expanduser().resolve()
    landing_path = Path(landing or (None if home else s.landing) or home_path / "landing").expanduser()
    warehouse_path = Path(
        warehouse or (None if home else s.warehouse) or home_path / "warehouse.duckdb"
    ).expanduser()
    return Paths(home=home_path, landing=landing_path.resolve(), warehouse=warehouse_path.resolve())


PRIVATE_UMASK = 0o077  # what a run creates is its user's only: files 0600, folders 0700
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def secure(path: Path) -> None:
    """Make ``path`` (a file, or a folder and everything in it) private: 0600 files, 0700 folders.

    For what an older version, or another umask, left readable by others."""
    if not path.exists() or path.is_symlink():
        return
    if path.is_file():
        path.chmod(PRIVATE_FILE)
        return
    path.chmod(PRIVATE_DIR)
    for root, dirs, files in os.walk(path):
        for name in dirs:
            with suppress(FileNotFoundError):
                if not os.path.islink(os.path.join(root, name)):
                    os.chmod(os.path.join(root, name), PRIVATE_DIR)
        for name in files:
            with suppress(FileNotFoundError):
                if not os.path.islink(os.path.join(root, name)):
                    os.chmod(os.path.join(root, name), PRIVATE_FILE)


def publish_mode() -> int:
    """Permissions of the published outputs (``ESCALATIONS_PUBLISH_MODE``, octal, default 0640:
    the group BI tools run as reads them). Folders on the way get the matching search bits."""
    return settings().publish_mode


def publish_dir_mode() -> int:
    """A published folder: the publish mode plus search (x) wherever it grants read."""
    mode = publish_mode() | stat.S_IRWXU
    return mode | ((mode & 0o444) >> 2)


def home_dir_mode() -> int:
    """The home folder: its user's, plus search (never listing) for whom reads the published outputs."""
    return PRIVATE_DIR | ((publish_mode() & 0o044) >> 2)


def run_lock_wait() -> float:
    """How long a run waits for another holding its home or warehouse (``ESCALATIONS_RUN_LOCK_WAIT``,
    seconds; default 0: exit at once and say who holds it; ``inf`` waits as long as it takes)."""
    return settings().run_lock_wait


def postgres_lock_timeout() -> str:
    """How long the Postgres swap of ``bi`` waits for a lock before it gives up and retries
    (``ESCALATIONS_PG_LOCK_TIMEOUT``, a Postgres interval such as ``5s``; default 5s)."""
    return settings().pg_lock_timeout


def postgres_swap_attempts() -> int:
    """How many times the Postgres swap is tried, with a growing pause between (``ESCALATIONS_PG_SWAP_ATTEMPTS``,
    default 5)."""
    return settings().pg_swap_attempts


# ---- the requester hash key ------------------------------------------------------------------
HASH_KEY_ENV = "ESCALATIONS_HASH_KEY"


class MissingHashKey(RuntimeError):
    """No key to hash requester identities with: the run must not build or publish."""


@dataclass(frozen=True)
class HashKey:
    value: str
    source: str  # "environment", "key file" or "new demo key file": never the key itself

    def __repr__(self) -> str:  # never print the key
        return f"HashKey(source={self.source!r})"


def hash_key_file(home: Path) -> Path:
    return home / "secrets" / "hash_key"


def resolve_hash_key(home: Path, demo: bool = False) -> HashKey:
    """The key requester identities are hashed with: the one place it is decided.

    ``ESCALATIONS_HASH_KEY``, else the key file ``<home>/secrets/hash_key`` (0600). With ``demo``
    and neither, a random key is made and kept in that file, so the demo's keys stay stable from
    run to run. Otherwise MissingHashKey: there is no fallback key, since a public one lets anyone
    hash candidate identities and match them to the published ``requester_key``s.
    """
    value = settings().hash_key
    if value:
        return HashKey(value, "environment")
    path = hash_key_file(home)
    if path.exists():
        if path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FILE)  # a key others can read is no key: take it back to 0600
        value = path.read_text().strip()
        if not value:
            raise MissingHashKey(f"the hash key file {path} is empty: put a key in it or delete it")
        return HashKey(value, "key file")
    if not demo:
        raise MissingHashKey(
            f"no requester hash key: set {HASH_KEY_ENV} (a long random secret, e.g. "
            f"`python -c 'import secrets; print(secrets.token_hex(32))'`) or write one to {path} (mode 0600). "
            "Requester keys are keyed hashes; without a secret key anyone could re-identify them, so "
            "nothing is built or published. (`make demo` / `escalations run --demo` makes a random demo key.)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(PRIVATE_DIR)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return HashKey(value, "new demo key file")


def dbt_key_environment(key: HashKey) -> dict[str, str]:
    """What dbt's process needs in its environment to hash with ``key``: ESCALATIONS_HASH_KEY (read
    by the DuckDB profile's plugin) and, for the Postgres target, the session setting
    ``escalations.hash_key`` through libpq's PGOPTIONS (spaces and backslashes escaped), with the
    session's zone UTC (libpq's PGTZ: dbt-postgres has no setting for session options), so dates
    of UTC instants are UTC dates whatever the server's zone."""
    escaped = key.value.replace("\\", "\\\\").replace(" ", "\\ ")
    options = " ".join(
        p for p in (os.environ.get("PGOPTIONS", ""), f"-c escalations.hash_key={escaped}") if p
    )
    return {HASH_KEY_ENV: key.value, "PGOPTIONS": options, "PGTZ": "UTC"}


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
    return {"memory_limit": settings().duckdb_memory_limit}


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
    check stay in the process's footprint through the steps after it. A process still under
    ``_RELEASE_ABOVE`` has nothing worth handing back, and is spared the full collection (about
    0.45 s each over the heap Dagster, dbt and GX keep: 4 s of a small run's 9 calls).
    """
    import gc

    rss = _resident_bytes()
    if rss is not None and rss < _RELEASE_ABOVE:
        return
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


_RELEASE_ABOVE = 1 << 30


def _resident_bytes() -> int | None:
    """The process's resident memory from /proc (Linux); None where there is no /proc."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@cache
def _malloc_trim():
    """glibc's malloc_trim, looked up once (find_library runs ldconfig); None elsewhere (macOS, musl)."""
    import ctypes
    import ctypes.util

    libc = ctypes.util.find_library("c")
    with suppress(OSError, AttributeError):
        return ctypes.CDLL(libc).malloc_trim if libc else None
    return None
