"""Serve a generated world as the five APIs, or measure a pull against it.

python -m escalations.extract.fake --world data/landing [--now 2026-10-31T00:00:00Z]
    serves until Ctrl-C and prints the ESCALATIONS_* variables that point `escalations
    extract` at it (made-up credentials, never real ones);
python -m escalations.extract.fake --world DIR --measure OUT [--since ...]
    pulls the world into OUT at each of its delivery cuts (the first pull, then the nightly
    ones), unthrottled, and prints records, requests and records/s per source, and how long the
    same requests take at the vendors' default rate limits (docs/extract.md).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

from escalations.config import parse_instant
from escalations.extract.base import iso
from escalations.extract.fake.server import FakeApis
from escalations.extract.fake.store import WorldStore


def _unthrottled(fake: FakeApis) -> dict[str, str]:
    env = {**fake.env(), "ESCALATIONS_EXTRACT_LAG_SECONDS": "0", "ESCALATIONS_EXTRACT_POLL_SECONDS": "0.05"}
    for var in (
        "ZENDESK_RATE_LIMIT",
        "ZENDESK_EXPORT_RATE_LIMIT",
        "HUBSPOT_RATE_LIMIT",
        "HUBSPOT_SEARCH_RATE_LIMIT",
        "PAGERDUTY_RATE_LIMIT",
    ):
        env[f"ESCALATIONS_{var}"] = "1000000/1"
    return env


def _at_default_limits(source: str, by_bucket: dict[str, int]) -> float | None:
    """Seconds the same requests need at the default client limits (settings._DEFAULT_LIMITS)."""
    from escalations.extract.settings import _DEFAULT_LIMITS, parse_limit

    limits = _DEFAULT_LIMITS[source]
    if not limits:
        return None
    return max((by_bucket.get(b, 0) / parse_limit(v, b)[0]) * parse_limit(v, b)[1] for b, v in limits.items())


def measure(world: Path, out: Path, since: str | None) -> list[dict]:
    from escalations.extract import load_settings, run_extract

    store = WorldStore(world)
    cuts = store.cuts or [store.end]
    rows = []
    with FakeApis(store, now=cuts[0]) as fake:
        env = _unthrottled(fake)
        for n, cut in enumerate(cuts):
            fake.set_now(cut)
            before = {k: len(v) for k, v in fake.arrivals.items()}
            t0 = time.perf_counter()
            results = run_extract(out, None, since if n == 0 else None, load_settings(None, env))
            wall = time.perf_counter() - t0
            for name, r in results.items():
                buckets = {
                    b: len(v) - before.get((s, b), 0) for (s, b), v in fake.arrivals.items() if s == name
                }
                rows.append(
                    {
                        "pull": "first" if n == 0 else f"nightly to {iso(cut)}",
                        "source": name,
                        "status": r.status,
                        "records": r.records,
                        "pages": r.pages,
                        "requests": r.requests,
                        "requests_by_bucket": buckets,
                        "seconds": round(r.seconds, 1),
                        "records_per_second": round(r.records / r.seconds) if r.seconds else None,
                        "seconds_at_default_limits": _at_default_limits(name, buckets),
                        "api_usage": r.api_usage,
                    }
                )
            rows.append({"pull": rows[-1]["pull"], "source": "all", "seconds": round(wall, 1)})
    return rows


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m escalations.extract.fake", description=__doc__)
    p.add_argument("--world", required=True, type=Path, help="a folder `escalations generate` wrote")
    p.add_argument("--now", help="serve the world as it stood at this instant (default: its last cut)")
    p.add_argument("--measure", type=Path, help="pull the world into this landing zone and print the figures")
    p.add_argument("--since", default=None, help="start of the first pull (default: the world's first day)")
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    if args.measure:
        store_since = (
            args.since
            or json.loads((args.world / "_generator" / "deliveries.json").read_text())["params"]["start"]
            + "T00:00:00Z"
        )
        rows = measure(args.world, args.measure, store_since)
        for row in rows:
            print(json.dumps(row))
        return 0
    now = int(parse_instant(args.now).timestamp()) if args.now else None
    with FakeApis(args.world, now=now) as fake:
        print(f"Serving {args.world} as the five APIs at {fake.base}, as they stood at {iso(fake.now)}.")
        print("Point `escalations extract` at it with:")
        for k, v in fake.env().items():
            print(f"export {k}={v}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
