"""What each landing-zone table looks like: where its files are and how to validate a record.

One ``TableSpec`` per raw table (see ``docs/raw_layer.md``). Paths inside a record are dotted
(``via.channel``, ``fields.created``); ``[]`` steps into every element of a list and ``*`` into
every value of an object (``changelog.histories[].created``); CSV records are flat dicts of
header -> text.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache

from escalations.config import SEEDS_DIR


@dataclass(frozen=True)
class EnumField:
    """A field whose values the mapping seeds must know; unknown ones are loaded with a warning."""

    path: str
    seed: str  # seed file name without .csv, with columns source_system, source_value
    source_system: str
    extra: tuple[str, ...] = ()  # values known without a seed row (e.g. Zendesk "deleted")


@dataclass(frozen=True)
class TableSpec:
    name: str  # raw table name
    source: str  # zendesk, salesforce, hubspot, pagerduty, jira, avaya
    pattern: str  # glob relative to the landing zone
    fmt: str  # "json" or "csv"
    id_field: str
    array_key: str | None = None  # the records array of a JSON page
    id_type: type = str  # int for Zendesk ids
    version_field: str | None = None  # zoned timestamp that orders versions
    seq_field: str | None = None  # integer tie-breaker within one version timestamp
    created_field: str | None = None  # required creation time (missing -> quarantine)
    timestamp_fields: tuple[str, ...] = ()  # zoned timestamps to validate when present
    date_fields: tuple[str, ...] = ()  # calendar dates (2026-12-25) to validate when present
    types: dict[str, type | tuple[type, ...]] = field(default_factory=dict)  # path -> JSON type
    booleans: tuple[str, ...] = ()  # CSV columns that must read true/false
    enums: tuple[EnumField, ...] = ()
    # a record whose id is several fields (Avaya ECH: callid and segment), joined by ':'
    id_fields: tuple[str, ...] = ()
    # wall times without a zone, whose zone is account configuration (Avaya's ACD): must parse,
    # and must not carry a zone
    local_timestamp_fields: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()  # CSV columns that must read as whole numbers


def _zd(name: str, folder: str, array_key: str, **kw) -> TableSpec:
    return TableSpec(
        name=f"zendesk_{name}",
        source="zendesk",
        pattern=folder,
        fmt="json",
        id_field="id",
        array_key=array_key,
        id_type=int,
        **kw,
    )


def _sf(name: str, pattern: str, **kw) -> TableSpec:
    return TableSpec(
        name=f"salesforce_{name}", source="salesforce", pattern=pattern, fmt="csv", id_field="Id", **kw
    )


TABLES: tuple[TableSpec, ...] = (
    _zd(
        "tickets",
        "zendesk/tickets/*.json",
        "tickets",
        version_field="updated_at",
        seq_field="generated_timestamp",
        created_field="created_at",
        timestamp_fields=("created_at", "updated_at", "due_at"),
        types={
            "status": str,
            "priority": (str, type(None)),
            "requester_id": (int, type(None)),
            "assignee_id": (int, type(None)),
            "group_id": (int, type(None)),
            "tags": list,
            "custom_fields": list,
            "via": dict,
            "generated_timestamp": (int, type(None)),
        },
        enums=(
            EnumField("status", "map_statuses", "zendesk", extra=("deleted",)),
            EnumField("priority", "map_priorities", "zendesk"),
            EnumField("via.channel", "map_channels", "zendesk"),
        ),
    ),
    _zd(
        "ticket_metric_events",
        "zendesk/ticket_metric_events/*.json",
        "ticket_metric_events",
        created_field="time",
        timestamp_fields=("time",),
        types={"ticket_id": int, "metric": str, "type": str, "instance_id": (int, type(None))},
    ),
    _zd(
        "ticket_audits",
        "zendesk/ticket_audits/*.json",
        "audits",
        created_field="created_at",
        timestamp_fields=("created_at",),
        types={"ticket_id": int, "events": list},
    ),
    _zd(
        "satisfaction_ratings",
        "zendesk/satisfaction_ratings/*.json",
        "satisfaction_ratings",
        version_field="updated_at",
        created_field="created_at",
        timestamp_fields=("created_at", "updated_at"),
        types={"ticket_id": int, "score": str},
    ),
    _zd(
        "users",
        "zendesk/users/*.json",
        "users",
        version_field="updated_at",
        timestamp_fields=("created_at", "updated_at"),
        types={"role": (str, type(None))},
    ),
    _zd(
        "groups",
        "zendesk/groups.json",
        "groups",
        version_field="updated_at",
        timestamp_fields=("updated_at",),
    ),
    _zd(
        "sla_policies",
        "zendesk/sla_policies.json",
        "sla_policies",
        version_field="updated_at",
        timestamp_fields=("updated_at",),
        types={"policy_metrics": list, "filter": dict},
    ),
    _zd(
        "schedules",
        "zendesk/schedules.json",
        "schedules",
        version_field="updated_at",
        timestamp_fields=("updated_at",),
        types={"intervals": list, "time_zone": str},
    ),
    _sf(
        "case",
        "salesforce/Case/*.csv",
        version_field="SystemModstamp",
        created_field="CreatedDate",
        timestamp_fields=("CreatedDate", "ClosedDate", "LastModifiedDate", "SystemModstamp"),
        booleans=("IsDeleted", "IsClosed", "IsEscalated"),
        enums=(
            EnumField("Status", "map_statuses", "salesforce"),
            EnumField("Priority", "map_priorities", "salesforce"),
            EnumField("Origin", "map_channels", "salesforce"),
        ),
    ),
    _sf(
        "case_history",
        "salesforce/CaseHistory/*.csv",
        created_field="CreatedDate",
        timestamp_fields=("CreatedDate",),
        booleans=("IsDeleted",),
    ),
    _sf(
        "case_milestone",
        "salesforce/CaseMilestone/*.csv",
        version_field="SystemModstamp",
        timestamp_fields=("StartDate", "TargetDate", "CompletionDate", "SystemModstamp"),
        booleans=("IsCompleted", "IsViolated"),
    ),
    _sf("business_hours", "salesforce/BusinessHours.csv", version_field="SystemModstamp"),
    _sf(
        "holiday",
        "salesforce/Holiday.csv",
        version_field="SystemModstamp",
        date_fields=("ActivityDate", "RecurrenceStartDate", "RecurrenceEndDateOnly"),
    ),
    _sf("user", "salesforce/User.csv", version_field="SystemModstamp"),
    TableSpec(
        name="hubspot_tickets",
        source="hubspot",
        pattern="hubspot/tickets/*.json",
        fmt="json",
        id_field="id",
        array_key="results",
        version_field="updatedAt",
        created_field="createdAt",
        timestamp_fields=(
            "createdAt",
            "updatedAt",
            "properties.createdate",
            "properties.closed_date",
            "properties.first_agent_reply_date",
            "propertiesWithHistory.*[].timestamp",
        ),
        types={"properties": dict, "archived": (bool, type(None))},
        enums=(
            EnumField("properties.hs_ticket_priority", "map_priorities", "hubspot"),
            EnumField("properties.source_type", "map_channels", "hubspot"),
        ),
    ),
    TableSpec(
        name="hubspot_pipelines",
        source="hubspot",
        pattern="hubspot/pipelines.json",
        fmt="json",
        id_field="id",
        array_key="results",
        types={"stages": list},
    ),
    TableSpec(
        name="hubspot_owners",
        source="hubspot",
        pattern="hubspot/owners.json",
        fmt="json",
        id_field="id",
        array_key="results",
        version_field="updatedAt",
        timestamp_fields=("createdAt", "updatedAt"),
    ),
    TableSpec(
        name="pagerduty_incidents",
        source="pagerduty",
        pattern="pagerduty/incidents/*.json",
        fmt="json",
        id_field="id",
        array_key="incidents",
        version_field="updated_at",
        created_field="created_at",
        timestamp_fields=(
            "created_at",
            "updated_at",
            "resolved_at",
            "last_status_change_at",
            "acknowledgements[].at",
        ),
        types={"service": dict, "acknowledgements": (list, type(None))},
    ),
    TableSpec(
        name="pagerduty_log_entries",
        source="pagerduty",
        pattern="pagerduty/log_entries/*.json",
        fmt="json",
        id_field="id",
        array_key="log_entries",
        created_field="created_at",
        timestamp_fields=("created_at",),
        types={"type": str, "incident": dict},
    ),
    TableSpec(
        name="avaya_ech",
        source="avaya",
        pattern="avaya/ech/*.csv",
        fmt="csv",
        id_field="callid",
        id_fields=("callid", "segment"),
        created_field="segstart",
        local_timestamp_fields=("segstart", "segstop"),
        integers=(
            "callid",
            "segment",
            "queuetime",
            "ringtime",
            "talktime",
            "ansholdtime",
            "acwtime",
            "call_disp",
            "transferred",
            "conference",
        ),
    ),
    TableSpec(
        name="jira_issues",
        source="jira",
        pattern="jira/issues/*.json",
        fmt="json",
        id_field="id",
        array_key="issues",
        version_field="fields.updated",
        created_field="fields.created",
        timestamp_fields=(
            "fields.created",
            "fields.updated",
            "fields.resolutiondate",
            "changelog.histories[].created",
        ),
        date_fields=("fields.duedate",),
        types={"fields": dict, "key": str},
    ),
)

TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}


@cache
def known_values(seed: str, source_system: str) -> frozenset[str]:
    """Source values a mapping seed knows for one tool (rows for 'any' apply to every tool)."""
    with open(SEEDS_DIR / f"{seed}.csv", newline="", encoding="utf-8") as fh:
        return frozenset(
            row["source_value"]
            for row in csv.DictReader(fh)
            if row["source_system"] in (source_system, "any")
        )
