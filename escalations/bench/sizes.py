"""The bench's worlds: the sizes it runs, the seed, the first day, and the figures it aims for at 1M
escalations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from escalations.config import PROJECT_ROOT

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}  # the issue's; any "<n>k" or "<n>m" works


STAGES = ("ingestion", "dbt", "voice", "quality", "publish")


SEED = 7


START = date(2026, 1, 5)


@dataclass(frozen=True)
class Target:
    """A figure the bench holds a size to: ``run``'s ``measure`` below ``limit`` (``at_most``: or
    equal). ``run`` is full_run, nightly_run, generate (the full delivery's generator) or None (the
    highest of both runs)."""

    name: str
    size: str
    run: str | None
    measure: str  # multiple_of_floor, seconds or peak_rss_mb
    limit: float
    at_most: bool
    text: str


# issue 17 (the runs as multiples of the full delivery's floor measured in the same bench run, the
# 10k nightly run, memory) and issue 8 (the generator), on a 2-core, 24 GB machine
TARGETS = (
    Target("full_run_multiple_of_floor", "1m", "full_run", "multiple_of_floor", 5, True, "<= 5x floor"),
    Target("nightly_run_multiple_of_floor", "1m", "nightly_run", "multiple_of_floor", 2, True, "<= 2x floor"),
    Target("nightly_run_seconds", "10k", "nightly_run", "seconds", 15, False, "< 15 s"),
    Target("peak_rss_mb", "1m", None, "peak_rss_mb", 4 * 1024, False, "< 4 GB"),
    Target("generate_seconds", "1m", "generate", "seconds", 300, False, "< 300 s"),
)


MB = 1024 * 1024


DEFAULT_OUT = PROJECT_ROOT / "bench" / "results.json"


DEFAULT_CACHE = PROJECT_ROOT / "bench" / "cache"


def parse_size(label: str) -> int | None:
    """``10k`` -> 10000, ``1m`` -> 1000000 (None when it is neither)."""
    scale = {"k": 1_000, "m": 1_000_000}.get(label[-1:])
    number = label[:-1]
    if scale is None or not number.replace(".", "", 1).isdigit():
        return None
    return int(float(number) * scale)


def mb(n: int) -> float:
    return round(n / MB, 1)
