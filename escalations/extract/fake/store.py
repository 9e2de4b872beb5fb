"""A generated world as the tools' APIs hold it, at any instant of its deliveries.

``WorldStore(folder)`` reads a folder the generator wrote (one export, or a full export at a cut
followed by nightly deltas, ``escalations generate --cut ... --delta-from ...``) and keeps every
record the loader would accept, with:

- ``key``: the instant the API filters it on (its modification time; creation time for immutable
  records), placed inside the window of the delivery it came from. A delivery cut at ``c`` after
  the one cut at ``b`` holds what changed in ``[b, c)``, so its records' keys fall there even when
  the record itself does not say so (a Jira epic whose linked escalations changed, a milestone);
- ``visible``: from the delivery's cut on, so the store answers "as the API stood" at ``now``.

Bad records the loader would refuse are not served: a real API does not send them (the loader's
handling of them is tested on exports). Versions are served the way each API does: the change
streams (Zendesk's incremental exports, audits, log entries) serve every version in order, the
others (queries, searches, lists) serve each record's latest version.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from escalations.generator.delivery import parse_epoch
from escalations.ingestion.readers import read_csv, read_json_page
from escalations.ingestion.settings import plausible_window
from escalations.ingestion.specs import TABLES, TableSpec
from escalations.ingestion.validate import Rejected, diagnose, get_path, parse_zoned, validate

_STAMP = re.compile(r"^delivery-(\d{8}T\d{6}Z)-")


@dataclass
class Rec:
    key_ms: int  # when the API says it changed, epoch milliseconds
    id: str
    ordinal: int  # arrival order across the whole world (deliveries in order, files, positions)
    visible: int  # epoch seconds from which the API serves it
    record: dict
    header: tuple[str, ...] | None = None  # CSV tables: the columns of the file it came from

    @property
    def key(self) -> int:
        return self.key_ms // 1000


def _stamp_epoch(stamp: str) -> int:
    return parse_epoch(f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}Z")


def _record_ms(spec: TableSpec, record: dict) -> int | None:
    """The record's own modification (else creation, else latest) time, epoch milliseconds."""
    paths = [p for p in (spec.version_field, spec.created_field) if p]
    for path in paths:
        value = get_path(record, path)
        if isinstance(value, str) and value:
            try:
                return round(parse_zoned(value, path).timestamp() * 1000)
            except Rejected:
                pass
    times = []
    for path in spec.timestamp_fields:
        value = get_path(record, path)
        if isinstance(value, str) and value:
            with contextlib.suppress(Rejected):
                times.append(round(parse_zoned(value, path).timestamp() * 1000))
    return max(times) if times else None


class Table:
    """One raw table's records as the API holds them."""

    def __init__(self, spec: TableSpec) -> None:
        self.spec = spec
        self.log: list[Rec] = []  # sorted by (key_ms, ordinal)
        self._keys: list[tuple[int, int]] = []
        self.by_id: dict[str, list[Rec]] = defaultdict(list)
        self.header: tuple[str, ...] = ()  # CSV tables: the columns of their files
        self._latest: dict[int, dict[str, Rec]] = {}

    def add(self, rec: Rec) -> None:
        self.log.append(rec)
        self.by_id[rec.id].append(rec)

    def seal(self) -> None:
        self.log.sort(key=lambda r: (r.key_ms, r.ordinal))
        self._keys = [(r.key_ms, r.ordinal) for r in self.log]
        for versions in self.by_id.values():
            versions.sort(key=lambda r: (r.key_ms, r.ordinal))

    def versions(
        self, now: int, lo_ms: int | None = None, hi_ms: int | None = None, after=None
    ) -> Iterator[Rec]:
        """Every visible version with ``lo_ms <= key_ms < hi_ms`` (and after the position ``after``,
        a (key_ms, ordinal) pair), in change order."""
        start = 0
        if after is not None:
            start = bisect_left(self._keys, (after[0], after[1] + 1))
        if lo_ms is not None:
            start = max(start, bisect_left(self._keys, (lo_ms, -1)))
        for i in range(start, len(self.log)):
            rec = self.log[i]
            if hi_ms is not None and rec.key_ms >= hi_ms:
                return
            if rec.visible <= now:
                yield rec

    def latest(self, now: int) -> dict[str, Rec]:
        """Each id's newest visible version (the store never changes: remembered per instant)."""
        cached = self._latest.get(now)
        if cached is not None:
            return cached
        out = {}
        for rid, versions in self.by_id.items():
            seen = [v for v in versions if v.visible <= now]
            if seen:
                out[rid] = seen[-1]
        self._latest = {now: out}
        return out

    def current(self, now: int, lo_ms: int | None = None, hi_ms: int | None = None) -> list[Rec]:
        """Latest versions whose change time falls in ``[lo_ms, hi_ms)``, in change order."""
        recs = [
            r
            for r in self.latest(now).values()
            if (lo_ms is None or r.key_ms >= lo_ms) and (hi_ms is None or r.key_ms < hi_ms)
        ]
        return sorted(recs, key=lambda r: (r.key_ms, r.ordinal))


class WorldStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.cuts: list[int] = []
        state = self.folder / "_generator" / "deliveries.json"
        if state.exists():
            self.cuts = [parse_epoch(d["cut"]) for d in json.loads(state.read_text())["deliveries"]]
        self.tables: dict[str, Table] = {}
        self.rejected = 0
        window = plausible_window()  # records the loader would refuse are no API's records either
        ordinal = 0
        for spec in TABLES:
            table = self.tables[spec.name] = Table(spec)
            files = sorted(p for p in self.folder.glob(spec.pattern) if p.is_file())
            files.sort(key=lambda p: (self._window(p)[1], p.name))
            for path in files:
                since, cut = self._window(path)
                for record, header in self._records(spec, path):
                    if header and not table.header:
                        table.header = header
                    try:
                        accepted = validate(spec, record, window)
                    except Rejected:
                        self.rejected += 1
                        continue
                    ordinal += 1
                    ms = _record_ms(spec, record)
                    if ms is None:
                        ms = (since or 0) * 1000
                    if cut is not None:
                        ms = min(ms, cut * 1000 - 1)
                    if since is not None:
                        ms = max(ms, since * 1000)
                    table.add(Rec(ms, accepted.id, ordinal, cut if cut is not None else 0, record, header))
            table.seal()
        self.end = max(
            [*self.cuts, *(r.key + 1 for t in self.tables.values() for r in t.log[-1:])], default=0
        )

    def _window(self, path: Path) -> tuple[int | None, int | None]:
        """The delivery a file belongs to: (since, cut); reference files come with the first one."""
        m = _STAMP.match(path.name)
        if not m:
            return None, (self.cuts[0] if self.cuts else None)
        cut = _stamp_epoch(m.group(1))
        earlier = [c for c in self.cuts if c < cut]
        return (max(earlier) if earlier else None), cut

    @staticmethod
    def _records(spec: TableSpec, path: Path) -> Iterator[tuple[dict, tuple[str, ...] | None]]:
        # The generator's export holds some records no API would serve (bytes that are not UTF-8,
        # nesting deeper than JSON serializers take, ids beyond 64 bits): ingestion quarantines
        # them, the fake leaves them out; every other record is served.
        text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        if spec.fmt == "json":
            for item in read_json_page(text, spec.array_key):
                if isinstance(item.record, dict) and diagnose(item.record) is None:
                    yield item.record, None
            return
        header = tuple(next(csv.reader([text.partition("\n")[0]]), []))
        for item in read_csv(text):
            if item.record is not None and diagnose(item.record) is None:
                yield item.record, header

    def table(self, name: str) -> Table:
        return self.tables[name]
