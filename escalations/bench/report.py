"""The bench's report: the machine and versions, the table it prints, and the verdicts against the 1M
targets."""

from __future__ import annotations

import os
import platform
from importlib import metadata

from escalations.bench.sizes import MB, STAGES, TARGETS_1M


def machine() -> dict:
    mem = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem / 1024**3, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def versions() -> dict:
    out = {}
    for pkg in ("dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "duckdb", "great_expectations"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def table(sizes: dict) -> str:
    head = f"{'size':<5} {'run':<8} {'stage':<10} {'wall s':>9} {'rows/s':>10} {'peak RSS MB':>12}  note"
    lines = [head, "-" * len(head)]

    def row(size, run, stage, fig, note=""):
        rps = f"{fig['rows_per_second']:,}" if fig.get("rows_per_second") else ""
        rss = f"{fig['peak_rss_mb']:,.0f}" if fig.get("peak_rss_mb") else ""
        lines.append(f"{size:<5} {run:<8} {stage:<10} {fig['seconds']:>9.1f} {rps:>10} {rss:>12}  {note}")

    for label, s in sizes.items():
        gen = s["generate"]
        for name in ("full", "delta"):
            g = gen[name]
            marks = ", ".join(f"{k} {v:,.0f}" for k, v in g.get("rss_mb_at_progress", {}).items())
            note = f"{g['records']:,} records" + (f"; RSS MB at {marks}" if marks else "")
            note += " (cached)" if gen.get("cached") else ""
            row(
                label,
                "generate",
                name,
                {**g, "rows_per_second": g["escalations_per_second"]},
                note + " [escalations/s]",
            )
        for run in ("full_run", "nightly_run"):
            r = s[run]
            name = run.removesuffix("_run")
            if r is None:
                lines.append(f"{label:<5} {name:<8} (not run: the full run did not finish)")
                continue
            fl = r["floor"]
            row(
                label,
                name,
                "floor",
                {**fl, "rows_per_second": round(fl["records_parsed"] / fl["seconds"])},
                f"one DuckDB scan: {fl['bytes'] / MB:,.0f} MB, {fl['records_parsed']:,} records",
            )
            for stage in (*STAGES, "other"):
                row(label, name, stage, r[stage])
            note = f"{r['multiple_of_floor']}x floor; {r['rows_in']:,} records in"
            if not r["ok"]:
                where = ", ".join(
                    f"{x['step']} after {x['seconds_so_far']:,.0f}s" for x in r.get("stopped_in", [])
                )
                note += f"; FAILED: {r.get('error')}" + (f"; was in {where}" if where else "")
                if r.get("dbt_models_running_at_stop"):
                    note += f" (dbt model {', '.join(r['dbt_models_running_at_stop'])})"
            row(label, name, "whole", r["whole"], note)
    return "\n".join(lines)


def verdicts(sizes: dict) -> dict:
    s = sizes.get("1m")
    if not s:
        return {}
    full, nightly = s["full_run"], s["nightly_run"]
    runs = [r for r in (full, nightly) if r is not None]
    peak = max(r["whole"]["peak_rss_mb"] or 0 for r in runs)
    gen = s["generate"]["full"]

    def seconds(r: dict | None, target: int) -> dict:
        if r is None:
            return {"value": None, "target": target, "note": "not run"}
        out = {
            "value": r["whole"]["seconds"],
            "target": target,
            "bottleneck": max(STAGES, key=lambda st: r[st]["seconds"]),
        }
        if not r["ok"]:
            out["note"] = "stopped before it finished: the value is a lower bound"
        return out

    return {
        "full_run_seconds": seconds(full, TARGETS_1M["full_run_seconds"]),
        "nightly_run_seconds": seconds(nightly, TARGETS_1M["nightly_run_seconds"]),
        "peak_rss_mb": {"value": peak, "target": TARGETS_1M["peak_rss_mb"]},
        "full_run_multiple_of_floor": {
            "value": full["multiple_of_floor"],
            "target": TARGETS_1M["full_run_multiple_of_floor"],
        },
        "generate_seconds": {"value": gen["seconds"], "target": TARGETS_1M["generate_seconds"]},
    }
