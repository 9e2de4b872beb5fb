"""``make bench``: the whole pipeline timed on demo worlds of 10k, 100k and 1M escalations.

For each size it

1. generates (once; cached under ``bench/cache/<size>/``) a world of N escalations over ``--days``
   days as two deliveries: the full export cut one day before the world's end, and the nightly
   delta of the last day (new and updated records, ``escalations generate --delta-from``); the
   generator's seconds, peak RSS and RSS at 25/50/75/100% of the escalations are recorded;
2. times the floor: one DuckDB scan that reads every landing file of the delivery and parses
   every record (JSON records validated as JSON, CSV parsed by DuckDB's CSV reader);
3. runs the whole pipeline (the Dagster job ``materialize_everything``, as ``escalations run``
   does) on a fresh home holding the full delivery, with ESCALATIONS_FRESHNESS_HOURS=0 and
   ESCALATIONS_AS_OF set to the cut, so runs are reproducible;
4. lands the nightly delta in the same home and runs again (the nightly incremental run).

Every measured piece runs in a child process of its own (``--worker``), so the figures hold only
that piece: imports, Dagster start-up and the dbt subprocess included, nothing of the bench or of
an earlier piece. A sampling thread reads the resident memory of the child's whole process tree
from /proc every 0.1 s (dbt runs as a grandchild through dagster-dbt); the kernel's high-water
mark of the largest single process is recorded as well. Stage times come from the run's own
Dagster event log (STEP_START .. STEP_SUCCESS per step): ``raw__<table>`` steps are ingestion,
``dbt_models`` is the dbt build (models and dbt tests), ``publish__*`` is publishing, and every
other step is a quality check (Great Expectations suites, personal-data scans, reconciliations,
freshness). The peak RSS of a stage is the highest sample taken while one of its steps ran;
"other" is what lies outside the steps (interpreter start, imports, loading the definitions).
Rows per second are raw records read by that run's ingestion divided by seconds.

Prints a table and writes ``bench/results.json`` with the machine's cores and memory, versions,
the date, the slowest dbt models of each run (from dbt's run_results.json) and each whole run as
a multiple of its floor.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path

from escalations.config import PROJECT_ROOT
from escalations.generator.delivery import Window, parse_epoch

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
PAGE = os.sysconf("SC_PAGE_SIZE")
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


# ---- memory of a process tree -----------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def descendants(pid: int) -> list[int]:
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _rss(pid: int | str) -> int:
    """Resident bytes of one process (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except OSError:
        return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (0 once it is gone)."""
    return sum(_rss(p) for p in descendants(pid))


def self_rss() -> int:
    return _rss("self")


def stop_tree(pid: int, grace: float = 10.0) -> None:
    """SIGTERM ``pid`` and every process under it (by id), SIGKILL what is left after ``grace``."""
    pids = descendants(pid)
    for p in reversed(pids):
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGTERM)
    deadline = time.time() + grace
    while time.time() < deadline and any(os.path.exists(f"/proc/{p}") for p in pids[1:]):
        time.sleep(0.2)
    for p in pids[1:]:  # the child itself is reaped by run_child
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGKILL)


class Sampler(threading.Thread):
    """Samples the tree RSS of one process until told to stop; stops the process past a limit."""

    def __init__(self, pid: int, max_rss: int, deadline: float, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.max_rss = max_rss
        self.deadline = deadline
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self.stopped_because: str | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            rss = tree_rss(self.pid)
            now = time.time()
            self.samples.append((now, rss))
            if self.stopped_because is None and (rss > self.max_rss or now > self.deadline):
                self.stopped_because = (
                    f"resident memory reached {rss / MB:,.0f} MB (limit {self.max_rss / MB:,.0f} MB)"
                    if rss > self.max_rss
                    else "it ran past the time limit"
                )
                stop_tree(self.pid)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peak(self, windows: list[tuple[float, float]] | None = None) -> int:
        if windows is None:
            return max((r for _, r in self.samples), default=0)
        return max(
            (r for t, r in self.samples if any(a - self.interval <= t <= b for a, b in windows)), default=0
        )


@dataclass
class Child:
    ok: bool
    seconds: float
    peak_rss: int  # highest sampled RSS of the whole tree
    max_process_rss: int  # the kernel's high-water mark of the largest single process in it
    output: dict
    log: Path
    sampler: Sampler
    why: str | None = None


def run_child(worker: str, args: dict, log: Path, env: dict, max_rss: int, timeout_s: float) -> Child:
    """Run one ``--worker`` in a child process of its own and measure it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path = log.with_suffix(".json")
    out_path.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "escalations.bench",
        "--worker",
        worker,
        "--worker-args",
        json.dumps(args),
        "--worker-out",
        str(out_path),
    ]
    t0 = time.time()
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        sampler = Sampler(proc.pid, max_rss, t0 + timeout_s)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.time() - t0
    sampler.stop()
    output = json.loads(out_path.read_text()) if out_path.exists() else {}
    ok = proc.returncode == 0 and bool(output.get("ok", True)) and sampler.stopped_because is None
    why = sampler.stopped_because and f"stopped by the bench: {sampler.stopped_because}"
    if not ok and why is None:
        why = f"exit code {proc.returncode}; see {log}"
    return Child(ok, seconds, sampler.peak(), usage.ru_maxrss * 1024, output, log, sampler, why)


