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

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import dagster as dg

from escalations.checks import (
    delivery_freshness,
    reconcile_escalations,
    reconcile_sla,
    scan_marts_for_personal_data,
    scan_personal_data,
)
from escalations.config import MissingHashKey, release_memory, resolve_hash_key
from escalations.engines import target
from escalations.engines.reader import Reader, postgres_url
from escalations.ingestion.specs import TABLES
from escalations.settings import current as settings
from expectations.baselines import baseline_recorder
from expectations.catalog import load_suite, suite_names
from expectations.runner import data_docs_once, keep_baseline, keep_fingerprints, validate_mart
from orchestration.dbt import dbt_voice_models
from orchestration.resources import RunLockResource, WarehouseResource

BI_MARTS = sorted({load_suite(name)["relation"] for name in suite_names()})


def _mart_key(relation: str) -> dg.AssetKey:
    return dg.AssetKey(relation.split("."))


MART_KEYS = [_mart_key(relation) for relation in BI_MARTS]  # the checked marts, as asset keys


# ---- the marts' gate: Great Expectations, personal data, reconciliations -----------------------
# Each check is its own asset check (its own verdict, metadata and history in the Dagster UI, and
# blocking: a failure stops what is downstream of its mart). They run in one step per dbt build
# (the marts of the first build, then the voice marts): one step instead of one per check saves
# each check Dagster's step overhead, and the Data Docs are rendered once per step
# (expectations/runner.py data_docs_once), not once per suite.
@dataclass(frozen=True)
class _Step:
    """What a check is given by its step: the step's context, the warehouse, the reader all the
    step's checks share, where to leave what must wait until that reader is closed, and the
    personal-data findings of a mart (scanned with the step's other marts)."""

    context: dg.AssetCheckExecutionContext
    warehouse: WarehouseResource
    reader: Reader
    after: list[Callable[[], None]]
    personal_data: Callable[[str], list[dict]]


@dataclass(frozen=True)
class _MartCheck:
    spec: dg.AssetCheckSpec
    run: Callable[[_Step], dg.AssetCheckResult]


def _gx_check(suite: str) -> _MartCheck:
    spec = load_suite(suite)
    key = _mart_key(spec["relation"])

    def run(step: _Step) -> dg.AssetCheckResult:
        paths, engine = step.warehouse.paths(), target()
        outcome = validate_mart(
            suite,
            step.reader,
            paths.quality,
            connection_string=postgres_url(settings().postgres) if engine == "postgres" else None,
        )
        if outcome.row_count > RELEASE_AFTER_ROWS:
            release_memory()  # a large mart's frames, before the next check reads another
        # once the reader is closed (DuckDB: one configuration per file in a process)
        run_id = step.context.run.run_id
        step.after.append(partial(keep_baseline, outcome, baseline_recorder(paths, engine), run_id))
        if engine == "duckdb":
            step.after.append(partial(keep_fingerprints, outcome, paths.warehouse, run_id))
        meta = outcome.metadata()
        return dg.AssetCheckResult(
            asset_key=key,
            check_name=f"gx_{suite}",
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
                "row_wise_rows_validated": meta["row_wise_rows_validated"],
                "row_wise_scope": meta["row_wise_scope"],
                "failures": dg.MetadataValue.json(meta["failures"]),
                "data_docs": dg.MetadataValue.path(meta["data_docs"].removeprefix("file://"))
                if meta["data_docs"]
                else None,
            },
        )

    return _MartCheck(
        dg.AssetCheckSpec(
            f"gx_{suite}",
            asset=key,
            blocking=True,
            description=f"Great Expectations suite expectations/suites/{suite}.json: {spec.get('description', '')}",
        ),
        run,
    )


# a mart of more rows than this hands its frames' memory back to the system after its check
# (a collection of the whole process's heap costs about 0.4 s: not worth it for a small mart)
RELEASE_AFTER_ROWS = 100_000


def _pii_check(relation: str) -> _MartCheck:
    key = _mart_key(relation)

    def run(step: _Step) -> dg.AssetCheckResult:
        findings = step.personal_data(relation)
        return dg.AssetCheckResult(
            asset_key=key,
            check_name="personal_data_scan",
            passed=not findings,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None
            if not findings
            else "; ".join(f"{f['kind']} in {f['column']}: {f['rows']} rows" for f in findings),
            metadata={
                "findings": dg.MetadataValue.json(findings),
                "hash_key_source": _hash_key_source(step.warehouse),
            },
        )

    return _MartCheck(
        dg.AssetCheckSpec(
            "personal_data_scan",
            asset=key,
            blocking=True,
            description="No email, phone number, @handle or requester name in any text column; people are keyed hashes.",
        ),
        run,
    )


def _hash_key_source(warehouse: WarehouseResource) -> str:
    """Where the run's requester hash key came from (never the key): environment or key file."""
    try:
        return resolve_hash_key(warehouse.paths().home).source
    except MissingHashKey:
        return "none"


