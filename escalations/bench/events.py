"""What a finished run says about itself: its steps from the Dagster event log, the stage each step
belongs to, and the slowest dbt models from dbt's log."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path


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


def slowest_models(run_id: str | None, targets: Path, top: int = 10) -> tuple[list[dict], list[str]]:
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
