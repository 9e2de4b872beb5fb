"""Salesforce Service Cloud: Bulk API 2.0 query jobs into ``salesforce/`` as CSV parts.

Each object is one ``queryAll`` job (deleted and archived rows included, ``IsDeleted`` says which),
``SELECT <fields> FROM <object> WHERE <stamp> >= <cursor> AND <stamp> < <until>``, where ``until``
is the org's clock less the safety lag: consecutive windows neither overlap nor leave a gap.
``Case`` and ``CaseMilestone`` are windowed on ``SystemModstamp``, ``CaseHistory`` (immutable) on
``CreatedDate``. Bulk API 2.0 takes no ``ORDER BY`` (it would disable PK chunking), so windows
rather than ordering make the cursor exact. Results come in pages (``maxRecords``, the
``Sforce-Locator`` header); each page is one CSV part with its header row, landed as it came. The
job id and locator are saved with every page, so a killed pull resumes on the same job.

``BusinessHours``, ``Holiday`` and ``User`` are small reference lists pulled whole and rewritten
when they change. The fields asked for are the ones the loader and staging read, less any the org
does not have (``describe`` says; a missing one is logged once): the custom fields of ``Case``
come from ``seeds/map_custom_fields.csv``. Every REST response carries ``Sforce-Limit-Info``
(``api-usage=used/limit`` per 24 hours), which the run reports.
"""

from __future__ import annotations

import csv
import logging
import re

from escalations.config import SEEDS_DIR
from escalations.extract.base import Extractor, iso
from escalations.extract.http import ApiClient, ExtractError

log = logging.getLogger("escalations.extract")
DEFAULT_API_VERSION = "64.0"

CASE_FIELDS = (
    "Id", "CaseNumber", "Status", "Priority", "Origin", "Reason", "Type", "Subject", "IsEscalated", "IsClosed",
    "ClosedDate", "CreatedDate", "OwnerId", "ContactId", "BusinessHoursId", "EntitlementId", "LastModifiedDate",
    "SystemModstamp", "IsDeleted",
    # the request's text and the web-to-case contact (redacted before any mart sees them)
    "Description", "SuppliedName", "SuppliedEmail", "SuppliedPhone",
)  # fmt: skip
HISTORY_FIELDS = (
    "Id",
    "CaseId",
    "Field",
    "DataType",
    "OldValue",
    "NewValue",
    "CreatedDate",
    "CreatedById",
    "IsDeleted",
)
MILESTONE_FIELDS = (
    "Id", "CaseId", "MilestoneTypeId", "StartDate", "TargetDate", "CompletionDate", "IsCompleted", "IsViolated",
    "ElapsedTimeInMins", "StoppedTimeInMins", "ActualElapsedTimeInMins", "TargetResponseInMins", "BusinessHoursId",
    "SystemModstamp",
)  # fmt: skip
DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
# SystemModstamp orders a record's versions in the loader (escalations/ingestion/specs.py); the guard
# tests/test_extract_fields.py checks these lists against everything the warehouse reads
BH_FIELDS = ("Id", "Name", "IsDefault", "IsActive", "TimeZoneSidKey", "SystemModstamp") + tuple(
    f"{d}{k}" for d in DAYS for k in ("StartTime", "EndTime")
)
# BusinessHoursId is not a standard Holiday field: an org that links holidays to business hours
# with its own field adds it; describe drops it where the org has none
HOLIDAY_FIELDS = (
    "Id", "Name", "ActivityDate", "IsAllDay", "StartTimeInMinutes", "EndTimeInMinutes", "IsRecurrence",
    # a recurring holiday's rule (docs/sla.md: recurring and partial-day holidays)
    "RecurrenceType", "RecurrenceStartDate", "RecurrenceEndDateOnly", "RecurrenceInterval", "RecurrenceDayOfWeekMask",
    "RecurrenceDayOfMonth", "RecurrenceInstance", "RecurrenceMonthOfYear", "BusinessHoursId", "SystemModstamp",
)  # fmt: skip
USER_FIELDS = ("Id", "Name", "Email", "Department", "IsActive", "UserType", "SystemModstamp")

# stream -> (object, fields, field the window is on; None: the whole list, one file)
OBJECTS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "BusinessHours": ("BusinessHours", BH_FIELDS, None),
    "Holiday": ("Holiday", HOLIDAY_FIELDS, None),
    "User": ("User", USER_FIELDS, None),
    "Case": ("Case", CASE_FIELDS, "SystemModstamp"),
    "CaseHistory": ("CaseHistory", HISTORY_FIELDS, "CreatedDate"),
    "CaseMilestone": ("CaseMilestone", MILESTONE_FIELDS, "SystemModstamp"),
}


def case_custom_fields() -> tuple[str, ...]:
    """The Case custom fields the account's mapping names (``seeds/map_custom_fields.csv``)."""
    with open(SEEDS_DIR / "map_custom_fields.csv", newline="", encoding="utf-8") as fh:
        return tuple(r["field_ref"] for r in csv.DictReader(fh) if r["source_system"] == "salesforce")


def _soql_time(t: int) -> str:
    return iso(t)  # SOQL dateTime literals are unquoted ISO-8601 with a zone


