"""dbt models as Dagster assets: raw -> staging -> intermediate -> marts, dbt tests as asset checks."""

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from escalations.config import dbt_key_environment, environ, resolve_hash_key
from escalations.engines.ship import ship
from escalations.settings import current as settings
from orchestration.ingestion import OWNER
from orchestration.project import dbt_project
from orchestration.resources import RunLockResource, WarehouseResource, dbt_target_path, keep_parse_state

_LAYER_GROUPS = {"staging": "staging", "intermediate": "intermediate", "marts": "marts"}


class EscalationsTranslator(DagsterDbtTranslator):
    """Asset keys by schema, groups by folder, owners and descriptions from the dbt project."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            # sources are the ingestion assets, raw.<table>, or the theme step's tables, voice.<table>
            schema = "voice" if dbt_resource_props.get("source_name") == "voice" else "raw"
            return dg.AssetKey([schema, dbt_resource_props["name"]])
        return dg.AssetKey([self._layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return self._layer(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        owner = (dbt_resource_props.get("meta") or {}).get("owner") or (
            dbt_resource_props.get("config", {}).get("meta") or {}
        ).get("owner")
        return [owner] if owner else [OWNER]

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return (
            dbt_resource_props.get("description")
            or f"dbt {dbt_resource_props['resource_type']} {dbt_resource_props['name']}"
        )

    @staticmethod
    def _layer(props: Mapping[str, Any]) -> str:
        if props["resource_type"] == "seed":
            return "reference"
        fqn = props.get("fqn") or []
        for part in fqn[1:-1]:
            if part in _LAYER_GROUPS:
                return _LAYER_GROUPS[part]
        return "marts"


translator = EscalationsTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


class DbtBuildConfig(dg.Config):
    # rebuild every incremental model from all raw records (dbt build --full-refresh) instead of
    # only the escalations touched since the last build; the results are identical
    full_refresh: bool = False


# The models that read the theme step's tables (and what reads them) build after it, in a dbt
# build of their own: the theme step reads fct_escalations, so it sits between the two builds.
AFTER_VOICE = "source:voice+"


def _build(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
    ship_schemas: tuple[str, ...],
):
    """One dbt build, measured to the run's as-of, with the requester hash key, after shipping
    ``ship_schemas`` of the staging file to the engine (Postgres, Spark; escalations/engines/ship.py).

    Requester identities are hashed with the key of escalations.config.resolve_hash_key: without
    one the step fails, saying how to set it, and nothing downstream is published. dbt gets the
    key in its environment only; the models read it as a DuckDB variable (macro keyed_hash), so it
    is in no SQL text, log or artifact.
    """
    key = resolve_hash_key(warehouse.paths().home)
    as_of = run_as_of(context)
    context.log.info(
        f"SLA clocks measured to {as_of}{' (full refresh)' if config.full_refresh else ''}; "
        f"requester hash key from the {key.source}"
    )
    # dbt's unit tests check the models' logic on hand-made rows, not the night's data: they run
    # in the test suite (tests/test_end_to_end.py), not in every build (as dbt advises)
    args = ["build", "--exclude-resource-type", "unit_test"]
    if config.full_refresh:
        args.append("--full-refresh")
    with environ(**dbt_key_environment(key)):
        # Spark registers the shipped tables through dbt's own session (a run-operation: no
        # selection, so no context; its artifacts beside the build's)
        ship_target = dbt_target_path(warehouse.paths(), context).with_suffix(".ship")
        shipped = ship(
            warehouse.paths(), ship_schemas, run_dbt=lambda a: dbt.cli(a, target_path=ship_target).wait()
        )
        if shipped.skipped is None:
            context.log.info(
                f"shipped {shipped.schemas} to {shipped.engine}: {len(shipped.row_counts)} tables, "
                f"{sum(shipped.row_counts.values()):,} rows, counts reconciled ({shipped.seconds:.1f}s)"
            )
    # the as-of goes in the environment, not --vars: dbt reads it when it executes (macro as_of),
    # so the home's parse state stays valid from run to run and dbt parses only changed files
    with environ(**dbt_key_environment(key), ESCALATIONS_AS_OF=as_of):
        invocation = dbt.cli(args, context=context)
        try:
            yield from invocation.stream()
        finally:
            keep_parse_state(warehouse.paths(), invocation.target_path)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    exclude=AFTER_VOICE,
)
def dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    run_lock: RunLockResource,  # the run holds its home and warehouse (orchestration/resources.py)
    config: DbtBuildConfig,
):
    """Build the selected models and run their tests (failed tests fail their asset checks).

    Open SLA clocks are measured to one instant for the whole run: ESCALATIONS_AS_OF when set
    (a reproducible run), else the moment the run was created. The large per-escalation models build
    incrementally (only the escalations touched since the last build, see
    dbt_project/macros/incremental.sql) unless the run config asks for a full refresh.
    """
    yield from _build(context, dbt, warehouse, config, ("raw",))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    select=AFTER_VOICE,
    name="dbt_voice_models",
)
def dbt_voice_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    run_lock: RunLockResource,
    config: DbtBuildConfig,
):
    """The models that read the theme step's tables (fct_emerging_themes, fct_voice_of_creator) and
    the metric alerts they feed, with their tests; measured to the same as-of as the first build."""
    yield from _build(context, dbt, warehouse, config, ("voice",))


def run_as_of(context: dg.AssetExecutionContext | None = None) -> str:
    """ESCALATIONS_AS_OF, else when the run was created (so both dbt builds and the theme step of
    one run measure to the same instant), else now (UTC, whole seconds)."""
    configured = settings().as_of
    if configured:
        return configured
    record = context.instance.get_run_record_by_id(context.run.run_id) if context is not None else None
    stamp = record.create_timestamp if record is not None else datetime.now(UTC)
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


PUBLISHED_FOR = {"tableau": ("tableau_hyper", "postgres_bi"), "powerbi": ("postgres_bi", "parquet")}


def dashboard_specs() -> list[dg.AssetSpec]:
    """The dashboards declared as dbt exposures, as external assets downstream of the marts they read.

    Tableau and Power BI refresh on their own schedules, so Dagster does not materialize these:
    they show in the lineage who depends on each mart.
    """
    manifest = json.loads(dbt_project.manifest_path.read_text())
    specs = []
    for exposure in manifest.get("exposures", {}).values():
        deps = [
            translator.get_asset_key(manifest["nodes"][uid])
            for uid in exposure.get("depends_on", {}).get("nodes", [])
            if uid in manifest["nodes"]
        ]
        tool = (exposure.get("meta") or exposure.get("config", {}).get("meta") or {}).get("tool", "bi")
        # the published outputs each tool reads
        deps += [dg.AssetKey(["publish", name]) for name in PUBLISHED_FOR.get(tool, ())]
        owner = (exposure.get("owner") or {}).get("email")
        specs.append(
            dg.AssetSpec(
                key=dg.AssetKey(["dashboards", exposure["name"]]),
                deps=deps,
                description=exposure.get("description") or exposure.get("label"),
                group_name="dashboards",
                kinds={tool},
                owners=[owner] if owner else [OWNER],
                metadata={
                    "label": exposure.get("label") or exposure["name"],
                    "url": dg.MetadataValue.url(exposure["url"]) if exposure.get("url") else None,
                    "type": exposure.get("type"),
                    "maturity": exposure.get("maturity"),
                },
            )
        )
    return specs
