"""Hand-made Zendesk ticket records and pages for the loader's tests."""

from __future__ import annotations

import json


def ticket(tid, updated="2026-06-01T10:00:00Z", status="open", gen=1, **extra) -> dict:
    """A valid Zendesk ticket record; ``extra`` sets or overrides any field."""
    rec = {
        "id": tid,
        "status": status,
        "priority": "high",
        "via": {"channel": "web"},
        "requester_id": 1,
        "assignee_id": None,
        "group_id": None,
        "tags": [],
        "custom_fields": [],
        "created_at": "2026-06-01T09:00:00Z",
        "updated_at": updated,
        "generated_timestamp": gen,
    }
    rec.update(extra)
    return rec


def page(records: list, key: str = "tickets", compact: bool = False) -> str:
    """One record per line (as our generator writes), or the whole page on one line (as an API sends
    it); a record given as text is written as it is."""
    body = ("," if compact else ",\n").join(r if isinstance(r, str) else json.dumps(r) for r in records)
    if compact:
        return '{"' + key + '":[' + body + '],"end_of_stream":true}'
    return '{"' + key + '": [\n' + body + '\n], "end_of_stream": true}'