class SalesforceExtractor(Extractor):
    NAME = "salesforce"
    STREAMS = tuple(OBJECTS)
    DEFAULT_PAGE_SIZE = 50_000

    def connect(self) -> ApiClient:
        creds = self.cfg.credentials
        self.version = self.cfg.options.get("api_version", DEFAULT_API_VERSION)
        if "ACCESS_TOKEN" in creds:
            token, instance = creds["ACCESS_TOKEN"], self.cfg.base_url
        else:
            login = ApiClient(self.cfg, self.settings)
            try:
                grant = login.json(
                    "POST", "/services/oauth2/token", stream="login", data={
                        "grant_type": "client_credentials",
                        "client_id": creds["CLIENT_ID"],
                        "client_secret": creds["CLIENT_SECRET"],
                    },
                )  # fmt: skip
            finally:
                login.close()
            token, instance = grant.get("access_token"), grant.get("instance_url") or self.cfg.base_url
            if not token:
                raise ExtractError("salesforce/login: the token endpoint answered without an access_token")
        cfg = type(self.cfg)(self.cfg.name, instance, self.cfg.credentials, self.cfg.limits, self.cfg.options)
        client = ApiClient(cfg, self.settings, headers={"Authorization": f"Bearer {token}"})
        client.extra_secrets.append(token)
        return client

    @property
    def api(self) -> str:
        return f"/services/data/v{self.version}"

    def api_usage(self) -> str | None:
        header = self.client.last_headers.get("Sforce-Limit-Info", "") if self.client else ""
        m = re.search(r"api-usage=(\d+)/(\d+)", header)
        if not m:
            return None
        used, limit = int(m.group(1)), int(m.group(2))
        share = used / limit if limit else 0
        (log.warning if share >= 0.8 else log.info)(
            "salesforce: %d of the org's %d daily API requests used (%.0f%%)", used, limit, 100 * share
        )
        return f"{used}/{limit}"

    def _fields(self, stream: str, obj: str, wanted: tuple[str, ...]) -> tuple[str, ...]:
        describe = self.client.json("GET", f"{self.api}/sobjects/{obj}/describe", stream=stream)
        have = {f["name"] for f in describe.get("fields") or []}
        fields = tuple(f for f in wanted if f in have)
        missing = [f for f in wanted if f not in have]
        if missing:
            log.info("salesforce/%s: the org has no field(s) %s; not asked for", stream, ", ".join(missing))
        return fields

    def pull(self, stream: str) -> None:
        obj, fields, stamp = OBJECTS[stream]
        if stream == "Case":
            fields = fields + case_custom_fields()
        progress = self.landing.progress(stream)
        if progress is None:
            fields = self._fields(stream, obj, fields)
            soql = f"SELECT {', '.join(fields)} FROM {obj}"
            until = None
            if stamp is not None:
                start, until = self.start(stream), self.now()
                soql += f" WHERE {stamp} >= {_soql_time(start)} AND {stamp} < {_soql_time(until)}"
            job = self.client.json(
                "POST", f"{self.api}/jobs/query", stream=stream, cursor=self.landing.cursor(stream),
                json={"operation": "queryAll", "query": soql, "contentType": "CSV", "lineEnding": "LF"},
            )  # fmt: skip
            progress = {"job": job["id"], "until": until, "locator": None}
            self.landing.commit(stream, progress=progress)
        self._wait(stream, progress)
        if stamp is None:
            self._whole_list(stream, progress)
        else:
            self._windowed(stream, progress)

    def _wait(self, stream: str, progress: dict) -> None:
        while True:
            job = self.client.json(
                "GET", f"{self.api}/jobs/query/{progress['job']}", stream=stream, cursor=progress
            )
            state = job.get("state")
            if state == "JobComplete":
                return
            if state in ("Failed", "Aborted"):
                self.landing.commit(stream, progress=None)  # the next run starts a new job
                raise ExtractError(
                    f"salesforce/{stream}: Bulk query job {progress['job']} {state}: {job.get('errorMessage')}"
                )
            self.client.sleep(self.settings.poll)

    def _results(self, stream: str, progress: dict, locator: str | None):
        params = {"maxRecords": self.page_size}
        if locator:
            params["locator"] = locator
        response = self.client.request(
            "GET", f"{self.api}/jobs/query/{progress['job']}/results", params=params, stream=stream,
            cursor=progress, headers={"Accept": "text/csv"},
        )  # fmt: skip
        nxt = response.headers.get("Sforce-Locator")
        count = response.headers.get("Sforce-NumberOfRecords")
        n = int(count) if count and count.isdigit() else max(0, response.content.count(b"\n") - 1)
        return response.content, n, None if nxt in (None, "", "null") else nxt

    def _windowed(self, stream: str, progress: dict) -> None:
        while True:
            data, n, nxt = self._results(stream, progress, progress["locator"])
            state = (
                {"cursor": progress["until"], "progress": None}
                if nxt is None
                else {"progress": {**progress, "locator": nxt}}
            )
            if n:
                self.page(stream, stream, "csv", data, n, **state)
            else:
                self.landing.commit(stream, **state)
            if nxt is None:
                return
            progress = state["progress"]

    def _whole_list(self, stream: str, progress: dict) -> None:
        header, rows, total, locator = None, [], 0, None
        while True:
            data, n, locator = self._results(stream, progress, locator)
            text = data.decode("utf-8")
            first, _, rest = text.partition("\n")
            header = header or first
            if first != header:
                raise ExtractError(f"salesforce/{stream}: result pages disagree on their header row")
            rows.append(rest if not rest or rest.endswith("\n") else rest + "\n")
            total += n
            if locator is None:
                break
        body = header + "\n" + "".join(rows)
        self.landing.commit_document(stream, f"salesforce/{stream}.csv", body.encode("utf-8"), total)
        self.landing.commit(stream, progress=None)
