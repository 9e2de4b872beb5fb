"""The voice of creators and users (group ``voice``): redaction first, then the theme step.

``restricted/redacted_text`` reads the free text of raw (ticket subjects and descriptions,
satisfaction comments) and writes it redacted, with its language, to ``restricted.redacted_text``;
nothing after it reads raw text. ``voice/*`` (one step, three tables) fits the complaint themes
on the redacted text of escalations that are not restricted and counts them by week; dbt's
``fct_emerging_themes`` and ``fct_voice_of_creator`` read those tables (sources ``voice``), so
the dbt build continues after this step. Metadata give counts only, never text.
"""

import dagster as dg

from escalations.config import parse_instant, release_memory
from escalations.engines import copy_frame, target
from escalations.voice.text import NAME_SOURCES, SOURCES, redact_new_text
from orchestration.dbt import run_as_of
from orchestration.ingestion import OWNER
from orchestration.resources import RunLockResource, WarehouseResource

REDACTED_TEXT = dg.AssetKey(["restricted", "redacted_text"])
VOICE_TABLES = {
    "text_themes": "One row per text (an escalation's request, a satisfaction comment): its theme and language.",
    "themes": "One row per theme (active or retired): label, top terms, when its key was first made.",
    "theme_weeks": "Week x theme: escalations, share, baseline share of the 8 weeks before, score, is_emerging.",
}
_RAW_TEXT = sorted({s.table for s in SOURCES} | {table for table, _ in NAME_SOURCES})


@dg.asset(
    key=REDACTED_TEXT,
    deps=[dg.AssetKey(["raw", table]) for table in _RAW_TEXT],
    group_name="voice",
    kinds={"python", "duckdb"},
    owners=[OWNER],
    description=(
        "Free text of raw (subjects, descriptions, satisfaction comments) with e-mails, phone numbers, "
        "@handles, links with user ids and the names the exports know replaced by placeholders, and its "
        "language: `restricted.redacted_text`. Raw keeps the original; nothing downstream reads it."
    ),
)
def redacted_text(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        conn.execute("set TimeZone = 'UTC'")
        result = redact_new_text(conn)
    meta = result.metadata()
    context.log.info(
        f"redacted {result.texts_redacted} new texts ({result.texts_in_table} in the table); "
        f"removed {meta['redactions_by_kind']}"
    )
    return dg.MaterializeResult(
        metadata={
            **{k: v for k, v in meta.items() if not isinstance(v, dict)},
            "redactions_by_kind": dg.MetadataValue.json(meta["redactions_by_kind"]),
            "texts_by_language": dg.MetadataValue.json(meta["texts_by_language"]),
            "dagster/row_count": result.texts_in_table,
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key=["voice", name],
            deps=[REDACTED_TEXT, dg.AssetKey(["marts", "fct_escalations"])],
            group_name="voice",
            kinds={"python", "scikitlearn", "duckdb"},
            owners=[OWNER],
            description=description,
        )
        for name, description in VOICE_TABLES.items()
    ],
    name="voice_themes",
)
def voice_themes(context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource):
    """Complaint themes (TF-IDF + NMF per language, keys kept from night to night) and their weeks."""
    # imported here: scikit-learn and SciPy take about a second to import, which every process
    # that loads the code location (the UI, the daemon, each run) would otherwise pay
    from escalations.voice.build import ESCALATION_COLUMNS, build_voice

    as_of = parse_instant(run_as_of(context))
    with warehouse.connect() as conn:
        conn.execute("set TimeZone = 'UTC'")
        if target() != "duckdb":  # the escalations the themes read, from the engine's marts
            with warehouse.reader() as reader:
                escalations = reader.table("marts", "fct_escalations", ESCALATION_COLUMNS)
            copy_frame(conn, "marts", "fct_escalations", escalations)
        result = build_voice(conn, as_of)
    release_memory()
    meta = result.metadata()
    if result.emerging_now:
        context.log.warning(f"emerging this week: {'; '.join(result.emerging_now)}")
    for name in VOICE_TABLES:
        yield dg.MaterializeResult(
            asset_key=["voice", name],
            metadata={
                **{k: v for k, v in meta.items() if k != "emerging_in_the_last_week"},
                "emerging_in_the_last_week": dg.MetadataValue.json(meta["emerging_in_the_last_week"]),
            },
        )


voice_assets = [redacted_text, voice_themes]
