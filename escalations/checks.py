"""The logic of the quality gate's own checks, as plain functions of a DuckDB connection: the
personal-data scan of a mart, the reconciliations of the marts with raw and with the SLA
policies the tools applied, and how fresh a source's deliveries are. ``orchestration/quality.py``
wires them (and the Great Expectations suites of ``expectations/``) as blocking Dagster asset
checks; keys, relationships, accepted values and invariants are dbt tests (docs/quality.md).
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from escalations.publish import mart_columns

SAMPLE = 5


# ---- personal data ---------------------------------------------------------------------------
PII_PATTERNS = {
    "email": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    "phone": r"(\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{3,5}",
    "handle": r"(^|[\s(])@[A-Za-z0-9_]{2,}",
}


def scan_personal_data(conn: duckdb.DuckDBPyConnection, relation: str) -> list[dict]:
    """Every text column of a mart (``marts.<name>``) that holds something that looks like personal data."""
    columns = [name for name, kind in mart_columns(conn, relation.split(".")[1]) if kind == "VARCHAR"]
    names = _requester_names(conn)
    # every (column, kind) test as a filtered count and sample, all in one scan of the mart
    tests = []  # (column, kind, condition, parameters)
    for column in columns:
        tests += [(column, kind, f'regexp_matches("{column}", ?)', [p]) for kind, p in PII_PATTERNS.items()]
        if names:
            tests.append(
                (
                    column,
                    "requester_name",
                    f'lower(trim("{column}")) in (select name from requester_names)',
                    [],
                )
            )
    if not tests:
        return []
    row = conn.execute(
        "select "
        + ", ".join(
            f'count(*) filter (where {cond}), (list("{column}") filter (where {cond}))[1:{SAMPLE}]'
            for column, _, cond, _ in tests
        )
        + f" from {relation}",
        [p for _, _, _, params in tests for p in params * 2],
    ).fetchone()
    return [
        {"column": column, "kind": kind, "rows": row[2 * i], "sample": row[2 * i + 1]}
        for i, (column, kind, _, _) in enumerate(tests)
        if row[2 * i]
    ]


def _requester_names(conn: duckdb.DuckDBPyConnection) -> bool:
    """Register requester (end-user) names from the Zendesk users export as requester_names."""
    exists = conn.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'zendesk_users'"
    ).fetchone()[0]
    if not exists:
        return False
    conn.execute(
        "create or replace temp table requester_names as select distinct lower(trim(json_extract_string(record, "
        "'$.name'))) as name from raw.zendesk_users where coalesce(json_extract_string(record, '$.role'), "
        "'end-user') = 'end-user' and length(trim(json_extract_string(record, '$.name'))) > 3"
    )
    return True


# ---- reconciliation --------------------------------------------------------------------------
def _rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return conn.execute(sql).fetchall()


RAW_ESCALATIONS = """
select 'zendesk' as source_system, count(*) from raw.zendesk_tickets
where coalesce(json_extract_string(record, '$.status'), '') != 'deleted'
union all
select 'salesforce', count(*) from raw.salesforce_case
where coalesce(json_extract_string(record, '$.IsDeleted'), 'false') != 'true'
union all
select 'hubspot', count(*) from raw.hubspot_tickets
where coalesce(json_extract_string(record, '$.archived'), 'false') != 'true'
"""


def reconcile_escalations(conn: duckdb.DuckDBPyConnection) -> dict:
    raw = dict(_rows(conn, RAW_ESCALATIONS))
    marts = dict(_rows(conn, "select source_system, count(*) from marts.fct_escalations group by 1"))
    differences = {s: {"raw": raw.get(s, 0), "fct_escalations": marts.get(s, 0)} for s in raw}
    return {k: v for k, v in differences.items() if v["raw"] != v["fct_escalations"]}


SLA_APPLIED = """
with zendesk_applied as (
    select distinct ticket_id, metric, instance_id
    from staging.stg_zendesk__ticket_metric_events
    where event_type = 'apply_sla' and not is_deleted
),
zendesk_tool as (
    select count(*) as n from zendesk_applied as a
    inner join marts.fct_escalations as e on e.escalation_key = 'zendesk:' || cast(a.ticket_id as varchar)
),
salesforce_tool as (
    select count(*) as n from intermediate.int_sla__salesforce_milestones as m
    inner join marts.fct_escalations as e on m.escalation_key = e.escalation_key
),
events as (
    select
        count(*) filter (where escalation_key like 'zendesk:%' and applied_by in ('tool_record', 'priority_change_without_target')) as zendesk_events,
        count(*) filter (where escalation_key like 'salesforce:%') as salesforce_events
    from marts.fct_sla_events
)
select (select n from zendesk_tool), zendesk_events, (select n from salesforce_tool), salesforce_events from events
"""


def reconcile_sla(conn: duckdb.DuckDBPyConnection) -> dict:
    zd_tool, zd_events, sf_tool, sf_events = _rows(conn, SLA_APPLIED)[0]
    out = {}
    if zd_tool != zd_events:
        out["zendesk"] = {"instances_the_tool_applied": zd_tool, "sla_events": zd_events}
    if sf_tool != sf_events:
        out["salesforce"] = {"milestones": sf_tool, "sla_events": sf_events}
    return out


# ---- freshness -------------------------------------------------------------------------------
def delivery_freshness(conn: duckdb.DuckDBPyConnection, table: str, window: float, now: datetime) -> dict:
    """Whether raw ``table`` had a new export file within ``window`` hours of ``now``
    (``window`` <= 0: not checked): ``passed``, ``why`` (None when it passed on time) and what
    the check's metadata shows."""
    newest, files = conn.execute(
        "select max(_loaded_at), count(*) from raw._ingested_files where source_table = ?", [table]
    ).fetchone()
    age_hours = None if newest is None else round((now - newest).total_seconds() / 3600, 2)
    if window <= 0:
        passed, why = True, "freshness checks are off (ESCALATIONS_FRESHNESS_HOURS=0)"
    elif newest is None:
        passed, why = True, "no file ever delivered: the source is not in use"
    else:
        passed = age_hours <= window
        why = (
            None
            if passed
            else f"last new file {age_hours} h ago, over the {window} h window: the export is stale"
        )
    return {
        "passed": passed,
        "why": why,
        "metadata": {
            "newest_file_loaded_at": str(newest) if newest else None,
            "hours_since_newest_file": age_hours,
            "window_hours": window,
            "files_ever": files,
        },
    }
