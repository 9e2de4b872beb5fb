"""The bench's command line: ``python -m escalations.bench`` (``make bench``), and the entry of its
worker processes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import escalations.bench as package
from escalations.bench.child import WORKERS
from escalations.bench.report import machine, restate, table, verdicts, versions
from escalations.bench.runner import Bench
from escalations.bench.sizes import DEFAULT_CACHE, DEFAULT_OUT, SEED, SIZES, START, parse_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m escalations.bench", description=(package.__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated, of " + ", ".join(SIZES))
    parser.add_argument("--days", type=int, default=365, help="days the world spans (default 365)")
    parser.add_argument("--skip-generate", action="store_true", help="use the cached worlds only")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--max-rss-gb", type=float, default=16, help="stop a piece past this memory")
    parser.add_argument("--timeout-min", type=float, default=45, help="stop a piece past this time")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--worker-args", help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        output = WORKERS[args.worker](json.loads(args.worker_args))
        Path(args.worker_out).write_text(json.dumps(output))
        return 0

    labels = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if parse_size(s) is None]
    if unknown:
        print(f"error: sizes must look like 10k or 1m, got {unknown}", file=sys.stderr)
        return 2
    if args.days < 2:
        print("error: --days must be at least 2 (the last day is the nightly delta)", file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ESCALATIONS_", "DAGSTER_HOME"))}
    env["ESCALATIONS_FRESHNESS_HOURS"] = "0"  # cached files are not new deliveries
    bench = Bench(args.cache, args.days, env, int(args.max_rss_gb * 1024**3), args.timeout_min * 60)
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "world": {"seed": SEED, "start": START.isoformat(), "days": args.days, "cuts": list(bench.cuts())},
        "sizes": {},
    }
    if args.out.exists():  # figures of sizes not run this time stay, with the date they were taken
        try:
            earlier = json.loads(args.out.read_text())
        except ValueError:
            earlier = {}
        if earlier.get("world") == results["world"] and earlier.get("machine") == results["machine"]:
            for label, figures in earlier.get("sizes", {}).items():
                if label not in labels:
                    results["sizes"][label] = restate(
                        {**figures, "measured": figures.get("measured", earlier["date"])}
                    )
    ok = True
    for label in labels:
        figures = {**bench.size(label, parse_size(label), args.skip_generate), "measured": results["date"]}
        results["sizes"][label] = figures
        results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda kv: parse_size(kv[0])))
        ok = (
            ok and figures["full_run"]["ok"] and bool(figures["nightly_run"] and figures["nightly_run"]["ok"])
        )
        args.out.parent.mkdir(parents=True, exist_ok=True)
        results["targets"] = verdicts(results["sizes"])
        args.out.write_text(json.dumps(results, indent=2) + "\n")  # after each size: partial figures survive
    m = results["machine"]
    print(f"\nEscalation Warehouse bench, {results['date']}, {m['cores']} cores, {m['memory_gb']} GB")
    print(table(results["sizes"], results["targets"]))
    print()
    for v in results["targets"]:
        if v["met"] is None:
            verdict = v.get("note", "not measured")
        else:
            verdict = "met" if v["met"] else "MISSED"
            if "bottleneck" in v:
                verdict += f" (the stage that holds it: {v['bottleneck']})"
            verdict += f"; {v['note']}" if "note" in v else ""
        print(
            f"target {v['size']} {v['run'] or 'runs'} {v['measure']} {v['text']}: {v['value']} -> {verdict}"
        )
    print(f"\nWritten to {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
