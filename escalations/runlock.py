"""One run at a time per home and per warehouse, and nothing of a killed run left running.

A run (``escalations run``/``load``, or a Dagster run of the job through the ``run_lock``
resource) holds two locks for its whole length: ``<home>/.run.lock`` (the publish folder, the
quality gate, reports and Dagster's storage are the home's) and ``.<warehouse>.run.lock`` beside
the warehouse (one DuckDB writer at a time). They are ``flock`` locks, so the kernel lets go of
them when the holder dies, even by ``kill -9``. A second run waits for them
(``ESCALATIONS_RUN_LOCK_WAIT`` / ``escalations run --wait``) or stops at once with
"another run (pid N, started at T) holds HOME", never a DuckDB lock error from deep inside.

Each holder writes who it is into the lock file (pid, start, a random token) and leaves the token
in its environment, so every process it starts (dbt above all) carries it. dbt is started
through ``escalations-dbt``, which asks Linux to kill it when its parent dies
(``PR_SET_PDEATHSIG``) before it becomes dbt. And when a run finds that the previous holder died
without letting go, it kills whatever still carries that holder's token (checked in each
process's own environment, and the same user: never an unrelated process that reused a pid).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import math
import os
import shutil
import signal
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from escalations.config import PRIVATE_FILE, PRIVATE_UMASK, Paths, home_dir_mode, run_lock_wait, secure

log = logging.getLogger(__name__)

TOKEN_ENV = "ESCALATIONS_RUN_TOKEN"
PID_ENV = "ESCALATIONS_RUN_PID"
BUSY_EXIT = 3  # the exit status of a run that found another holding its home or warehouse


class RunBusy(RuntimeError):
    """Another run holds the home or the warehouse."""


def home_lock_path(home: Path) -> Path:
    return home / ".run.lock"


def warehouse_lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.run.lock")


@dataclass(frozen=True)
class Holder:
    pid: int
    started_at: str
    token: str
    host: str = ""
    argv: str = ""

    def describe(self) -> str:
        return f"pid {self.pid}, started at {self.started_at}"

    @classmethod
    def read(cls, fd: int) -> Holder | None:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 65536).decode(errors="replace").strip()
        if not text:
            return None
        try:
            data = json.loads(text)
            return cls(**{k: data[k] for k in ("pid", "started_at", "token", "host", "argv") if k in data})
        except (ValueError, TypeError, KeyError):
            return None


@dataclass
class _Held:
    fd: int
    path: Path
    count: int


_held: dict[Path, _Held] = {}
_state = threading.RLock()
_run: dict[str, object] = {}  # this process's token and what to restore when its last lock goes


@contextlib.contextmanager
def hold_run(paths: Paths, wait: float | None = None) -> Iterator[None]:
    """Hold ``paths``' home and warehouse for one run (re-entrant within a process).

    While held: the umask is 0077 (what the run creates is its user's only), the home's private
    parts are made private again in case something older left them readable, and the run's token
    is in the environment of everything it starts. ``wait``: seconds to wait for another holder
    (default ``ESCALATIONS_RUN_LOCK_WAIT``; 0 = raise RunBusy at once).
    """
    wait = run_lock_wait() if wait is None else wait
    deadline = time.monotonic() + wait if math.isfinite(wait) else math.inf
    with _state:
        outermost = not _held
        if outermost:
            _run.update(
                token=uuid.uuid4().hex,
                started_at=datetime.now(UTC).isoformat(timespec="seconds"),
                umask=os.umask(PRIVATE_UMASK),
                env={k: os.environ.get(k) for k in (TOKEN_ENV, PID_ENV)},
            )
            os.environ[TOKEN_ENV] = str(_run["token"])
            os.environ[PID_ENV] = str(os.getpid())
    taken: list[Path] = []
    try:
        paths.home.mkdir(parents=True, exist_ok=True)
        paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
        for path, what in (
            (home_lock_path(paths.home), f"the home {paths.home}"),
            (warehouse_lock_path(paths.warehouse), f"the warehouse {paths.warehouse}"),
        ):
            _acquire(path.resolve(), what, deadline)
            taken.append(path.resolve())
        if outermost:
            paths.home.chmod(home_dir_mode())
            for private in paths.private:
                secure(private)
        yield
    finally:
        for path in reversed(taken):
            _release(path)
        with _state:
            if outermost and not _held:
                os.umask(int(_run["umask"]))  # type: ignore[arg-type]
                for k, v in dict(_run["env"]).items():  # type: ignore[call-overload]
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
                _run.clear()


def _acquire(path: Path, what: str, deadline: float) -> None:
    with _state:
        held = _held.get(path)
        if held is not None:
            held.count += 1
            return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    said = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = Holder.read(fd)
                who = holder.describe() if holder else "its pid not yet written"
                if time.monotonic() >= deadline:
                    raise RunBusy(
                        f"another run ({who}) holds {what}: wait for it to finish, or run with "
                        "--wait (ESCALATIONS_RUN_LOCK_WAIT) to wait for it"
                    ) from None
                if not said:
                    log.info(f"waiting for another run ({who}) to let go of {what}")
                    said = True
                time.sleep(0.5)
        previous = Holder.read(fd)
        if previous is not None and previous.token != _run.get("token"):
            # the last holder ended without letting go: it was killed, maybe with children still running
            reap(previous, what)
        me = Holder(
            pid=os.getpid(),
            started_at=str(_run.get("started_at")),
            token=str(_run.get("token")),
            host=socket.gethostname(),
            argv=" ".join(sys.argv)[:500],
        )
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(me.__dict__) + "\n").encode(), 0)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        raise
    with _state:
        _held[path] = _Held(fd, path, 1)


def _release(path: Path) -> None:
    with _state:
        held = _held[path]
        held.count -= 1
        if held.count:
            return
        del _held[path]
    with contextlib.suppress(OSError):
        os.ftruncate(held.fd, 0)  # let go cleanly: the next holder has nothing to clean up after
    os.close(held.fd)  # closing the last descriptor releases the flock


# ---- what a killed run leaves behind ---------------------------------------------------------
def carriers(token: str) -> list[int]:
    """Processes of this user that carry ``token`` in their environment (started by its run)."""
    needle = f"{TOKEN_ENV}={token}".encode()
    me, uid = os.getpid(), os.geteuid()
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            if _is_zombie(entry) or needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
        except OSError:  # gone, or not ours to read
            continue
        found.append(int(entry.name))
    return found


def _is_zombie(entry: Path) -> bool:
    try:
        stat_line = (entry / "stat").read_text()
    except OSError:
        return True
    return stat_line[stat_line.rfind(")") + 2 :].startswith(("Z", "X"))


def reap(holder: Holder, what: str, timeout: float = 15.0) -> list[int]:
    """Kill what is left of a run that died holding ``what``; returns the pids it killed."""
    pids = carriers(holder.token)
    if not pids:
        return []
    log.warning(
        f"the run ({holder.describe()}) that held {what} ended without letting go; "
        f"stopping {len(pids)} process(es) it left running: {pids}"
    )
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    end = time.monotonic() + timeout
    while time.monotonic() < end and carriers(holder.token):
        time.sleep(0.1)
    return pids


# ---- children that die with their run --------------------------------------------------------
PR_SET_PDEATHSIG = 1


def exec_tied(argv: list[str]) -> None:
    """Become ``argv`` (exec), killed by the kernel when the process that started us dies.

    Linux only (``prctl(PR_SET_PDEATHSIG)``); elsewhere the command runs untied and the next
    run's clean-up (``reap``) is the only net. If the run died before the tie was made, exit.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: the child is not tied to its run")
        parent = os.environ.get(PID_ENV, "")
        if parent.isdigit() and os.getppid() != int(parent):
            os._exit(137)  # the run that started us is gone already
    program = shutil.which(argv[0]) or argv[0]
    os.execv(program, [program, *argv[1:]])


def dbt_main() -> None:
    """``escalations-dbt``: the dbt of this environment, tied to the run that starts it."""
    exec_tied([str(Path(sys.executable).with_name("dbt")), *sys.argv[1:]])


if __name__ == "__main__":  # python -m escalations.runlock COMMAND [ARGS...]: any command, tied
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m escalations.runlock COMMAND [ARGS...]")
    exec_tied(sys.argv[1:])
