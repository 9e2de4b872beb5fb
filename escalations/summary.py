"""Headline counts after a run: where things are, what loaded, what was quarantined."""

from __future__ import annotations

import duckdb

from escalations.config import Paths
from escalations.publish import duckdb_snapshot_path, hyper_path, marts_as_of, parquet_current_path


def _count(conn: duckdb.DuckDBPyConnection, relation: str) -> int | None:
    schema, name = relation.split(".")
    exists = conn.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()[0]
    return conn.execute(f"select count(*) from {relation}").fetchone()[0] if exists else None


def print_summary(paths: Paths) -> None:
    print(f"Landing zone : {paths.landing}")
    print(f"Warehouse    : {paths.warehouse}  (schemas raw, staging, intermediate, marts)")
    print("Quarantine   : table raw._quarantine in the warehouse")
    print(f"Dagster home : {paths.dagster_home}  (`make dev` opens the UI on it)")
    for label, path in (
        ("Tableau", hyper_path(paths.publish)),
        ("Parquet", parquet_current_path(paths.publish)),
        ("DuckDB (BI)", duckdb_snapshot_path(paths.publish)),
    ):
        if path.exists():
            print(f"{label:<13}: {path}  (published after the checks passed; see docs/bi.md)")
    brief = paths.reports / "brief-latest.html"
    if brief.exists():
        pdfs = sorted(paths.reports.glob("brief-*.pdf"))
        extra = f"; PDF {pdfs[-1]}" if pdfs else ""
        print(f"Weekly brief : {brief}  (`escalations report --week YYYY-Www` for another week{extra})")
    docs = paths.data_docs / "index.html"
    if docs.exists():
        print(f"Data Docs    : {docs}  (Great Expectations results of the quality gate)")
    if not paths.warehouse.exists():
        print("(no warehouse yet)")
        return
    with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
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
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()
        if marts:
            print("Marts        : " + ", ".join(f"marts.{m}" for (m,) in marts))
