"""The quality gate: blocking asset checks on every mart BI tools read, and on the raw sources.

- Great Expectations suites (expectations/suites/<mart>.json), validated through a dataframe read
  from a read-only connection, with Data Docs rebuilt under <home>/quality and row counts held to
  a band of the last good run on the same warehouse (kept in it: _quality.row_count_baselines).
- A personal-data scan of every text column of every mart: emails, phone numbers, @handles and
  requester names (from the Zendesk users export) must not appear.
- Reconciliation: raw escalations = fct_escalations; SLA instances = what the tools applied;
  the backlog at the end of each day = open escalations by the status clock.
- Freshness of every incremental source: a source that has delivered no new file within its
  window (ESCALATIONS_FRESHNESS_HOURS, default 36; 0 turns it off) fails, so a stale mart is
  never published silently.

All are blocking: a failure stops every asset downstream (publishing) and says what, where and
how much in the check's metadata.
"""

from datetime import UTC, datetime

import dagster as dg
import duckdb

from escalations.config import MissingHashKey, resolve_hash_key
from escalations.ingestion.specs import TABLES
from escalations.publish import mart_columns
from escalations.settings import current as settings
from expectations.runner import load_suite, suite_names, validate_duckdb
from orchestration.resources import RunLockResource, WarehouseResource

SAMPLE = 5
BI_MARTS = sorted({load_suite(name)["relation"] for name in suite_names()})


def _mart_key(relation: str) -> dg.AssetKey:
    return dg.AssetKey(relation.split("."))


MART_KEYS = [_mart_key(relation) for relation in BI_MARTS]  # the checked marts, as asset keys


# ---- Great Expectations ----------------------------------------------------------------------
def _gx_check(suite: str) -> dg.AssetChecksDefinition:
    spec = load_suite(suite)

    @dg.asset_check(
        asset=_mart_key(spec["relation"]),
        name=f"gx_{suite}",
        blocking=True,
        description=f"Great Expectations suite expectations/suites/{suite}.json: {spec.get('description', '')}",
    )
    # run_lock: it records the row-count baseline in the warehouse the run holds
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
    ) -> dg.AssetCheckResult:
        outcome = validate_duckdb(
            suite, warehouse.warehouse_path, warehouse.paths().quality, record=True, run_id=context.run.run_id
        )
        meta = outcome.metadata()
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None
            if outcome.success
            else "; ".join(
                f"{f['expectation']}({f['column']}): {f['unexpected_count']} unexpected"
                + (f" e.g. {f['sample_keys'][:3]}" if f.get("sample_keys") else "")
                for f in outcome.failures
            ),
            metadata={
                "row_count": meta["row_count"],
                "previous_row_count": meta["previous_row_count"],
                "expectations_evaluated": meta["expectations_evaluated"],
                "expectations_failed": meta["expectations_failed"],
                "failures": dg.MetadataValue.json(meta["failures"]),
                "data_docs": dg.MetadataValue.path(meta["data_docs"].removeprefix("file://"))
                if meta["data_docs"]
                else None,
            },
        )

    return _check


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


