"""Avaya CMS External Call History (ECH): one CSV row per call segment, as the CMS exports it.

Calls come from the world's escalations: the call that opened each phone escalation (the agent
creates the ticket while talking and writes ``TKT=<ticket id>`` into the call's user-to-user data,
most of the time), a few calls about escalations opened elsewhere, and calls that never became a
ticket (questions answered on the spot, callers who hung up in the queue, some within 5 seconds).
A call can be transferred to the tier-2 split (a second segment) or conferenced. Times are the
ACD's local wall time (``seeds/avaya_acd.csv``), durations whole seconds; the caller's number is
the requester's, as E.164 digits. Splits follow the caller's language (``map_avaya_splits.csv``).

Bad rows like every other source: duplicates, a row with one field too many or an unbalanced
quote, a row without callid, a non-numeric duration or an impossible time, a truncated part.
"""

from __future__ import annotations

import csv
import math
import random
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from escalations.config import SEEDS_DIR
from escalations.generator.bad import BadRecords
from escalations.generator.delivery import FULL, Window
from escalations.generator.voice import person, phone_of
from escalations.generator.world import Escalation, World
from escalations.generator.writers import CsvParts, render_row

ECH_HEADER = [
    "callid", "segment", "segstart", "segstop", "calling_pty", "dialed_num", "dispsplit", "firstvdn",
    "dispvdn", "queuetime", "ringtime", "talktime", "ansholdtime", "acwtime", "anslogin", "call_disp",
    "transferred", "conference", "ucid", "asai_uui",
]  # fmt: skip
TABLE = "avaya_ech"
ROWS_PER_PART = 5000
CALLID0 = 88_000
DIALED = "8005550100"
FIRST_VDN = "5100"
TIER2_SPLIT = "52"
TIER2_VDN = "5120"
LOGIN0 = 70_200
ANSWERED, ABANDONED = "2", "3"  # call_disp
LINKED_SHARE = 0.88  # phone escalations whose call carries TKT=<id>
FOLLOW_UP_SHARE = 0.03  # escalations of other channels the requester also calls about
UNTICKETED_PER_PHONE = 0.6  # calls that never become a ticket, per phone escalation
TRANSFER_SHARE = 0.12
CONFERENCE_SHARE = 0.03
WITHHELD_SHARE = 0.03  # callers whose number the network withholds


@cache
def acd_zone() -> ZoneInfo:
    with open(SEEDS_DIR / "avaya_acd.csv", newline="", encoding="utf-8") as fh:
        return ZoneInfo(next(csv.DictReader(fh))["time_zone"])


@cache
def split_of_language() -> dict[str, str]:
    with open(SEEDS_DIR / "map_avaya_splits.csv", newline="", encoding="utf-8") as fh:
        return {r["language"]: r["dispsplit"] for r in csv.DictReader(fh) if r["language"]}


def local(t: int) -> str:
    """An instant as the ACD's local wall time, the way ECH writes it."""
    return datetime.fromtimestamp(t, UTC).astimezone(acd_zone()).strftime("%Y-%m-%d %H:%M:%S")


