"""The expectation suites: one JSON file per BI-facing mart in ``suites/``, found and read here,
and a run's extra expectations (a row-count band from the warehouse's baseline) joined to a suite's
own. What a suite holds and what dbt tests hold instead is docs/quality.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SUITES_DIR = Path(__file__).resolve().parent / "suites"
ROW_COUNT = "expect_table_row_count_to_be_between"


def suite_names() -> list[str]:
    return sorted(p.stem for p in SUITES_DIR.glob("*.json"))


def load_suite(name: str) -> dict[str, Any]:
    path = SUITES_DIR / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"no expectation suite {path}; suites: {suite_names()}")
    return json.loads(path.read_text())


def with_extra(
    expectations: list[dict[str, Any]], extra: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """The suite's expectations and the run's extra ones. A GX suite holds one row-count
    expectation (a second replaces the first), so a row-count band joins the suite's own: the
    tighter bounds of both."""
    out = list(expectations)
    for exp in extra or []:
        same = next((i for i, e in enumerate(out) if e["type"] == exp["type"] == ROW_COUNT), None)
        if same is None:
            out.append(exp)
            continue
        a, b = out[same]["kwargs"], exp["kwargs"]
        lows = [v for v in (a.get("min_value"), b.get("min_value")) if v is not None]
        highs = [v for v in (a.get("max_value"), b.get("max_value")) if v is not None]
        why = "; ".join(
            w for w in ((out[same].get("meta") or {}).get("why"), (exp.get("meta") or {}).get("why")) if w
        )
        out[same] = {
            "type": ROW_COUNT,
            "kwargs": {"min_value": max(lows) if lows else None, "max_value": min(highs) if highs else None},
            "meta": {"why": why},
        }
    return out
