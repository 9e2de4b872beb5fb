"""The bench's report: the machine and versions, the table it prints with the targets beside the
figures, and the verdicts against the targets."""

from __future__ import annotations

import os
import platform
from importlib import metadata

from escalations.bench.sizes import MB, STAGES, TARGETS


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


def table(sizes: dict, targets: list[dict] | None = None) -> str:
    """The figures of every size, one row per stage; a run's ``whole`` row (and the generator's)
    shows the targets set for it beside the figure, met or MISSED (``targets``: ``verdicts``)."""
    targets = verdicts(sizes) if targets is None else targets
    by_row: dict[tuple[str, str], list[str]] = {}
    for v in targets:
        runs = [v["run"]] if v["run"] else ["full_run", "nightly_run"]
        for run in runs:
            by_row.setdefault((v["size"], run), []).append(_verdict_text(v))
    head = (
        f"{'size':<5} {'run':<8} {'stage':<10} {'wall s':>9} {'rows/s':>10} {'peak RSS MB':>12}  "
        f"{'target':<36}  note"
    )
    lines = [head, "-" * len(head)]

    def row(size, run, stage, fig, note="", target=""):
        rps = f"{fig['rows_per_second']:,}" if fig.get("rows_per_second") else ""
        rss = f"{fig['peak_rss_mb']:,.0f}" if fig.get("peak_rss_mb") else ""
        lines.append(
            f"{size:<5} {run:<8} {stage:<10} {fig['seconds']:>9.1f} {rps:>10} {rss:>12}  {target:<36}  {note}"
        )

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
                "; ".join(by_row.get((label, "generate"), [])) if name == "full" else "",
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
                f"one DuckDB scan: {fl['bytes'] / MB:,.0f} MB, {fl['records_parsed']:,} records"
                + (" (the delta)" if name == "nightly" else ""),
            )
            for stage in (*STAGES, "other"):
                row(label, name, stage, r[stage])
            note = f"{r['multiple_of_floor']}x the full delivery's floor"
            if r.get("multiple_of_delta_floor") is not None:
                note += f" ({r['multiple_of_delta_floor']}x the delta's)"
            note += f"; {r['rows_in']:,} records in"
            if not r["ok"]:
                where = ", ".join(
                    f"{x['step']} after {x['seconds_so_far']:,.0f}s" for x in r.get("stopped_in", [])
                )
                note += f"; FAILED: {r.get('error')}" + (f"; was in {where}" if where else "")
                if r.get("dbt_models_running_at_stop"):
                    note += f" (dbt model {', '.join(r['dbt_models_running_at_stop'])})"
            row(label, name, "whole", r["whole"], note, "; ".join(by_row.get((label, run), [])))
    return "\n".join(lines)


def _verdict_text(v: dict) -> str:
    """``<= 5x floor: 27.1x MISSED`` (figure in the target's unit)."""
    if v["value"] is None:
        return f"{v['text']}: not measured"
    unit = {"multiple_of_floor": "x", "seconds": " s", "peak_rss_mb": " MB"}[v["measure"]]
    value = f"{v['value']:,.1f}{unit}" if v["measure"] != "peak_rss_mb" else f"{v['value']:,.0f}{unit}"
    return f"{v['text']}: {value} {'met' if v['met'] else 'MISSED'}"


def verdicts(sizes: dict) -> list[dict]:
    """Each target of escalations/bench/sizes.py against the figures of its size: value, limit,
    met (None when that size or run was not measured), and for a missed run the stage that holds
    it (its slowest). A run that was stopped counts as missed: its figure is a lower bound."""
    out = []
    for t in TARGETS:
        s = sizes.get(t.size)
        v = {
            "name": t.name,
            "size": t.size,
            "run": t.run,
            "measure": t.measure,
            "text": t.text,
            "limit": t.limit,
            "value": None,
            "met": None,
        }
        runs = [] if s is None else [s.get(r) for r in ((t.run,) if t.run else ("full_run", "nightly_run"))]
        if s is None or any(r is None for r in runs):
            v["note"] = "not measured" if s is None else "not run"
            out.append(v)
            continue
        if t.run == "generate":
            v["value"] = s["generate"]["full"]["seconds"]
        elif t.measure == "peak_rss_mb":
            v["value"] = max(r["whole"]["peak_rss_mb"] or 0 for r in runs)
        elif t.measure == "seconds":
            v["value"] = runs[0]["whole"]["seconds"]
        else:
            v["value"] = runs[0][t.measure]
        v["met"] = bool(v["value"] <= t.limit if t.at_most else v["value"] < t.limit)
        if t.run in ("full_run", "nightly_run"):
            r = runs[0]
            if not r["ok"]:
                v["met"] = False
                v["note"] = "stopped before it finished: the value is a lower bound"
            if not v["met"]:
                v["bottleneck"] = max((*STAGES, "other"), key=lambda st: r[st]["seconds"])
        if s.get("measured"):
            v["measured"] = s["measured"]
        out.append(v)
    return out


def restate(figures: dict) -> dict:
    """A size's figures from a results.json written before the nightly run was measured against
    the full delivery's floor (it was against the delta's): both multiples, as the bench writes
    them now."""
    full, nightly = figures.get("full_run"), figures.get("nightly_run")
    if full and nightly and "multiple_of_delta_floor" not in nightly:
        seconds = nightly["whole"]["seconds"]
        nightly["multiple_of_delta_floor"] = round(seconds / nightly["floor"]["seconds"], 1)
        nightly["multiple_of_floor"] = round(seconds / full["floor"]["seconds"], 1)
    return figures
