"""What `escalations run` shows on the console: one line per stage, with its steps, seconds and
failed steps (escalations/progress.py); the rest goes to the run's log file."""

from __future__ import annotations

import io
import re

from escalations.progress import StageProgress, stage_of

RAW = frozenset({"zendesk_tickets", "salesforce_case"})


def test_steps_belong_to_stages():
    assert stage_of("extract__zendesk", RAW) == "extract"
    assert stage_of("raw__zendesk_tickets", RAW) == "ingestion"
    assert stage_of("raw__zendesk_tickets_delivered_recently", RAW) == "checks"
    assert stage_of("dbt_models", RAW) == "dbt"
    assert stage_of("dbt_voice_models", RAW) == "dbt (voice)"
    assert stage_of("restricted__redacted_text", RAW) == "voice"
    assert stage_of("marts__fct_escalations_gx_fct_escalations", RAW) == "checks"
    assert stage_of("publish__parquet", RAW) == "publish"
    assert stage_of("report__weekly_brief", RAW) == "report"


def test_one_line_per_stage_with_its_steps_and_failures():
    out = io.StringIO()
    progress = StageProgress(out, RAW)
    for step in ("raw__zendesk_tickets", "raw__salesforce_case"):
        progress.event("STEP_START", step)
        progress.event("STEP_SUCCESS", step)
    progress.event("STEP_START", "dbt_models")
    progress.event("STEP_OUTPUT", "dbt_models")  # not a step's end
    progress.event("STEP_SUCCESS", "dbt_models")
    progress.event("STEP_START", "marts__fct_escalations_gx_fct_escalations")
    progress.event("STEP_FAILURE", "marts__fct_escalations_gx_fct_escalations")
    progress.event("RUN_SUCCESS", None)  # run-level events are not steps
    progress.finish()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert re.fullmatch(r"  \[\s*\d+\.\ds\] ingestion\s+2 steps\s+\d+\.\ds", lines[0]), lines[0]
    assert re.fullmatch(r"  \[\s*\d+\.\ds\] dbt\s+1 step \s+\d+\.\ds", lines[1]), lines[1]
    assert lines[2].endswith("FAILED: marts__fct_escalations_gx_fct_escalations")