class AvayaEmitter:
    def __init__(self, root: Path, world: World, bad: BadRecords, seed: int, window: Window = FULL) -> None:
        self.world = world
        self.bad = bad
        self.window = window
        self.rng = random.Random(f"{seed}:avaya")
        self.bad_rng = self.rng if window.is_default else random.Random(f"{seed}:avaya-bad:{window}")
        self.parts = CsvParts(root, "avaya/ech", ECH_HEADER, TABLE, ROWS_PER_PART, bad, prefix=window.prefix)
        self.streams = {TABLE: self.parts}
        self.static_counts: dict[str, int] = {}
        self.callid = CALLID0
        self.calls = {"offered": 0, "answered": 0, "abandoned": 0, "abandoned_within_5s": 0, "linked": 0}
        self.calls_answered_within_30s = 0
        self.segments = 0
        self._quote_part: str | None = None

    def emit(self, e: Escalation, was_phone: bool) -> None:
        """The calls of one escalation (``was_phone``: its intake channel was the phone, before an
        export replaced an unknown channel value)."""
        rng = self.rng
        if e.deleted_at is not None:
            return
        ticket = e.key.split(":", 1)[1]
        who = person(e.market, e.requester)
        if was_phone:
            answered = e.created - rng.randrange(30, 240)  # the agent opens the ticket during the call
            tkt = ticket if rng.random() < LINKED_SHARE else None
            self._call(answered, who.phone_digits, e.language, tkt, answered_at=True)
            for _ in range(self._poisson(UNTICKETED_PER_PHONE)):
                t = e.created + rng.randrange(-3 * 3600, 3 * 3600)
                caller = who.phone_digits if rng.random() < 0.3 else self._stranger(e.market)
                self._call(t, caller, e.language, None, answered_at=False)
        elif rng.random() < FOLLOW_UP_SHARE and e.requester_comments:
            t = e.requester_comments[rng.randrange(len(e.requester_comments))] + rng.randrange(60, 3600)
            tkt = ticket if rng.random() < 0.8 else None
            self._call(t, who.phone_digits, e.language, tkt, answered_at=False)

    def _poisson(self, mean: float) -> int:
        # Knuth: small means only
        limit, k, p = math.exp(-mean), 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def _stranger(self, market: str) -> str:
        return phone_of(market, 500_000 + self.rng.randrange(10**6))[1]

    def _call(self, t: int, caller: str, language: str, tkt: str | None, answered_at: bool) -> None:
        """One call: ``t`` is when it was answered (``answered_at``) or when it arrived."""
        rng = self.rng
        self.callid += 1
        callid = self.callid
        split = split_of_language().get(language, "41")
        vdn = str(5100 + int(split) - 40)
        queue = max(0, int(rng.lognormvariate(math.log(22), 0.9)))
        ring = rng.randrange(2, 13)
        abandon = not answered_at and tkt is None and rng.random() < 0.45
        if rng.random() < WITHHELD_SHARE:
            caller = ""
        start = t - queue - ring if answered_at else t
        self.calls["offered"] += 1
        if abandon:
            quick = rng.random() < 0.35
            queue = rng.randrange(1, 6) if quick else rng.randrange(8, 400)
            ring = 0
            self.calls["abandoned"] += 1
            self.calls["abandoned_within_5s"] += quick
            segments = [(start, queue, 0, 0, 0, 0, "", ABANDONED, split, vdn)]
        else:
            self.calls["answered"] += 1
            self.calls_answered_within_30s += queue + ring <= 30
            segments = []
            talk = int(rng.lognormvariate(math.log(420), 0.6)) + 30
            hold = rng.randrange(10, 180) if rng.random() < 0.3 else 0
            acw = rng.randrange(15, 150)
            login = str(LOGIN0 + rng.randrange(200))
            if rng.random() < TRANSFER_SHARE:
                first_talk = max(20, talk // 3)
                segments.append((start, queue, ring, first_talk, 0, 0, login, ANSWERED, split, vdn))
                start2 = start + queue + ring + first_talk
                q2, r2 = rng.randrange(10, 150), rng.randrange(2, 10)
                login2 = str(LOGIN0 + 200 + rng.randrange(40))
                segments.append((start2, q2, r2, talk, hold, acw, login2, ANSWERED, TIER2_SPLIT, TIER2_VDN))
            else:
                segments.append((start, queue, ring, talk, hold, acw, login, ANSWERED, split, vdn))
        conference = not abandon and rng.random() < CONFERENCE_SHARE
        if tkt is not None:
            self.calls["linked"] += 1
        ucid = f"00001{callid % 100_000:05d}{start % 10**10:010d}"
        last = len(segments)
        for i, (s0, q, r, talk, hold, acw, login, disp, sp, dvdn) in enumerate(segments, start=1):
            stop = s0 + q + r + talk + hold
            row = [
                str(callid),
                str(i),
                local(s0),
                local(stop),
                caller,
                DIALED,
                sp,
                FIRST_VDN,
                dvdn,
                str(q),
                str(r),
                str(talk),
                str(hold),
                str(acw),
                login,
                disp,
                "1" if i < last else "0",
                "1" if conference and i == last else "0",
                ucid,
                f"TKT={tkt}" if tkt is not None and i == last else "",
            ]
            self.segments += 1
            if self.window.has(stop):
                self._write(row)

    def _write(self, row: list[str]) -> None:
        stream = self.parts
        stream.write(row)
        kind = self.bad.pick(TABLE, ("duplicate", "malformed", "missing_id", "wrong_type"))
        if not kind:
            return
        bad = self.bad
        rid = f"{row[0]}:{row[1]}"
        if kind == "duplicate":

            def dup() -> None:
                f, p = stream.write(row)
                bad.log(TABLE, f, p, "duplicate", rid)

            stream.defer(self.bad_rng.randrange(1, 40), dup)
            return
        rid = row[0]  # a row that cannot be read or validated is named by its call, as the loader can
        if kind == "malformed":
            # at most one unbalanced quote per part: two would pair up and swallow the rows between
            target = stream.next_file()
            mode = "columns" if self._quote_part == target or self.bad_rng.random() < 0.5 else "quote"
            if mode == "quote":
                self._quote_part = target
            text = bad.malformed_csv(render_row(row), mode)
        elif kind == "missing_id":
            text = render_row(["", *row[1:]])
            rid = None
        else:  # wrong_type: a duration that is not a number, or a time that does not exist
            broken = list(row)
            if self.bad_rng.random() < 0.5:
                broken[11] = "n/a"
            else:
                broken[2] = broken[2][:5] + "02-30" + broken[2][10:]
            text = render_row(broken)
        f, p = stream.write_text(text, malformed=kind == "malformed")
        bad.log(TABLE, f, p, kind, rid)

    def close(self) -> None:
        self.parts.close()

    def truth(self) -> dict:
        return {
            "acd_time_zone": str(acd_zone()),
            "calls": dict(self.calls),
            "calls_answered_within_30s": self.calls_answered_within_30s,
            "segments": self.segments,
            "service_level_answered_within_30s": round(
                self.calls_answered_within_30s
                / max(1, self.calls["offered"] - self.calls["abandoned_within_5s"]),
                4,
            ),
            "languages_of_splits": split_of_language(),
            "note": "calls and segments of the whole world; a delivery holds the segments that ended in it",
        }
