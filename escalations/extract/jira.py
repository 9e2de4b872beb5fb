"""Jira Cloud: the remediation project's issues with their changelog into ``jira/issues/``.

``GET /rest/api/3/search/jql`` (the enhanced search; the old ``/search`` is retired) with
``project = KEY AND updated >= "from" AND updated < "to" ORDER BY updated ASC``,
``expand=changelog`` and the fields staging reads (the custom fields come from
``seeds/map_custom_fields.csv``), paged by ``nextPageToken`` until ``isLast``. JQL compares times
to the minute in the API user's own time zone (``/myself``), so windows run from minute to minute
in that zone and the next window starts where the last one ended. An issue whose changelog is
longer than the search returns gets the rest from ``/rest/api/3/issue/{id}/changelog``. The
project is small (plans and their actions), so the first pull reads it from the beginning.
"""

from __future__ import annotations

import csv
import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from escalations.config import SEEDS_DIR
from escalations.extract.base import Extractor
from escalations.extract.http import ApiClient, ExtractError
from escalations.extract.landing import render_json_page

log = logging.getLogger("escalations.extract")
STANDARD_FIELDS = (
    "summary", "status", "issuetype", "assignee", "created", "updated", "duedate", "resolutiondate",
    "labels", "issuelinks", "parent",
)  # fmt: skip


def issue_fields() -> tuple[str, ...]:
    with open(SEEDS_DIR / "map_custom_fields.csv", newline="", encoding="utf-8") as fh:
        custom = [r["field_ref"] for r in csv.DictReader(fh) if r["source_system"] == "jira"]
    return (*STANDARD_FIELDS, *custom)


def jql_time(t: int, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(t, UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")


class JiraExtractor(Extractor):
    NAME = "jira"
    STREAMS = ("issues",)
    DEFAULT_PAGE_SIZE = 100

    def connect(self) -> ApiClient:
        creds = self.cfg.credentials
        client = ApiClient(self.cfg, self.settings, auth=httpx.BasicAuth(creds["EMAIL"], creds["API_TOKEN"]))
        try:
            me = client.json("GET", "/rest/api/3/myself", stream="connect")
            try:
                self.zone = ZoneInfo(me.get("timeZone") or "UTC")
            except (ZoneInfoNotFoundError, ValueError):
                raise ExtractError(
                    f"jira: the API user's time zone {me.get('timeZone')!r} is unknown"
                ) from None
        except ExtractError:
            client.close()
            raise
        self.project = self.cfg.options.get("project", "REM")
        return client

    def pull_issues(self) -> None:
        stream = "issues"
        progress = self.landing.progress(stream)
        if progress is None:
            # the remediation project is small and a plan opened long ago still matters: the first
            # pull starts at the beginning
            start = self.start(stream, beginning=True) // 60 * 60
            progress = {"start": start, "until": self.now() // 60 * 60, "token": None}
            self.landing.commit(stream, progress=progress)
        jql = (
            f'project = "{self.project}" AND updated >= "{jql_time(progress["start"], self.zone)}" '
            f'AND updated < "{jql_time(progress["until"], self.zone)}" ORDER BY updated ASC, key ASC'
        )
        while True:
            params = {
                "jql": jql, "fields": ",".join(issue_fields()), "expand": "changelog",
                "maxResults": min(self.page_size, 100),
            }  # fmt: skip
            if progress["token"]:
                params["nextPageToken"] = progress["token"]
            page = self.client.json(
                "GET", "/rest/api/3/search/jql", params=params, stream=stream, cursor=progress
            )
            issues = page.get("issues") or []
            for issue in issues:
                self._complete_changelog(issue, progress)
            token = page.get("nextPageToken")
            done = page.get("isLast", token is None) or not token
            state = (
                {"cursor": progress["until"], "progress": None}
                if done
                else {"progress": {**progress, "token": token}}
            )
            if issues:
                tail = {k: v for k, v in page.items() if k != "issues"}
                self.page(
                    stream, stream, "json", render_json_page("issues", issues, tail), len(issues), **state
                )
            else:
                self.landing.commit(stream, **state)
            if done:
                return
            progress = state["progress"]

    def _complete_changelog(self, issue: dict, progress: dict) -> None:
        log_ = issue.get("changelog") or {}
        histories = log_.get("histories") or []
        total = log_.get("total")
        if not isinstance(total, int) or total <= len(histories):
            return
        values: list[dict] = []
        start = 0
        while True:
            page = self.client.json(
                "GET", f"/rest/api/3/issue/{issue['id']}/changelog", params={"startAt": start, "maxResults": 100},
                stream="issues", cursor=progress,
            )  # fmt: skip
            values.extend(page.get("values") or [])
            if page.get("isLast", True) or not page.get("values"):
                break
            start += len(page["values"])
        issue["changelog"] = {**log_, "histories": values, "maxResults": len(values), "startAt": 0}
