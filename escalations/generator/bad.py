"""Bad-record injection: decide where, damage a copy, and log it to ``bad_records.jsonl``.

Damage is done to extra copies (or older versions) of records whose good, final version is
written anyway, so no escalation is lost to a bad record. The exceptions are ``unknown_enum``
(the real record carries a value the seeds do not know; it loads and maps to other/unknown) and
``stale_version`` (an older version written after the newer one). One line per injected record:
``{"source_table", "file", "position", "kind", "record_id"}`` with the position the ingestion
layer reports (JSON: index in the records array; CSV: physical line, header = 1).

The ``EXTRA_KINDS`` (values the warehouse cannot hold or place: an id beyond 64 bits, a far-off
timestamp, nesting deeper than the loader takes, undecodable bytes in a CSV line) are decided by
a random stream of their own and written as lines that do not count toward a page's size, so
adding them changed no good record of any world (nor where it lands).
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from pathlib import Path

KINDS = (
    "truncated",
    "malformed",
    "missing_id",
    "timestamp_without_zone",
    "wrong_type",
    "duplicate",
    "stale_version",
    "unknown_enum",
    "out_of_range",
    "too_deep",
    "encoding",
)
EXTRA_KINDS = ("out_of_range", "too_deep", "encoding")
EXTRA_RATE = 0.2  # of the bad share: the extra kinds are rarer than the classic ones
BIG_ID_OFFSET = 2**70  # an id copy beyond 64 bits
DEEP_LEVELS = (300, 3000)  # deeper than the serializer takes; deeper than Python's JSON recursion
FAR_TIMESTAMPS = ("9999-12-31T23:59:59", "1900-01-01T00:00:00")

# With >= 200 escalations every kind is planted at least once, spread over the tools.
FORCED: dict[str, tuple[str, ...]] = {
    "zendesk_tickets": (
        "duplicate",
        "malformed",
        "missing_id",
        "timestamp_without_zone",
        "wrong_type",
        "stale_version",
        "unknown_enum",
        "truncated",
    ),
    "salesforce_case": (
        "malformed",
        "stale_version",
        "wrong_type",
        "truncated",
        "unknown_enum",
        "missing_id",
    ),
    "salesforce_case_history": ("malformed", "duplicate"),
    "hubspot_tickets": ("duplicate", "missing_id", "timestamp_without_zone", "unknown_enum", "stale_version"),
    "zendesk_ticket_audits": ("duplicate", "timestamp_without_zone"),
    "zendesk_ticket_metric_events": ("wrong_type",),
    "avaya_ech": ("duplicate", "malformed", "missing_id", "wrong_type", "truncated"),
}
# the extra kinds, forced the same way; the variants of a kind alternate (big id, 9999, 1900 ...)
FORCED_EXTRA: dict[str, tuple[str, ...]] = {
    "zendesk_tickets": ("out_of_range", "too_deep", "out_of_range", "too_deep", "out_of_range"),
    "salesforce_case": ("encoding", "out_of_range"),
    "hubspot_tickets": ("out_of_range",),
}
FORCE_MIN_ESCALATIONS = 200
_WARMUP = 5  # records of a table before its first forced bad record
_SPACING = 3  # records between two forced bad records of one table
_ID_HINT = re.compile(r'"id"\s*:\s*"?([A-Za-z0-9_-]+)')
dumps_json = json.JSONEncoder(separators=(",", ":")).encode


class BadRecords:
    def __init__(self, path: Path, seed: int, share: float, force: bool) -> None:
        self.rng = random.Random(f"{seed}:bad")
        self.share = max(0.0, float(share))
        self.path = path
        self._fh = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in close()
        self.pending: dict[str, list[str]] = (
            {t: list(k) for t, k in FORCED.items()} if force and self.share > 0 else {}
        )
        self.seen: Counter = Counter()
        self._countdown: dict[tuple[str, float], int] = {}
        self._last_forced: dict[str, int] = {}
        self.kinds: Counter = Counter()
        self.tables: Counter = Counter()
        self.unknown_enums: Counter = Counter()  # (table, field, value)
        # the extra kinds' own stream: decisions and damage never touch the draws above
        self.extra_rng = random.Random(f"{seed}:bad-extra")
        self.extra_pending: dict[str, list[str]] = (
            {t: list(k) for t, k in FORCED_EXTRA.items()} if force and self.share > 0 else {}
        )
        self._extra_seen: Counter = Counter()
        self._extra_countdown: dict[str, int] = {}
        self._extra_last_forced: dict[str, int] = {}
        self._variant: Counter = Counter()  # (table, kind) -> copies made, to alternate variants

    # ---- decisions ------------------------------------------------------------------------
    def pick(self, table: str, allowed: tuple[str, ...], rate: float = 1.0) -> str | None:
        """Called once per good record of ``table``: which bad copy to add next to it, if any.

        Random picks use a countdown drawn from the geometric distribution (same law as one
        Bernoulli draw per record, one draw per bad record instead).
        """
        if not self.share:
            return None
        pending = self.pending.get(table)
        if pending:
            n = self.seen[table] = self.seen[table] + 1
            if n >= _WARMUP and n - self._last_forced.get(table, -_SPACING) >= _SPACING:
                for kind in pending:
                    if kind in allowed:
                        pending.remove(kind)
                        self._last_forced[table] = n
                        return kind
        key = (table, rate)
        left = self._countdown.get(key)
        if left is None:
            left = self._draw(rate)
        left -= 1
        if left > 0:
            self._countdown[key] = left
            return None
        self._countdown[key] = self._draw(rate)
        kinds = [k for k in allowed if k != "unknown_enum"] or list(allowed)
        return kinds[self.rng.randrange(len(kinds))]

    def take(self, table: str, n: int, allowed: tuple[str, ...]) -> list[tuple[int, str]]:
        """``pick`` for a batch of ``n`` good records: [(index in the batch, kind)]."""
        if not self.share or not n:
            return []
        if self.pending.get(table):
            return [(i, k) for i in range(n) if (k := self.pick(table, allowed))]
        key = (table, 1.0)
        i = (self._countdown.get(key) or self._draw(1.0)) - 1
        out = []
        while i < n:
            out.append((i, allowed[self.rng.randrange(len(allowed))]))
            i += self._draw(1.0)
        self._countdown[key] = i - n + 1
        return out

    def _draw(self, rate: float) -> int:
        p = min(1.0, self.share * rate)
        if p >= 1.0:
            return 1
        u = 1.0 - self.rng.random()  # (0, 1]
        return int(math.log(u) / math.log1p(-p)) + 1

    def pick_extra(self, table: str, allowed: tuple[str, ...]) -> str | None:
        """Like ``pick``, for the ``EXTRA_KINDS``, on a stream of its own."""
        if not self.share:
            return None
        pending = self.extra_pending.get(table)
        if pending:
            n = self._extra_seen[table] = self._extra_seen[table] + 1
            if n >= _WARMUP and n - self._extra_last_forced.get(table, -_SPACING) >= _SPACING:
                for kind in pending:
                    if kind in allowed:
                        pending.remove(kind)
                        self._extra_last_forced[table] = n
                        return kind
        left = self._extra_countdown.get(table)
        if left is None:
            left = self._extra_draw()
        left -= 1
        if left > 0:
            self._extra_countdown[table] = left
            return None
        self._extra_countdown[table] = self._extra_draw()
        return allowed[self.extra_rng.randrange(len(allowed))]

    def _extra_draw(self) -> int:
        p = min(1.0, self.share * EXTRA_RATE)
        if p >= 1.0:
            return 1
        u = 1.0 - self.extra_rng.random()
        return int(math.log(u) / math.log1p(-p)) + 1

    def variant(self, table: str, kind: str) -> int:
        """0, 1, 2 ... for the successive copies of one kind in one table."""
        n = self._variant[(table, kind)]
        self._variant[(table, kind)] += 1
        return n

    def out_of_range_json(self, table: str, rec: dict, id_field: str, stamp: str) -> tuple[str, object]:
        """A copy whose id is beyond 64 bits (integer ids only) or whose ``stamp`` is far off."""
        n = self.variant(table, "out_of_range")
        rid = rec[id_field]
        if isinstance(rid, int) and n % 3 == 0:
            rid = rid + BIG_ID_OFFSET
            return dumps_json({**rec, id_field: rid}), rid
        far = FAR_TIMESTAMPS[n % 2] + rec[stamp][19:]  # the vendor's own fraction and zone
        return dumps_json({**rec, stamp: far}), rid

    def too_deep_json(self, table: str, rec: dict, field: str) -> str:
        """A copy with ``field`` holding a value nested deeper than the loader takes."""
        levels = DEEP_LEVELS[self.variant(table, "too_deep") % 2]
        head = dumps_json({k: v for k, v in rec.items() if k != field})
        return head[:-1] + f',"{field}":' + "[" * levels + "null" + "]" * levels + "}"

    @staticmethod
    def undecodable(text: str) -> str:
        """``text`` as a Latin-1 export would write it: its letters beyond ASCII as single raw
        bytes (U+DC00 + byte, which the CSV writer writes as that byte), never valid UTF-8. Text
        that is all ASCII becomes a Portuguese subject that is not."""
        if all(ord(c) < 0x80 or ord(c) > 0xFF for c in text):
            text = "Pagamento não recebido"
        return "".join(chr(0xDC00 + ord(c)) if 0x80 <= ord(c) <= 0xFF else c for c in text)

    def want_truncation(self, table: str) -> bool:
        if not self.share:
            return False
        pending = self.pending.get(table)
        if pending and "truncated" in pending:
            pending.remove("truncated")
            return True
        return self.rng.random() < self.share

    def missing_forced(self) -> dict[str, list[str]]:
        out = {t: list(k) for t, k in self.pending.items() if k}
        for t, k in self.extra_pending.items():
            if k:
                out.setdefault(t, []).extend(k)
        return out

    # ---- damage ---------------------------------------------------------------------------
    def cut_point(self, line: str) -> int:
        """Where a truncated JSON copy breaks off: after its id, never right after } or ]."""
        lo = max(line.find(",") + 2, 10)
        cut = lo + int((len(line) - lo) * (0.3 + 0.4 * self.rng.random()))
        while cut > lo and line[cut - 1] in "}] \n":
            cut -= 1
        return cut

    def cut_point_csv(self, line: str) -> int:
        """Cut a CSV row before its middle comma, so it has fewer fields than the header."""
        commas = [i for i, c in enumerate(line) if c == ","]
        target = commas[len(commas) // 3] if commas else len(line) // 2
        return max(1, target - 2)

    @staticmethod
    def malformed_json(line: str) -> str:
        """Drop the opening quote of the record's second key: invalid JSON, id still readable."""
        i = line.find(',"')
        broken = line[: i + 1] + line[i + 2 :] if i > 0 else line[:-1]
        try:
            json.loads(broken)
        except json.JSONDecodeError:
            return broken
        return line.replace('":', '" ', 1)  # pragma: no cover - a last resort that never parses

    def malformed_csv(self, line: str, prefer: str | None = None) -> str:
        """An unbalanced quote in the third field, or one field too many."""
        mode = prefer or ("quote" if self.rng.random() < 0.5 else "columns")
        if mode == "quote" and line.count('"') % 2 == 0:
            first = line.find(",")
            second = line.find(",", first + 1)
            if second > 0:
                return line[: second + 1] + '"' + line[second + 1 :]
        return line + ",unexpected"

    @staticmethod
    def id_hint_json(line: str) -> str | None:
        m = _ID_HINT.search(line)
        return m.group(1) if m else None

    # ---- log ------------------------------------------------------------------------------
    def log(self, table: str, file: str, position: int, kind: str, record_id) -> None:
        rec = {
            "source_table": table,
            "file": file,
            "position": position,
            "kind": kind,
            "record_id": None if record_id in (None, "") else str(record_id),
        }
        self._fh.write(json.dumps(rec) + "\n")
        self.kinds[kind] += 1
        self.tables[table] += 1

    def note_unknown_enum(self, table: str, field: str, value: str) -> None:
        self.unknown_enums[(table, field, value)] += 1

    def close(self) -> None:
        self._fh.close()
