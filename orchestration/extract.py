"""One extract asset per source (group ``extract``): the tool's API pulled into the landing zone,
upstream of that source's ingestion assets, in the nightly job and in the ``extract`` job alone.

A source without credentials materializes as ``skipped`` with the reason (a landing zone filled by
hand or by another tool keeps working). A source whose pull fails does not stop the night: its
asset materializes with ``status: failed``, its ``pulled`` check fails (severity ERROR: red in the
Dagster UI, not blocking) with the stream, cursor and response, and a notice goes to the outbox for
the alert channels. What it had landed before the failure is whole (cursors are committed only
after durable writes); ingestion and the marts go on with what is in the landing zone, and the next
run resumes that source from its saved cursors.
"""

from collections.abc import Sequence

import dagster as dg

from escalations.extract import SOURCES, load_settings, run_source
from escalations.ingestion import TABLES_BY_NAME
from escalations.watch.delivery import Notice
from orchestration.notify import outbox_for
from orchestration.resources import RunLockResource, WarehouseResource

OWNER = "team:escalations-data"


def extract_key(source: str) -> dg.AssetKey:
    return dg.AssetKey(["extract", source])


def _extract_asset(source: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=extract_key(source),
        group_name="extract",
        kinds={"python", source},
        owners=[OWNER],
        check_specs=[
            dg.AssetCheckSpec(
                "pulled",
                asset=extract_key(source),
                blocking=False,
                description=f"{source.title()}'s pull ended without an error (or was skipped for want of credentials).",
            )
        ],
        description=(
            f"{source.title()}'s API pulled into the landing zone `{source}/`, incrementally from each stream's "
            f"cursor (`_extract/{source}.json`); configured by ESCALATIONS_{source.upper()}_* (docs/extract.md)."
        ),
    )
    # run_lock: a pull writes the landing zone and its cursors; one run at a time holds the home
    def _extract(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, run_lock: RunLockResource
    ) -> dg.MaterializeResult:
        paths = warehouse.paths()
        settings = load_settings(paths.home)
        for note in settings.notes:
            context.log.warning(note)
        result = run_source(source, paths.landing, settings)
        meta = result.metadata()
        metadata = {
            **{k: v for k, v in meta.items() if not isinstance(v, dict) and v is not None},
            "responses": dg.MetadataValue.json(meta["responses"]),
            "streams": dg.MetadataValue.json(meta["streams"]),
            "dagster/row_count": result.records,
        }
        passed = dg.AssetCheckResult(check_name="pulled", passed=True)
        if result.status == "skipped":
            context.log.info(f"{source}: skipped: {result.reason}")
            return dg.MaterializeResult(
                metadata={"status": "skipped", "reason": result.reason or ""}, check_results=[passed]
            )
        if result.status == "failed":
            context.log.error(f"{source}: {result.reason}")
            outbox_for(warehouse).enqueue(
                Notice(
                    key=f"extract_failure|{context.run_id}|{source}",
                    kind="extract_failure",
                    subject=f"Escalation Warehouse: the {source} pull failed",
                    body=(
                        f"{result.reason}\nThe night went on with what the landing zone holds; the next "
                        "run resumes this source from its saved cursors."
                    ),
                )
            )
            return dg.MaterializeResult(
                metadata={**metadata, "status": "failed", "reason": result.reason or ""},
                check_results=[
                    dg.AssetCheckResult(
                        check_name="pulled",
                        passed=False,
                        severity=dg.AssetCheckSeverity.ERROR,
                        description=result.reason,
                    )
                ],
            )
        context.log.info(
            f"{source}: {result.records} record(s) in {result.pages} page(s), {result.requests} request(s), "
            f"{result.retries} retried, {result.seconds:.1f}s"
        )
        return dg.MaterializeResult(metadata=metadata, check_results=[passed])

    return _extract


extract_assets = [_extract_asset(source) for source in SOURCES]

extract_job = dg.define_asset_job(
    name="extract",
    selection=dg.AssetSelection.groups("extract"),
    description="Pull every configured tool's API into the landing zone (no loading, no dbt).",
)


def downstream_of_extract(ingestion: Sequence[dg.AssetsDefinition]) -> list[dg.AssetsDefinition]:
    """The ingestion assets, each depending on the extract asset of its table's source."""

    def add_dep(spec: dg.AssetSpec) -> dg.AssetSpec:
        table = TABLES_BY_NAME.get(spec.key.path[-1])
        if table is None:
            return spec
        return spec.merge_attributes(deps=[extract_key(table.source)])

    return dg.map_asset_specs(add_dep, list(ingestion))
