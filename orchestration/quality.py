"""The quality gate: blocking asset checks on every mart BI tools read, and on the raw sources.

This module is the Dagster wiring only; what each check computes is in escalations/checks.py and
expectations/runner.py.

- Great Expectations suites (expectations/suites/<mart>.json), validated through a dataframe read
  from a read-only connection (on Postgres: in the database, through GX's SQL datasource), with Data Docs rebuilt under <home>/quality and row counts held to
  a band of the last good run on the same warehouse (kept in it: _quality.row_count_baselines).
- A personal-data scan of every text column of every mart: emails, phone numbers, @handles and
  requester names (from the Zendesk users export) must not appear.
- Reconciliation: raw escalations = fct_escalations; SLA instances = what the tools applied.
  (The backlog at the end of each day = open escalations by the status clock is the dbt test
  assert_backlog_matches_status_clock: keys, relationships, accepted values and invariants are
  dbt tests, see docs/quality.md.)
- Freshness of every incremental source: a source that has delivered no new file within its
  window (ESCALATIONS_FRESHNESS_HOURS, default 36; 0 turns it off) fails, so a stale mart is
  never published silently.

Every check reads the engine's warehouse through one reader (escalations/engines/reader.py), so
the same checks run on DuckDB, Postgres and Spark. All are blocking: a failure stops every asset downstream (publishing) and says what, where and
how much in the check's metadata.
"""

from datetime import UTC, datetime

import dagster as dg

from escalations.checks import delivery_freshness, reconcile_escalations, reconcile_sla, scan_personal_data
from escalations.config import MissingHashKey, release_memory, resolve_hash_key
from escalations.engines import target
from escalations.engines.reader import postgres_url
from escalations.ingestion.specs import TABLES
from escalations.settings import current as settings
from expectations.baselines import baseline_recorder
from expectations.catalog import load_suite, suite_names
from expectations.runner import keep_baseline, validate_mart
from orchestration.resources import RunLockResource, WarehouseResource

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
        paths, engine = warehouse.paths(), target()
        with warehouse.reader() as reader:
            outcome = validate_mart(
                suite,
                reader,
                paths.quality,
                connection_string=postgres_url(settings().postgres) if engine == "postgres" else None,
            )
        release_memory()
        # once the reader is closed (DuckDB: one configuration per file in a process)
        keep_baseline(outcome, baseline_recorder(paths, engine), context.run.run_id)
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
def _pii_check(relation: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=_mart_key(relation),
        name="personal_data_scan",
        blocking=True,
        description="No email, phone number, @handle or requester name in any text column; people are keyed hashes.",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.reader() as reader:
            findings = scan_personal_data(reader, relation)
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
def _reconciliation_check(relation: str, name: str, description: str, fn) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=_mart_key(relation), name=name, blocking=True, description=description)
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.reader() as reader:
            differences = fn(reader)
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
        # ingestion's bookkeeping (raw._ingested_files) is read where ingestion keeps it: the local
        # DuckDB file (the warehouse; on Postgres and Spark the staging file, shipped after)
        with warehouse.connect(read_only=True) as conn:
            fresh = delivery_freshness(conn, table, freshness_hours(), datetime.now(UTC))
        return dg.AssetCheckResult(
            passed=fresh["passed"],
            severity=dg.AssetCheckSeverity.ERROR,
            description=fresh["why"],
            metadata=fresh["metadata"],
        )

    return _check


INCREMENTAL_TABLES = [t.name for t in TABLES if "*" in t.pattern]

gx_checks = [_gx_check(name) for name in suite_names()]
pii_checks = [_pii_check(relation) for relation in BI_MARTS]
freshness_checks = [_freshness_check(table) for table in INCREMENTAL_TABLES]
quality_checks = [*gx_checks, *pii_checks, *reconciliation_checks, *freshness_checks]
