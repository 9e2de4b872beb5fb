"""Pure per-item work on every core: parsing and validating landing files, redacting texts.

A run's Python work (the loader's per-record validation, the redaction of free text) runs on one
core unless it is spread; on a 2-core machine that is half the machine idle while a 1M-escalation
world loads. ``pool`` starts ``ESCALATIONS_WORKERS`` worker processes when the work is large enough
to repay their start (about half a second each), and ``ordered_map`` hands them the items and gives
the results back in the items' order, with a bounded number in flight, so the caller writes the
same rows in the same order as the serial path, and memory holds a few items' results whatever the
size of the load.

Workers are spawned, not forked (the parent holds a DuckDB connection and its threads), and each
dies with its parent (Linux ``PR_SET_PDEATHSIG``): a run killed with ``kill -9`` leaves no worker
behind. Linux ties that signal to the thread that started the worker, and the pool starts its
workers in the thread that submits work: make and drive a pool in one thread that outlives it
(as the loader and the redaction do). Workers never open the warehouse; the parent remains its
one writer.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
MAX_DEFAULT_WORKERS = 4


def worker_count() -> int:
    """ESCALATIONS_WORKERS, else the machine's cores (at most 4)."""
    from escalations.settings import current as settings

    return settings().workers or min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS)


def _start(parent: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """In each worker, first: die when the parent does, then the caller's own set-up."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if initializer is not None:
        initializer(*initargs)


@contextlib.contextmanager
def pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()
) -> Iterator[Executor | None]:
    """``workers`` worker processes (each running ``initializer(*initargs)`` once), or None with
    fewer than 2: ``ordered_map`` then runs the items in this process. Work still queued when the
    block ends early (an error) is cancelled, and the workers are gone when it returns."""
    if workers < 2:
        yield None
        return
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=(os.getpid(), initializer, initargs),
    )
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def ordered_map(
    executor: Executor | None, fn: Callable[[T], R], items: Iterable[T], ahead: int
) -> Iterator[R]:
    """``fn(item)`` for each item, in order; in ``executor``'s workers with at most ``ahead`` items
    submitted and not yet returned, or here when it is None. ``fn`` must be a module-level function
    (workers import it by name) and should turn an item's expected failures into results: an
    exception it raises is raised here, where that item's result would have been."""
    if executor is None:
        for item in items:
            yield fn(item)
        return
    pending: deque[Any] = deque()
    for item in items:
        pending.append(executor.submit(fn, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@contextlib.contextmanager
def pool_when_large(
    threshold: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()
) -> Iterator[Callable[[int], Executor | None]]:
    """A function of a piece of work's size (records, bytes) that gives the workers for it: they
    are started the first time a piece of at least ``threshold`` asks (and kept for the pieces
    after it), never with ``worker_count()`` below 2. They are gone when the block ends."""
    with contextlib.ExitStack() as stack:
        started: list[Executor | None] = []

        def executor(size: int) -> Executor | None:
            if not started and size >= threshold and worker_count() > 1:
                started.append(stack.enter_context(pool(worker_count(), initializer, initargs)))
            return started[0] if started else None

        yield executor
