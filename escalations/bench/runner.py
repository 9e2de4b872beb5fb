"""One size: generate (or reuse) the world, time the floor, the full run and the nightly run, and
gather their figures."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from escalations.bench.child import run_child
from escalations.bench.events import run_events, slowest_models, stage_of
from escalations.bench.sizes import SEED, STAGES, START, mb
from escalations.generator.delivery import Window, parse_epoch


@dataclass
class Bench:
    cache: Path
    days: int
    env: dict
    max_rss: int
    timeout_s: float

    def say(self, text: str) -> None:
        print(text, flush=True)

    # cuts: the full delivery one day before the world's end, the delta up to the end
    def cuts(self) -> tuple[str, str]:
        end = datetime(START.year, START.month, START.day, tzinfo=UTC) + timedelta(days=self.days)
        return (end - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ")

    def world(self, label: str, n: int, skip_generate: bool) -> dict:
        """The cached world of this size (generated first when missing): generator figures."""
        folder = self.cache / label
        landing = folder / "landing"
        record = folder / "generate.json"
        cut1, cut2 = self.cuts()
        want = {
            "seed": SEED,
            "escalations": n,
            "days": self.days,
            "start": START.isoformat(),
            "cuts": [cut1, cut2],
        }
        if record.exists():
            cached = json.loads(record.read_text())
            if cached.get("world") == want and (landing / "_generator" / "deliveries.json").exists():
                self.say(f"{label}: using the cached world in {landing} (generated {cached['date']})")
                return {**cached, "cached": True}
        if skip_generate:
            raise SystemExit(
                f"error: no cached {label} world in {folder} for {self.days} days: run without --skip-generate"
            )
        shutil.rmtree(folder, ignore_errors=True)
        figures = {}
        base = {
            "out": str(landing),
            "seed": SEED,
            "escalations": n,
            "days": self.days,
            "start": START.isoformat(),
        }
        for name, args in (
            ("full", {**base, "cut": cut1}),
            ("delta", {**base, "cut": cut2, "delta_from": cut1}),
        ):
            self.say(f"{label}: generating the {name} delivery ({n:,} escalations, {self.days} days) ...")
            child = run_child(
                "generate",
                args,
                folder / "logs" / f"generate-{name}.log",
                self.env,
                self.max_rss,
                self.timeout_s,
            )
            if not child.ok:
                raise SystemExit(f"error: generating the {label} world failed ({child.why})")
            summary = child.output["summary"]
            figures[name] = {
                "seconds": round(child.seconds, 2),
                "generator_seconds": summary["seconds"],
                "escalations_per_second": round(n / child.seconds),
                "records": summary["records"],
                "files": summary["files"],
                "peak_rss_mb": mb(child.peak_rss),
                "rss_mb_at_progress": {k: mb(v) for k, v in child.output.get("rss_at_progress", {}).items()},
            }
            self.say(
                f"{label}:   {summary['records']:,} records in {child.seconds:.1f}s, peak RSS {mb(child.peak_rss):,.0f} MB"
            )
        result = {"world": want, "date": datetime.now(UTC).isoformat(timespec="seconds"), **figures}
        record.write_text(json.dumps(result, indent=2) + "\n")
        return {**result, "cached": False}

    def floor(self, label: str, landing: Path, name: str) -> dict:
        child = run_child(
            "floor",
            {"landing": str(landing)},
            self.cache / label / "logs" / f"floor-{name}.log",
            self.env,
            self.max_rss,
            self.timeout_s,
        )
        if not child.ok:
            raise SystemExit(f"error: the {label} floor scan failed ({child.why})")
        return {"seconds": round(child.seconds, 2), "peak_rss_mb": mb(child.peak_rss), **child.output}

    def pipeline(self, label: str, home: Path, as_of: str, name: str) -> dict:
        import duckdb

        from escalations.ingestion.specs import TABLES

        warehouse = home / "warehouse.duckdb"
        before = _records_read(warehouse)
        self.say(f"{label}: {name} run (as of {as_of}) ...")
        t0 = time.time()
        child = run_child(
            "run",
            {"home": str(home), "as_of": as_of},
            self.cache / label / "logs" / f"run-{name}.log",
            self.env,
            self.max_rss,
            self.timeout_s,
        )
        out = run_events(home / "dagster", t0)
        rows = _records_read(warehouse) - before
        raw = frozenset(t.name for t in TABLES)
        windows: dict[str, list[tuple[float, float]]] = {s: [] for s in STAGES}
        running = []
        for key, ev in out.get("steps", {}).items():
            start = ev.get("STEP_START")
            end = ev.get("STEP_SUCCESS") or ev.get("STEP_FAILURE")
            if start is not None and not child.ok and (end is None or "STEP_FAILURE" in ev):
                end = end or t0 + child.seconds  # the step it failed or was stopped in
                running.append(
                    {"step": key, "stage": stage_of(key, raw), "seconds_so_far": round(end - start, 1)}
                )
            if start is not None and end is not None:
                windows[stage_of(key, raw)].append((start, end))
        result = {"ok": child.ok, "rows_in": rows}
        if running:
            result["stopped_in"] = running
        inside = 0.0
        for stage in STAGES:
            secs = sum(b - a for a, b in windows[stage])
            inside += secs
            result[stage] = _figures(secs, rows, child.sampler.peak(windows[stage]) if windows[stage] else 0)
        result["other"] = _figures(child.seconds - inside, None, 0)
        result["whole"] = _figures(child.seconds, rows, child.peak_rss)
        result["whole"]["max_single_process_rss_mb"] = mb(child.max_process_rss)
        bounds = out.get("run", {})
        if "PIPELINE_START" in bounds:
            end = bounds.get("PIPELINE_SUCCESS") or bounds.get("PIPELINE_FAILURE")
            result["dagster_run_seconds"] = round(end - bounds["PIPELINE_START"], 2) if end else None
        result["slowest_dbt_models"], result["dbt_models_running_at_stop"] = slowest_models(
            out.get("run_id"), home / "dbt" / "target"
        )
        if not child.ok:
            result["error"] = child.why
            self.say(f"{label}: the {name} run FAILED: {child.why}")
        else:
            self.say(
                f"{label}:   {child.seconds:.1f}s, {rows:,} records in, peak RSS {mb(child.peak_rss):,.0f} MB"
            )
        if warehouse.exists():
            with duckdb.connect(str(warehouse), read_only=True) as conn:
                result["warehouse_mb"] = mb(warehouse.stat().st_size)
                result["fct_escalations_rows"] = _count(conn, "marts.fct_escalations")
        return result

    def size(self, label: str, n: int, skip_generate: bool) -> dict:
        gen = self.world(label, n, skip_generate)
        cut1, cut2 = self.cuts()
        folder = self.cache / label
        landing = folder / "landing"
        delta_prefix = Window(since=parse_epoch(cut1), cut=parse_epoch(cut2)).prefix
        home = folder / "home"
        shutil.rmtree(home, ignore_errors=True)
        full_files = _link_delivery(landing, home / "landing", lambda name: not name.startswith(delta_prefix))
        # the floors: the full delivery, and the nightly delta alone
        self.say(f"{label}: floor scan of the full delivery ({full_files:,} files) ...")
        floor_full = self.floor(label, home / "landing", "full")
        delta_only = folder / "delta-only"
        shutil.rmtree(delta_only, ignore_errors=True)
        _link_delivery(landing, delta_only, lambda name: name.startswith(delta_prefix))
        floor_delta = self.floor(label, delta_only, "delta")
        shutil.rmtree(delta_only)
        full = self.pipeline(label, home, cut1, "full")
        full["floor"] = floor_full
        # each run as a multiple of the full delivery's floor (one scan of every landing file)
        full["multiple_of_floor"] = round(full["whole"]["seconds"] / floor_full["seconds"], 1)
        if not full["ok"]:
            self.say(f"{label}: no nightly run: it needs a finished full run first")
            return {"escalations": n, "generate": gen, "full_run": full, "nightly_run": None}
        _link_delivery(landing, home / "landing", lambda name: name.startswith(delta_prefix))
        nightly = self.pipeline(label, home, cut2, "nightly")
        nightly["floor"] = floor_delta
        # the yardstick for both runs is the full delivery's floor; the delta's own is beside it
        nightly["multiple_of_floor"] = round(nightly["whole"]["seconds"] / floor_full["seconds"], 1)
        nightly["multiple_of_delta_floor"] = round(nightly["whole"]["seconds"] / floor_delta["seconds"], 1)
        return {"escalations": n, "generate": gen, "full_run": full, "nightly_run": nightly}


def _figures(seconds: float, rows: int | None, peak: int) -> dict:
    return {
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if rows and seconds > 0 else None,
        "peak_rss_mb": mb(peak) if peak else None,
    }


def _count(conn, relation: str) -> int | None:
    try:
        return conn.execute(f"select count(*) from {relation}").fetchone()[0]
    except Exception:  # noqa: BLE001 - a failed run may not have built it
        return None


def _records_read(warehouse: Path) -> int:
    import duckdb

    if not warehouse.exists():
        return 0
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        if _count(conn, "raw._ingested_files") is None:
            return 0
        return int(
            conn.execute("select coalesce(sum(records_read), 0) from raw._ingested_files").fetchone()[0]
        )


def _link_delivery(src: Path, dst: Path, keep) -> int:
    """Hard-link (copy across devices) the landing files whose names ``keep`` accepts."""
    n = 0
    for path in src.rglob("*"):
        if not path.is_file() or path.relative_to(src).parts[0] == "_generator" or not keep(path.name):
            continue
        target = dst / path.relative_to(src)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        n += 1
    return n
