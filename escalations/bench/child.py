"""Each measured piece in a child process of its own (``python -m escalations.bench --worker``): the
worker functions and the runner that starts one and samples its memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from escalations.bench.sampler import Sampler, self_rss


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


WORKERS = {"generate": _worker_generate, "floor": _worker_floor, "run": _worker_run}
