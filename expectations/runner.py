"""Run a Great Expectations suite (a JSON file in ``suites/``) against one mart.

GX's SQL datasource cannot read DuckDB (results are lost when the connection closes), so a DuckDB
mart is read through a read-only connection into a pandas dataframe and validated there. The
result is reduced to what a person needs to act: which expectations failed, how many rows, and
a few sample values.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

SUITES_DIR = Path(__file__).resolve().parent / "suites"
SAMPLE_SIZE = 5

logging.getLogger("great_expectations").setLevel(logging.WARNING)


@dataclass
class SuiteOutcome:
    suite: str
    relation: str
    success: bool
    row_count: int
    evaluated: int
    failures: list[dict[str, Any]] = field(default_factory=list)

    def metadata(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "relation": self.relation,
            "row_count": self.row_count,
            "expectations_evaluated": self.evaluated,
            "expectations_failed": len(self.failures),
            "failures": self.failures,
        }


def suite_names() -> list[str]:
    return sorted(p.stem for p in SUITES_DIR.glob("*.json"))


def load_suite(name: str) -> dict[str, Any]:
    path = SUITES_DIR / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"no expectation suite {path}; suites: {suite_names()}")
    return json.loads(path.read_text())


def validate_dataframe(name: str, df: pd.DataFrame) -> SuiteOutcome:
    """Validate a dataframe with the named suite through an ephemeral GX context."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    spec = load_suite(name)
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas(name=f"{name}_source")
    batch_def = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe("whole_mart")
    suite = gx.ExpectationSuite(name=name)
    for exp in spec["expectations"]:
        suite.add_expectation_configuration(
            ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"], meta=exp.get("meta", {}))
        )
    suite = context.suites.add(suite)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validation", data=batch_def, suite=suite)
    )
    result = validation.run(
        batch_parameters={"dataframe": df},
        result_format={"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE},
    )
    failures = []
    for r in result.results:
        if r.success:
            continue
        cfg = r.expectation_config
        res = r.result or {}
        failures.append(
            {
                "expectation": cfg.type,
                "column": cfg.kwargs.get("column")
                or cfg.kwargs.get("column_list")
                or cfg.kwargs.get("column_A"),
                "why": (cfg.meta or {}).get("why", ""),
                "unexpected_count": res.get("unexpected_count"),
                "unexpected_percent": None
                if res.get("unexpected_percent") is None
                else round(float(res["unexpected_percent"]), 4),
                "observed_value": _plain(res.get("observed_value")),
                "sample_unexpected": [
                    _plain(v) for v in (res.get("partial_unexpected_list") or [])[:SAMPLE_SIZE]
                ],
                "exception": (r.exception_info or {}).get("exception_message")
                if (r.exception_info or {}).get("raised_exception")
                else None,
            }
        )
    return SuiteOutcome(
        suite=name,
        relation=spec["relation"],
        success=bool(result.success),
        row_count=len(df),
        evaluated=len(result.results),
        failures=failures,
    )


def validate_duckdb(name: str, warehouse: Path) -> SuiteOutcome:
    """Read the suite's relation from a DuckDB file (read-only) and validate it."""
    relation = load_suite(name)["relation"]
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        df = conn.execute(f"select * from {relation}").df()
    return validate_dataframe(name, df)


def _plain(value: Any) -> Any:
    """Make GX result values JSON-friendly for Dagster metadata."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