def _reconciliation_check(relation: str, name: str, description: str, fn) -> _MartCheck:
    key = _mart_key(relation)

    def run(step: _Step) -> dg.AssetCheckResult:
        differences = fn(step.reader)
        return dg.AssetCheckResult(
            asset_key=key,
            check_name=name,
            passed=not differences,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None if not differences else f"{len(differences)} differences: {differences}"[:500],
            metadata={"differences": dg.MetadataValue.json(differences)},
        )

    return _MartCheck(dg.AssetCheckSpec(name, asset=key, blocking=True, description=description), run)


_RECONCILIATIONS = [
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


def _mart_checks(relations: list[str]) -> list[_MartCheck]:
    """Every check of these marts, mart by mart: its suites, its personal-data scan, its reconciliations."""
    suites = {name: load_suite(name)["relation"] for name in suite_names()}
    out: list[_MartCheck] = []
    for relation in relations:
        out += [_gx_check(name) for name, rel in suites.items() if rel == relation]
        out.append(_pii_check(relation))
        out += [c for c in _RECONCILIATIONS if c.spec.asset_key == _mart_key(relation)]
    return out


def _gate(name: str, relations: list[str], description: str) -> dg.AssetChecksDefinition:
    checks = _mart_checks(relations)

    @dg.multi_asset_check(name=name, specs=[c.spec for c in checks], can_subset=True, description=description)
    # run_lock: the GX checks record row-count baselines and row fingerprints in the warehouse the run holds
    def _step(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
    ) -> Iterator[dg.AssetCheckResult]:
        selected = [check for check in checks if check.spec.key in context.selected_asset_check_keys]
        results: dict[dg.AssetCheckKey, dg.AssetCheckResult] = {}
        after: list[tuple[_MartCheck, Callable[[], None]]] = []  # once the reader is closed
        with data_docs_once(warehouse.paths().quality):
            try:
                # one reader for the step's checks (opening the warehouse costs about 40 ms each time)
                with warehouse.reader() as reader:
                    personal_data = _personal_data_once(reader, selected)
                    for check in selected:
                        todo: list[Callable[[], None]] = []
                        try:
                            step = _Step(context, warehouse, reader, todo, personal_data)
                            results[check.spec.key] = check.run(step)
                            after += [(check, fn) for fn in todo]
                        except Exception as exc:  # noqa: BLE001 - one check that cannot run fails, said; the others still run
                            results[check.spec.key] = _could_not_run(context, check, exc)
            except Exception as exc:  # noqa: BLE001 - the warehouse cannot be read: every check left fails, said
                for check in selected:
                    if check.spec.key not in results:
                        results[check.spec.key] = _could_not_run(context, check, exc)
            for check, fn in after:  # the row-count baselines, written into the warehouse
                try:
                    fn()
                except Exception as exc:  # noqa: BLE001
                    results[check.spec.key] = _could_not_run(context, check, exc)
        release_memory()
        yield from results.values()  # once the Data Docs their metadata points to are rendered

    return _step


def _personal_data_once(reader: Reader, selected: list[_MartCheck]) -> Callable[[str], list[dict]]:
    """The personal-data findings of a mart: the marts of the step's selected scans are scanned
    together, once, at the first scan's request (the requester names are read once, not per mart);
    if that fails, each mart is scanned alone, so only the scan of a mart that cannot be read fails."""
    relations = [".".join(c.spec.asset_key.path) for c in selected if c.spec.name == "personal_data_scan"]
    together: dict[str, dict[str, list[dict]] | None] = {}

    def personal_data(relation: str) -> list[dict]:
        if "marts" not in together:
            try:
                together["marts"] = scan_marts_for_personal_data(reader, relations)
            except Exception:  # noqa: BLE001 - scanned alone below, where the error is the mart's own
                together["marts"] = None
        found = together["marts"]
        return (
            found[relation]
            if found is not None and relation in found
            else scan_personal_data(reader, relation)
        )

    return personal_data


def _could_not_run(
    context: dg.AssetCheckExecutionContext, check: _MartCheck, exc: Exception
) -> dg.AssetCheckResult:
    context.log.exception(f"{check.spec.key.to_user_string()} could not run")  # called in an except block
    return dg.AssetCheckResult(
        asset_key=check.spec.asset_key,
        check_name=check.spec.name,
        passed=False,
        severity=dg.AssetCheckSeverity.ERROR,
        description=f"the check could not run: {type(exc).__name__}: {exc}"[:500],
    )


# the marts each dbt build makes: the voice marts are built after the theme step, in a build of their own
VOICE_MARTS = [r for r in BI_MARTS if _mart_key(r) in dbt_voice_models.keys]
marts_gate = _gate(
    "marts_gate",
    [r for r in BI_MARTS if r not in VOICE_MARTS],
    "The quality gate of the marts of the first dbt build: Great Expectations suites, personal-data scans, reconciliations.",
)
voice_marts_gate = _gate(
    "voice_marts_gate",
    VOICE_MARTS,
    "The quality gate of the voice marts (the second dbt build): Great Expectations suites and personal-data scans.",
)


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

freshness_checks = [_freshness_check(table) for table in INCREMENTAL_TABLES]
quality_checks = [marts_gate, voice_marts_gate, *freshness_checks]
