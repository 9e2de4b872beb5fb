"""Decide whether one parsed record is usable, and pull out its id and version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escalations.ingestion.specs import TableSpec, known_values

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


def get_path(record: dict, path: str) -> Any:
    cur: Any = record
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return _MISSING
        cur = cur[part]
    return cur


def parse_zoned(value: Any, path: str) -> datetime:
    """Parse an ISO-8601 timestamp that must carry a zone (Z, +00:00 or +0000)."""
    if not isinstance(value, str):
        raise Rejected(
            "wrong_type", f"{path} should be an ISO-8601 string, got {_type_name(value)} {value!r}"
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Rejected("bad_timestamp", f"{path} is not an ISO-8601 timestamp: {value!r}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise Rejected(
            "timestamp_without_zone",
            f"{path} has no time zone: {value!r} (the export must say Z or an offset; the local zone is unknowable)",
        )
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
        raise Rejected("wrong_type", f"{path} should be {names}, got {_type_name(value)} {value!r}")


def validate(spec: TableSpec, record: Any) -> Accepted:
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
            "wrong_type", f"{spec.id_field} should be a string, got {_type_name(raw_id)} {raw_id!r}"
        )
    record_id = str(raw_id)

    if spec.created_field is not None:
        created = get_path(record, spec.created_field)
        if created is _MISSING or created is None or created == "":
            raise Rejected("missing_created_at", f"record {record_id} has no {spec.created_field}")

    parsed: dict[str, datetime] = {}
    for path in spec.timestamp_fields:
        value = get_path(record, path)
        if value is _MISSING or value is None or value == "":
            continue
        parsed[path] = parse_zoned(value, path)

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
            raise Rejected("wrong_type", f"{column} should be true or false, got {value!r}")

    version_at = None
    if spec.version_field is not None:
        version_at = parsed.get(spec.version_field)
        if version_at is None:
            value = get_path(record, spec.version_field)
            if value is not _MISSING and value not in (None, ""):
                version_at = parse_zoned(value, spec.version_field)
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