def _pii_check(relation: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=_mart_key(relation),
        name="personal_data_scan",
        blocking=True,
        description="No email, phone number, @handle or requester name in any text column; people are keyed hashes.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as conn:
            findings = scan_personal_data(conn, relation)
        return dg.AssetCheckResult(
            passed=not findings,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None
            if not findings
            else "; ".join(f"{f['kind']} in {f['column']}: {f['rows']} rows" for f in findings),
            metadata={
                "findings": dg.MetadataValue.json(findings),
                "hash_key_source": _hash_key_source(warehouse),
            },
        )

    return _check


def _hash_key_source(warehouse: WarehouseResource) -> str:
    """Where the run's requester hash key came from (never the key): environment or key file."""
    try:
        return resolve_hash_key(warehouse.paths().home).source
    except MissingHashKey:
        return "none"


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


BACKLOG = """
with days as (
    select k.date_day, k.market, sum(k.backlog_open_end_of_day) as backlog
    from marts.fct_escalation_kpis_daily as k
    group by 1, 2
),
day_ends as (
    select d.date_day, m.market, (d.date_day + 1)::timestamp at time zone coalesce(z.time_zone, 'UTC') as day_end
    from marts.dim_date as d
    cross join (select distinct market from marts.fct_escalations) as m
    left join reference.dim_market as z on m.market = z.market
    where d.date_day >= (select max(date_day) - 28 from marts.fct_escalation_kpis_daily)
      and d.date_day <= (select max(date_day) from marts.fct_escalation_kpis_daily)
),
open_intervals as (
    select i.escalation_key, e.market, i.valid_from, i.valid_to, i.is_current
    from marts.fct_status_intervals as i
    inner join marts.fct_escalations as e on i.escalation_key = e.escalation_key
    inner join reference.dim_status_group as g on i.status_group = g.status_group
    where g.is_open and i.valid_to > (select min(day_end) from day_ends)
),
clock as (
    select d.date_day, d.market, count(distinct o.escalation_key) as open_escalations
    from day_ends as d
    inner join open_intervals as o
        on o.market = d.market and o.valid_from <= d.day_end
        -- the current stretch ends at the as-of instant but is still open then
        and (o.valid_to > d.day_end or (o.is_current and o.valid_to = d.day_end))
    group by 1, 2
)
select coalesce(c.date_day, k.date_day), coalesce(c.market, k.market), coalesce(k.backlog, 0),
    coalesce(c.open_escalations, 0)
from clock as c
full outer join (
    select days.* from days inner join day_ends using (date_day, market)
) as k on c.date_day = k.date_day and c.market = k.market
where coalesce(k.backlog, 0) != coalesce(c.open_escalations, 0)
order by 1, 2
limit 20
"""


def reconcile_backlog(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    return [
        {"date": str(d), "market": m, "kpi_backlog": b, "open_by_status_clock": o}
        for d, m, b, o in _rows(conn, BACKLOG)
    ]


def _reconciliation_check(relation: str, name: str, description: str, fn) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=_mart_key(relation), name=name, blocking=True, description=description)
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as conn:
            differences = fn(conn)
        return dg.AssetCheckResult(
            passed=not differences,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None if not differences else f"{len(differences)} differences: {differences}"[:500],
            metadata={"differences": dg.MetadataValue.json(differences)},
        )

    return _check


reconciliation_checks = [
    _reconciliation_check(
        "marts.fct_escalations",
        "reconciles_with_raw",
        "Escalations in raw (non-deleted; quarantined records never reach raw) = rows in fct_escalations, per tool.",
        reconcile_escalations,
    ),
    _reconciliation_check(
        "marts.fct_sla_events",
        "matches_applied_policies",
        "One SLA event per instance the tool applied a policy to (Zendesk apply_sla, Salesforce milestones).",
        reconcile_sla,
    ),
    _reconciliation_check(
        "marts.fct_escalation_kpis_daily",
        "backlog_matches_status_clock",
        "Backlog at the end of each of the last 28 days = escalations open then by the status clock, per market.",
        reconcile_backlog,
    ),
]


# ---- freshness -------------------------------------------------------------------------------
def freshness_hours() -> float:
    return settings().freshness_hours


def _freshness_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", table]),
        name="delivered_recently",
        blocking=True,
        description="A new export file arrived within ESCALATIONS_FRESHNESS_HOURS (default 36; 0 = off).",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        window = freshness_hours()
        with warehouse.connect(read_only=True) as conn:
            newest, files = conn.execute(
                "select max(_loaded_at), count(*) from raw._ingested_files where source_table = ?", [table]
            ).fetchone()
        now = datetime.now(UTC)
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
        return dg.AssetCheckResult(
            passed=passed,
            severity=dg.AssetCheckSeverity.ERROR,
            description=why,
            metadata={
                "newest_file_loaded_at": str(newest) if newest else None,
                "hours_since_newest_file": age_hours,
                "window_hours": window,
                "files_ever": files,
            },
        )

    return _check


INCREMENTAL_TABLES = [t.name for t in TABLES if "*" in t.pattern]

gx_checks = [_gx_check(name) for name in suite_names()]
pii_checks = [_pii_check(relation) for relation in BI_MARTS]
freshness_checks = [_freshness_check(table) for table in INCREMENTAL_TABLES]
quality_checks = [*gx_checks, *pii_checks, *reconciliation_checks, *freshness_checks]
