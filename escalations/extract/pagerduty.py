"""PagerDuty REST API v2: incidents and log entries into ``pagerduty/``.

Both lists take a ``since``/``until`` range on creation time and page with ``offset``/``limit``/
``more``; PagerDuty refuses offsets past 10,000, so a range whose ``total`` is larger is split in
halves until each half fits.

- ``log_entries`` are immutable: the window ``[cursor, until)`` is pulled once.
- ``incidents`` change after they are created (acknowledged, resolved), and the list has no
  "updated since" filter. Each pull reads the incidents *created* since the cursor less
  ``ESCALATIONS_PAGERDUTY_LOOKBACK_DAYS`` (default 7) and lands those whose ``updated_at`` falls in
  ``[cursor, until)``: new ones and those that changed, each version once. An incident that
  changes more than the lookback after it was created is missed until it changes again within it.
"""

from __future__ import annotations

import logging

from escalations.extract.base import Extractor, epoch, iso
from escalations.extract.http import ApiClient, ExtractError
from escalations.extract.landing import render_json_page

log = logging.getLogger("escalations.extract")
OFFSET_CAP = 10_000
DAY = 86_400


class PagerdutyExtractor(Extractor):
    NAME = "pagerduty"
    STREAMS = ("incidents", "log_entries")
    DEFAULT_PAGE_SIZE = 100

    def connect(self) -> ApiClient:
        token = self.cfg.credentials["API_TOKEN"]
        client = ApiClient(
            self.cfg,
            self.settings,
            headers={
                "Authorization": f"Token token={token}",
                "Accept": "application/vnd.pagerduty+json;version=2",
            },
        )
        try:
            client.json("GET", "/abilities", stream="connect")  # checks the token; its Date sets "now"
        except ExtractError:
            client.close()
            raise
        self.lookback = int(self.cfg.options.get("lookback_days", 7)) * DAY
        self.offset_cap = int(self.cfg.options.get("offset_cap", OFFSET_CAP))
        return client

    def _pull(self, stream: str, key: str, lookback: int) -> None:
        progress = self.landing.progress(stream)
        if progress is None:
            start, until = self.start(stream), self.now()
            progress = {"start": start, "until": until, "ranges": [[start - lookback, until]], "offset": 0}
            self.landing.commit(stream, progress=progress)
        limit = min(self.page_size, 100)
        while progress["ranges"]:
            lo, hi = progress["ranges"][0]
            params = {
                "since": iso(lo), "until": iso(hi), "limit": limit, "offset": progress["offset"],
                "total": "true", "time_zone": "UTC",
            }  # fmt: skip
            if stream == "log_entries":
                params["is_overview"] = "false"
            page = self.client.json("GET", f"/{key}", params=params, stream=stream, cursor=progress)
            total = page.get("total")
            if (
                progress["offset"] == 0
                and isinstance(total, int)
                and total > self.offset_cap - limit
                and hi - lo > 1
            ):
                mid = lo + (hi - lo) // 2
                progress = {**progress, "ranges": [[lo, mid], [mid, hi], *progress["ranges"][1:]]}
                self.landing.commit(stream, progress=progress)
                continue
            records = page.get(key) or []
            if stream == "incidents":
                records = [
                    r
                    for r in records
                    if progress["start"] <= (epoch(r.get("updated_at")) or 0) < progress["until"]
                ]
            if page.get("more"):
                if progress["offset"] + 2 * limit > self.offset_cap:
                    raise ExtractError(
                        f"pagerduty/{stream}: {iso(lo)}..{iso(hi)} holds more than the {self.offset_cap} "
                        "records PagerDuty pages through, and cannot be split further"
                    )
                progress = {**progress, "offset": progress["offset"] + limit}
            else:
                progress = {**progress, "ranges": progress["ranges"][1:], "offset": 0}
            done = not progress["ranges"]
            state = {"cursor": progress["until"], "progress": None} if done else {"progress": progress}
            if records:
                tail = {k: v for k, v in page.items() if k != key}
                self.page(stream, key, "json", render_json_page(key, records, tail), len(records), **state)
            else:
                self.landing.commit(stream, **state)

    def pull_incidents(self) -> None:
        self._pull("incidents", "incidents", self.lookback)

    def pull_log_entries(self) -> None:
        self._pull("log_entries", "log_entries", 0)
