"""Bad-record injection: decide where, damage a copy, and log it to ``bad_records.jsonl``.

Damage is done to extra copies (or older versions) of records whose good, final version is
written anyway, so no escalation is lost to a bad record. The exceptions are ``unknown_enum``
(the real record carries a value the seeds do not know; it loads and maps to other/unknown) and
``stale_version`` (an older version written after the newer one). One line per injected record:
``{"source_table", "file", "position", "kind", "record_id"}`` with the position the ingestion
layer reports (JSON: index in the records array; CSV: physical line, header = 1).
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
)

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
FORCE_MIN_ESCALATIONS = 200
_WARMUP = 5  # records of a table before its first forced bad record
_SPACING = 3  # records between two forced bad records of one table
_ID_HINT = re.compile(r'"id"\s*:\s*"?([A-Za-z0-9_-]+)')


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

    def want_truncation(self, table: str) -> bool:
        if not self.share:
            return False
        pending = self.pending.get(table)
        if pending and "truncated" in pending:
            pending.remove("truncated")
            return True
        return self.rng.random() < self.share

    def missing_forced(self) -> dict[str, list[str]]:
        return {t: k for t, k in self.pending.items() if k}

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
