"""HubSpot CRM v3: tickets (with property history and their contact), owners and pipelines into
``hubspot/``.

Tickets are pulled in windows of ``hs_lastmodifieddate`` ``[cursor, until)``:

- the first pull lists every ticket (``GET /crm/v3/objects/tickets``, 50 a page with
  ``propertiesWithHistory``; then the archived ones) and lands those modified inside the window;
- later pulls find the tickets modified in the window with the CRM search API (sorted by
  ``hs_lastmodifieddate``, 100 a page; a search stops at 10,000 results, so when a search nears
  that cap it starts again from the last modification time it reached, the ids seen at that
  millisecond travel with the progress) and read each one with its history and contact
  association (search returns neither); deleted (archived) tickets come from the archived list.

Only records whose ``updatedAt`` falls inside the window are landed (one modified while the pull
ran belongs to the next window), so consecutive pulls neither overlap nor leave a gap. Search
requests are paced to the search API's own per-second limit as well as the account's.
"""

from __future__ import annotations

import csv
import logging
from typing import Any

from escalations.config import SEEDS_DIR
from escalations.extract.base import Extractor, epoch_ms
from escalations.extract.http import ApiClient, ExtractError
from escalations.extract.landing import render_json_page

log = logging.getLogger("escalations.extract")
SEARCH_CAP = 10_000
STANDARD_PROPERTIES = (
    "subject", "content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority", "hs_ticket_category",
    "source_type", "createdate", "closed_date", "first_agent_reply_date", "time_to_close",
    "time_to_first_agent_reply", "hubspot_owner_id", "hs_lastmodifieddate", "hs_object_id",
)  # fmt: skip
HISTORY = ("hs_pipeline_stage", "hubspot_owner_id")


def ticket_properties() -> tuple[str, ...]:
    """Standard properties staging reads plus the custom ones the account's mapping names."""
    with open(SEEDS_DIR / "map_custom_fields.csv", newline="", encoding="utf-8") as fh:
        custom = [r["field_ref"] for r in csv.DictReader(fh) if r["source_system"] == "hubspot"]
    return tuple(dict.fromkeys([*STANDARD_PROPERTIES, *custom]))


def _ms(record: dict) -> int | None:
    return epoch_ms(record.get("updatedAt"))


