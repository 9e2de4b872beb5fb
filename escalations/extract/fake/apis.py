"""The five APIs as the fake server answers them: the endpoints the extract calls, in the vendors'
response shapes, with their pagination, cursors, filters and limits (see each vendor's section).

Each function takes the server and one request and returns a ``Response`` or raises ``HttpError``.
"""

from __future__ import annotations

import base64
import csv
import io
import re
import secrets
from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from escalations.config import parse_instant
from escalations.extract.fake.server import HttpError, Request, Response, basic_user, bearer
from escalations.extract.fake.store import Rec

if TYPE_CHECKING:
    from escalations.extract.fake.server import FakeApis


def _token(value: Any) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode()


def _untoken(value: str | None, what: str) -> str | None:
    if not value:
        return None
    try:
        return base64.urlsafe_b64decode(value.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, {"error": f"invalid {what}"}) from None


def _offset(value: str | None, what: str = "cursor") -> int:
    raw = _untoken(value, what)
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        raise HttpError(400, {"error": f"invalid {what}"}) from None


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def _int_arg(req: Request, name: str, default: int, cap: int) -> int:
    try:
        value = int(req.arg(name, str(default)))
    except ValueError:
        raise HttpError(400, {"error": f"{name} must be an integer"}) from None
    return max(1, min(value, cap))


# ---- Zendesk ----------------------------------------------------------------------------------
def zendesk(fake: FakeApis, req: Request) -> Response:
    email, token = fake.credentials.zendesk
    if basic_user(req) != (f"{email}/token", token):
        raise HttpError(401, {"error": "Couldn't authenticate you"})
    path = req.path
    now = fake.now
    if path == "/api/v2/groups.json":
        return _zendesk_list(
            fake, req, "groups", [r.record for r in fake.store.table("zendesk_groups").latest(now).values()]
        )
    if path == "/api/v2/slas/policies.json":
        policies = [r.record for r in fake.store.table("zendesk_sla_policies").latest(now).values()]
        return Response(
            {"sla_policies": policies, "next_page": None, "previous_page": None, "count": len(policies)}
        )
    schedules = {r.record["id"]: r.record for r in fake.store.table("zendesk_schedules").latest(now).values()}
    if path == "/api/v2/business_hours/schedules.json":
        return Response(
            {"schedules": [{k: v for k, v in s.items() if k != "holidays"} for s in schedules.values()]}
        )
    m = re.fullmatch(r"/api/v2/business_hours/schedules/(\d+)/holidays\.json", path)
    if m:
        s = schedules.get(int(m.group(1)))
        if s is None:
            raise HttpError(404, {"error": "RecordNotFound"})
        return Response({"holidays": s.get("holidays") or []})
    m = re.fullmatch(r"/api/v2/incremental/(tickets|users)/cursor\.json", path)
    if m:
        return _zendesk_cursor_export(fake, req, m.group(1))
    if path == "/api/v2/incremental/ticket_metric_events.json":
        return _zendesk_time_export(
            fake, req, "zendesk_ticket_metric_events", "ticket_metric_events", lambda r: r.record
        )
    if path == "/api/v2/incremental/ticket_events.json":
        return _zendesk_time_export(fake, req, "zendesk_ticket_audits", "ticket_events", _ticket_event)
    m = re.fullmatch(r"/api/v2/tickets/(\d+)/audits\.json", path)
    if m:
        audits = _audits_by_ticket(fake).get(int(m.group(1)))
        if not audits:
            raise HttpError(404, {"error": "RecordNotFound", "description": "Not found"})
        return _zendesk_list(fake, req, "audits", [r.record for r in audits if r.visible <= now])
    if path == "/api/v2/satisfaction_ratings.json":
        start = int(req.arg("start_time", "0")) * 1000
        end = int(req.arg("end_time", str(now))) * 1000 + 999
        table = fake.store.table("zendesk_satisfaction_ratings")
        ratings = [r.record for r in table.current(now, start, end + 1)]
        return _zendesk_list(fake, req, "satisfaction_ratings", ratings)
    raise HttpError(404, {"error": "InvalidEndpoint", "description": f"Not found: {path}"})


