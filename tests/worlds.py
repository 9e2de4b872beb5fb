"""Pipeline worlds built once per test session and shared by the test modules that ask for the same one.

A world is a generated landing zone run once through the whole pipeline (``run_pipeline``, as
``escalations run`` does): about a minute or two each, so two modules that need the same world
(same seed, size, days, options and as-of) get the one built first. Worlds live under the session's
pytest root (``<basetemp>/worlds``, the parent of every pytest-xdist worker's basetemp), one folder
per world, and an exclusive lock on its lock file (fcntl) makes the other workers wait while one
builds it. A world counts as built only once its run succeeded (``built.json`` written last).

``shared_world`` hands back the world's paths: read them, never write into them (another module
reads the same files). A test that writes (publishes again, runs the pipeline again, plants a
fault in the warehouse) takes ``private_world``, a copy of its own.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from escalations.config import Paths, resolve_paths

# the incremental models' bookkeeping (load times, what the last build touched): differs between an
# incremental build and a full refresh by design, so the equality tests leave it out
INCREMENTAL_BOOKKEEPING = frozenset(
    {"_incremental_state", "_incremental_displaced", "int_incremental__watermark", "int_escalations__touched"}
)


def worlds_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``<session basetemp>/worlds``: the same folder for every pytest-xdist worker of a session."""
    base = tmp_path_factory.getbasetemp()
    # an xdist worker's basetemp is <the controller's basetemp>/<worker id>
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return root / "worlds"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # blocks while another worker builds this world
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def _environment_kept() -> Iterator[None]:
    """run_pipeline publishes its paths to the environment (and DAGSTER_HOME): put it back after."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def shared_world(
    tmp_path_factory: pytest.TempPathFactory,
    *,
    seed: int,
    escalations: int,
    days: int,
    as_of: str,
    **generate_options,
) -> Paths:
    """The paths of the world built by generating (seed, escalations, days, options) and running
    the pipeline once to ``as_of``; built by the first caller of the session, read by the rest."""
    from escalations.cli import run_pipeline
    from escalations.generator import generate

    spec = {"seed": seed, "escalations": escalations, "days": days, "as_of": as_of, **generate_options}
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:10]
    name = f"seed{seed}-{escalations}x{days}d-{digest}"
    root = worlds_root(tmp_path_factory)
    folder = root / name
    home = folder / "home"
    with _locked(root / f"{name}.lock"):
        built = folder / "built.json"
        if not built.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
            generate(home / "landing", seed=seed, escalations=escalations, days=days, **generate_options)
            with _environment_kept():
                outcome = run_pipeline(resolve_paths(home), as_of)
            assert outcome, f"the pipeline failed on the shared world {spec}"
            built.write_text(json.dumps(spec, indent=2) + "\n")
    return resolve_paths(home)


def private_world(world: Paths, into: Path) -> Paths:
    """A copy of a shared world's home (landing, warehouse, published outputs, the Dagster and dbt
    state) under ``into``, for a test that writes: published symlinks stay relative, so they point
    into the copy."""
    home = into / "home"
    shutil.copytree(world.home, home, symlinks=True)
    return resolve_paths(home)
