"""The demo-world generator: determinism, the landing-zone contract, planted bad records, streaming,
and a world with the shape the marts are meant to find (checked against independent re-computation)."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from escalations.generator import generate
from escalations.generator.bad import KINDS
from escalations.generator.calendars import BusinessClock, weekdays
from escalations.generator.reference import CHANNELS, DRIVERS, seed_values
from escalations.ingestion.specs import TABLES

SEED = 7
N = 2500
DAYS = 75
TRUTH = "_generator"
ZENDESK_ZONES = {"Pacific Time (US & Canada)": "America/Los_Angeles", "London": "Europe/London"}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("world") / "landing"
    generate(out, seed=SEED, escalations=N, days=DAYS)
    return out


@pytest.fixture(scope="module")
def truth(world) -> dict:
    return json.loads((world / TRUTH / "truth.json").read_text())


@pytest.fixture(scope="module")
def planted(world) -> list[dict]:
    return [json.loads(line) for line in (world / TRUTH / "bad_records.jsonl").read_text().splitlines()]


def _digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _json_lines(path: Path) -> list[tuple[int, str]]:
    """(position, line) of every record line of one of our pages (one record per line)."""
    lines = path.read_text().split("\n")
    out = []
    for line in lines[1:]:
        if line.startswith("{"):
            out.append((len(out) + 1, line[:-1] if line.endswith(",") else line))
    return out


def _records(world: Path, pattern: str, planted: list[dict]) -> list[tuple[str, int, dict]]:
    """Good records of a JSON table: (file, position, record), planted bad ones left out."""
    bad = {(p["file"], p["position"]) for p in planted}
    out = []
    for path in sorted(world.glob(pattern)):
        rel = path.relative_to(world).as_posix()
        for pos, line in _json_lines(path):
            if (rel, pos) not in bad:
                out.append((rel, pos, json.loads(line)))
    return out


def _newest(records: list[tuple[str, int, dict]], version) -> dict:
    best: dict = {}
    for _f, _p, rec in records:
        key = rec["id"]
        if key not in best or version(rec) >= version(best[key]):
            best[key] = rec
    return best


def _csv_rows(world: Path, pattern: str, planted: list[dict]) -> list[dict]:
    bad = {(p["file"], p["position"]) for p in planted}
    rows = []
    for path in sorted(world.glob(pattern)):
        rel = path.relative_to(world).as_posix()
        with open(path, newline="", errors="surrogateescape") as fh:  # planted undecodable bytes
            lines = fh.read().split("\n")
        header = next(csv.reader([lines[0]]))
        for i, line in enumerate(lines[1:], start=2):
            if line and (rel, i) not in bad:
                rows.append(dict(zip(header, next(csv.reader([line])), strict=True)))
    return rows


# ---- determinism ---------------------------------------------------------------------------
def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    summary = generate(a, seed=3, escalations=400, days=12)
    generate(b, seed=3, escalations=400, days=12)
    generate(c, seed=4, escalations=400, days=12)
    da, db, dc = _digest(a), _digest(b), _digest(c)
    assert da == db
    assert da != dc
    assert da["zendesk/tickets/page-0001.json"] != dc["zendesk/tickets/page-0001.json"]
    assert summary["escalations"] == 400
    # regenerating over its own output is allowed and gives the same world again
    generate(a, seed=3, escalations=400, days=12)
    assert _digest(a) == db


def test_refuses_to_overwrite_data_it_did_not_write(tmp_path):
    (tmp_path / "zendesk").mkdir()
    (tmp_path / "zendesk" / "mine.json").write_text("{}")
    with pytest.raises(FileExistsError, match="did not write"):
        generate(tmp_path, seed=1, escalations=10, days=2)


# ---- the landing-zone contract -------------------------------------------------------------
EXPECTED_FILES = (
    "zendesk/tickets/page-0001.json",
    "zendesk/ticket_metric_events/page-0001.json",
    "zendesk/ticket_audits/page-0001.json",
    "zendesk/satisfaction_ratings/page-0001.json",
    "zendesk/users/page-0001.json",
    "zendesk/groups.json",
    "zendesk/sla_policies.json",
    "zendesk/schedules.json",
    "salesforce/Case/part-0001.csv",
    "salesforce/CaseHistory/part-0001.csv",
    "salesforce/CaseMilestone/part-0001.csv",
    "salesforce/BusinessHours.csv",
    "salesforce/Holiday.csv",
    "salesforce/User.csv",
    "hubspot/tickets/page-0001.json",
    "hubspot/pipelines.json",
    "hubspot/owners.json",
    "pagerduty/incidents/page-0001.json",
    "pagerduty/log_entries/page-0001.json",
    "jira/issues/page-0001.json",
)


def test_every_source_of_the_contract_is_written(world, truth):
    for rel in EXPECTED_FILES:
        assert (world / rel).is_file(), rel
    for spec in TABLES:
        files = list(world.glob(spec.pattern))
        assert files, f"nothing matches {spec.pattern}"
        assert truth["counts"][spec.name]["files"] == len(files)
    # several pages where the volume calls for it, about 1000 records each
    pages = sorted(world.glob("zendesk/ticket_metric_events/*.json"))
    assert len(pages) > 5
    assert len(_json_lines(pages[1])) in range(1000, 1003)


def test_every_file_parses_as_its_vendor_format_except_the_planted_damage(world, planted):
    damaged = {p["file"] for p in planted if p["kind"] in ("truncated", "malformed")}
    too_deep = {p["file"] for p in planted if p["kind"] == "too_deep"}
    for path in sorted(world.rglob("*.json")):
        rel = path.relative_to(world).as_posix()
        if rel.startswith(TRUTH):
            continue
        if rel in damaged:
            with pytest.raises(json.JSONDecodeError):
                json.loads(path.read_text())
            continue
        if rel in too_deep:  # valid JSON, possibly deeper than Python's parser recurses
            continue
        doc = json.loads(path.read_text())
        spec = next(t for t in TABLES if path.match(t.pattern) or rel == t.pattern)
        assert isinstance(doc[spec.array_key], list), rel
    bad_lines = {(p["file"], p["position"]) for p in planted if p["kind"] in ("truncated", "malformed")}
    for path in sorted(world.rglob("*.csv")):
        rel = path.relative_to(world).as_posix()
        text = path.read_text(errors="surrogateescape")
        lines = text.split("\n")
        header = next(csv.reader([lines[0]]))
        for i, line in enumerate(lines[1:], start=2):
            if not line:
                assert i == len(lines), f"{rel}: empty line {i}"
                continue
            if (rel, i) in bad_lines:
                continue
            assert line.count('"') % 2 == 0, (rel, i)
            assert len(next(csv.reader([line]))) == len(header), (rel, i)
    # Salesforce conventions
    case = _csv_rows(world, "salesforce/Case/*.csv", planted)[0]
    assert case["CreatedDate"].endswith(".000Z") and len(case["CreatedDate"]) == 24
    assert case["IsDeleted"] in ("true", "false")


# ---- bad records ---------------------------------------------------------------------------
def _line_at(world: Path, rel: str, position: int) -> str:
    if rel.endswith(".csv"):
        return (world / rel).read_text(errors="surrogateescape").split("\n")[position - 1]
    return dict(_json_lines(world / rel))[position]


def _arrivals(world: Path, folder: str) -> list[tuple[str, int, str]]:
    """Every record line of a table's folder in loading order: (file, position, line)."""
    out = []
    for path in sorted(world.glob(folder + "/*")):
        rel = path.relative_to(world).as_posix()
        if path.suffix == ".json":
            out += [(rel, pos, line) for pos, line in _json_lines(path)]
        else:
            out += [
                (rel, i, line)
                for i, line in enumerate(path.read_text(errors="surrogateescape").split("\n")[1:], start=2)
                if line
            ]
    return out


