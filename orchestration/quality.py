"""Great Expectations suites as blocking asset checks on the marts BI tools read."""

import dagster as dg

from expectations.runner import load_suite, suite_names, validate_duckdb
from orchestration.resources import WarehouseResource


def _mart_key(relation: str) -> dg.AssetKey:
    return dg.AssetKey(relation.split("."))


def _gx_check(suite: str) -> dg.AssetChecksDefinition:
    spec = load_suite(suite)

    @dg.asset_check(
        asset=_mart_key(spec["relation"]),
        name=f"gx_{suite}",
        blocking=True,
        description=f"Great Expectations suite expectations/suites/{suite}.json: {spec.get('description', '')}",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        outcome = validate_duckdb(suite, warehouse.warehouse_path)
        meta = outcome.metadata()
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None
            if outcome.success
            else "; ".join(
                f"{f['expectation']}({f['column']}): {f['unexpected_count']} unexpected"
                for f in outcome.failures
            ),
            metadata={
                "row_count": meta["row_count"],
                "expectations_evaluated": meta["expectations_evaluated"],
                "expectations_failed": meta["expectations_failed"],
                "failures": dg.MetadataValue.json(meta["failures"]),
            },
        )

    return _check


gx_checks = [_gx_check(name) for name in suite_names()]
