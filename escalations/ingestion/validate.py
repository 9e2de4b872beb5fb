"""Decide whether one parsed record is usable, and pull out its id and version.

``canonical`` turns a parsed record into the JSON text stored in ``raw`` or says why it cannot be
stored (nested too deep, an integer beyond 64 bits, NaN, undecodable text, too large); ``validate``
checks what the table's spec asks (id, types, timestamps with a zone and inside the plausible
window). Both raise ``Rejected`` with a quarantine reason of docs/raw_layer.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson

from escalations.ingestion.files import visible
from escalations.ingestion.readers import NonFinite
from escalations.ingestion.settings import PlausibleWindow
from escalations.ingestion.specs import TableSpec, known_values

# The deepest nesting a record may have, counting the record itself as level 1: orjson, which
# writes the canonical JSON, stops at 254 (vendor records nest about 6 levels).
MAX_DEPTH = 254
INT64 = (-(2**63), 2**63 - 1)  # the warehouse's BIGINT
# a run of 19 digits can be an integer beyond BIGINT: pages holding one get every record checked
_DIGITS_AS_NINES = bytes(0x39 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_NINETEEN_DIGITS = b"9" * 19
_SURROGATE = re.compile("[\ud800-\udfff]")
_SHOW = 120  # characters of a value shown in a quarantine detail
_MISSING = object()
_JSON_TYPE_NAMES = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
    type(None): "null",
}


class Rejected(Exception):
    """A record that cannot be loaded; ``reason`` is a quarantine reason of docs/raw_layer.md."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass
class Accepted:
    id: str
    version_at: datetime | None
    version_seq: int | None
    unknown_enums: list[tuple[str, str]]  # (field path, value)


def show(value: Any, limit: int = _SHOW) -> str:
    """A value for a message: JSON-like, at most ``limit`` characters, safe for any nesting or size."""
    return clipped_json(value, limit)


def clipped_json(value: Any, limit: int) -> str:
    """JSON text of ``value`` cut at ``limit`` characters, without recursion (any depth) and
    without failing (big integers, NaN, undecodable text are written as they are)."""
    out: list[str] = []
    size = 0
    stack: list[Any] = [value]
    while stack and size <= limit:
        item = stack.pop()
        if isinstance(item, _Raw):
            piece = item.text
        elif isinstance(item, dict):
            entries: list[Any] = []
            for i, (k, v) in enumerate(item.items()):
                entries += [_Raw(", " if i else ""), _Raw(orjson_str(k) + ": "), v]
            stack += [_Raw("}"), *reversed(entries)]
            piece = "{"
        elif isinstance(item, list):
            entries = []
            for i, v in enumerate(item):
                entries += [_Raw(", " if i else ""), v]
            stack += [_Raw("]"), *reversed(entries)]
            piece = "["
        elif isinstance(item, str):
            piece = orjson_str(item)
        elif item is None or isinstance(item, bool):
            piece = {None: "null", True: "true", False: "false"}[item]
        elif isinstance(item, int):
            piece = str(item) if item.bit_length() < 4000 else f"<integer of {item.bit_length()} bits>"
        else:
            piece = repr(item)
        out.append(piece)
        size += len(piece)
    text = visible("".join(out))
    return text if len(text) <= limit and not stack else text[:limit] + "...[clipped]"