def _zendesk_list(fake: FakeApis, req: Request, key: str, records: list[dict]) -> Response:
    """Zendesk's cursor pagination: ``page[size]`` (at most 100), ``page[after]``, ``meta``/``links``."""
    size = min(_int_arg(req, "page[size]", 100, 100), fake.page_size("zendesk", 100))
    start = _offset(req.arg("page[after]"))
    chunk = records[start : start + size]
    more = start + size < len(records)
    after = _token(start + size) if more else None
    query = {k: v[0] for k, v in req.query.items() if k != "page[after]"}
    nxt = f"{req.base}{req.path}?{urlencode({**query, 'page[after]': after})}" if more else None
    return Response(
        {
            key: chunk,
            "meta": {
                "has_more": more,
                "after_cursor": after,
                "before_cursor": _token(start) if start else None,
            },
            "links": {"next": nxt, "prev": None},
        }
    )


def _zendesk_cursor_export(fake: FakeApis, req: Request, resource: str) -> Response:
    table = fake.store.table(f"zendesk_{resource}")
    size = min(_int_arg(req, "per_page", 1000, 1000), fake.page_size("zendesk", 1000))
    cursor = _untoken(req.arg("cursor"), "cursor")
    if cursor is not None:
        key_ms, ordinal = (int(x) for x in cursor.split(":"))
    elif req.arg("start_time") is not None:
        key_ms, ordinal = int(req.arg("start_time")) * 1000 - 1, 2**62
    else:
        raise HttpError(
            400, {"error": "InvalidPaginationParameter", "description": "start_time or cursor is required"}
        )
    recs = []
    for rec in table.versions(fake.now, after=(key_ms, ordinal)):
        recs.append(rec)
        if len(recs) > size:
            break
    more = len(recs) > size
    recs = recs[:size]
    if recs:
        key_ms, ordinal = recs[-1].key_ms, recs[-1].ordinal
    after = _token(f"{key_ms}:{ordinal}")
    return Response(
        {
            resource: [r.record for r in recs],
            "after_url": f"{req.base}{req.path}?cursor={after}",
            "before_url": None,
            "after_cursor": after,
            "before_cursor": None,
            "end_of_stream": not more,
        }
    )


def _zendesk_time_export(fake: FakeApis, req: Request, table_name: str, key: str, render) -> Response:
    """A time-based export: items from ``start_time``, ``end_time`` = the last item's second (every item
    of that second included), ``next_page`` from there: the boundary second comes again."""
    table = fake.store.table(table_name)
    size = min(_int_arg(req, "per_page", 1000, 1000), fake.page_size("zendesk", 1000))
    try:
        start = int(req.arg("start_time"))
    except (TypeError, ValueError):
        raise HttpError(400, {"error": "InvalidValue", "description": "start_time is required"}) from None
    recs: list[Rec] = []
    more = False
    for rec in table.versions(fake.now, lo_ms=start * 1000):
        if len(recs) >= size and rec.key != recs[-1].key:
            more = True
            break
        recs.append(rec)
    end = recs[-1].key if recs else start
    return Response(
        {
            key: [render(r) for r in recs],
            "next_page": f"{req.base}{req.path}?start_time={end}",
            "count": len(recs),
            "end_time": end,
            "end_of_stream": not more,
        }
    )


def _ticket_event(rec: Rec) -> dict:
    audit = rec.record
    children = []
    for ev in audit.get("events") or []:
        child = {k: v for k, v in ev.items() if k not in ("body", "plain_body", "html_body", "attachments")}
        if ev.get("type") == "Comment":
            child = {"id": ev.get("id"), "comment_present": True, "comment_public": ev.get("public")}
        children.append({**child, "event_type": ev.get("type")})
    return {
        "id": audit.get("id"),
        "ticket_id": audit.get("ticket_id"),
        "timestamp": rec.key,
        "created_at": audit.get("created_at"),
        "updater_id": audit.get("author_id"),
        "via": audit.get("via"),
        "system": {},
        "metadata": audit.get("metadata") or {},
        "event_type": "Audit",
        "child_events": children,
    }


