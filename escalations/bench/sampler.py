"""The resident memory of a process tree, read from /proc: one sample now, or a thread sampling a child
every 0.1 s (and stopping it past a memory or time limit)."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

from escalations.bench.sizes import MB

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def descendants(pid: int) -> list[int]:
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _rss(pid: int | str) -> int:
    """Resident bytes of one process (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except OSError:
        return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (0 once it is gone)."""
    return sum(_rss(p) for p in descendants(pid))


def self_rss() -> int:
    return _rss("self")


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is not)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def stop_tree(pid: int, grace: float = 10.0) -> None:
    """SIGTERM ``pid`` and every process under it (by id), SIGKILL what is left after ``grace``
    (``pid`` included: a process that ignores SIGTERM is stopped all the same; its parent reaps it),
    and return once none of them runs."""
    pids = descendants(pid)
    for p in reversed(pids):
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGTERM)
    deadline = time.time() + grace
    while time.time() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    for p in pids:
        if _alive(p):
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, signal.SIGKILL)
    # a SIGKILL lands asynchronously: return once the tree is down (gone, or a zombie to reap)
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)


class Sampler(threading.Thread):
    """Samples the tree RSS of one process until told to stop; stops the process past a limit."""

    def __init__(self, pid: int, max_rss: int, deadline: float, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.max_rss = max_rss
        self.deadline = deadline
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self.stopped_because: str | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            rss = tree_rss(self.pid)
            now = time.time()
            self.samples.append((now, rss))
            if self.stopped_because is None and (rss > self.max_rss or now > self.deadline):
                self.stopped_because = (
                    f"resident memory reached {rss / MB:,.0f} MB (limit {self.max_rss / MB:,.0f} MB)"
                    if rss > self.max_rss
                    else "it ran past the time limit"
                )
                stop_tree(self.pid)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak(self, windows: list[tuple[float, float]] | None = None) -> int:
        if windows is None:
            return max((r for _, r in self.samples), default=0)
        return max(
            (r for t, r in self.samples if any(a - self.interval <= t <= b for a, b in windows)), default=0
        )
