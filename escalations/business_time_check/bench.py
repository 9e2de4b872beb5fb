"""Benchmark of the business-time SQL: 1M spans through the warehouse's own macros.

Builds the business calendar of eleven schedules (the property test's random ones) with dbt into
a scratch DuckDB file, then times the compiled business-seconds query and the due-instant query
over N random spans, and checks a sample against the brute-force reference. Prints the figures
and writes them to ``bench/business_time.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

from escalations.business_time_check.reference import (
    BUSINESS_SECONDS_SQL,
    DUE_SQL,
    FIRST,
    LAST,
    BruteForce,
    build_random_calendar,
    compile_sql,
    random_spans,
)
from escalations.config import PROJECT_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "business_time.json")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        warehouse, schedules = build_random_calendar(work)
        build_s = time.perf_counter() - t0
        between_sql = compile_sql(work, warehouse, BUSINESS_SECONDS_SQL)
        due_sql = compile_sql(work, warehouse, DUE_SQL)
        spans = random_spans(np.random.default_rng(1), schedules, args.spans, FIRST, LAST)
        spans["target_s"] = np.random.default_rng(2).integers(1, 60 * 24 * 5, len(spans)) * 60

        with duckdb.connect(str(warehouse)) as conn:
            periods = conn.execute("select count(*) from intermediate.int_sla__business_periods").fetchone()[
                0
            ]
            conn.register("spans_frame", spans)
            conn.execute("create temp table spans as select * from spans_frame")
            conn.execute("create temp table dues as select * from spans_frame")
            t0 = time.perf_counter()
            conn.execute(f"create temp table business as {between_sql}")
            between_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            conn.execute(f"create temp table due as {due_sql}")
            due_s = time.perf_counter() - t0
            sample = conn.execute(
                "select s.schedule_key, s.start_s, s.end_s, b.business_s from spans as s "
                "join business as b using (span_id) using sample 20000 rows"
            ).df()

    brute = BruteForce(schedules, FIRST, LAST)
    mismatches = 0
    for key, part in sample.groupby("schedule_key"):
        expected = brute.open_minutes(key, part["start_s"].to_numpy(), part["end_s"].to_numpy()) * 60
        mismatches += int((expected != part["business_s"].to_numpy()).sum())

    result = {
        "spans": args.spans,
        "schedules": len(schedules),
        "business_periods": periods,
        "calendar_build_seconds": round(build_s, 2),
        "business_minutes_seconds": round(between_s, 3),
        "due_instant_seconds": round(due_s, 3),
        "spans_per_second": round(args.spans / between_s),
        "brute_force_sample": len(sample),
        "brute_force_mismatches": mismatches,
        "cores": os.cpu_count(),
    }
    print(
        f"business minutes for {args.spans:,} spans: {between_s:.2f} s ({result['spans_per_second']:,} spans/s)"
    )
    print(f"due instants for {args.spans:,} spans:     {due_s:.2f} s")
    print(f"calendar (load + dbt, {periods:,} periods): {build_s:.1f} s")
    print(f"brute-force check of {len(sample):,} sampled spans: {mismatches} mismatches")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
