"""Streaming page and CSV-part writers: bounded memory, known positions, deferred records.

``JsonPages`` writes a vendor list page as valid JSON with one record per line inside its records
array (``{"tickets": [\\n<rec>,\\n<rec>\\n], "after_cursor": ...}``) and starts a new page after
``per_page`` records. ``CsvParts`` writes Bulk-API-style CSV parts with a header row. Both return
the landing-relative file and the 1-based position of every record they write (JSON: index in the
records array; CSV: physical line number, header = 1), which is what the ingestion layer reports.

``defer(n, fn)`` runs ``fn`` after ``n`` more records of the stream have been written: how a later
version (or a late stale copy) lands in a later page without holding the stream in memory. Only the
deferred records themselves are held. At ``close`` every deferred record is flushed first.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_ENC = json.JSONEncoder(separators=(",", ":"))
dumps = _ENC.encode


@dataclass
class PageInfo:
    number: int
    count: int
    is_last: bool
    first_meta: Any = None
    last_meta: Any = None


@dataclass
class _Stream:
    """Bookkeeping shared by both writers."""

    table: str
    records: int = 0  # records written, bad ones included (the clock of ``defer``)
    extra_records: int = 0  # lines written by ``write_extra``: not in ``records``, not in page sizes
    files: list[str] = field(default_factory=list)
    _heap: list = field(default_factory=list)
    _seq: int = 0
    _draining: bool = False

    def defer(self, after: int, fn: Callable[[], None]) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (self.records + max(1, after), self._seq, fn))

    def _drain(self, everything: bool = False) -> None:
        if self._draining:
            return
        self._draining = True
        try:
            heap = self._heap
            while heap and (everything or heap[0][0] <= self.records):
                heapq.heappop(heap)[2]()
        finally:
            self._draining = False


class JsonPages(_Stream):
    def __init__(
        self,
        root: Path,
        folder: str,
        array_key: str,
        table: str,
        per_page: int,
        tail: Callable[[PageInfo], dict],
        head: Callable[[PageInfo], dict] | None = None,
        bad: Any = None,
        single_file: str | None = None,
        prefix: str = "",
    ) -> None:
        super().__init__(table)
        self.root = root
        self.folder = folder
        self.prefix = prefix
        self.array_key = array_key
        self.per_page = per_page
        self.tail = tail
        self.head = head
        self.bad = bad
        self.single_file = single_file
        self._fh = None
        self._rel = ""
        self._count = 0
        self._page = 0
        self._first_meta = None
        self._last_meta = None
        self._last_good: str | None = None
        self._last_was_bad = False
        self._extra = 0  # extra lines in the open page

    @property
    def last_was_malformed(self) -> bool:
        return self._last_was_bad

    def _open(self) -> None:
        self._page += 1
        if self.single_file:
            self._rel = self.single_file
        else:
            self._rel = f"{self.folder}/{self.prefix}page-{self._page:04d}.json"
        path = self.root / self._rel
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in _close_page
        self.files.append(self._rel)
        head = ""
        if self.head is not None:
            items = self.head(PageInfo(self._page, 0, False))
            head = "".join(f"{dumps(k)}: {dumps(v)}, " for k, v in items.items())
        self._fh.write("{" + head + dumps(self.array_key) + ": [\n")
        self._count = 0
        self._extra = 0
        self._first_meta = None
        self._last_meta = None
        self._last_good = None
        self._last_was_bad = False

    def _close_page(self, is_last: bool) -> None:
        fh = self._fh
        info = PageInfo(self._page, self._count, is_last, self._first_meta, self._last_meta)
        if (
            self.bad is not None
            and self._last_good is not None
            and not self._last_was_bad
            and self.bad.want_truncation(self.table)
        ):
            # the download broke off in the middle of a copy of the last record: no closing bracket
            line = self._last_good
            cut = self.bad.cut_point(line)
            fh.write(",\n" + line[:cut])
            self._count += 1
            self.records += 1
            self.bad.log(self.table, self._rel, self._count, "truncated", self.bad.id_hint_json(line))
        else:
            tail = self.tail(info)
            rest = "".join(f", {dumps(k)}: {dumps(v)}" for k, v in tail.items())
            fh.write(("\n]" if self._count else "]") + rest + "}\n")
        fh.close()
        self._fh = None

    def write(
        self, line: str, *, good: bool = True, meta: Any = None, malformed: bool = False
    ) -> tuple[str, int]:
        """Write one record line (already serialized); returns (file, position).

        ``good=False`` marks a planted bad record (never copied into a truncated tail);
        ``malformed`` one that does not parse (no truncated tail right after it, so the reader
        can resynchronise on the record that follows the damage).
        """
        if self._fh is None:
            self._open()
        elif self._count - self._extra >= self.per_page and not self.single_file:
            self._close_page(is_last=False)
            self._open()
        self._fh.write(line if self._count == 0 else ",\n" + line)
        self._count += 1
        self.records += 1
        if good:
            self._last_good = line
            if meta is not None:
                if self._first_meta is None:
                    self._first_meta = meta
                self._last_meta = meta
        self._last_was_bad = malformed
        pos = (self._rel, self._count)
        if self._heap:
            self._drain()
        return pos

    def write_extra(self, line: str) -> tuple[str, int]:
        """Write one planted bad line into the open page, right after the record just written.

        It does not count toward the page's size, the ``defer`` clock or what a truncated tail
        copies, so the good records land exactly where they would without it."""
        self._fh.write(",\n" + line)
        self._count += 1
        self._extra += 1
        self.extra_records += 1
        return self._rel, self._count

    def write_many(self, lines: list[str], meta: Any = None) -> list[tuple[str, int]]:
        """Write good record lines in one go; returns (file, first position) per page touched."""
        out = []
        i = 0
        n = len(lines)
        while i < n:
            if self._fh is None:
                self._open()
            elif self._count - self._extra >= self.per_page and not self.single_file:
                self._close_page(is_last=False)
                self._open()
            room = n - i if self.single_file else min(n - i, self.per_page - (self._count - self._extra))
            chunk = lines[i : i + room]
            out.append((self._rel, self._count + 1))
            self._fh.write((",\n" if self._count else "") + ",\n".join(chunk))
            self._count += room
            self.records += room
            i += room
            if meta is not None:
                if self._first_meta is None:
                    self._first_meta = meta
                self._last_meta = meta
        if n:
            self._last_good = lines[-1]
            self._last_was_bad = False
        if self._heap:
            self._drain()
        return out

    def close(self) -> None:
        self._drain(everything=True)
        if self._fh is None:
            self._open()  # an empty stream still writes one (empty) page
        self._close_page(is_last=True)


_CSV_BUF = io.StringIO()
_CSV_W = csv.writer(_CSV_BUF, lineterminator="\n")


def render_row(values: list[str]) -> str:
    """One CSV line (no newline) exactly as the csv module writes it."""
    _CSV_BUF.seek(0)
    _CSV_BUF.truncate()
    _CSV_W.writerow(values)
    return _CSV_BUF.getvalue()[:-1]


class CsvParts(_Stream):
    def __init__(
        self,
        root: Path,
        folder: str,
        header: list[str],
        table: str,
        rows_per_part: int,
        bad: Any = None,
        single_file: str | None = None,
        prefix: str = "",
    ) -> None:
        super().__init__(table)
        self.root = root
        self.folder = folder
        self.prefix = prefix
        self.header = header
        self.width = len(header)
        self.rows_per_part = rows_per_part
        self.bad = bad
        self.single_file = single_file
        self._fh = None
        self._w = None
        self._rel = ""
        self._lines = 0
        self._rows = 0
        self._part = 0
        self._last_good: list[str] | None = None
        self._last_was_bad = False

    def _open(self) -> None:
        self._part += 1
        self._rel = self.single_file or f"{self.folder}/{self.prefix}part-{self._part:04d}.csv"
        path = self.root / self._rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # surrogateescape: a planted ``encoding`` line carries raw bytes as U+DC80..U+DCFF
        self._fh = open(path, "w", encoding="utf-8", newline="", errors="surrogateescape")  # noqa: SIM115 - closed in _close_part
        self._w = csv.writer(self._fh, lineterminator="\n")
        self._w.writerow(self.header)
        self.files.append(self._rel)
        self._lines = 1
        self._rows = 0
        self._last_good = None
        self._last_was_bad = False

    def _close_part(self) -> None:
        if (
            self.bad is not None
            and self._last_good is not None
            and not self._last_was_bad
            and self.bad.want_truncation(self.table)
        ):
            # the part ends in the middle of a copy of its last row, without a newline
            line = render_row(self._last_good)
            cut = self.bad.cut_point_csv(line)
            self._fh.write(line[:cut])
            self._lines += 1
            self.records += 1
            self.bad.log(self.table, self._rel, self._lines, "truncated", self._last_good[0] or None)
        self._fh.close()
        self._fh = None

    def next_file(self) -> str:
        """The part the next record will land in."""
        if self._fh is None or (self._rows >= self.rows_per_part and not self.single_file):
            return self.single_file or f"{self.folder}/{self.prefix}part-{self._part + 1:04d}.csv"
        return self._rel

    def _before_write(self) -> None:
        if self._fh is None:
            self._open()
        elif self._rows >= self.rows_per_part and not self.single_file:
            self._close_part()
            self._open()

    def write(self, values: list[str]) -> tuple[str, int]:
        self._before_write()
        self._w.writerow(values)
        self._lines += 1
        self._rows += 1
        self.records += 1
        self._last_good = values
        self._last_was_bad = False
        pos = (self._rel, self._lines)
        if self._heap:
            self._drain()
        return pos

    def write_text(self, line: str, malformed: bool = False) -> tuple[str, int]:
        """Write one hand-made (damaged) line; it counts as a record of the part."""
        self._before_write()
        self._fh.write(line + "\n")
        self._lines += 1
        self._rows += 1
        self.records += 1
        self._last_was_bad = malformed
        pos = (self._rel, self._lines)
        if self._heap:
            self._drain()
        return pos

    def write_extra(self, line: str) -> tuple[str, int]:
        """Write one planted bad line right after the row just written; like ``JsonPages.write_extra``
        it counts toward no part size and no clock."""
        self._fh.write(line + "\n")
        self._lines += 1
        self.extra_records += 1
        return self._rel, self._lines

    def close(self) -> None:
        self._drain(everything=True)
        if self._fh is None:
            self._open()
        self._close_part()


def write_json_document(root: Path, rel: str, array_key: str, records: list[dict], tail: dict) -> int:
    """A small whole-file list (groups.json, owners.json ...) in the same one-record-per-line shape."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ",\n".join(dumps(r) for r in records)
    rest = "".join(f", {dumps(k)}: {dumps(v)}" for k, v in tail.items())
    path.write_text("{" + dumps(array_key) + ": [\n" + body + ("\n]" if records else "]") + rest + "}\n")
    return len(records)