# ---- workers (each in its own process) ---------------------------------------------------------
def _worker_generate(a: dict) -> dict:
    from escalations.generator import generate

    marks: dict[str, int] = {}
    last = [time.time()]

    def progress(done: int, total: int) -> None:
        for q in (25, 50, 75, 100):
            if f"{q}%" not in marks and done * 100 >= total * q:
                marks[f"{q}%"] = self_rss()
        if time.time() - last[0] >= 10:
            last[0] = time.time()
            print(f"  generated {done:,}/{total:,} escalations", flush=True)

    summary = generate(
        Path(a["out"]),
        seed=a["seed"],
        escalations=a["escalations"],
        days=a["days"],
        start=date.fromisoformat(a["start"]),
        cut=a["cut"],
        delta_from=a.get("delta_from"),
        progress=progress if not a.get("delta_from") else None,
    )
    return {"summary": summary, "rss_at_progress": marks}


def _worker_floor(a: dict) -> dict:
    """One DuckDB scan of the delivery's landing files: every record read and parsed once."""
    import duckdb

    from escalations.ingestion.specs import TABLES

    landing = Path(a["landing"])
    con = duckdb.connect()
    records = valid = size = 0
    for spec in TABLES:
        files = [str(p) for p in sorted(landing.glob(spec.pattern)) if p.is_file()]
        if not files:
            continue
        size += sum(os.path.getsize(f) for f in files)
        if spec.fmt == "csv":
            (n,) = con.execute(
                "select count(*) from read_csv(?, header = true, all_varchar = true, ignore_errors = true,"
                " strict_mode = false, union_by_name = true)",
                [files],
            ).fetchone()
            v = n
        else:  # one record per line in our pages and in the vendors' pretty-printed-free exports
            n, v = con.execute(
                "select count(*), count(*) filter (where json_valid(rtrim(line, ','))) from read_csv(?,"
                " columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', header = false,"
                " auto_detect = false, strict_mode = false)",
                [files],
            ).fetchone()
        records += n
        valid += v
    return {"lines": records, "records_parsed": valid, "bytes": size}


def _worker_run(a: dict) -> dict:
    from escalations.cli import run_pipeline
    from escalations.config import resolve_paths

    # a benchmark world: its own random requester key, kept in the bench home like the demo's
    return {"ok": bool(run_pipeline(resolve_paths(a["home"]), a["as_of"], demo=True))}


def run_events(dagster_home: Path, after: float) -> dict:
    """Step and run timestamps of the latest run in ``dagster_home`` started after ``after``.

    Read by the bench itself once the run's process has ended, so a run stopped half-way still
    tells how far it got.
    """
    import dagster as dg

    if not (dagster_home / "dagster.yaml").exists():
        return {}
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}
        run = runs[0]
        steps: dict[str, dict] = {}
        bounds = {}
        for entry in instance.all_logs(run.run_id):
            ev = entry.dagster_event
            if ev is None or entry.timestamp < after:
                continue
            kind = ev.event_type_value
            if kind in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
                steps.setdefault(entry.step_key, {})[kind] = entry.timestamp
            elif kind in ("PIPELINE_START", "PIPELINE_SUCCESS", "PIPELINE_FAILURE"):
                bounds[kind] = entry.timestamp
    return {"run_id": run.run_id, "steps": steps, "run": bounds}


WORKERS = {"generate": _worker_generate, "floor": _worker_floor, "run": _worker_run}


# ---- one size ----------------------------------------------------------------------------------
def stage_of(step_key: str, raw_tables: frozenset[str]) -> str:
    if step_key in ("dbt_models", "dbt_voice_models"):
        return "dbt"
    if step_key in ("restricted__redacted_text", "voice_themes"):
        return "voice"
    if step_key.startswith("publish__"):
        return "publish"
    if step_key.startswith("raw__") and step_key.removeprefix("raw__") in raw_tables:
        return "ingestion"
    return "quality"


