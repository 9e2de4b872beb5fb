"""Headline counts after a run: where things are, what this run published, what loaded, what was
quarantined."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from escalations.config import Paths
from escalations.engines import describe_warehouse, spark_warehouse_dir, staging_duckdb, target
from escalations.publish import (
    duckdb_snapshot_path,
    excel_path,
    hyper_path,
    marts_as_of,
    parquet_current_path,
    published_version,
)

OUTPUTS = (  # label, stable path, the asset that writes it
    ("Tableau", hyper_path, "tableau_hyper"),
    ("Parquet", parquet_current_path, "parquet"),
    ("DuckDB (BI)", duckdb_snapshot_path, "duckdb_snapshot"),
    ("Excel", excel_path, "excel"),
)


@dataclass
class RunOutcome:
    """What one run did, from its own events: true when it succeeded.

    ``published``: the publish assets it materialized (``current``, ``postgres_bi``, ...) with
    their metadata; ``failed_checks`` and ``failed_steps``: why it stopped where it did.
    """

    success: bool
    run_id: str
    published: dict[str, dict[str, Any]] = field(default_factory=dict)
    materialized: set[str] = field(default_factory=set)
    failed_checks: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.success

    @classmethod
    def from_result(cls, result: Any) -> RunOutcome:
        """From a Dagster execution result (``execute_in_process``/``materialize``)."""
        published, materialized = {}, set()
        for event in result.get_asset_materialization_events():
            key = event.asset_key.path
            materialized.add("/".join(key))
            if key[0] == "publish":
                meta = event.materialization.metadata
                published[key[-1]] = {k: getattr(v, "value", v) for k, v in meta.items()}
        failed_checks = [
            f"{'.'.join(e.asset_key.path)} {e.check_name}"
            + (f" ({e.description[:160]})" if e.description else "")
            for e in result.get_asset_check_evaluations()
            if not e.passed
        ]
        failed_steps = []
        for event in result.get_step_failure_events():
            error = event.step_failure_data.error if event.step_failure_data else None
            cause = error
            while cause is not None and cause.cause is not None:
                cause = cause.cause  # the user's error, not Dagster's wrapper
            message = (cause.message if cause else "").strip().splitlines()
            failed_steps.append(f"{event.step_key}" + (f" ({message[0][:200]})" if message else ""))
        return cls(result.success, result.run_id, published, materialized, failed_checks, failed_steps)


def _count(conn: duckdb.DuckDBPyConnection, relation: str) -> int | None:
    schema, name = relation.split(".")
    exists = conn.execute(
        # this connection's own catalog: an attached file may hold a table of the same name
        "select count(*) from information_schema.tables where table_catalog = current_database()"
        " and table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()[0]
    return conn.execute(f"select count(*) from {relation}").fetchone()[0] if exists else None


def _published_lines(paths: Paths, outcome: RunOutcome | None) -> list[str]:
    """What BI tools read now, and whether this run (when given) is what put it there."""
    version = published_version(paths.publish)
    lines = []
    if outcome is not None:
        release = outcome.published.get("current")
        if release:
            lines += [
                f"{label:<13}: {stable(paths.publish)}  (version {release['version']}, published by this run "
                "after the checks passed; see docs/bi.md)"
                for label, stable, _ in OUTPUTS
            ]
        else:
            why = (
                f"{len(outcome.failed_checks)} blocking check(s) failed: "
                + "; ".join(outcome.failed_checks[:5])
                if outcome.failed_checks
                else "failed step(s): " + "; ".join(outcome.failed_steps[:5])
                if outcome.failed_steps
                else "the publish steps did not run"
            )
            lines.append(f"Published    : nothing by this run: {why}")
            if version:
                lines.append(
                    f"BI tools read: version {version['version']} in {paths.publish / 'current'}, "
                    f"published earlier from {version.get('warehouse') or 'an unrecorded warehouse'}"
                )
        postgres = outcome.published.get("postgres_bi")
        if postgres:
            lines.append(
                f"Postgres (BI): {postgres.get('skipped') or str(postgres['location']) + ' (published by this run)'}"
            )
        return lines
    if version is None:
        return ["Published    : nothing yet"]
    source = version.get("warehouse")
    whose = (
        ""
        if not source or source in (str(paths.warehouse), describe_warehouse(paths))
        else f"; NOT from this warehouse but from {source}"
    )
    for label, stable, _ in OUTPUTS:
        lines.append(
            f"{label:<13}: {stable(paths.publish)}  (version {version['version']}, released "
            f"{version.get('released_at')}{whose}; see docs/bi.md)"
        )
    return lines


def _counts_connection(paths: Paths, engine: str) -> duckdb.DuckDBPyConnection | None:
    """What the counts are read from: the DuckDB warehouse; on Postgres and Spark, the staging file
    (raw, quarantine) with the published snapshot's marts (the engine's, as last checked)."""
    if engine == "duckdb":
        return duckdb.connect(str(paths.warehouse), read_only=True) if paths.warehouse.exists() else None
    staging = staging_duckdb(paths)
    if not staging.exists():
        return None
    conn = duckdb.connect()
    conn.execute(f"attach '{staging}' as ingested (read_only)")
    conn.execute("create schema raw")
    for (table,) in conn.execute(
        "select table_name from information_schema.tables where table_catalog = 'ingested' "
        "and table_schema = 'raw' and table_name in ('_quarantine', '_ingested_files')"
    ).fetchall():
        conn.execute(f"create view raw.{table} as select * from ingested.raw.{table}")
    snapshot = duckdb_snapshot_path(paths.publish)
    if snapshot.exists():
        conn.execute(f"attach '{snapshot}' as published (read_only)")
        conn.execute("create schema marts")
        for (table,) in conn.execute(
            "select table_name from information_schema.tables where table_catalog = 'published' "
            "and table_schema = 'marts'"
        ).fetchall():
            conn.execute(f"create view marts.{table} as select * from published.marts.{table}")
    return conn


def print_summary(paths: Paths, outcome: RunOutcome | None = None) -> None:
    """Where things are and the headline counts; with the ``outcome`` of a run, what it published."""
    engine = target()
    print(f"Landing zone : {paths.landing}")
    if engine == "duckdb":
        print(f"Warehouse    : {paths.warehouse}  (schemas raw, staging, intermediate, marts)")
        print("Quarantine   : table raw._quarantine in the warehouse")
    else:
        where = (
            "the Postgres database ESCALATIONS_PG_*" if engine == "postgres" else spark_warehouse_dir(paths)
        )
        print(
            f"Warehouse    : {engine}, {where}  (schemas raw, staging, intermediate, marts; docs/engines.md)"
        )
        print(f"Quarantine   : table raw._quarantine in the warehouse and in {staging_duckdb(paths)}")
    print(f"Dagster home : {paths.dagster_home}  (`make dev` opens the UI on it)")
    for line in _published_lines(paths, outcome):
        print(line)
    brief = paths.reports / "brief-latest.html"
    if brief.exists() and (outcome is None or "report/weekly_brief" in outcome.materialized):
        pdfs = sorted(paths.reports.glob("brief-*.pdf"))
        extra = f"; PDF {pdfs[-1]}" if pdfs else ""
        print(f"Weekly brief : {brief}  (`escalations report --week YYYY-Www` for another week{extra})")
    docs = paths.data_docs / "index.html"
    if docs.exists():
        print(f"Data Docs    : {docs}  (Great Expectations results of the quality gate)")
    try:
        conn = _counts_connection(paths, engine)
    except duckdb.IOException:
        print("(a run is writing the warehouse: counts once it ends)")
        return
    if conn is None:
        print("(no warehouse yet)")
        return
    with conn:
        if _count(conn, "raw._quarantine") is not None:
            rows = conn.execute(
                "select reason, count(*) from raw._quarantine group by 1 order by 2 desc, 1"
            ).fetchall()
            total = sum(n for _, n in rows)
            read = conn.execute("select coalesce(sum(records_read), 0) from raw._ingested_files").fetchone()[
                0
            ]
            print(
                f"Records read : {read:,}; quarantined {total:,}"
                + (f" ({', '.join(f'{r} {n}' for r, n in rows)})" if rows else "")
            )
        fct = _count(conn, "marts.fct_escalations")
        if fct is not None:
            by_source = conn.execute(
                "select source_system, count(*), count(*) filter (where is_open) from marts.fct_escalations group by 1 order by 1"
            ).fetchall()
            print(
                f"Escalations  : {fct:,} in marts.fct_escalations ("
                + ", ".join(f"{s} {n:,}, {o:,} open" for s, n, o in by_source)
                + ")"
            )
        if _count(conn, "marts.fct_sla_events") is not None:
            status = dict(
                conn.execute("select sla_status, count(*) from marts.fct_sla_events group by 1").fetchall()
            )
            as_of = marts_as_of(conn)
            print(
                f"SLA events   : {sum(status.values()):,} in marts.fct_sla_events as of {as_of:%Y-%m-%d %H:%M} UTC ("
                + ", ".join(f"{k} {status.get(k, 0):,}" for k in ("achieved", "breached", "active", "paused"))
                + ")"
            )
        alerts = _count(conn, "marts.fct_metric_alerts")
        if alerts is not None:
            by_severity = dict(
                conn.execute("select severity, count(*) from marts.fct_metric_alerts group by 1").fetchall()
            )
            print(
                f"Alerts       : {alerts:,} metric changes in marts.fct_metric_alerts ("
                + ", ".join(f"{k} {by_severity.get(k, 0):,}" for k in ("critical", "high", "medium"))
                + "); see docs/watch.md"
            )
        if _count(conn, "marts.rpt_sla_vendor_agreement") is not None:
            compared, agreeing = conn.execute(
                "select sum(instances_compared), sum(instances_agreeing) from marts.rpt_sla_vendor_agreement"
            ).fetchone()
            differences = conn.execute(
                "select difference, count(*) from marts.rpt_sla_vendor_reconciliation group by 1 order by 1"
            ).fetchall()
            if compared:
                print(
                    f"SLA vs tools : {agreeing / compared:.2%} of {compared:,} verdicts agree with the tools' own; "
                    "differences in marts.rpt_sla_vendor_reconciliation ("
                    + (", ".join(f"{d} {n:,}" for d, n in differences) or "none")
                    + ")"
                )
        marts = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_catalog = current_database() order by 1"
        ).fetchall()
        if marts:
            print("Marts        : " + ", ".join(f"marts.{m}" for (m,) in marts))
