"""The logic of the quality gate's own checks, as plain functions of a warehouse reader
(escalations/engines/reader.py: the same SQL on DuckDB, Postgres and Spark, with the reader's
spellings where the engines differ): the personal-data scan of a mart, the reconciliations of the
marts with raw and with the SLA policies the tools applied; and, of the DuckDB file ingestion
keeps its bookkeeping in, how fresh a source's deliveries are. ``orchestration/quality.py``
wires them (and the Great Expectations suites of ``expectations/``) as blocking Dagster asset
checks; keys, relationships, accepted values and invariants are dbt tests (docs/quality.md).
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from escalations.engines.reader import Reader

SAMPLE = 5


# ---- personal data ---------------------------------------------------------------------------
PII_PATTERNS = {
    "email": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    "phone": r"(\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{3,5}",
    "handle": r"(^|[\s(])@[A-Za-z0-9_]{2,}",
}


def scan_personal_data(reader: Reader, relation: str) -> list[dict]:
    """Every text column of a mart (``marts.<name>``) that holds something that looks like personal data."""
    return scan_marts_for_personal_data(reader, [relation])[relation]


def scan_marts_for_personal_data(reader: Reader, relations: list[str]) -> dict[str, list[dict]]:
    """``scan_personal_data`` of several marts in one query, so the requester names (a scan of the
    Zendesk users export: half a second at 1M escalations) are read once, not once per mart."""
    text_columns = {
        relation: [name for name, kind in reader.columns(*relation.split(".")) if kind == "VARCHAR"]
        for relation in relations
    }
    scanned = [relation for relation in relations if text_columns[relation]]
    found: dict[str, list[dict]] = {relation: [] for relation in relations}
    if not scanned:
        return found
    names = reader.exists("raw", "zendesk_users")
    kinds = [*PII_PATTERNS, *(["requester_name"] if names else [])]
    conditions = [reader.regex("cell_value") for _ in PII_PATTERNS]
    if names:
        conditions.append("requester_names.name is not null")
    # every text cell as (mart, column position, value), then one group by: each test a filtered
    # count and sample per column. (A filtered count per column and test over the mart itself made
    # a query of hundreds of aggregates and a subquery join per column, whose planning alone took
    # about a second per mart whatever its size.)
    cells = " union all ".join(
        f"select {m} as mart, c.position, c.cell_value from ({reader.cells(relation, text_columns[relation])}) as c"
        for m, relation in enumerate(scanned)
    )
    tests = ", ".join(
        f"count(*) filter (where {cond}), {reader.sample('cell_value', cond, SAMPLE)}" for cond in conditions
    )
    joined = (
        " left join requester_names on lower(trim(cells.cell_value)) = requester_names.name" if names else ""
    )
    rows = reader.query(
        (_requester_names(reader) + ", " if names else "with ")
        + f"cells as ({cells}) select mart, position, {tests} from cells{joined} group by mart, position",
        [p for p in PII_PATTERNS.values() for _ in ("count", "sample")],
    )
    by_column = {(row[0], row[1]): row[2:] for row in rows}
    for m, relation in enumerate(scanned):
        found[relation] = [
            {"column": column, "kind": kind, "rows": row[2 * j], "sample": list(row[2 * j + 1] or [])}
            for i, column in enumerate(text_columns[relation])
            if (row := by_column.get((m, i))) is not None
            for j, kind in enumerate(kinds)
            if row[2 * j]
        ]
    return found


def _requester_names(reader: Reader) -> str:
    """A ``with`` clause naming requester (end-user) names from the Zendesk users export: requester_names."""
    name, role = reader.json_text("record", "name"), reader.json_text("record", "role")
    return (
        f"with requester_names as (select distinct lower(trim({name})) as name from raw.zendesk_users "
        f"where coalesce({role}, 'end-user') = 'end-user' and length(trim({name})) > 3) "
    )


# ---- reconciliation --------------------------------------------------------------------------
def raw_escalations_sql(reader: Reader) -> str:
    """Escalations in raw per tool (deleted and archived ones left out)."""
    return f"""
select 'zendesk' as source_system, count(*) from raw.zendesk_tickets
where coalesce({reader.json_text("record", "status")}, '') != 'deleted'
union all
select 'salesforce', count(*) from raw.salesforce_case
where coalesce({reader.json_text("record", "IsDeleted")}, 'false') != 'true'
union all
select 'hubspot', count(*) from raw.hubspot_tickets
where coalesce({reader.json_text("record", "archived")}, 'false') != 'true'
"""


def reconcile_escalations(reader: Reader) -> dict:
    raw = dict(reader.query(raw_escalations_sql(reader)))
    marts = dict(reader.query("select source_system, count(*) from marts.fct_escalations group by 1"))
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


def reconcile_sla(reader: Reader) -> dict:
    zd_tool, zd_events, sf_tool, sf_events = reader.query(SLA_APPLIED)[0]
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
