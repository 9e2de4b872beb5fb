"""The weekly executive brief as an asset: after each publish, the last complete week's brief from
the published DuckDB snapshot (<home>/reports/brief-YYYY-Www.html, .json, .pdf, brief-latest.html).

It reads the snapshot read-only and never opens the warehouse, so it holds no lock a run needs.
"""

import dagster as dg

from escalations.publish import duckdb_snapshot_path
from escalations.report import NoDataError, Week, write_brief
from escalations.report.render import change, value_text
from orchestration.ingestion import OWNER
from orchestration.resources import WarehouseResource


class BriefConfig(dg.Config):
    week: str = ""  # ISO week YYYY-Www to brief; empty = the last complete week of the data
    pdf: bool = True  # print a PDF too (when a Chromium is found)


@dg.asset(
    key=["report", "weekly_brief"],
    deps=[dg.AssetKey(["publish", "current"])],
    group_name="watch_and_tell",
    kinds={"html", "pdf"},
    owners=[OWNER],
    description=(
        "Weekly executive brief of the last complete ISO week (<home>/reports/brief-YYYY-Www.html, "
        ".json and .pdf, plus brief-latest.html), from the published DuckDB snapshot."
    ),
)
def weekly_brief(
    context: dg.AssetExecutionContext, config: BriefConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    paths = warehouse.paths()
    week = Week.parse(config.week) if config.week else None
    try:
        files = write_brief(duckdb_snapshot_path(paths.publish), paths.reports, week, pdf=config.pdf)
    except NoDataError as exc:
        # an empty or young world has no week to brief yet: say so, without failing the run
        context.log.warning(f"weekly brief skipped: {exc}")
        return dg.MaterializeResult(metadata={"skipped": str(exc)})
    brief = files.brief
    if files.pdf_skipped and config.pdf:
        context.log.info(f"weekly brief: PDF skipped: {files.pdf_skipped}")
    lines = [f"**Escalation brief {brief.week.label}** ({brief.week.start} to {brief.week.end})", ""]
    lines += ["| metric | this week | vs last week | vs 4-wk avg |", "|---|---|---|---|"]
    for m in brief.headline:
        wow, avg = change(m, m.last_week), change(m, m.trailing_average)
        lines.append(f"| {m.label} | {value_text(m.value, m.unit)} | {wow or '–'} | {avg or '–'} |")
    lines.append("")
    lines.append(
        f"{brief.escalations_total} P0/P1 escalations ({brief.escalations_open} open, "
        f"{brief.escalations_breached} with an SLA breached); "
        + ", ".join(f"{brief.plan_counts[s]} plans {s.replace('_', ' ')}" for s in ("overdue", "at_risk"))
        + "."
    )
    return dg.MaterializeResult(
        metadata={
            "week": brief.week.label,
            "path": dg.MetadataValue.path(str(files.html)),
            "json": dg.MetadataValue.path(str(files.json)),
            "pdf": dg.MetadataValue.path(str(files.pdf)) if files.pdf else files.pdf_skipped,
            "pdf_pages": files.pdf_pages,
            "headline": dg.MetadataValue.json(
                {m.key: m.value for m in brief.headline} | {"incidents": brief.incidents.count}
            ),
            "p0_p1_escalations": brief.escalations_total,
            "preview": dg.MetadataValue.md("\n".join(lines)),
        }
    )


report_assets = [weekly_brief]
