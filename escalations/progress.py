"""What ``escalations run`` shows while it runs: progress by stage on the console, everything in a file.

A run emits thousands of lines (every Dagster event at DEBUG, every dbt node). They go to
``HOME/logs/run-<time>.log``; the console gets one line per stage as it finishes (steps, seconds,
any failed step) and then the summary. ``--verbose`` shows the full log on the console too.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import dagster as dg

# stage of a step, by its key (the job's step keys: extract__<tool>, raw__<table>, dbt_models, ...)
_PREFIXES = (
    ("extract__", "extract"),
    ("publish__", "publish"),
    ("report__", "report"),
    ("watch__", "report"),
)
_STEPS = {
    "dbt_models": "dbt",
    "dbt_voice_models": "dbt (voice)",
    "restricted__redacted_text": "voice",
    "voice_themes": "voice",
    "voice__themes": "voice",
}
_DONE = {"STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"}


def stage_of(step_key: str, raw_tables: frozenset[str]) -> str:
    """The stage a step belongs to: extract, ingestion, dbt, voice, checks, publish or report."""
    if step_key in _STEPS:
        return _STEPS[step_key]
    for prefix, stage in _PREFIXES:
        if step_key.startswith(prefix):
            return stage
    if step_key.startswith("voice__"):
        return "voice"
    if step_key.startswith("raw__") and step_key.removeprefix("raw__") in raw_tables:
        return "ingestion"
    return "checks"  # asset checks: freshness, Great Expectations, personal data, reconciliations


@dataclass
class StageProgress:
    """Prints a stage's line when the next stage starts (stages may recur: checks run between)."""

    out: IO[str]
    raw_tables: frozenset[str]
    started: float = field(default_factory=time.monotonic)
    stage: str | None = None
    stage_started: float = 0.0
    steps: int = 0
    failed: list[str] = field(default_factory=list)

    def event(self, event_type: str, step_key: str | None) -> None:
        if not step_key:
            return
        if event_type == "STEP_START":
            stage = stage_of(step_key, self.raw_tables)
            if stage != self.stage:
                self.finish()
                self.stage, self.stage_started = stage, time.monotonic()
                self.out.write(f"  [{time.monotonic() - self.started:6.1f}s] {stage:<12}")
                self.out.flush()
        elif event_type in _DONE and self.stage is not None:
            self.steps += 1
            if event_type == "STEP_FAILURE":
                self.failed.append(step_key)

    def finish(self) -> None:
        if self.stage is None:
            return
        seconds = time.monotonic() - self.stage_started
        line = f" {self.steps:>3} step{'s' if self.steps != 1 else ' '} {seconds:7.1f}s"
        if self.failed:
            line += f"  FAILED: {', '.join(self.failed)}"
        self.out.write(line + "\n")
        self.out.flush()
        self.stage, self.steps, self.failed = None, 0, []


class _ProgressHandler(logging.Handler):
    def __init__(self, progress: StageProgress) -> None:
        super().__init__(logging.DEBUG)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        if event is not None:
            self.progress.event(event.event_type_value, event.step_key)


_current: StageProgress | None = None


@dg.logger(description="progress by stage on the console (escalations run)")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("escalations.progress", logging.DEBUG)
    if _current is not None:
        logger.addHandler(_ProgressHandler(_current))
    return logger


def log_path(logs: Path) -> Path:
    return logs / f"run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.log"


@contextlib.contextmanager
def run_console(job: dg.JobDefinition, path: Path, verbose: bool = False) -> Iterator[tuple[Any, dict]]:
    """The job with the progress logger, and the run config's loggers; while the block runs,
    everything written to stdout and stderr, and every log record, goes to ``path`` (and, with
    ``verbose``, to the console as well); the console gets the stage lines."""
    global _current
    from escalations.ingestion.specs import TABLES

    console = sys.stdout
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8", buffering=1) as log_file:
        sink: IO[str] = _Tee(log_file, sys.stderr) if verbose else log_file
        progress = StageProgress(console, frozenset(t.name for t in TABLES))
        _current = progress
        root = logging.getLogger()
        saved_handlers = root.handlers[:]
        handler = logging.StreamHandler(sink)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.handlers = [handler]
        job = job.with_logger_defs({"console": dg.colored_console_logger, "progress": progress_logger})
        loggers = {"console": {"config": {"log_level": "DEBUG"}}, "progress": {}}
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                yield job, loggers
        finally:
            progress.finish()
            root.handlers = saved_handlers
            _current = None


class _Tee:
    """Writes to two streams (the log file and the console)."""

    def __init__(self, first: IO[str], second: IO[str]) -> None:
        self.first, self.second = first, second

    def write(self, text: str) -> int:
        self.first.write(text)
        return self.second.write(text)

    def flush(self) -> None:
        self.first.flush()
        self.second.flush()

    def isatty(self) -> bool:
        return False
