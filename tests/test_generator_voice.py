"""The demo world's text and phone calls: languages by market, personal data where real tickets
carry it, steady and emerging complaint themes with their truth, and Avaya ECH call segments."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from escalations.generator import generate
from escalations.generator.avaya import ECH_HEADER
from escalations.generator.phrases import CSAT, FRAMES, LANGUAGES, THEMES
from escalations.generator.reference import taxonomy
from escalations.generator.voice import EMERGING, LANGUAGE_OF_MARKET

SPEC_SAMPLE = Path(__file__).parent / "fixtures" / "samples" / "avaya" / "ech" / "part-0001.csv"


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("voice") / "landing"
    generate(out, seed=5, escalations=4000, days=140)
    return out


@pytest.fixture(scope="module")
def truth(world) -> dict:
    return json.loads((world / "_generator" / "truth.json").read_text())


def _planted(world: Path) -> set[tuple[str, int]]:
    lines = (world / "_generator" / "bad_records.jsonl").read_text().splitlines()
    return {(p["file"], p["position"]) for p in map(json.loads, lines)}


def _json_records(world: Path, pattern: str) -> list[dict]:
    """Good records of our pages (one per line), the planted bad ones left out."""
    bad = _planted(world)
    out = []
    for path in sorted(world.glob(pattern)):
        rel = path.relative_to(world).as_posix()
        position = 0
        for line in path.read_text().split("\n")[1:]:
            if line.startswith("{"):
                position += 1
                if (rel, position) not in bad:
                    out.append(json.loads(line.rstrip(",")))
    return out


def _csv(path: Path) -> list[dict]:
    # a Salesforce part may carry a planted record that is not UTF-8 (bad kind "encoding")
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as fh:
        return list(csv.DictReader(fh))


def test_every_theme_reads_in_every_language():
    steady = {rc.root_cause for rc in taxonomy()}
    assert steady | {m.theme for m in EMERGING} == set(THEMES)
    slots = {"amount": "$10", "days": 3, "version": "34.0.1", "code": "PX-1"}
    for theme, languages in THEMES.items():
        assert set(languages) == set(LANGUAGES), theme
        for subjects, bodies in languages.values():
            assert len(subjects) >= 2 and len(bodies) >= 2
            assert all(text.format(**slots) for text in subjects + bodies)
    assert set(FRAMES) == set(CSAT) == set(LANGUAGES)
    assert {lang for options in LANGUAGE_OF_MARKET.values() for lang, _ in options} == set(LANGUAGES)


def test_each_market_writes_its_language_with_personal_data_inside(world, truth):
    assert set(truth["voice"]["languages"]) == set(LANGUAGES)
    tickets = {t["id"]: t for t in _json_records(world, "zendesk/tickets/*.json") if t["status"] != "deleted"}
    users = {u["id"]: u for u in _json_records(world, "zendesk/users/*.json")}
    languages = {r["escalation_key"]: r["language"] for r in _csv(world / "_generator" / "voice_truth.csv")}
    market_field = 360003
    seen = Counter()
    for t in tickets.values():
        market = next(f["value"] for f in t["custom_fields"] if f["id"] == market_field)
        lang = languages[f"zendesk:{t['id']}"]
        assert lang in {lang for lang, _ in LANGUAGE_OF_MARKET[market]}, (t["id"], market, lang)
        text = t["description"]
        requester = users.get(t["requester_id"])
        if requester and requester["name"] in text:
            seen["requester_name"] += 1
        seen["email"] += "@example" in text or "@mail.example" in text or "@inbox.example" in text
        seen["handle"] += " @" in text or "(@" in text or "@" in t["subject"]
        seen["profile_url"] += "example-platform.com/" in text
        seen["phone"] += any(
            p in text for p in ("+1 (415)", "+44 7700", "+55 11", "090-", "0812-", "+49 151")
        )
    assert min(seen.values()) > 20, seen
    ja = [t for t in tickets.values() if languages[f"zendesk:{t['id']}"] == "ja"]
    assert ja and all(any("\u3040" <= ch <= "\u30ff" for ch in t["subject"] + t["description"]) for t in ja)
    cases = _csv(next(world.glob("salesforce/Case/*.csv")))
    assert any(c["Description"] and c["SuppliedEmail"] for c in cases)
    hubspot = _json_records(world, "hubspot/tickets/*.json")
    assert all(h["properties"]["content"] for h in hubspot if "properties" in h)


def test_emerging_themes_start_on_their_day_grow_and_one_hides_in_other(world, truth):
    emerging = {m["theme"]: m for m in truth["voice"]["emerging"]}
    assert len(emerging) >= 2
    rows = _csv(world / "_generator" / "voice_truth.csv")
    assert len(rows) == sum(truth["escalations_non_deleted"].values())
    weekly: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["theme"] in emerging:
            start = datetime.fromisoformat(emerging[r["theme"]]["start"])
            created = datetime.fromisoformat(r["created_at"])
            assert created >= start, r
            weekly[r["theme"]][(created - start).days // 7] += 1
    for theme, m in emerging.items():
        weeks = weekly[theme]
        assert weeks[0] < weeks[3], (theme, weeks)  # it grows
        assert m["escalations"] == sum(weeks.values())
    shares = {t: m["issue_categories"].get("unknown", 0) / m["escalations"] for t, m in emerging.items()}
    assert max(shares.values()) > 0.6 and min(shares.values()) < 0.4, shares  # one mostly in "other"
    comments = _csv(world / "_generator" / "csat_comment_truth.csv")
    ratings = {r["id"]: r for r in _json_records(world, "zendesk/satisfaction_ratings/*.json")}
    assert comments and all(ratings[int(c["rating_id"])]["comment"] for c in comments)
    assert {c["theme"] for c in comments} >= {"praise", "service_slow"}


def test_ech_segments_have_the_sample_columns_transfers_abandons_and_ticket_links(world, truth):
    assert SPEC_SAMPLE.read_text().splitlines()[0].split(",") == ECH_HEADER
    parts = sorted(world.glob("avaya/ech/*.csv"))
    assert parts
    bad = _planted(world)
    rows = []
    for path in parts:
        rel = path.relative_to(world).as_posix()
        lines = path.read_text().split("\n")
        for i, line in enumerate(lines[1:], start=2):
            if line and (rel, i) not in bad:
                rows.append(dict(zip(ECH_HEADER, next(csv.reader([line])), strict=True)))
    calls = defaultdict(list)
    for r in rows:
        calls[r["ucid"]].append(r)
    multi = [segs for segs in calls.values() if len(segs) > 1]
    assert multi and all(s[0]["transferred"] == "1" and s[-1]["transferred"] == "0" for s in multi)
    abandoned = [segs[0] for segs in calls.values() if segs[0]["call_disp"] == "3"]
    assert abandoned and any(int(a["queuetime"]) <= 5 for a in abandoned)
    assert all(a["anslogin"] == "" and a["talktime"] == "0" for a in abandoned)
    assert any(r["conference"] == "1" for r in rows)
    # a linked call names a ticket of the world; the call that opened a phone escalation was
    # answered before the agent created the ticket
    created = {}
    for t in _json_records(world, "zendesk/tickets/*.json"):
        if "created_at" in t and isinstance(t.get("id"), int):
            created[str(t["id"])] = datetime.fromisoformat(t["created_at"])
    ids = set(created)
    ids |= {c["Id"] for path in world.glob("salesforce/Case/*.csv") for c in _csv(path)}
    ids |= {h["id"] for h in _json_records(world, "hubspot/tickets/*.json") if "id" in h}
    zone = ZoneInfo(truth["avaya"]["acd_time_zone"])
    refs = [r for r in rows if r["asai_uui"]]
    assert refs and all(r["asai_uui"].removeprefix("TKT=") in ids for r in refs)
    opened_by_call = 0
    for r in refs:
        ref = r["asai_uui"].removeprefix("TKT=")
        if ref in created and r["segment"] == "1":
            start = datetime.fromisoformat(r["segstart"]).replace(tzinfo=zone).astimezone(UTC)
            opened_by_call += start < created[ref]
    assert opened_by_call > 10
    assert truth["avaya"]["calls"]["offered"] == len(calls)
    assert truth["avaya"]["segments"] == len(rows)