class _Raw:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def orjson_str(text: str) -> str:
    try:
        return orjson.dumps(text).decode()
    except TypeError:  # lone surrogates (undecodable bytes): shown as \xNN by ``visible``
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _child_path(path: str, key: Any, depth: int) -> str:
    if depth > 4:
        return path if path.endswith("...") else path + "..."
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def diagnose(record: Any, limit_depth: int = MAX_DEPTH) -> Rejected | None:
    """Why ``record`` cannot be stored as it is, or None: walked without recursion."""
    stack: list[tuple[Any, str, int]] = [(record, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit_depth:
                where = f" at {path}" if path else ""
                return Rejected("too_deep", f"the record nests more than {limit_depth} levels deep{where}")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in items:
                if isinstance(key, str) and (_SURROGATE.search(key) or "\x00" in key):
                    return Rejected("encoding", f"a field name is not valid text: {show(key)}")
                stack.append((child, _child_path(path, key, depth), depth + 1))
        elif isinstance(value, bool) or value is None or isinstance(value, float):
            continue
        elif isinstance(value, int):
            if not INT64[0] <= value <= INT64[1]:
                return Rejected(
                    "out_of_range",
                    f"{path or 'the record'} = {show(value, 60)} is beyond the 64-bit integer range",
                )
        elif isinstance(value, str):
            if _SURROGATE.search(value):
                return Rejected(
                    "encoding",
                    f"{path or 'the record'} holds bytes that do not decode (or a lone surrogate escape): "
                    f"{show(value)}",
                )
            if "\x00" in value:
                return Rejected(
                    "encoding",
                    f"{path or 'the record'} holds a NUL character (U+0000), which no engine's text "
                    f"keeps (Postgres refuses it): {show(value.replace(chr(0), '<NUL>'))}",
                )
        elif isinstance(value, NonFinite):
            return Rejected(
                "malformed", f"{path or 'the record'} is {value.text}, which is not a JSON number"
            )
        else:
            return Rejected("wrong_type", f"{path or 'the record'} holds a {type(value).__name__}")
    return None


def may_hold_big_integers(text: bytes) -> bool:
    """True when ``text`` (UTF-8 or ASCII JSON) has a run of 19 digits: an integer beyond BIGINT
    needs one. A bytes translation, several times faster than a regular expression."""
    return _NINETEEN_DIGITS in text.translate(_DIGITS_AS_NINES)


def canonical(record: Any, max_bytes: int, check_numbers: bool = False) -> str:
    """The record as canonical JSON (sorted keys): what ``raw`` stores and hashes.

    ``check_numbers`` walks the record for integers beyond BIGINT (the serializer itself only
    refuses those beyond 64 unsigned bits); the loader asks for it on pages where
    ``may_hold_big_integers``, so ordinary pages pay nothing."""
    try:
        data = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
    except TypeError as exc:
        raise diagnose(record) or Rejected(
            "unexpected_error", f"cannot write the record as JSON: {exc}"
        ) from None
    # a NUL character serializes as \u0000 (a text spelling it, backslash and all, as \\u0000,
    # which holds the same bytes): only then is the record walked, to say which field holds one
    if check_numbers or b"\\u0000" in data:
        problem = diagnose(record)
        if problem is not None:
            raise problem
    if len(data) > max_bytes:
        raise Rejected(
            "too_large",
            f"the record is {len(data):,} bytes as JSON, more than ESCALATIONS_MAX_RECORD_BYTES ({max_bytes:,})",
        )
    return data.decode()


def get_path(record: dict, path: str) -> Any:
    cur: Any = record
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return _MISSING
        cur = cur[part]
    return cur


def iter_path(record: Any, path: str) -> Iterator[tuple[str, Any]]:
    """(concrete path, value) for every value at ``path``: dotted keys, ``[]`` for every element
    of a list and ``*`` for every value of an object (``propertiesWithHistory.*[].timestamp``)."""
    level: list[tuple[str, Any]] = [("", record)]
    for part in path.split("."):
        each = part.endswith("[]")
        key = part[:-2] if each else part
        nxt: list[tuple[str, Any]] = []
        for where, cur in level:
            if not isinstance(cur, dict):
                continue
            pairs = cur.items() if key == "*" else ([(key, cur[key])] if key in cur else [])
            for k, v in pairs:
                here = f"{where}.{k}" if where else str(k)
                if each:
                    if isinstance(v, list):
                        nxt += [(f"{here}[{i}]", e) for i, e in enumerate(v)]
                else:
                    nxt.append((here, v))
        level = nxt
    return iter(level)


def parse_zoned(value: Any, path: str, window: PlausibleWindow | None = None) -> datetime:
    """Parse an ISO-8601 timestamp that must carry a zone (Z, +00:00 or +0000) and, given a
    window, lie inside it."""
    if not isinstance(value, str):
        raise Rejected(
            "wrong_type", f"{path} should be an ISO-8601 string, got {_type_name(value)} {show(value)}"
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Rejected("bad_timestamp", f"{path} is not an ISO-8601 timestamp: {show(value)}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise Rejected(
            "timestamp_without_zone",
            f"{path} has no time zone: {show(value)} (the export must say Z or an offset; the local zone is unknowable)",
        )
    if window is not None and not window.contains(parsed):
        raise Rejected("out_of_range", f"{path} = {show(value)} is outside {window.describe()}")
    return parsed


def parse_date(value: Any, path: str, window: PlausibleWindow | None = None) -> date:
    """Parse an ISO-8601 calendar date (2026-12-25) that, given a window, lies inside it."""
    if not isinstance(value, str):
        raise Rejected(
            "wrong_type", f"{path} should be an ISO-8601 date, got {_type_name(value)} {show(value)}"
        )
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise Rejected("bad_timestamp", f"{path} is not an ISO-8601 date: {show(value)}") from None
    if window is not None and not window.contains_date(parsed):
        raise Rejected("out_of_range", f"{path} = {show(value)} is outside {window.describe()}")
    return parsed


def parse_local(value: Any, path: str) -> datetime:
    """Parse a wall time whose zone is account configuration (``2026-06-03 09:14:02``)."""
    if not isinstance(value, str):
        raise Rejected("wrong_type", f"{path} should be a local time, got {_type_name(value)} {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Rejected("bad_timestamp", f"{path} is not a time: {value!r}") from None
    if parsed.tzinfo is not None:
        raise Rejected(
            "bad_timestamp",
            f"{path} carries a zone: {value!r} (this export writes the local time of the system that "
            "recorded it; its zone comes from the account's configuration)",
        )
    return parsed


def _type_name(value: Any) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _check_type(value: Any, expected: type | tuple[type, ...], path: str) -> None:
    expected_t = expected if isinstance(expected, tuple) else (expected,)
    # bool is an int in Python but not in JSON
    ok = isinstance(value, expected_t) and not (isinstance(value, bool) and bool not in expected_t)
    if not ok:
        names = "/".join(_JSON_TYPE_NAMES.get(t, t.__name__) for t in expected_t)
        raise Rejected("wrong_type", f"{path} should be {names}, got {_type_name(value)} {show(value)}")


def _present(value: Any) -> bool:
    return value is not _MISSING and value is not None and value != ""


def validate(spec: TableSpec, record: Any, window: PlausibleWindow | None = None) -> Accepted:
    """Check one parsed record against its table's spec; timestamps and dates must lie inside
    ``window`` when one is given."""
    if not isinstance(record, dict):
        raise Rejected("not_an_object", f"expected a record object, got {_type_name(record)}")

    if spec.id_fields:
        parts = [get_path(record, path) for path in spec.id_fields]
        if any(p is _MISSING or p is None or p == "" for p in parts):
            raise Rejected("missing_id", f"record has no {' + '.join(spec.id_fields)} (its id)")
        raw_id = ":".join(str(p) for p in parts)
    else:
        raw_id = get_path(record, spec.id_field)
    if raw_id is _MISSING or raw_id is None or raw_id == "":
        raise Rejected("missing_id", f"record has no {spec.id_field}")
    if spec.id_type is int:
        _check_type(raw_id, int, spec.id_field)
    elif not isinstance(raw_id, str):
        raise Rejected(
            "wrong_type", f"{spec.id_field} should be a string, got {_type_name(raw_id)} {show(raw_id)}"
        )
    record_id = str(raw_id)

    if spec.created_field is not None:
        created = get_path(record, spec.created_field)
        if created is _MISSING or created is None or created == "":
            raise Rejected("missing_created_at", f"record {record_id} has no {spec.created_field}")

    parsed: dict[str, datetime] = {}
    for path in spec.timestamp_fields:
        if "[]" in path or "*" in path:
            for where, value in iter_path(record, path):
                if _present(value):
                    parse_zoned(value, where, window)
            continue
        value = get_path(record, path)
        if not _present(value):
            continue
        parsed[path] = parse_zoned(value, path, window)
    for path in spec.date_fields:
        for where, value in iter_path(record, path):
            if _present(value):
                parse_date(value, where, window)

    for path, expected in spec.types.items():
        value = get_path(record, path)
        if value is not _MISSING:
            _check_type(value, expected, path)

    for column in spec.integers:
        value = record.get(column)
        if value is not None and not (value.isascii() and value.isdigit()):
            raise Rejected("wrong_type", f"{column} should be a whole number, got {value!r}")

    for path in spec.local_timestamp_fields:
        value = get_path(record, path)
        if value is not _MISSING and value not in (None, ""):
            parse_local(value, path)

    for column in spec.booleans:
        value = record.get(column)
        if value is not None and value not in ("true", "false"):
            raise Rejected("wrong_type", f"{column} should be true or false, got {show(value)}")

    version_at = None
    if spec.version_field is not None:
        version_at = parsed.get(spec.version_field)
        if version_at is None:
            value = get_path(record, spec.version_field)
            if value is not _MISSING and value not in (None, ""):
                version_at = parse_zoned(value, spec.version_field, window)
    version_seq = None
    if spec.seq_field is not None:
        seq = get_path(record, spec.seq_field)
        version_seq = seq if isinstance(seq, int) and not isinstance(seq, bool) else None

    unknown: list[tuple[str, str]] = []
    for enum in spec.enums:
        value = get_path(record, enum.path)
        if value is _MISSING or value is None or value == "":
            continue
        if str(value) not in known_values(enum.seed, enum.source_system) and str(value) not in enum.extra:
            unknown.append((enum.path, str(value)))
    return Accepted(record_id, version_at, version_seq, unknown)