class HubspotExtractor(Extractor):
    NAME = "hubspot"
    STREAMS = ("pipelines", "owners", "tickets")
    DEFAULT_PAGE_SIZE = 100

    def connect(self) -> ApiClient:
        token = self.cfg.credentials["ACCESS_TOKEN"]
        self.search_cap = int(self.cfg.options.get("search_cap", SEARCH_CAP))
        return ApiClient(self.cfg, self.settings, headers={"Authorization": f"Bearer {token}"})

    def pull_pipelines(self) -> None:
        page = self.client.json("GET", "/crm/v3/pipelines/tickets", stream="pipelines")
        results = page.get("results") or []
        self.landing.commit_document(
            "pipelines", "hubspot/pipelines.json", render_json_page("results", results), len(results)
        )

    def pull_owners(self) -> None:
        owners: list[dict] = []
        params: dict[str, Any] = {"limit": 100}
        while True:
            page = self.client.json("GET", "/crm/v3/owners", params=params, stream="owners")
            owners.extend(page.get("results") or [])
            after = ((page.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                break
            params = {"limit": 100, "after": after}
        data = render_json_page("results", owners, {"paging": None})
        self.landing.commit_document("owners", "hubspot/owners.json", data, len(owners))

    # ---- tickets -----------------------------------------------------------------------------
    def _read_params(self) -> dict:
        return {
            "properties": ",".join(ticket_properties()),
            "propertiesWithHistory": ",".join(HISTORY),
            "associations": "contacts",
        }

    def _in_window(self, records: list[dict], progress: dict) -> list[dict]:
        lo, hi = progress["start"] * 1000, progress["until"] * 1000
        return [r for r in records if (m := _ms(r)) is not None and lo <= m < hi]

    def _land(self, records: list[dict], progress: dict | None, done: bool) -> None:
        state = {"cursor": progress["until"], "progress": None} if done else {"progress": progress}
        if records:
            data = render_json_page("results", records, {"paging": None})
            self.page("tickets", "tickets", "json", data, len(records), **state)
        else:
            self.landing.commit("tickets", **state)

    def pull_tickets(self) -> None:
        progress = self.landing.progress("tickets")
        if progress is None:
            first = self.landing.cursor("tickets") is None
            progress = {
                "start": self.start("tickets"),
                "until": self.now(),
                "phase": "list" if first else "search",
                "after": None,
                "lo": None,
                "seen": [],
            }
            self.landing.commit("tickets", progress=progress)
        if progress["phase"] == "list":
            progress = self._list(progress, archived=False, next_phase="archived")
        elif progress["phase"] == "search":
            progress = self._search(progress)
        if progress["phase"] == "archived":
            self._list(progress, archived=True, next_phase=None)

    def _list(self, progress: dict, archived: bool, next_phase: str | None) -> dict:
        """Every (archived) ticket, 50 a page with history; lands those modified in the window."""
        while True:
            params = {
                **self._read_params(),
                "limit": min(self.page_size, 50),
                "archived": str(archived).lower(),
            }
            if progress["after"]:
                params["after"] = progress["after"]
            page = self.client.json(
                "GET", "/crm/v3/objects/tickets", params=params, stream="tickets", cursor=progress
            )
            after = ((page.get("paging") or {}).get("next") or {}).get("after")
            records = self._in_window(page.get("results") or [], progress)
            if after:
                progress = {**progress, "after": after}
                self._land(records, progress, done=False)
                continue
            if next_phase is None:
                self._land(records, progress, done=True)
                return progress
            progress = {**progress, "phase": next_phase, "after": None}
            self._land(records, progress, done=False)
            return progress

    def _search(self, progress: dict) -> dict:
        limit = min(self.page_size, 100)
        while True:
            lo = progress["lo"] if progress["lo"] is not None else progress["start"] * 1000
            body = {
                "filterGroups": [
                    {
                        "filters": [
                            {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": str(lo)},
                            {
                                "propertyName": "hs_lastmodifieddate",
                                "operator": "LT",
                                "value": str(progress["until"] * 1000),
                            },
                        ]
                    }
                ],
                "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
                "properties": ["hs_lastmodifieddate"],
                "limit": limit,
            }
            if progress["after"]:
                body["after"] = progress["after"]
            page = self.client.json(
                "POST", "/crm/v3/objects/tickets/search", json=body, stream="tickets", cursor=progress,
                buckets=("api", "search"),
            )  # fmt: skip
            hits = page.get("results") or []
            seen = set(progress["seen"])
            ids = [h["id"] for h in hits if h.get("id") not in seen]
            records = [r for r in (self._read(i, progress) for i in ids) if r is not None]
            after = ((page.get("paging") or {}).get("next") or {}).get("after")
            if after and int(after) + limit > self.search_cap:
                # the search stops at its cap: start a new one from the last modification time reached
                last = max(self._hit_ms(h) for h in hits)
                at_last = [h["id"] for h in hits if self._hit_ms(h) == last]
                seen_next = sorted(set(at_last) | (seen if last == lo else set()))
                if last == lo and not ids:
                    raise ExtractError(
                        f"hubspot/tickets: more than {self.search_cap} tickets share one modification "
                        f"millisecond ({lo}); the search cannot page past them"
                    )
                progress = {**progress, "lo": last, "after": None, "seen": seen_next}
                self._land(self._in_window(records, progress), progress, done=False)
                continue
            if after:
                progress = {**progress, "after": after}
                self._land(self._in_window(records, progress), progress, done=False)
                continue
            progress = {**progress, "phase": "archived", "after": None, "lo": None, "seen": []}
            self._land(self._in_window(records, progress), progress, done=False)
            return progress

    @staticmethod
    def _hit_ms(hit: dict) -> int:
        value = str((hit.get("properties") or {}).get("hs_lastmodifieddate") or "")
        return int(value) if value.isdigit() else epoch_ms(value) or 0

    def _read(self, ticket_id: str, progress: dict) -> dict | None:
        response = self.client.request(
            "GET", f"/crm/v3/objects/tickets/{ticket_id}", params=self._read_params(), stream="tickets",
            cursor=progress, ok=(404,),
        )  # fmt: skip
        if response.status_code == 404:
            return None  # archived since the search: the archived list brings it
        return response.json()