def _audits_by_ticket(fake: FakeApis) -> dict[int, list[Rec]]:
    index = fake.state.get("zendesk_audits_by_ticket")
    if index is None:
        index = defaultdict(list)
        for rec in fake.store.table("zendesk_ticket_audits").log:
            try:
                index[int(rec.record.get("ticket_id"))].append(rec)
            except (TypeError, ValueError):
                continue
        fake.state["zendesk_audits_by_ticket"] = index
    return index


# ---- Salesforce -------------------------------------------------------------------------------
_SF_TABLES = {
    "Case": "salesforce_case",
    "CaseHistory": "salesforce_case_history",
    "CaseMilestone": "salesforce_case_milestone",
    "BusinessHours": "salesforce_business_hours",
    "Holiday": "salesforce_holiday",
    "User": "salesforce_user",
}
_SF_STAMPS = {"SystemModstamp", "CreatedDate", "LastModifiedDate"}
_SOQL = re.compile(
    r"SELECT\s+(?P<fields>.+?)\s+FROM\s+(?P<obj>\w+)(?:\s+WHERE\s+(?P<where>.+))?\s*$", re.I | re.S
)
_COND = re.compile(r"(\w+)\s*(>=|<=|>|<|=)\s*(\S+)")


def salesforce(fake: FakeApis, req: Request) -> Response:
    state = fake.state.setdefault("salesforce", {"tokens": set(), "jobs": {}, "calls": 0})
    if req.path == "/services/oauth2/token":
        form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
        if (
            form.get("grant_type") != "client_credentials"
            or (form.get("client_id"), form.get("client_secret")) != fake.credentials.salesforce
        ):
            raise HttpError(
                400, {"error": "invalid_client", "error_description": "invalid client credentials"}
            )
        token = "00Dfake!" + secrets.token_urlsafe(24)
        state["tokens"].add(token)
        return Response(
            {
                "access_token": token,
                "instance_url": req.base,
                "token_type": "Bearer",
                "issued_at": str(fake.now * 1000),
            }
        )
    if bearer(req) not in state["tokens"]:
        raise HttpError(401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
    state["calls"] += 1
    limit_info = {"Sforce-Limit-Info": f"api-usage={state['calls']}/15000"}
    m = re.fullmatch(r"/services/data/v\d+\.\d+(/.*)", req.path)
    if not m:
        raise HttpError(404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}])
    path = m.group(1)
    try:
        response = _salesforce(fake, req, path, state)
    except HttpError as err:
        err.headers.update(limit_info)
        raise
    response.headers.update(limit_info)
    return response


def _salesforce(fake: FakeApis, req: Request, path: str, state: dict) -> Response:
    m = re.fullmatch(r"/sobjects/(\w+)/describe", path)
    if m:
        table = _SF_TABLES.get(m.group(1))
        if table is None:
            raise HttpError(
                404, [{"errorCode": "NOT_FOUND", "message": f"sObject type '{m.group(1)}' is not supported."}]
            )
        header = fake.store.table(table).header
        return Response({"name": m.group(1), "fields": [{"name": f} for f in header]})
    if path == "/jobs/query" and req.method == "POST":
        return _salesforce_job(fake, req.json(), state)
    m = re.fullmatch(r"/jobs/query/(\w+)(/results)?", path)
    if m:
        job = state["jobs"].get(m.group(1))
        if job is None:
            raise HttpError(404, [{"errorCode": "NOT_FOUND", "message": "Job not found"}])
        if not m.group(2):
            job["polls"] += 1
            job["state"] = "InProgress" if job["polls"] == 1 else "JobComplete"
            return Response({"id": job["id"], "operation": job["operation"], "object": job["object"], "state": job["state"],
                             "numberRecordsProcessed": len(job["rows"]), "errorMessage": None})  # fmt: skip
        if job["state"] != "JobComplete":
            raise HttpError(400, [{"errorCode": "INVALIDJOBSTATE", "message": "job is not complete"}])
        size = min(_int_arg(req, "maxRecords", 50_000, 1_000_000), fake.page_size("salesforce", 50_000))
        start = _offset(req.arg("locator"), "locator")
        rows = job["rows"][start : start + size]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(job["fields"])
        for row in rows:
            writer.writerow(["" if row.get(f) is None else row[f] for f in job["fields"]])
        nxt = _token(start + size) if start + size < len(job["rows"]) else "null"
        return Response(out.getvalue().encode(), headers={"Sforce-Locator": nxt, "Sforce-NumberOfRecords": str(len(rows))},
                        content_type="text/csv")  # fmt: skip
    raise HttpError(404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}])