def _mb(n: int) -> float:
    return round(n / MB, 1)


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
                "peak_rss_mb": _mb(child.peak_rss),
                "rss_mb_at_progress": {k: _mb(v) for k, v in child.output.get("rss_at_progress", {}).items()},
            }
            self.say(
                f"{label}:   {summary['records']:,} records in {child.seconds:.1f}s, peak RSS {_mb(child.peak_rss):,.0f} MB"
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
        return {"seconds": round(child.seconds, 2), "peak_rss_mb": _mb(child.peak_rss), **child.output}

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
        result["whole"]["max_single_process_rss_mb"] = _mb(child.max_process_rss)
        bounds = out.get("run", {})
        if "PIPELINE_START" in bounds:
            end = bounds.get("PIPELINE_SUCCESS") or bounds.get("PIPELINE_FAILURE")
            result["dagster_run_seconds"] = round(end - bounds["PIPELINE_START"], 2) if end else None
        result["slowest_dbt_models"], result["dbt_models_running_at_stop"] = _slowest_models(
            out.get("run_id"), home / "dbt" / "target"
        )
        if not child.ok:
            result["error"] = child.why
            self.say(f"{label}: the {name} run FAILED: {child.why}")
        else:
            self.say(
                f"{label}:   {child.seconds:.1f}s, {rows:,} records in, peak RSS {_mb(child.peak_rss):,.0f} MB"
            )
        if warehouse.exists():
            with duckdb.connect(str(warehouse), read_only=True) as conn:
                result["warehouse_mb"] = _mb(warehouse.stat().st_size)
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
        full["multiple_of_floor"] = round(full["whole"]["seconds"] / floor_full["seconds"], 1)
        if not full["ok"]:
            self.say(f"{label}: no nightly run: it needs a finished full run first")
            return {"escalations": n, "generate": gen, "full_run": full, "nightly_run": None}
        _link_delivery(landing, home / "landing", lambda name: name.startswith(delta_prefix))
        nightly = self.pipeline(label, home, cut2, "nightly")
        nightly["floor"] = floor_delta
        nightly["multiple_of_floor"] = round(nightly["whole"]["seconds"] / floor_delta["seconds"], 1)
        return {"escalations": n, "generate": gen, "full_run": full, "nightly_run": nightly}


def _figures(seconds: float, rows: int | None, peak: int) -> dict:
    return {
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if rows and seconds > 0 else None,
        "peak_rss_mb": _mb(peak) if peak else None,
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


def _slowest_models(run_id: str | None, targets: Path, top: int = 10) -> tuple[list[dict], list[str]]:
    """The slowest models of the run's dbt build, and those still running if it was stopped.

    From dbt's run_results.json when the build finished, else from the JSON lines of its dbt.log.
    """
    if not run_id:
        return [], []
    found = sorted(targets.glob(f"{run_id}/dbt_models"))  # HOME/dbt/target/<run>/<step>
    if not found:
        return [], []
    folder = found[-1]
    times: dict[str, float] = {}
    running: list[str] = []
    tests = 0.0
    n_tests = 0
    if (folder / "run_results.json").exists():
        for r in json.loads((folder / "run_results.json").read_text())["results"]:
            if r["unique_id"].startswith("model."):
                times[r["unique_id"].split(".")[-1]] = r["execution_time"]
            else:
                tests += r["execution_time"]
                n_tests += 1
    elif (folder / "dbt.log").exists():
        started: dict[str, str] = {}
        with open(folder / "dbt.log", encoding="utf-8") as fh:
            for line in fh:
                if '"NodeStart"' not in line and '"NodeFinished"' not in line:
                    continue
                event = json.loads(line)
                info = event["data"].get("node_info", {})
                uid = info.get("unique_id", "")
                if event["info"]["name"] == "NodeStart":
                    started[uid] = info.get("node_started_at", "")
                elif info.get("node_started_at") and info.get("node_finished_at"):
                    started.pop(uid, None)
                    secs = (
                        datetime.fromisoformat(info["node_finished_at"])
                        - datetime.fromisoformat(info["node_started_at"])
                    ).total_seconds()
                    if uid.startswith("model."):
                        times[uid.split(".")[-1]] = secs
                    else:
                        tests += secs
                        n_tests += 1
        running = [uid.split(".")[-1] for uid in started]
    slow = sorted(times.items(), key=lambda kv: -kv[1])[:top]
    out = [{"model": name, "seconds": round(secs, 2)} for name, secs in slow]
    out.append({"model": f"({n_tests} tests and seeds together)", "seconds": round(tests, 2)})
    return out, running


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


# ---- report ------------------------------------------------------------------------------------
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m escalations.bench", description=__doc__.splitlines()[0])
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
                    results["sizes"][label] = {
                        **figures,
                        "measured": figures.get("measured", earlier["date"]),
                    }
    ok = True
    for label in labels:
        figures = {**bench.size(label, parse_size(label), args.skip_generate), "measured": results["date"]}
        results["sizes"][label] = figures
        results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda kv: parse_size(kv[0])))
        ok = (
            ok and figures["full_run"]["ok"] and bool(figures["nightly_run"] and figures["nightly_run"]["ok"])
        )
        args.out.parent.mkdir(parents=True, exist_ok=True)
        results["targets_1m"] = verdicts(results["sizes"])
        args.out.write_text(json.dumps(results, indent=2) + "\n")  # after each size: partial figures survive
    m = results["machine"]
    print(f"\nEscalation Warehouse bench, {results['date']}, {m['cores']} cores, {m['memory_gb']} GB")
    print(table(results["sizes"]))
    for name, v in results["targets_1m"].items():
        met = v["value"] is not None and v["value"] <= v["target"] and "note" not in v
        extra = f" (bottleneck: {v['bottleneck']})" if "bottleneck" in v and not met else ""
        extra += f"; {v['note']}" if "note" in v else ""
        print(f"1M target {name}: {v['value']} vs {v['target']}: {'met' if met else 'MISSED'}{extra}")
    print(f"\nWritten to {args.out}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
