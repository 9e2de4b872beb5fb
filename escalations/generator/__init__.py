"""Demo-world generator: a deterministic escalation desk written as the vendors' own exports.

``generate(out, seed, escalations, days)`` writes every source of the landing-zone contract
(``/work/shared/spec/sources.md``) under ``out`` and the ground truth under ``out/_generator/``
(``truth.json``, ``bad_records.jsonl``, ``sla_disagreements.jsonl``). Escalations are simulated
and written in creation order, so memory stays flat however large the world is.

``cut`` writes the world as the tools would have exported it at that instant, and ``delta_from``
(with ``cut``) writes into the same folder only what was created or changed since the previous
cut, as new stamped page files: a nightly incremental delivery (see ``delivery``). Loading a full
export at one cut and then the deltas resolves to the same raw records as a full export at the
last cut.

Modules: ``world`` (plan, arrivals, lifecycles), ``delivery`` (cuts and deltas),
``calendars`` (business-time maths, timestamps),
``sla`` (clocks and breaches), ``writers`` (streaming pages and CSV parts), ``bad`` (bad-record
injection), ``zendesk`` / ``salesforce`` / ``hubspot`` / ``pagerduty`` / ``jira`` (one emitter per
vendor), ``truth`` (tallies and truth.json).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from escalations.generator import accounts
from escalations.generator.avaya import AvayaEmitter
from escalations.generator.bad import FORCE_MIN_ESCALATIONS, BadRecords
from escalations.generator.calendars import iso_z
from escalations.generator.delivery import Window, parse_epoch
from escalations.generator.hubspot import HubspotEmitter
from escalations.generator.jira import write_jira
from escalations.generator.pagerduty import write_pagerduty
from escalations.generator.salesforce import SalesforceEmitter
from escalations.generator.truth import Tally, build_truth
from escalations.generator.voice import VoiceTruth
from escalations.generator.world import World
from escalations.generator.zendesk import ZendeskEmitter

__all__ = ["generate"]

log = logging.getLogger(__name__)
VENDOR_FOLDERS = ("zendesk", "salesforce", "hubspot", "pagerduty", "jira", "avaya")
TRUTH_DIR = "_generator"
DELIVERIES = "deliveries.json"  # the deliveries with a cut written into one folder, in order
PROGRESS_EVERY = 1000


def _prepare(out: Path) -> None:
    """Write into an empty place, or over a world this generator wrote before; never over other data."""
    ours = (out / TRUTH_DIR / "truth.json").exists()
    existing = [f for f in (*VENDOR_FOLDERS, TRUTH_DIR) if (out / f).exists()]
    if existing and not ours:
        raise FileExistsError(
            f"{out} already holds {', '.join(existing)} that this generator did not write; "
            "choose an empty --out folder or delete those folders first"
        )
    for folder in existing:
        shutil.rmtree(out / folder)
    (out / TRUTH_DIR).mkdir(parents=True, exist_ok=True)


def _instant(value: int | str | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return parse_epoch(value)


def _read_deliveries(out: Path, params: dict, since: int) -> list[dict]:
    """The deliveries already in ``out``; a delta must continue the same world from its last cut."""
    path = out / TRUTH_DIR / DELIVERIES
    if not path.exists():
        raise FileNotFoundError(
            f"{out} holds no delivery with a cut to continue from ({path} is missing): write the first "
            "one with --cut, then the deltas with --delta-from that cut"
        )
    state = json.loads(path.read_text(encoding="utf-8"))
    if state["params"] != params:
        raise ValueError(
            f"{out} holds another world ({state['params']}); a delta needs the same seed, escalations, "
            f"days, start and bad share ({params})"
        )
    last = state["deliveries"][-1]["cut"]
    if last != iso_z(since):
        raise ValueError(
            f"the last delivery in {out} was cut at {last}, so the next delta must start there "
            f"(--delta-from {last}), not at {iso_z(since)}"
        )
    return state["deliveries"]


def generate(
    out: Path,
    seed: int,
    escalations: int,
    days: int,
    start: date = date(2026, 1, 5),
    bad_share: float = 0.005,
    progress: Callable[[int, int], None] | None = None,
    cut: int | str | None = None,
    delta_from: int | str | None = None,
) -> dict:
    """Write a demo world of ``escalations`` escalations over ``days`` days from ``start`` (00:00 UTC).

    ``cut`` (an ISO-8601 instant or epoch seconds, after ``start`` and at most the world's end):
    write the world as exported just before that instant. ``delta_from`` (with ``cut``): add to
    ``out``, which holds the deliveries up to that instant, what was created or changed from it
    to ``cut``, in new stamped files.

    Returns a summary (counts per tool, records and files written, bad records, seconds).
    The same arguments always give byte-identical files.
    """
    t_start = time.perf_counter()
    out = Path(out)
    if not 0 <= bad_share < 1:
        raise ValueError(f"bad_share must be in [0, 1), got {bad_share}")
    world = World(seed, escalations, days, start)
    window = Window(_instant(delta_from), _instant(cut))
    if window.cut is not None and not world.start < window.cut <= world.end:
        raise ValueError(
            f"the cut {iso_z(window.cut)} must be after the world's start {iso_z(world.start)} "
            f"and at most its end {iso_z(world.end)}"
        )
    params = {
        "seed": seed,
        "escalations": escalations,
        "days": days,
        "start": start.isoformat(),
        "bad_share": bad_share,
    }
    if window.is_delta:
        deliveries = _read_deliveries(out, params, window.since)
        truth_dir = out / TRUTH_DIR / "deliveries" / window.prefix.strip("-")
        truth_dir.mkdir(parents=True, exist_ok=True)
    else:
        _prepare(out)
        deliveries = []
        truth_dir = out / TRUTH_DIR
    bad = BadRecords(
        truth_dir / "bad_records.jsonl",
        seed,
        bad_share,
        force=escalations >= FORCE_MIN_ESCALATIONS and not window.is_delta,
    )
    disagreements_path = truth_dir / "sla_disagreements.jsonl"
    voice = VoiceTruth(None if window.is_delta else truth_dir)
    with open(disagreements_path, "w", encoding="utf-8", newline="\n") as disagreements:
        zendesk = ZendeskEmitter(out, world, bad, seed, disagreements, window, voice)
        salesforce = SalesforceEmitter(out, world, bad, seed, disagreements, window)
        hubspot = HubspotEmitter(out, world, bad, seed, window)
        emitters = {"zendesk": zendesk, "salesforce": salesforce, "hubspot": hubspot}
        avaya = AvayaEmitter(out, world, bad, seed, window)
        if not window.is_delta:  # account files (groups, schedules, users of agents ...) come once
            for emitter in emitters.values():
                emitter.write_reference()
        tally = Tally(world)
        done = 0
        for e in world.escalations():
            was_phone = e.channel == "phone"  # before an export maps an unknown channel value to other
            emitters[e.tool].emit(e)
            avaya.emit(e, was_phone)
            voice.escalation(e)
            tally.add(e)
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, escalations)
        for emitter in emitters.values():
            emitter.close()
        avaya.close()
    voice.close()
    for plan in world.plans:
        plan.linked = list(tally.links.get(plan.root_cause, []))
        plan.linked_at = list(tally.links_at.get(plan.root_cause, []))
    streams = dict(avaya.streams)
    for emitter in emitters.values():
        streams.update(emitter.streams)
    streams.update(write_pagerduty(out, world.incidents, window))
    streams.update(write_jira(out, world.plans, world.end, window))
    bad.close()
    if progress is not None:
        progress(done, escalations)

    counts = {
        name: {"files": len(s.files), "records": s.records + s.extra_records}
        for name, s in sorted(streams.items())
    }
    for emitter in emitters.values():
        for name, n in emitter.static_counts.items():
            counts[name] = {"files": 1, "records": n}
    counts = dict(sorted(counts.items()))
    if window.cut is not None:
        deliveries.append(
            {
                "since": None if window.since is None else iso_z(window.since),
                "cut": iso_z(window.cut),
                "files_start_with": window.prefix,
                "files": sum(c["files"] for c in counts.values()),
                "records": sum(c["records"] for c in counts.values()),
                "bad_records": sum(bad.kinds.values()),
                "ground_truth": truth_dir.relative_to(out).as_posix(),
            }
        )
        (out / TRUTH_DIR / DELIVERIES).write_text(
            json.dumps({"params": params, "deliveries": deliveries}, indent=2) + "\n", encoding="utf-8"
        )
    if window.is_delta:
        seconds = time.perf_counter() - t_start
        summary = {
            "delivery": f"delta {iso_z(window.since)} .. {iso_z(window.cut)}",
            "files": deliveries[-1]["files"],
            "records": deliveries[-1]["records"],
            "bad_records": deliveries[-1]["bad_records"],
            "seconds": round(seconds, 2),
            "escalations_per_second": round(escalations / seconds) if seconds > 0 else None,
        }
        (truth_dir / "delivery.json").write_text(
            json.dumps({**deliveries[-1], "counts": counts}, indent=2) + "\n", encoding="utf-8"
        )
        log.info("generated %s", summary)
        return summary
    with open(disagreements_path, encoding="utf-8") as fh:
        n_disagreements = sum(1 for _ in fh)
    missing = bad.missing_forced()
    if window.cut is not None:
        params = {**params, "cut": iso_z(window.cut)}
    extra = {
        "zendesk": {
            "earlier_versions_written": zendesk.earlier_versions,
            "void_metric_events": zendesk.void_events,
            "csat": zendesk.csat,
            "default_schedule_id": 360000310393,
            "schedule_by_market_region": {
                "AMER": 360000310393,
                "EMEA": 360000310394,
                "APAC": 360000310395,
                "LATAM": 360000310396,
            },
        },
        "conventions": {
            "channel": "custom field intake_channel (Zendesk 360006, HubSpot intake_channel) when set, "
            "else the tool's own channel (Zendesk via.channel, Salesforce Origin, HubSpot source_type); "
            "an empty Salesforce Origin and unknown values map to other",
            "deleted": "Zendesk status deleted, Salesforce IsDeleted true, HubSpot archived true",
            "salesforce_milestones": "First Response and Resolution per case; BusinessHoursId empty = 24x7 "
            "(P0); Resolution stops while Waiting on Customer; targets keep the priority at creation",
            "zendesk_schedule": "the first schedule is the default; tickets on another schedule carry a "
            "schedule_id Change event (via rule) in their Create audit; a trigger moves some tickets handed "
            "to another team to the next region's schedule (a schedule_id Change at the handoff), and their "
            "SLAs count each stretch on the schedule then in force",
            "salesforce_stopped": "a case is stopped (both milestones' clocks) in the statuses of "
            "sla_salesforce_stopped_statuses; ElapsedTimeInMins is start to completion on the milestone's "
            "clock, StoppedTimeInMins the stopped part, ActualElapsedTimeInMins the difference",
            "hubspot_sla": "goals from map_hubspot_sla on the pipeline's operating hours "
            "(sla_hubspot_business_hours); HubSpot exports no verdicts",
        },
        "sla_accounts": {
            **accounts.describe(world),
            # not deleted (deleted escalations leave the marts)
            "zendesk_tickets_moved_to_another_schedule": zendesk.schedule_moves,
            "salesforce_cases_stopped_pending_vendor": salesforce.vendor_hold_cases,
            "hubspot_sla_outcomes": {
                metric: {
                    outcome: hubspot.sla_outcomes[(metric, outcome)] for outcome in ("achieved", "breached")
                }
                for metric in ("first_reply_time", "total_resolution_time")
            },
        },
        "sla_disagreements": {"file": f"{TRUTH_DIR}/sla_disagreements.jsonl", "total": n_disagreements},
        "forced_bad_kinds_not_planted": missing,
        "voice": voice.summary(world.voice),
        "avaya": avaya.truth(),
    }
    truth = build_truth(world, tally, params, counts, bad, extra)
    (out / TRUTH_DIR / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    seconds = time.perf_counter() - t_start
    summary = {
        "escalations": escalations,
        "zendesk": truth["escalations_non_deleted"]["zendesk"],
        "salesforce": truth["escalations_non_deleted"]["salesforce"],
        "hubspot": truth["escalations_non_deleted"]["hubspot"],
        "deleted": sum(truth["escalations_deleted"].values()),
        "files": sum(c["files"] for c in counts.values()),
        "records": sum(c["records"] for c in counts.values()),
        "bad_records": truth["bad_records"]["total"],
        "seconds": round(seconds, 2),
        "escalations_per_second": round(escalations / seconds) if seconds > 0 else None,
    }
    log.info("generated %s", summary)
    return summary
