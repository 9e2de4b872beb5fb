"""The bench's worlds: the sizes it runs, the seed, the first day, and the figures it aims for at 1M
escalations."""

from __future__ import annotations

from datetime import date

from escalations.config import PROJECT_ROOT

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}  # the issue's; any "<n>k" or "<n>m" works


STAGES = ("ingestion", "dbt", "voice", "quality", "publish")


SEED = 7


START = date(2026, 1, 5)


TARGETS_1M = {  # issue 8: figures at 1M escalations on a 2-core, 24 GB machine
    "full_run_seconds": 300,
    "nightly_run_seconds": 60,
    "peak_rss_mb": 6 * 1024,
    "full_run_multiple_of_floor": 5,
    "generate_seconds": 300,
}


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
