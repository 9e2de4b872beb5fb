"""Read landing files record by record, surviving damage.

A reader yields ``Item``s: either a parsed record or the reason it could not be parsed, always
with the record's 1-based position in the file (JSON: index in the page's records array; CSV:
physical line number, header = 1) and the raw text, so quarantine can say exactly where.

A damaged JSON page (truncated download, one broken record) is not thrown away: the records
around the damage are decoded one by one and the damaged stretch becomes one quarantined item.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

RAW_TEXT_LIMIT = 2000
_DECODER = json.JSONDecoder()
_WS = " \t\r\n"


@dataclass
class Item:
    position: int
    record: Any  # parsed record (dict for good ones) or None when it could not be parsed
    raw_text: str
    reason: str | None = None  # truncated / malformed when record is None
    detail: str | None = None


def _clip(text: str) -> str:
    return text if len(text) <= RAW_TEXT_LIMIT else text[:RAW_TEXT_LIMIT] + "...[clipped]"


def read_json_page(text: str, array_key: str | None) -> Iterator[Item]:
    """Yield the records of one JSON page (an object holding ``array_key`` or a bare array)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        yield from _read_damaged_page(text, array_key)
        return
    if isinstance(doc, dict):
        if array_key not in doc:
            yield Item(1, None, _clip(text), "malformed", f"page has no records array {array_key!r}")
            return
        records = doc[array_key]
    else:
        records = doc
    if records is None:
        return
    if not isinstance(records, list):
        yield Item(1, None, _clip(text), "malformed", f"{array_key!r} is not an array")
        return
    for i, rec in enumerate(records, start=1):
        yield Item(i, rec, "")  # raw text is rendered lazily by the loader only when needed


def _skip_ws(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in _WS:
        pos += 1
    return pos


def _line_column(text: str, pos: int) -> int:
    return pos - (text.rfind("\n", 0, pos) + 1)


def _find_array_start(text: str, array_key: str | None) -> int | None:
    if array_key is None:
        pos = _skip_ws(text, 0)
        return pos + 1 if pos < len(text) and text[pos] == "[" else None
    key_pos = text.find(json.dumps(array_key))
    if key_pos < 0:
        return None
    bracket = text.find("[", key_pos)
    return None if bracket < 0 else bracket + 1


def _element_ends(text: str, end: int) -> bool:
    """True when a value ending at ``end`` is followed by what follows an array element."""
    nxt = _skip_ws(text, end)
    if nxt >= len(text):
        return False
    if text[nxt] == "]":
        return True
    return text[nxt] == "," and _skip_ws(text, nxt + 1) < len(text) and text[_skip_ws(text, nxt + 1)] == "{"


def _resync(text: str, start: int, column: int) -> int | None:
    """Find where the next intact record starts after damage at ``start``.

    A candidate is a ``{`` at the same column as the page's first record (one record per line in
    our writer, fixed indentation in pretty-printed exports) that decodes to an object followed by
    an element separator. Nested objects sit at deeper columns, so they are not mistaken for records.
    """
    pos = start + 1
    while True:
        pos = text.find("{", pos)
        if pos < 0:
            return None
        if _line_column(text, pos) == column and text[text.rfind("\n", 0, pos) + 1 : pos].strip() in (
            "",
            ",",
        ):
            try:
                obj, end = _DECODER.raw_decode(text, pos)
            except json.JSONDecodeError:
                obj = None
            if isinstance(obj, dict) and _element_ends(text, end):
                return pos
        pos += 1


def _read_damaged_page(text: str, array_key: str | None) -> Iterator[Item]:
    pos = _find_array_start(text, array_key)
    if pos is None:
        reason = (
            "truncated" if len(text.strip()) < 2 or not text.rstrip().endswith(("}", "]")) else "malformed"
        )
        yield Item(1, None, _clip(text), reason, f"no records array {array_key!r} could be found in the page")
        return
    first = _skip_ws(text, pos)
    column = _line_column(text, first)
    position = 0
    n = len(text)
    while True:
        pos = _skip_ws(text, pos)
        if pos < n and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
        if pos >= n:
            return  # the damage was in the page's tail after the last record (already reported)
        if text[pos] == "]":
            return
        position += 1
        try:
            obj, end = _DECODER.raw_decode(text, pos)
            yield Item(position, obj, "")
            pos = end
            continue
        except json.JSONDecodeError as err:
            error = err
        nxt = _resync(text, pos, column)
        if nxt is None:
            at_eof = error.pos >= len(text.rstrip()) - 1 or not text.rstrip().endswith(("}", "]"))
            reason = "truncated" if at_eof else "malformed"
            detail = (
                "page ends in the middle of this record (truncated download?)"
                if at_eof
                else f"invalid JSON: {error.msg} at byte {error.pos}"
            )
            yield Item(position, None, _clip(text[pos:]), reason, detail)
            return
        yield Item(
            position,
            None,
            _clip(text[pos:nxt].rstrip().rstrip(",")),
            "malformed",
            f"invalid JSON: {error.msg} at byte {error.pos}",
        )
        pos = nxt


def read_csv(text: str) -> Iterator[Item | list[str]]:
    """Yield the header (a list) first, then one Item per data record.

    Records may span lines inside quotes. A record whose quotes never balance, or whose field
    count differs from the header, is quarantined by itself and reading resumes on the next line,
    so one bad row cannot swallow the rows after it. A short last line with no newline is
    ``truncated``.
    """
    lines = text.splitlines(keepends=True)
    if not lines:
        return
    header = next(csv.reader([lines[0]]))
    yield header
    width = len(header)
    i = 1
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        # accumulate physical lines until quotes balance
        j = i
        chunk = line
        quotes = line.count('"')
        while quotes % 2 == 1 and j + 1 < n:
            j += 1
            chunk += lines[j]
            quotes += lines[j].count('"')
        fields = next(csv.reader(io.StringIO(chunk)), []) if quotes % 2 == 0 else None
        if fields is not None and len(fields) == width:
            yield Item(i + 1, dict(zip(header, (f if f != "" else None for f in fields), strict=True)), "")
            i = j + 1
            continue
        is_last = i == n - 1 and not line.endswith(("\n", "\r"))
        if is_last and (fields is None or len(fields) < width):
            yield Item(i + 1, None, _clip(chunk), "truncated", "the file ends in the middle of this record")
        elif fields is None:
            yield Item(i + 1, None, _clip(line), "malformed", "unbalanced quote: the field never closes")
        elif j > i:
            # an unbalanced quote ran into the next lines: only this line is bad, read on after it
            yield Item(i + 1, None, _clip(line), "malformed", "unbalanced quote swallows the following lines")
        else:
            yield Item(
                i + 1, None, _clip(line), "malformed", f"{len(fields)} fields where the header has {width}"
            )
        i += 1