def _salesforce_job(fake: FakeApis, body: dict, state: dict) -> Response:
    m = _SOQL.match(body.get("query") or "")
    if not m or body.get("operation") not in ("query", "queryAll"):
        raise HttpError(400, [{"errorCode": "INVALIDJOB", "message": "bad operation or query"}])
    obj = m.group("obj")
    table_name = _SF_TABLES.get(obj)
    if table_name is None:
        raise HttpError(
            400, [{"errorCode": "INVALID_TYPE", "message": f"sObject type '{obj}' is not supported."}]
        )
    table = fake.store.table(table_name)
    fields = [f.strip() for f in m.group("fields").split(",")]
    unknown = [f for f in fields if f not in table.header]
    if unknown:
        raise HttpError(
            400,
            [{"errorCode": "INVALID_FIELD", "message": f"No such column '{unknown[0]}' on entity '{obj}'."}],
        )
    lo = hi = None
    if m.group("where"):
        for part in re.split(r"\s+AND\s+", m.group("where").strip(), flags=re.I):
            c = _COND.fullmatch(part.strip())
            if not c or c.group(1) not in _SF_STAMPS:
                raise HttpError(
                    400, [{"errorCode": "MALFORMED_QUERY", "message": f"unsupported condition {part!r}"}]
                )
            t = round(parse_instant(c.group(3)).timestamp() * 1000)
            if c.group(2) == ">=":
                lo = t
            elif c.group(2) == "<":
                hi = t
            else:
                raise HttpError(
                    400, [{"errorCode": "MALFORMED_QUERY", "message": f"unsupported operator in {part!r}"}]
                )
    rows = [r.record for r in table.current(fake.now, lo, hi)]
    if body["operation"] == "query":
        rows = [r for r in rows if r.get("IsDeleted") != "true"]
    job_id = "750" + secrets.token_hex(6)
    state["jobs"][job_id] = {"id": job_id, "operation": body["operation"], "object": obj, "fields": fields,
                             "rows": rows, "state": "UploadComplete", "polls": 0}  # fmt: skip
    created = datetime.fromtimestamp(fake.now, UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    return Response({"id": job_id, "operation": body["operation"], "object": obj, "createdDate": created,
                     "state": "UploadComplete", "contentType": "CSV", "lineEnding": "LF"})  # fmt: skip


# ---- HubSpot ----------------------------------------------------------------------------------
_HS_DEFAULT_PROPERTIES = ("hs_object_id", "createdate", "hs_lastmodifieddate")


def hubspot(fake: FakeApis, req: Request) -> Response:
    if bearer(req) != fake.credentials.hubspot:
        raise HttpError(
            401,
            {
                "status": "error",
                "message": "Authentication credentials not found.",
                "category": "INVALID_AUTHENTICATION",
            },
        )
    now = fake.now
    path = req.path
    if path == "/crm/v3/pipelines/tickets":
        return Response(
            {"results": [r.record for r in fake.store.table("hubspot_pipelines").latest(now).values()]}
        )
    if path == "/crm/v3/owners":
        owners = [r.record for r in fake.store.table("hubspot_owners").latest(now).values()]
        return _hubspot_page(req, owners, _int_arg(req, "limit", 100, 500))
    tickets = fake.store.table("hubspot_tickets")
    if path == "/crm/v3/objects/tickets":
        archived = req.arg("archived", "false") == "true"
        cap = 50 if req.arg("propertiesWithHistory") else 100
        recs = sorted(
            (r for r in tickets.latest(now).values() if bool(r.record.get("archived")) == archived),
            key=lambda r: int(r.id) if r.id.isdigit() else 0,
        )
        page = _hubspot_page(req, recs, min(_int_arg(req, "limit", 10, cap), fake.page_size("hubspot", cap)))
        page.body["results"] = [_hubspot_project(r.record, req) for r in page.body["results"]]
        return page
    if path == "/crm/v3/objects/tickets/search" and req.method == "POST":
        return _hubspot_search(fake, req, tickets)
    m = re.fullmatch(r"/crm/v3/objects/tickets/(\d+)", path)
    if m:
        rec = tickets.latest(now).get(m.group(1))
        if rec is None or (rec.record.get("archived") and req.arg("archived") != "true"):
            raise HttpError(
                404, {"status": "error", "message": "resource not found", "category": "OBJECT_NOT_FOUND"}
            )
        return Response(_hubspot_project(rec.record, req))
    raise HttpError(404, {"status": "error", "message": f"no route {path}"})


def _hubspot_page(req: Request, records: list[dict], limit: int) -> Response:
    start = int(req.arg("after", "0") or 0)
    chunk = records[start : start + limit]
    body: dict[str, Any] = {"results": chunk}
    if start + limit < len(records):
        after = str(start + limit)
        body["paging"] = {"next": {"after": after, "link": f"{req.base}{req.path}?after={after}"}}
    return Response(body)


def _hubspot_project(record: dict, req: Request) -> dict:
    """A ticket as the API returns it for the properties, history and associations asked for."""
    wanted = set((req.arg("properties") or "").split(",")) | set(_HS_DEFAULT_PROPERTIES)
    history = [p for p in (req.arg("propertiesWithHistory") or "").split(",") if p]
    out = {
        k: v for k, v in record.items() if k not in ("properties", "propertiesWithHistory", "associations")
    }
    out["properties"] = {k: v for k, v in (record.get("properties") or {}).items() if k in wanted}
    if history:
        out["propertiesWithHistory"] = {
            k: v for k, v in (record.get("propertiesWithHistory") or {}).items() if k in history
        }
    assoc = [a for a in (req.arg("associations") or "").split(",") if a]
    if assoc and record.get("associations"):
        out["associations"] = {k: v for k, v in record["associations"].items() if k in assoc}
    return out


def _hubspot_search(fake: FakeApis, req: Request, tickets) -> Response:
    body = req.json()
    cap = int(fake.state.get("hubspot_search_cap", 10_000))
    limit = max(1, min(int(body.get("limit", 10)), 200, fake.page_size("hubspot", 200)))
    after = int(body.get("after") or 0)
    if after + limit > cap:
        raise HttpError(400, {"status": "error", "category": "VALIDATION_ERROR",
                              "message": f"There was a problem with the request. Paging beyond {cap} results is not supported."})  # fmt: skip
    lo = hi = None
    for group in body.get("filterGroups") or []:
        for f in group.get("filters") or []:
            if f.get("propertyName") != "hs_lastmodifieddate":
                raise HttpError(400, {"status": "error", "message": f"unsupported filter {f}"})
            value = int(f["value"])
            if f["operator"] == "GTE":
                lo = value
            elif f["operator"] == "LT":
                hi = value
            else:
                raise HttpError(400, {"status": "error", "message": f"unsupported operator {f['operator']}"})
    recs = [r for r in tickets.current(fake.now, lo, hi) if not r.record.get("archived")]
    chunk = recs[after : after + limit]
    props = set(body.get("properties") or []) | set(_HS_DEFAULT_PROPERTIES)
    results = [
        {
            "id": r.id,
            "properties": {
                **{k: v for k, v in r.record["properties"].items() if k in props},
                "hs_lastmodifieddate": _iso(r.key_ms),
            },
            "createdAt": r.record.get("createdAt"),
            "updatedAt": r.record.get("updatedAt"),
            "archived": False,
        }
        for r in chunk
    ]
    out: dict[str, Any] = {"total": len(recs), "results": results}
    if after + limit < len(recs):
        out["paging"] = {"next": {"after": str(after + limit)}}
    return Response(out)


# ---- PagerDuty --------------------------------------------------------------------------------
def pagerduty(fake: FakeApis, req: Request) -> Response:
    if bearer(req, "Token token=") != fake.credentials.pagerduty:
        raise HttpError(401, {"error": {"message": "Unauthorized", "code": 2006}})
    if req.path == "/abilities":
        return Response({"abilities": ["teams", "read_only_users"]})
    if req.path not in ("/incidents", "/log_entries"):
        raise HttpError(404, {"error": {"message": "Not Found", "code": 2100}})
    key = req.path[1:]
    table = fake.store.table(f"pagerduty_{key}")
    since = parse_instant(req.arg("since")).timestamp() if req.arg("since") else None
    until = parse_instant(req.arg("until")).timestamp() if req.arg("until") else fake.now
    recs = table.latest(fake.now).values() if key == "incidents" else table.versions(fake.now)
    rows = []
    for r in recs:
        created = parse_instant(r.record["created_at"]).timestamp()
        if (since is None or created >= since) and created < until:
            rows.append((created, r.id, r.record))
    rows.sort(key=lambda x: (x[0], x[1]))
    limit = min(_int_arg(req, "limit", 25, 100), fake.page_size("pagerduty", 100))
    offset = int(req.arg("offset", "0"))
    if offset + limit > int(fake.state.get("pagerduty_offset_cap", 10_000)):
        raise HttpError(400, {"error": {"message": "Invalid Input Provided", "code": 2001,
                                        "errors": ["Offset must be less than 10000 minus the limit."]}})  # fmt: skip
    chunk = rows[offset : offset + limit]
    return Response(
        {
            key: [x[2] for x in chunk],
            "limit": limit,
            "offset": offset,
            "more": offset + limit < len(rows),
            "total": len(rows) if req.arg("total") == "true" else None,
        }
    )


# ---- Jira -------------------------------------------------------------------------------------
_JQL = re.compile(
    r'project\s*=\s*"?(?P<project>\w+)"?\s+AND\s+updated\s*>=\s*"(?P<lo>[^"]+)"\s+AND\s+updated\s*<\s*"(?P<hi>[^"]+)"',
    re.I,
)


def jira(fake: FakeApis, req: Request) -> Response:
    if basic_user(req) != fake.credentials.jira:
        raise HttpError(401, {"errorMessages": ["Client must be authenticated to access this resource."]})
    zone = fake.state.get("jira_time_zone", "UTC")
    if req.path == "/rest/api/3/myself":
        return Response(
            {
                "accountId": "5b10a2844c20165700ede21g",
                "emailAddress": fake.credentials.jira[0],
                "timeZone": zone,
            }
        )
    if req.path != "/rest/api/3/search/jql":
        raise HttpError(404, {"errorMessages": [f"No route {req.path}"]})
    m = _JQL.search(req.arg("jql") or "")
    if not m:
        raise HttpError(400, {"errorMessages": ["Unbounded JQL queries are not allowed here."]})
    tz = ZoneInfo(zone)

    def ms(text: str) -> int:
        return round(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=tz).timestamp() * 1000)

    lo, hi = ms(m.group("lo")), ms(m.group("hi"))
    table = fake.store.table("jira_issues")
    recs = [
        r
        for r in table.current(fake.now, lo, hi)
        if str(r.record.get("key", "")).split("-")[0] == m.group("project")
    ]
    size = min(_int_arg(req, "maxResults", 50, 100), fake.page_size("jira", 100))
    start = _offset(req.arg("nextPageToken"), "nextPageToken")
    fields = set((req.arg("fields") or "").split(","))
    expand = set((req.arg("expand") or "").split(","))
    issues = []
    for r in recs[start : start + size]:
        issue = {k: v for k, v in r.record.items() if k not in ("fields", "changelog")}
        issue["fields"] = {
            k: v for k, v in r.record.get("fields", {}).items() if "*all" in fields or k in fields
        }
        if "changelog" in expand and "changelog" in r.record:
            issue["changelog"] = r.record["changelog"]
        issues.append(issue)
    body: dict[str, Any] = {"issues": issues, "isLast": start + size >= len(recs)}
    if start + size < len(recs):
        body["nextPageToken"] = _token(start + size)
    return Response(body)


ROUTES = {
    "zendesk": zendesk,
    "salesforce": salesforce,
    "hubspot": hubspot,
    "pagerduty": pagerduty,
    "jira": jira,
}