def _rid(line: str, rel: str = "") -> str | None:
    if line.startswith("{"):
        try:
            rid = json.loads(line).get("id")
        except (json.JSONDecodeError, RecursionError):
            return None
        return None if rid is None else str(rid)
    if rel.startswith("avaya/"):  # ECH: a segment is keyed by its call and segment number
        return ":".join(line.split(",", 2)[:2])
    return line.split(",", 1)[0]


def _version(line: str) -> tuple:
    if line.startswith("{"):
        rec = json.loads(line)
        return (rec.get("updated_at") or rec.get("updatedAt"), rec.get("generated_timestamp") or 0)
    return (next(csv.reader([line]))[17], 0)  # Case.SystemModstamp


def test_every_kind_of_bad_record_is_planted_and_is_what_truth_says(world, truth, planted):
    assert {p["kind"] for p in planted} == set(KINDS)
    assert truth["bad_records"]["total"] == len(planted)
    assert truth["forced_bad_kinds_not_planted"] == {}
    assert truth["escalations_lost_to_bad_records"] == 0
    for p in planted:
        assert set(p) == {"source_table", "file", "position", "kind", "record_id"}
        line = _line_at(world, p["file"], p["position"])
        kind, csv_file = p["kind"], p["file"].endswith(".csv")
        if kind == "truncated":
            text = (world / p["file"]).read_text(errors="surrogateescape")
            assert text.endswith(line) and not text.endswith("\n"), p
        if kind == "too_deep":
            assert "[" * 300 in line and line.count("[") > 300, p
            assert line.startswith('{"id":' + p["record_id"] + ","), p
            continue
        if kind == "encoding":
            assert csv_file and any(0xDC80 <= ord(c) <= 0xDCFF for c in line), p
            assert line.split(",", 1)[0] == p["record_id"], p
            continue
        if csv_file:
            header = next(
                csv.reader([(world / p["file"]).read_text(errors="surrogateescape").split("\n", 1)[0]])
            )
        if kind in ("truncated", "malformed"):
            if csv_file:
                assert (
                    line.count('"') % 2 == 1
                    or len(next(csv.reader([line]))) != len(header)
                    or "unexpected" in line
                ), p
            else:
                with pytest.raises(json.JSONDecodeError):
                    json.loads(line)
            continue
        if csv_file:
            rec = dict(zip(header, next(csv.reader([line])), strict=True))
            rid = rec.get("Id") if "Id" in rec else rec["callid"]
            if kind == "duplicate" and "callid" in rec:  # a readable ECH row is keyed by call and segment
                rid = _rid(line, p["file"])
            rid = rid or None
        else:
            rec = json.loads(line)
            rid = rec.get("id")
        if kind == "missing_id":
            assert rid is None and p["record_id"] is None
            continue
        assert str(rid) == p["record_id"], p
        if kind == "out_of_range":  # an id beyond 64 bits or a far-off creation time
            created = rec.get("created_at") or rec.get("createdAt") or rec.get("CreatedDate")
            assert (isinstance(rid, int) and rid >= 2**63) or created[:4] in ("9999", "1900"), p
            continue
        if kind == "timestamp_without_zone":
            stamps = [v for v in rec.values() if isinstance(v, str) and v[:4].isdigit() and "T" in v]
            assert any(not v.endswith("Z") for v in stamps), p
        elif kind == "wrong_type":
            if csv_file and "callid" in rec:  # ECH: a duration that is no number, or a day that never was
                assert rec["talktime"] == "n/a" or rec["segstart"][5:10] == "02-30", p
            elif csv_file:
                assert {rec.get("IsEscalated"), rec.get("IsDeleted")} & {"yes", "no"}, p
            else:
                assert (
                    isinstance(rec.get("id"), str)
                    and p["source_table"].startswith("zendesk")
                    or isinstance(rec.get("ticket_id"), str)
                    or isinstance(rec.get("created_at"), int)
                    or isinstance(rec.get("archived"), str)
                ), p
        elif kind in ("duplicate", "stale_version"):
            folder = p["file"].rsplit("/", 1)[0]
            arrivals = [
                (rel, pos, text) for rel, pos, text in _arrivals(world, folder) if _rid(text, rel) == str(rid)
            ]
            here = arrivals.index((p["file"], p["position"], line))
            before = [text for _r, _p, text in arrivals[:here]]
            if kind == "duplicate":
                assert line in before, p
            else:
                assert any(_version(t) > _version(line) for t in before), p
        elif kind == "unknown_enum":
            if p["source_table"] == "zendesk_tickets":
                assert rec["via"]["channel"] not in seed_values("map_channels", "zendesk")
            elif p["source_table"] == "salesforce_case":
                assert rec["Origin"] not in seed_values("map_channels", "salesforce")
            else:
                assert rec["properties"]["source_type"] not in seed_values("map_channels", "hubspot")
    assert truth["unknown_enum_values"], "unknown enum values are listed in truth"


