"""Zendesk Support: incremental exports into ``zendesk/``.

- ``tickets``, ``users``: cursor-based incremental exports (``/api/v2/incremental/{tickets,users}/
  cursor.json``); the ``after_cursor`` of each page is the stream's cursor. Users start at the
  beginning of time on the first run (every agent and requester the tickets name is needed).
- ``ticket_metric_events``: time-based export (``start_time``, ``end_time``, ``end_of_stream``). A
  time-based export repeats the items of its boundary second on the next page; the ids already
  landed at that second travel with the cursor and are not landed twice.
- ``ticket_audits``: Zendesk says not to chase ``/api/v2/ticket_audits`` for changes (records get
  skipped) and to use the Incremental Ticket Event Export instead. Its items are audits without
  their comment bodies, so it serves as the index: for each page of ticket events, the audits of
  the tickets it names are read from ``/api/v2/tickets/{id}/audits`` and the audits the page lists
  are landed as one audits page. Cursor as for metric events.
- ``satisfaction_ratings``: ``start_time``/``end_time`` windows with cursor pagination.
- ``groups``, ``sla_policies``, ``schedules`` (each with its holidays): whole lists, rewritten when
  they change.

Requests to the incremental exports count against both the account's per-minute limit and the
exports' own 10 per minute.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import httpx

from escalations.extract.base import Extractor, epoch
from escalations.extract.http import ApiClient, ExtractError
from escalations.extract.landing import render_json_page

log = logging.getLogger("escalations.extract")
EXPORT = ("api", "export")


def _landed(t: int | None, audit_id, start: int, seen: set) -> bool:
    """Whether an audit at second ``t`` came before a page of events starting at ``start`` (earlier
    pages landed it)."""
    return t is not None and (t < start or (t == start and audit_id in seen))


class ZendeskExtractor(Extractor):
    NAME = "zendesk"
    STREAMS = (
        "groups",
        "sla_policies",
        "schedules",
        "users",
        "tickets",
        "ticket_metric_events",
        "ticket_audits",
        "satisfaction_ratings",
    )
    DEFAULT_PAGE_SIZE = 1000

    def connect(self) -> ApiClient:
        creds = self.cfg.credentials
        auth = httpx.BasicAuth(f"{creds['EMAIL']}/token", creds["API_TOKEN"])
        return ApiClient(self.cfg, self.settings, auth=auth)

    # ---- whole lists -----------------------------------------------------------------------
    def _cursor_list(self, stream: str, url: str, key: str, params: dict | None = None) -> list[dict]:
        """Every record of a list endpoint with cursor pagination (``page[size]``, ``links.next``)."""
        records: list[dict] = []
        params = {"page[size]": min(self.page_size, 100), **(params or {})}
        while url:
            page = self.client.json("GET", url, params=params, stream=stream)
            records.extend(page.get(key) or [])
            url = (page.get("links") or {}).get("next") if (page.get("meta") or {}).get("has_more") else None
            params = None  # the next link carries them
        return records

    def _document(self, stream: str, rel: str, key: str, records: list[dict]) -> None:
        tail = {"next_page": None, "previous_page": None, "count": len(records)}
        self.landing.commit_document(stream, rel, render_json_page(key, records, tail), len(records))

    def pull_groups(self) -> None:
        groups = self._cursor_list("groups", "/api/v2/groups.json", "groups")
        self._document("groups", "zendesk/groups.json", "groups", groups)

    def pull_sla_policies(self) -> None:
        page = self.client.json("GET", "/api/v2/slas/policies.json", stream="sla_policies")
        self._document(
            "sla_policies", "zendesk/sla_policies.json", "sla_policies", page.get("sla_policies") or []
        )

    def pull_schedules(self) -> None:
        page = self.client.json("GET", "/api/v2/business_hours/schedules.json", stream="schedules")
        schedules = page.get("schedules") or []
        for s in schedules:
            holidays = self.client.json(
                "GET", f"/api/v2/business_hours/schedules/{s['id']}/holidays.json", stream="schedules"
            )
            s["holidays"] = holidays.get("holidays") or []
        self.landing.commit_document(
            "schedules", "zendesk/schedules.json", render_json_page("schedules", schedules), len(schedules)
        )

    # ---- cursor-based incremental exports ---------------------------------------------------
    def _cursor_export(self, stream: str, resource: str, key: str, beginning: bool) -> None:
        cursor = self.landing.cursor(stream)
        params: dict[str, Any] = {"per_page": self.page_size}
        if cursor is None:
            params["start_time"] = self.start(stream, beginning=beginning)
        else:
            params["cursor"] = cursor
        while True:
            page = self.client.json(
                "GET", f"/api/v2/incremental/{resource}/cursor.json", params=params, stream=stream,
                cursor=cursor, buckets=EXPORT,
            )  # fmt: skip
            records = page.get(key) or []
            after = page.get("after_cursor") or cursor
            if records:
                tail = {k: v for k, v in page.items() if k != key}
                self.page(
                    stream, key, "json", render_json_page(key, records, tail), len(records), cursor=after
                )
            elif after != cursor:
                self.landing.commit(stream, cursor=after)
            cursor = after
            if page.get("end_of_stream") or not page.get("after_cursor"):
                return
            params = {"per_page": self.page_size, "cursor": cursor}

    def pull_users(self) -> None:
        self._cursor_export("users", "users", "users", beginning=True)

    def pull_tickets(self) -> None:
        self._cursor_export("tickets", "tickets", "tickets", beginning=False)

    # ---- time-based incremental exports ---------------------------------------------------
    def _time_export(self, stream: str, resource: str, key: str, time_of, land) -> None:
        """Pages of a time-based export from the cursor ``{start_time, seen}``; ``land(records, page,
        cursor, (start, seen))`` commits what a page newly brought with the cursor after it (``start``
        and ``seen``: where the page began and what had landed at that second)."""
        cursor = self.landing.cursor(stream) or {"start_time": self.start(stream), "seen": []}
        while True:
            start, seen = int(cursor["start_time"]), set(cursor["seen"])
            page = self.client.json(
                "GET", f"/api/v2/incremental/{resource}.json", stream=stream, cursor=cursor,
                params={"start_time": start, "per_page": self.page_size}, buckets=EXPORT,
            )  # fmt: skip
            records = page.get(key) or []
            fresh = [r for r in records if not (time_of(r) == start and r.get("id") in seen)]
            end = page.get("end_time")
            end = int(end) if end is not None else start
            if end < start:
                raise ExtractError(f"zendesk/{stream}: the export went back in time ({start} -> {end})")
            at_end = {r.get("id") for r in records if time_of(r) == end}
            if end == start:
                at_end |= seen
                if records and not fresh and not page.get("end_of_stream"):
                    # a full page of one second, all landed already: step past it
                    log.warning(
                        "zendesk/%s: a page of second %d brought nothing new; moving on", stream, start
                    )
                    end, at_end = start + 1, set()
            new_cursor = {"start_time": end, "seen": sorted(i for i in at_end if i is not None)}
            land(fresh, page, new_cursor, (start, seen))
            cursor = new_cursor
            if page.get("end_of_stream") or not page.get("next_page") or not records:
                return

    def pull_ticket_metric_events(self) -> None:
        key = "ticket_metric_events"

        def land(records, page, cursor, _began):
            tail = {k: v for k, v in page.items() if k != key}
            if records:
                tail["count"] = len(records)
                self.page(key, key, "json", render_json_page(key, records, tail), len(records), cursor=cursor)
            else:
                self.landing.commit(key, cursor=cursor)

        self._time_export(key, "ticket_metric_events", key, lambda r: epoch(r.get("time")), land)

    def pull_ticket_audits(self) -> None:
        stream = "ticket_audits"

        def time_of(event: dict) -> int | None:
            ts = event.get("timestamp")
            return int(ts) if isinstance(ts, int) else epoch(event.get("created_at"))

        # audits read for a ticket but listed by a later page of events (they are immutable), so a
        # ticket is read once per pull rather than once per page that names it; what the current
        # page lands leaves the cache, so it holds only the audits of tickets still in flight
        cache: dict[Any, dict[Any, dict]] = {}

        def land(events, page, cursor, began):
            start, seen = began
            wanted: dict[Any, set] = defaultdict(set)
            for ev in events:
                if ev.get("ticket_id") is not None and ev.get("id") is not None:
                    wanted[ev["ticket_id"]].add(ev["id"])
            audits: list[dict] = []
            gone = 0
            for ticket_id, ids in wanted.items():
                known = cache.get(ticket_id, {})
                if not ids <= known.keys():
                    found = self._ticket_audits(ticket_id, cursor)
                    if found is None:
                        gone += 1
                        continue
                    known = cache[ticket_id] = {
                        a.get("id"): a for a in found if not _landed(time_of(a), a.get("id"), start, seen)
                    }
                audits.extend(known.pop(i) for i in ids if i in known)
                if not known:
                    cache.pop(ticket_id, None)
            if gone:
                log.info(
                    "zendesk/%s: %d ticket(s) no longer exist (deleted and purged); skipped", stream, gone
                )
            audits.sort(key=lambda a: (epoch(a.get("created_at")) or 0, a.get("id") or 0))
            if audits:
                tail = {"next_page": None, "previous_page": None, "count": len(audits)}
                self.page(
                    stream,
                    stream,
                    "json",
                    render_json_page("audits", audits, tail),
                    len(audits),
                    cursor=cursor,
                )
            else:
                self.landing.commit(stream, cursor=cursor)

        self._time_export(stream, "ticket_events", "ticket_events", time_of, land)

    def _ticket_audits(self, ticket_id, cursor) -> list[dict] | None:
        url = f"/api/v2/tickets/{ticket_id}/audits.json"
        params: dict | None = {"page[size]": 100}
        audits: list[dict] = []
        while url:
            response = self.client.request(
                "GET", url, params=params, stream="ticket_audits", cursor=cursor, ok=(404,)
            )
            if response.status_code == 404:
                return None
            page = response.json()
            audits.extend(page.get("audits") or [])
            url = (page.get("links") or {}).get("next") if (page.get("meta") or {}).get("has_more") else None
            params = None
        return audits

    # ---- satisfaction ratings ----------------------------------------------------------------
    def pull_satisfaction_ratings(self) -> None:
        stream = key = "satisfaction_ratings"
        progress = self.landing.progress(stream)
        if progress is None:
            progress = {"start": self.start(stream), "until": self.now(), "next": None}
            self.landing.commit(stream, progress=progress)
        url = progress["next"] or "/api/v2/satisfaction_ratings.json"
        params = None if progress["next"] else {
            "start_time": progress["start"], "end_time": progress["until"] - 1, "page[size]": min(self.page_size, 100),
        }  # fmt: skip
        while True:
            page = self.client.json("GET", url, params=params, stream=stream, cursor=progress)
            records = page.get(key) or []
            nxt = (page.get("links") or {}).get("next") if (page.get("meta") or {}).get("has_more") else None
            done = nxt is None
            state = (
                {"cursor": progress["until"], "progress": None}
                if done
                else {"progress": {**progress, "next": nxt}}
            )
            if records:
                tail = {k: v for k, v in page.items() if k != key}
                self.page(stream, key, "json", render_json_page(key, records, tail), len(records), **state)
            else:
                self.landing.commit(stream, **state)
            if done:
                return
            progress = state["progress"]
            url, params = nxt, None
