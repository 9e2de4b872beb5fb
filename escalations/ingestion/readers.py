"""Read landing files record by record, surviving damage.

A reader yields ``Item``s: either a parsed record or the reason it could not be parsed, always
with the record's 1-based position in the file (JSON: index in the page's records array; CSV:
physical line number, header = 1) and the raw text, so quarantine can say exactly where.

A damaged JSON page (truncated download, one broken record) is not thrown away: the records
around the damage are decoded one by one and the damaged stretch becomes one quarantined item.
So is a record nested too deep for the JSON parser's recursion (``too_deep``) or holding a number
Python refuses to convert (``out_of_range``): it is skipped by bracket matching, never by recursion.

``NaN``, ``Infinity`` and numbers that overflow a float are not JSON: they parse to ``NonFinite``
so the record is quarantined rather than stored as null. Text holding undecodable bytes (see
``files.decode``) makes the record that holds them an ``encoding`` item.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from escalations.ingestion.files import first_undecodable, undecodable

RAW_TEXT_LIMIT = 2000
_WS = " \t\r\n"
# a string token (never split inside), a quote that opens a string that never closes, a bracket
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|["\[\]{}]')
# Python's csv refuses fields over 128 KiB by default; the loader bounds records itself
# (ESCALATIONS_MAX_RECORD_BYTES), so the reader must not fail on a long field first.
csv.field_size_limit(2**31 - 1)


class NonFinite:
    """A number JSON cannot hold: a NaN/Infinity literal or a float that overflows."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _parse_float(text: str) -> float | NonFinite:
    value = float(text)
    return value if math.isfinite(value) else NonFinite(text)


_DECODER = json.JSONDecoder(parse_constant=NonFinite, parse_float=_parse_float)


@dataclass
class Item:
    position: int
    record: Any  # parsed record (dict for good ones) or None when it could not be parsed
    raw_text: str
    reason: str | None = None  # truncated / malformed when record is None
    detail: str | None = None


def _clip(text: str) -> str:
    return text if len(text) <= RAW_TEXT_LIMIT else text[:RAW_TEXT_LIMIT] + "...[clipped]"


def _undecodable_detail(text: str) -> str:
    at = first_undecodable(text)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    shown = " ".join(f"0x{b:02x}" for b in undecodable(text)[:8])
    return f"bytes that do not decode ({shown}) at line {line}, column {column} of the record"


def _encoding_checked(item: Item) -> Item:
    """A damaged stretch that holds undecodable bytes is reported as ``encoding``: they are the cause."""
    if item.record is None and first_undecodable(item.raw_text) is not None:
        return Item(item.position, None, item.raw_text, "encoding", _undecodable_detail(item.raw_text))
    return item


def read_json_page(text: str, array_key: str | None) -> Iterator[Item]:
    """Yield the records of one JSON page (an object holding ``array_key`` or a bare array)."""
    try:
        doc = _DECODER.decode(text)
    except (ValueError, RecursionError):  # damage, a record nested too deep, a number too long
        yield from map(_encoding_checked, _read_damaged_page(text, array_key))
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
            except RecursionError:  # well-formed but too deep to parse: a record all the same
                span = element_end(text, pos)
                obj, end = ({}, span[0]) if span else (None, pos)
            except ValueError:
                obj = None
            if isinstance(obj, dict) and _element_ends(text, end):
                return pos
        pos += 1


def element_end(text: str, pos: int) -> tuple[int, int] | None:
    """(end, depth) of the JSON object or array starting at ``pos``, by bracket matching only
    (no recursion, however deep it nests); None when it never closes."""
    depth = deepest = 0
    for m in _TOKEN.finditer(text, pos):
        c = text[m.start()]
        if c == '"':
            if m.end() - m.start() == 1:
                return None  # a string that never closes
            continue
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
            if depth <= 0:
                return (m.end(), deepest) if depth == 0 else None
    return None


def _unparsable(text: str, pos: int, position: int, err: BaseException) -> tuple[Item, int] | None:
    """A record that is well-formed JSON but that the parser cannot take: skip it whole."""
    span = element_end(text, pos)
    if span is None or not _element_ends(text, span[0]):
        return None
    end, depth = span
    if isinstance(err, RecursionError):
        item = Item(position, None, _clip(text[pos:end]), "too_deep", f"the record nests {depth} levels deep")
    else:
        item = Item(
            position, None, _clip(text[pos:end]), "out_of_range", f"a value the parser refuses: {err}"
        )
    return item, end


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
        except (RecursionError, ValueError) as err:
            skipped = _unparsable(text, pos, position, err)
            if skipped is not None:
                yield skipped[0]
                pos = skipped[1]
                continue
            error = json.JSONDecodeError(f"{type(err).__name__}: {err}", text, pos)
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


def _lines(text: str) -> list[str]:
    """Physical lines, split at \\n only (keeping it): U+2028, NEL (0x85 in Latin-1) and the other
    characters ``str.splitlines`` also breaks at are text inside a field, not line ends."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _nul_or_undecodable(text: str) -> bool:
    return "\x00" in text or first_undecodable(text) is not None


def _csv_encoding_item(position: int, text: str) -> Item:
    if first_undecodable(text) is not None:
        return Item(position, None, _clip(text), "encoding", _undecodable_detail(text))
    return Item(
        position,
        None,
        _clip(text.replace("\x00", "\\x00")),
        "encoding",
        "NUL bytes in the text: is the file UTF-16 or UTF-32 without a byte-order mark?",
    )


def read_csv(text: str, has_undecodable: bool | None = None) -> Iterator[Item]:
    """Yield one Item per data record (the header row is read, not yielded).

    Records may span lines inside quotes. A record whose quotes never balance, or whose field
    count differs from the header, is quarantined by itself and reading resumes on the next line,
    so one bad row cannot swallow the rows after it. A short last line with no newline is
    ``truncated``. A record holding bytes that did not decode (or NUL bytes) is ``encoding``; a
    header holding them makes the whole file one ``encoding`` item at line 1. ``has_undecodable``
    (known from decoding) spares a search of the whole text for them.
    """
    lines = _lines(text)
    if not lines:
        return
    if _nul_or_undecodable(lines[0]):
        yield _csv_encoding_item(1, lines[0])
        return
    header = next(csv.reader([lines[0]]))
    width = len(header)
    if has_undecodable is None:
        has_undecodable = first_undecodable(text) is not None
    check = has_undecodable or "\x00" in text
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
        error = None
        fields = None
        if quotes % 2 == 0:
            try:
                fields = next(csv.reader(io.StringIO(chunk)), [])
            except csv.Error as err:
                error = f"the CSV parser refuses this record: {err}"
        if fields is not None and len(fields) == width:
            if check and _nul_or_undecodable(chunk):
                yield _csv_encoding_item(i + 1, chunk)
            else:
                yield Item(
                    i + 1, dict(zip(header, (f if f != "" else None for f in fields), strict=True)), ""
                )
            i = j + 1
            continue
        is_last = i == n - 1 and not line.endswith(("\n", "\r"))
        if check and _nul_or_undecodable(line):
            yield _csv_encoding_item(i + 1, line)
        elif error is not None:
            yield Item(i + 1, None, _clip(line), "malformed", error)
        elif is_last and (fields is None or len(fields) < width):
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