def test_no_bad_records_when_disabled(tmp_path):
    out = tmp_path / "clean"
    generate(out, seed=5, escalations=300, days=10, bad_share=0)
    assert (out / TRUTH / "bad_records.jsonl").read_text() == ""
    for path in out.rglob("*.json"):
        json.loads(path.read_text())


def test_the_loader_quarantines_exactly_the_planted_records_and_counts_match_truth(
    world, truth, planted, tmp_path
):
    duckdb = pytest.importorskip("duckdb")
    from escalations.ingestion import load_landing

    db = tmp_path / "w.duckdb"
    results = load_landing(db, world)
    assert all(r.reconciles for r in results.values())
    with duckdb.connect(str(db), read_only=True) as conn:
        quarantined = {
            (f, p): (reason, rid)
            for f, p, reason, rid in conn.execute(
                "select source_file, position, reason, record_id from raw._quarantine"
            ).fetchall()
        }
        non_deleted = {
            "zendesk": conn.execute(
                "select count(*) from raw.zendesk_tickets where record->>'status' <> 'deleted'"
            ).fetchone()[0],
            "salesforce": conn.execute(
                "select count(*) from raw.salesforce_case where record->>'IsDeleted' = 'false'"
            ).fetchone()[0],
            "hubspot": conn.execute(
                "select count(*) from raw.hubspot_tickets where not (record->>'archived')::boolean"
            ).fetchone()[0],
        }
    expected = {
        (p["file"], p["position"]): (p["kind"], p["record_id"])
        for p in planted
        if p["kind"] != "unknown_enum"
    }
    assert quarantined == expected
    assert non_deleted == truth["escalations_non_deleted"]
    unknown = Counter()
    for r in results.values():
        unknown.update(r.unknown_enums)
    assert sum(unknown.values()) == sum(1 for p in planted if p["kind"] == "unknown_enum")


# ---- streaming -----------------------------------------------------------------------------
_CHILD = """
import sys
from pathlib import Path
from escalations.generator import generate
generate(Path(sys.argv[1]), seed=1, escalations=int(sys.argv[2]), days=20)
print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


def _peak_kb(tmp_path: Path, n: int) -> int:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(tmp_path / f"w{n}"), str(n)],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux) for the peak RSS")
def test_memory_does_not_grow_with_the_number_of_escalations(tmp_path):
    small = _peak_kb(tmp_path, 2000)
    large = _peak_kb(tmp_path, 20000)
    # ten times the escalations: the peak may move by a few MB of page buffers, not by the world
    assert large < small + 10_000, (small, large)


# ---- the shape of the world ----------------------------------------------------------------
def test_the_world_has_the_mix_the_marts_should_find(truth):
    assert sum(truth["escalations_per_tool"].values()) == N
    per_tool = truth["escalations_per_tool"]
    assert 0.55 < per_tool["zendesk"] / N < 0.65
    assert 0.20 < per_tool["salesforce"] / N < 0.30
    assert 0.11 < per_tool["hubspot"] / N < 0.19
    assert sum(truth["escalations_deleted"].values()) > 0
    assert sum(truth["escalations_open_at_end"].values()) > 0
    channels = truth["mix"]["channel"]
    assert set(CHANNELS) <= set(channels)
    assert channels["law_enforcement"]["share"] < 0.02 and channels["executive_press"]["share"] < 0.02
    prio = {k: v["share"] for k, v in truth["mix"]["priority"].items()}
    assert 0.01 < prio["P0"] < 0.07 and 0.1 < prio["P1"] < 0.22 and 0.45 < prio["P2"] < 0.62
    tiers = truth["mix"]["requester_tier"]
    assert tiers["user"]["count"] > tiers["nano"]["count"] > tiers["mega"]["count"]
    assert truth["recurring_driver_root_causes"] == list(DRIVERS)
    assert 0.4 < truth["recurring_drivers"][-1]["cumulative_share"] < 0.6
    life = truth["lifecycle"]
    for key in (
        "reopened",
        "reassigned",
        "ping_pong",
        "agent_created",
        "recurring_requester",
        "priority_changed",
    ):
        assert life[key] > 0, key
    assert 0.01 < life["recurring_requester"] / N < 0.08
    assert 0.01 < life["agent_created"] / N < 0.10


def test_incidents_cause_spikes_and_plans_change_volume(truth):
    incidents = truth["incidents"]
    assert 4 <= len(incidents) <= 8
    for inc in incidents:
        assert inc["root_causes"] and inc["service"]
        start = datetime.fromisoformat(inc["created_at"])
        assert timedelta(hours=1) <= datetime.fromisoformat(inc["resolved_at"]) - start <= timedelta(hours=6)
        assert inc["spike_end"] > inc["resolved_at"]
    strong = [
        i for i in incidents if i["escalations_per_hour_in_spike"] > 2 * i["escalations_per_hour_elsewhere"]
    ]
    assert len(strong) >= len(incidents) - 2
    plans = {p["outcome"]: p for p in truth["remediation_plans"]}
    assert set(plans) == {"effective", "ineffective", "open_overdue", "open"}
    for p in truth["remediation_plans"]:
        assert p["linked_escalations"] and all(
            k.split(":")[0] in ("zendesk", "salesforce", "hubspot") for k in p["linked_escalations"]
        )
        if p["outcome"] == "effective":
            assert p["escalations_per_week_after"] < 0.6 * p["escalations_per_week_before"], p
        if p["outcome"] == "ineffective":
            assert p["escalations_per_week_after"] > 0.75 * p["escalations_per_week_before"], p
        if p["outcome"] == "open_overdue":
            assert p["is_overdue"] and p["status"] == "In Progress" and p["shipped_at"] is None


def test_jira_epics_tasks_and_changelogs(world, truth, planted):
    issues = _records(world, "jira/issues/*.json", planted)
    epics = {r["key"]: r for _f, _p, r in issues if r["fields"]["issuetype"]["name"] == "Epic"}
    tasks = [r for _f, _p, r in issues if r["fields"]["issuetype"]["name"] == "Task"]
    assert set(epics) == {p["key"] for p in truth["remediation_plans"]}
    assert all(t["fields"]["parent"]["key"] in epics for t in tasks)
    for epic in epics.values():
        f = epic["fields"]
        assert f["customfield_10100"] and f["customfield_10101"]
        assert all(set(v) == {"value"} for v in f["customfield_10102"])
        if f["status"]["name"] == "Done":
            assert (
                f["resolutiondate"] and epic["changelog"]["histories"][-1]["items"][0]["toString"] == "Done"
            )


# ---- SLA clocks against an independent minute-by-minute re-computation ----------------------
def _minute_clock(schedule: dict):
    zone = ZoneInfo(ZENDESK_ZONES.get(schedule["time_zone"], schedule["time_zone"]))
    holidays = set()
    for h in schedule["holidays"]:
        d = date.fromisoformat(h["start_date"])
        while d <= date.fromisoformat(h["end_date"]):
            holidays.add(d)
            d += timedelta(days=1)
    spans = [(i["start_time"], i["end_time"]) for i in schedule["intervals"]]

    def is_open(t: datetime) -> bool:
        local = t.astimezone(zone)
        if local.date() in holidays:
            return False
        minute = ((local.weekday() + 1) % 7) * 1440 + local.hour * 60 + local.minute
        return any(a <= minute < b for a, b in spans)

    def open_minutes(a: datetime, b: datetime) -> int:
        t = a.replace(second=0) + timedelta(minutes=1)
        n = 0
        while t <= b:
            n += is_open(t - timedelta(seconds=30))
            t += timedelta(minutes=1)
        return n

    return open_minutes


def _ts(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def test_zendesk_first_reply_sla_matches_an_independent_clock(world, planted):
    schedules = {s["id"]: s for s in json.loads((world / "zendesk/schedules.json").read_text())["schedules"]}
    default = next(iter(schedules))
    agents = {
        r["id"] for _f, _p, r in _records(world, "zendesk/users/*.json", planted) if r["role"] == "agent"
    }
    audits = defaultdict(list)
    for _f, _p, a in _records(world, "zendesk/ticket_audits/*.json", planted):
        audits[a["ticket_id"]].append(a)
    events = defaultdict(list)
    for _f, _p, ev in _records(world, "zendesk/ticket_metric_events/*.json", planted):
        if ev["metric"] == "reply_time" and ev["instance_id"] == 1 and not ev["deleted"]:
            events[ev["ticket_id"]].append(ev)
    checked = breached = 0
    for tid in sorted(events)[:250]:
        trail = sorted({a["id"]: a for a in audits[tid]}.values(), key=lambda a: a["created_at"])
        create = trail[0]
        schedule = default
        for e in create["events"]:
            if e.get("field_name") == "schedule_id":
                schedule = int(e["value"])
        created = _ts(create["created_at"])
        agent_opened = create["author_id"] in agents
        replies = [
            _ts(a["created_at"])
            for a in trail
            for e in a["events"]
            if e["type"] == "Comment" and e["public"] and e["author_id"] in agents
        ]
        if agent_opened:
            replies = replies[1:]
        evs = {e["type"]: e for e in events[tid]}  # the last apply_sla: a priority change re-applies
        if "fulfill" not in evs or "apply_sla" not in evs or not replies:
            continue
        assert _ts(evs["fulfill"]["time"]) == replies[0]
        sla = evs["apply_sla"]["sla"]
        if sla["business_hours"]:
            elapsed = _minute_clock(schedules[schedule])(created, replies[0])
        else:
            elapsed = (replies[0] - created).total_seconds() / 60
        if abs(elapsed - sla["target"]) <= 1:
            continue  # within the minute clock's resolution
        assert ("breach" in evs) == (elapsed > sla["target"]), (tid, elapsed, sla, evs.get("breach"))
        if "breach" in evs and not sla["business_hours"]:
            # crossed at created + target, or at the re-application when the new target had already passed
            crossed = max(created + timedelta(minutes=sla["target"]), _ts(evs["apply_sla"]["time"]))
            assert _ts(evs["breach"]["time"]) == crossed
        checked += 1
        breached += "breach" in evs
    assert checked > 100 and 0 < breached < checked


def test_business_clock_is_exact_across_daylight_saving():
    clock = BusinessClock(
        "America/Los_Angeles", weekdays((9, 17)), set(), date(2026, 3, 1), date(2026, 3, 20)
    )
    day = 86400
    sunday = int(datetime(2026, 3, 8, tzinfo=UTC).timestamp())  # clocks go forward on this Sunday
    monday = sunday + day
    assert clock.between(sunday - 7 * day, sunday) == 5 * 480 * 60
    assert clock.between(sunday, sunday + 7 * day) == 5 * 480 * 60
    start = int(datetime(2026, 3, 9, 16, 0, tzinfo=UTC).timestamp())  # 09:00 PDT (UTC-7)
    assert clock.open_at(start) == clock.open_at(monday)
    assert clock.add(start, 480 * 60) == start + 8 * 3600
    friday_close = int(datetime(2026, 3, 6, 17, 0, tzinfo=ZoneInfo("America/Los_Angeles")).timestamp())
    assert clock.add(friday_close - 1800, 3600) == start + 1800  # over the weekend and the change


def test_tickets_on_other_schedules_say_so_in_their_create_audit(world, planted):
    users = {r["id"]: r for _f, _p, r in _records(world, "zendesk/users/*.json", planted)}
    tickets = _newest(
        _records(world, "zendesk/tickets/*.json", planted),
        lambda r: (r["updated_at"], r["generated_timestamp"]),
    )
    creates = {}
    for _f, _p, a in _records(world, "zendesk/ticket_audits/*.json", planted):
        if any(e["type"] == "Create" for e in a["events"]):
            creates[a["ticket_id"]] = a
    region = {
        "US": None,
        "unknown": None,
        "BR": "360000310396",
        "MX": "360000310396",
        "GB": "360000310394",
        "DE": "360000310394",
    }
    checked = 0
    for tid, t in tickets.items():
        if tid not in creates:
            continue
        market = next(f["value"] for f in t["custom_fields"] if f["id"] == 360003)
        change = [e["value"] for e in creates[tid]["events"] if e.get("field_name") == "schedule_id"]
        expected = region.get(market, "360000310395")
        assert change == ([expected] if expected else []), (tid, market, change)
        checked += 1
    assert checked > 1000
    assert any(u["role"] == "end-user" and u["email"] and u["phone"] for u in users.values())


def test_zendesk_versions_ratings_and_void_metric_rows(world, truth, planted):
    versions = defaultdict(list)
    for f, p, t in _records(world, "zendesk/tickets/*.json", planted):
        versions[t["id"]].append((f, p, t))
    multi = [
        v
        for v in versions.values()
        if len({(x[2]["updated_at"], x[2]["generated_timestamp"]) for x in v}) > 1
    ]
    assert 0.10 < len(multi) / len(versions) < 0.22
    for v in multi:
        (f1, p1, first), (f2, p2, last) = v[0], v[-1]
        if (f1, p1) < (f2, p2) and first["updated_at"] > last["updated_at"]:
            continue  # a planted stale version written late
        assert (
            first["updated_at"] < last["updated_at"]
            or first["generated_timestamp"] < last["generated_timestamp"]
        )
    statuses = Counter(t[-1][2]["status"] for t in versions.values())
    assert statuses["deleted"] > 0 and statuses["closed"] > 0 and statuses["open"] + statuses["pending"] > 0
    ratings = _records(world, "zendesk/satisfaction_ratings/*.json", planted)
    assert {r["score"] for _f, _p, r in ratings} == {"good", "bad", "offered"}
    void = [
        e for _f, _p, e in _records(world, "zendesk/ticket_metric_events/*.json", planted) if e["deleted"]
    ]
    assert len(void) == truth["zendesk"]["void_metric_events"] > 0


def test_salesforce_history_and_milestones(world, planted):
    history = _csv_rows(world, "salesforce/CaseHistory/*.csv", planted)
    fields = Counter((r["Field"], r["DataType"]) for r in history)
    assert fields[("Owner", "EntityId")] == fields[("Owner", "Text")] > 0
    assert fields[("created", "")] > 0 and fields[("Status", "Picklist")] > 0
    statuses = {r["NewValue"] for r in history if r["Field"] == "Status"}
    assert statuses <= seed_values("map_statuses", "salesforce")
    assert {"Working", "Waiting on Customer", "Resolved", "Closed", "Escalated"} <= statuses
    milestones = _csv_rows(world, "salesforce/CaseMilestone/*.csv", planted)
    assert {m["MilestoneTypeId"] for m in milestones} == {"5575g000000FirstAAE", "5575g000000ResolAAE"}
    violated = 0
    for m in milestones:
        end = m["CompletionDate"] or None
        if end:
            assert (m["IsViolated"] == "true") == (end > m["TargetDate"]), m
        violated += m["IsViolated"] == "true"
    assert 0 < violated < len(milestones)
    cases = _csv_rows(world, "salesforce/Case/*.csv", planted)
    assert {c["IsDeleted"] for c in cases} == {"true", "false"}
    holidays = _csv_rows(world, "salesforce/Holiday.csv", planted)
    assert {bool(h["BusinessHoursId"]) for h in holidays} == {True, False}


def test_hubspot_histories_and_vendor_values(world, planted):
    tickets = _records(world, "hubspot/tickets/*.json", planted)
    stages = {
        s["id"] for s in json.loads((world / "hubspot/pipelines.json").read_text())["results"][0]["stages"]
    }
    labels = {
        s["label"] for s in json.loads((world / "hubspot/pipelines.json").read_text())["results"][0]["stages"]
    }
    assert labels <= seed_values("map_statuses", "hubspot")
    owners = {o["id"] for o in json.loads((world / "hubspot/owners.json").read_text())["results"]}
    archived = 0
    for _f, _p, t in tickets:
        hist = t["propertiesWithHistory"]
        assert hist["hs_pipeline_stage"][0]["value"] == t["properties"]["hs_pipeline_stage"] in stages
        assert [h["timestamp"] for h in hist["hs_pipeline_stage"]] == sorted(
            (h["timestamp"] for h in hist["hs_pipeline_stage"]), reverse=True
        )
        if hist["hubspot_owner_id"]:
            assert hist["hubspot_owner_id"][0]["value"] == t["properties"]["hubspot_owner_id"] in owners
        assert t["properties"]["hs_ticket_priority"] in seed_values("map_priorities", "hubspot")
        archived += t["archived"]
    assert archived > 0
