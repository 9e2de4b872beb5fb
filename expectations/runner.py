"""Run a Great Expectations suite (a JSON file in ``suites/``) against one mart.

GX's SQL datasource cannot read DuckDB (results are lost when the connection closes), so a DuckDB
mart (and a Spark one: Parquet files read by DuckDB, escalations/engines/reader.py) is read into a
pandas dataframe and validated there; a Postgres mart is validated in Postgres through GX's SQL
datasource. Only the
columns the suite names are read, and a mart of more than ``CHUNK_ROWS`` rows is validated in
chunks: the expectations on the whole table (uniqueness, row count, shares with ``mostly``) on a
frame of just their columns, the row-wise ones chunk by chunk, their results added up. So memory stays bounded at
any size (a 1M-escalation world has 5M status intervals). The result is reduced to what a person
needs to act: which expectations failed, how many rows, and a few sample values.

The suites themselves (finding, reading, adding a run's extra expectations) are ``catalog.py``; the
row-count baselines kept in each warehouse are ``baselines.py``.
"""

from __future__ import annotations

import logging
import math
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from escalations.config import duckdb_config, release_memory
from escalations.engines.reader import DuckDBReader, Reader
from escalations.settings import current as settings
from expectations.baselines import read_baseline, record_baseline
from expectations.catalog import ROW_COUNT, load_suite, suite_names, with_extra
from expectations.fingerprints import Fingerprints, record_fingerprints

SAMPLE_SIZE = 5
# rows per chunk of a large mart (ESCALATIONS_GX_CHUNK_ROWS)
CHUNK_ROWS = settings().gx_chunk_rows
# a mart of more rows is validated in parts, its row-wise expectations on the rows that are new or
# changed since its last pass (expectations/fingerprints.py); a smaller one whole, in one frame
SCOPED_ABOVE_ROWS = 100_000
# expectations that need every row at once
WHOLE_TABLE = frozenset(
    {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique", ROW_COUNT}
)

logging.getLogger("great_expectations").setLevel(logging.WARNING)


@dataclass
class SuiteOutcome:
    suite: str
    relation: str
    success: bool
    row_count: int
    evaluated: int
    failures: list[dict[str, Any]] = field(default_factory=list)
    data_docs: str | None = None
    previous_row_count: int | None = None
    baseline_due: bool = False  # passed, with a row-count band: its row count becomes the baseline
    row_wise_validated: int | None = None  # rows the row-wise expectations read (None: every row)
    row_wise_scope: str = "every row"
    fingerprints: Fingerprints | None = None  # to keep once the suite passed

    def metadata(self) -> dict[str, Any]:
        return {
            "data_docs": self.data_docs,
            "previous_row_count": self.previous_row_count,
            "suite": self.suite,
            "relation": self.relation,
            "row_count": self.row_count,
            "expectations_evaluated": self.evaluated,
            "expectations_failed": len(self.failures),
            "failures": self.failures,
            "row_wise_rows_validated": self.row_count
            if self.row_wise_validated is None
            else self.row_wise_validated,
            "row_wise_scope": self.row_wise_scope,
        }


def _batch_definition(asset):
    try:
        return asset.get_batch_definition("whole_mart")
    except (LookupError, ValueError):
        return asset.add_batch_definition_whole_dataframe("whole_mart")


def validate_dataframe(
    name: str,
    df: pd.DataFrame,
    project_dir: Path | None = None,
    extra_expectations: list[dict[str, Any]] | None = None,
    only: list[int] | None = None,
    spec: dict[str, Any] | None = None,
) -> SuiteOutcome:
    """Validate a dataframe with the named suite (with ``only``: those positions of its list).

    With ``project_dir`` the suite runs through a GX file context there, as a checkpoint that
    stores the result and rebuilds the Data Docs (``outcome.data_docs``); without it, through an
    ephemeral context. Each failure carries ``position``, its expectation's place in the list.
    ``spec`` is the suite when the caller has already read it.
    """
    spec = spec or load_suite(name)
    context = _context(project_dir)
    try:  # kept in the project from run to run: adding it again rewrote the project's config each suite
        source = context.data_sources.get("marts")
    except LookupError:
        source = context.data_sources.add_pandas(name="marts")
    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_dataframe_asset(name=name)
    batch_def = _batch_definition(asset)
    outcome = _run_suite(
        context,
        name,
        batch_def,
        {"dataframe": df},
        spec,
        extra_expectations,
        only,
        project_dir,
        list(df.columns),
    )
    outcome.row_count = len(df)
    return outcome


def validate_sql_table(
    name: str,
    connection_string: str,
    project_dir: Path | None = None,
    extra_expectations: list[dict[str, Any]] | None = None,
    spec: dict[str, Any] | None = None,
    columns: list[str] | None = None,
) -> SuiteOutcome:
    """Validate the suite's relation where it lies, through GX's SQL datasource (Postgres): GX
    computes each expectation as SQL in the database, so no mart is read into Python."""
    spec = spec or load_suite(name)
    schema, table = spec["relation"].split(".")
    context = _context(project_dir)
    source = context.data_sources.add_or_update_postgres(
        name="warehouse", connection_string=connection_string
    )
    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_table_asset(name=name, table_name=table, schema_name=schema)
    try:
        batch_def = asset.get_batch_definition("whole_mart")
    except (LookupError, ValueError):
        batch_def = asset.add_batch_definition_whole_table("whole_mart")
    return _run_suite(
        context, name, batch_def, None, spec, extra_expectations, None, project_dir, columns or []
    )


def _run_suite(
    context,
    name: str,
    batch_def,
    batch_parameters: dict[str, Any] | None,
    spec: dict[str, Any],
    extra_expectations: list[dict[str, Any]] | None,
    only: list[int] | None,
    project_dir: Path | None,
    columns: list[str],
) -> SuiteOutcome:
    """Run the suite (``only`` those positions) on one batch; failures reduced to what a person needs."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    expectations = with_extra(spec["expectations"], extra_expectations)
    positions = list(range(len(expectations))) if only is None else only
    suite = gx.ExpectationSuite(name=name)
    for i in positions:
        exp = expectations[i]
        suite.add_expectation_configuration(
            ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"], meta=exp.get("meta", {}))
        )
    suite = context.suites.add_or_update(suite)
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch_def, suite=suite)
    )
    key = spec.get("key")
    result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_SIZE}
    if key and key in columns:
        # sample bad rows by their key, so a person can look them up
        result_format["unexpected_index_column_names"] = [key]
    data_docs = None
    run_args = {"batch_parameters": batch_parameters} if batch_parameters is not None else {}
    if project_dir is None:
        result = validation.run(result_format=result_format, **run_args)
    else:
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(name=name, validation_definitions=[validation], result_format=result_format)
        )
        checkpoint_result = checkpoint.run(**run_args)
        identifier, result = next(iter(checkpoint_result.run_results.items()))
        data_docs = _docs_site(context)
        pending = _PENDING_DOCS.get(project_dir)
        if pending is None:
            # render only this result's page (and the index), not every stored result again
            context.build_data_docs(resource_identifiers=[identifier])
        else:  # inside data_docs_once: rendered with the others when the batch ends
            pending.append(identifier)
    failures = []
    for position, r in zip(positions, result.results, strict=True):
        if r.success:
            continue
        cfg = r.expectation_config
        res = r.result or {}
        failures.append(
            {
                "position": position,
                "expectation": cfg.type,
                "column": cfg.kwargs.get("column")
                or cfg.kwargs.get("column_list")
                or cfg.kwargs.get("column_A"),
                "why": (cfg.meta or {}).get("why", ""),
                "unexpected_count": res.get("unexpected_count"),
                "element_count": res.get("element_count"),
                "unexpected_percent": None
                if res.get("unexpected_percent") is None
                else round(float(res["unexpected_percent"]), 4),
                "observed_value": _plain(res.get("observed_value")),
                "sample_unexpected": [
                    _plain(v) for v in (res.get("partial_unexpected_list") or [])[:SAMPLE_SIZE]
                ],
                "sample_keys": _sample_keys(res, key),
                "exception": (r.exception_info or {}).get("exception_message")
                if (r.exception_info or {}).get("raised_exception")
                else None,
            }
        )
    return SuiteOutcome(
        suite=name,
        relation=spec["relation"],
        success=bool(result.success),
        row_count=_observed_rows(result),
        evaluated=len(result.results),
        failures=failures,
        data_docs=data_docs,
    )


# results whose Data Docs pages wait for the end of a data_docs_once batch, per project folder
_PENDING_DOCS: dict[Path, list[Any]] = {}


@contextmanager
def data_docs_once(project_dir: Path) -> Iterator[None]:
    """Validations in this block render their Data Docs pages (and the index) together, once, when
    it ends, instead of one rebuild of the index per suite (GX reads every listed result again at
    each rebuild). The pages are rendered even when a validation in the block raised."""
    if project_dir in _PENDING_DOCS:  # nested: the outer block renders
        yield
        return
    _PENDING_DOCS[project_dir] = pending = []
    try:
        yield
    finally:
        del _PENDING_DOCS[project_dir]
        if pending:
            _context(project_dir).build_data_docs(resource_identifiers=pending)


def _docs_site(context) -> str | None:
    """The URL of the local Data Docs site's index page."""
    sites = context.get_docs_sites_urls(only_if_exists=False)
    return sites[0]["site_url"] if sites else None


# one GX context per project folder for the life of the process: a run's checks share it instead
# of each reading the project again (about 0.4 s a suite); an ephemeral one (no folder) is not kept
_CONTEXTS: dict[Path | None, Any] = {}


def _context(project_dir: Path | None):
    """The GX context of ``project_dir`` (made once, and again if its project was removed)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if project_dir is None:  # a new one each time: what one validation left is never another's
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        return context
    context = _CONTEXTS.get(project_dir)
    if context is not None and (project_dir / "gx" / "great_expectations.yml").exists():
        return context
    project_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    _trim_config_variables(project_dir / "gx" / "uncommitted" / "config_variables.yml")
    _limit_docs_index(context)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    _CONTEXTS[project_dir] = context
    return context


def _trim_config_variables(path: Path) -> None:
    """Drop the comments of GX's template from the project's config variables file (it keeps only
    the project's instance_id; this project substitutes no variables). GX parses the file again at
    every read of a context variable, a thousand times in a run's checks, and its 30 lines of
    comments made that about 2.5 s of a run."""
    if not path.exists():
        return
    text = path.read_text()
    kept = "".join(
        line for line in text.splitlines(keepends=True) if line.strip() and not line.lstrip().startswith("#")
    )
    if kept != text:
        path.write_text(kept)


def _limit_docs_index(context) -> None:
    """The Data Docs index lists the newest result of each suite (the last run's), not every result
    kept: GX reads each listed result again whenever a check rebuilds the index, so an index of
    every kept result (KEEP_RESULTS per suite) made each check slower as results piled up."""
    sites = context.variables.data_docs_sites or {}
    site = sites.get("local_site")
    if not site:
        return
    limit = len(suite_names())
    index = dict(site.get("site_index_builder") or {"class_name": "DefaultSiteIndexBuilder"})
    if index.get("validation_results_limit") != limit:
        index["validation_results_limit"] = limit
        context.update_data_docs_site("local_site", {**site, "site_index_builder": index})


def validate_duckdb(
    name: str,
    warehouse: Path,
    quality_dir: Path | None = None,
    record: bool = False,
    run_id: str | None = None,
) -> SuiteOutcome:
    """Read the suite's relation from a DuckDB file (read-only) and validate it (``validate_mart``)."""
    try:
        with duckdb.connect(str(warehouse), read_only=True, config=duckdb_config()) as conn:
            outcome = validate_mart(name, DuckDBReader(conn), quality_dir)
    finally:
        release_memory()
    if record:  # once the read-only connection is closed: written into the file
        keep_baseline(outcome, partial(record_baseline, warehouse), run_id)
        keep_fingerprints(outcome, warehouse, run_id)
    return outcome


def validate_mart(
    name: str, reader: Reader, quality_dir: Path | None = None, connection_string: str | None = None
) -> SuiteOutcome:
    """Validate the suite's relation in the warehouse ``reader`` reads.

    The row count must lie within the suite's ``row_count_band`` of the last run that passed on
    this same warehouse: the baseline is kept in the warehouse (``_quality.row_count_baselines``),
    so another warehouse, in the same home or not, is never held to it, and a copied warehouse
    takes its baselines along. ``keep_baseline`` then makes a pass's row count the new baseline.
    With ``quality_dir``: the GX project and Data Docs live there. On Postgres
    (``connection_string``) GX validates the table in the database (its SQL datasource); elsewhere a
    dataframe read through the reader, in chunks when large.
    """
    spec = load_suite(name)
    extra = []
    band = spec.get("row_count_band")
    if quality_dir:
        _prune_results(quality_dir, name)
    previous = read_baseline(reader, name) if band else None
    if previous and band:
        extra.append(
            {
                "type": "expect_table_row_count_to_be_between",
                "kwargs": {
                    "min_value": math.floor(previous * band[0]),
                    "max_value": math.ceil(previous * band[1]),
                },
                "meta": {
                    "why": f"row count within {band[0]}x-{band[1]}x of the last good run on this "
                    f"warehouse ({previous:,} rows)"
                },
            }
        )
    if connection_string is not None:
        schema, table = spec["relation"].split(".")
        columns = [c for c, _ in reader.columns(schema, table)]
        outcome = validate_sql_table(name, connection_string, quality_dir, extra, spec, columns)
        outcome.row_count = reader.query(f"select count(*) from {spec['relation']}")[0][0]
    else:
        outcome = _validate_relation(reader, name, spec, extra, quality_dir)
    outcome.previous_row_count = previous
    outcome.baseline_due = bool(outcome.success and band)
    return outcome


def keep_baseline(
    outcome: SuiteOutcome, recorder: Callable[[str, int, str | None], None], run_id: str | None = None
) -> None:
    """Make a passing suite's row count its baseline (suites with a ``row_count_band`` only), with
    ``recorder`` writing it into the warehouse (expectations/baselines.py)."""
    if outcome.baseline_due:
        recorder(outcome.suite, outcome.row_count, run_id)


def keep_fingerprints(outcome: SuiteOutcome, warehouse: Path, run_id: str | None = None) -> None:
    """Keep the row fingerprints of a passing suite's mart in the DuckDB ``warehouse``
    (expectations/fingerprints.py), so its next check validates only new or changed rows."""
    if outcome.success and outcome.fingerprints is not None:
        record_fingerprints(warehouse, outcome.fingerprints, run_id)


def _observed_rows(result) -> int:
    """The row count GX saw (its row-count expectation's observed value), else 0 (set by the caller)."""
    for r in result.results:
        if r.expectation_config.type == ROW_COUNT and isinstance((r.result or {}).get("observed_value"), int):
            return r.result["observed_value"]
    return 0


KEEP_RESULTS = 10


def _columns_named(exp: dict[str, Any], columns: list[str]) -> list[str]:
    """The relation's columns an expectation reads (its column arguments and its row condition)."""
    kw = exp["kwargs"]
    named = [kw[k] for k in ("column", "column_A", "column_B") if k in kw] + list(kw.get("column_list", []))
    return named + _condition_columns(kw.get("row_condition"))


def _condition_columns(condition: Any) -> list[str]:
    """Columns of a row condition in GX's serialized form ({"column": {"name": ...}} or an
    and/or of "conditions")."""
    if not isinstance(condition, dict):
        return []
    named = [condition["column"]["name"]] if isinstance(condition.get("column"), dict) else []
    for inner in condition.get("conditions", []):
        named += _condition_columns(inner)
    return named


def _select(relation: str, names: list[str]) -> str:
    quoted = ", ".join('"' + c + '"' for c in names) or "1 as _row"
    return f"select {quoted} from {relation}"


def _validate_relation(reader: Reader, name, spec, extra, quality_dir) -> SuiteOutcome:
    """Validate the suite on the relation: whole when small; else the whole-table part on the whole
    table, and the row-wise part in chunks, on the rows new or changed since its last pass."""
    relation = spec["relation"]
    columns = [c for c, _ in reader.columns(*relation.split("."))]
    expectations = with_extra(spec["expectations"], extra)
    key = spec.get("key")
    keep = [key] if key in columns else []

    def named(positions: list[int]) -> list[str]:
        names = {c for i in positions for c in _columns_named(expectations[i], columns)}
        return [c for c in columns if c in names]

    def needed(positions: list[int]) -> list[str]:
        names = set(named(positions) + keep)
        return [c for c in columns if c in names]

    rows = reader.query(f"select count(*) from {relation}")[0][0]
    every = list(range(len(expectations)))
    if rows <= min(CHUNK_ROWS, SCOPED_ABOVE_ROWS):
        df = reader.frame(_select(relation, needed(every)))
        return validate_dataframe(name, df, project_dir=quality_dir, extra_expectations=extra, spec=spec)
    # a share (``mostly``) holds over the whole table, not over each chunk
    whole = [
        i
        for i in every
        if expectations[i]["type"] in WHOLE_TABLE or expectations[i]["kwargs"].get("mostly") is not None
    ]
    row_wise = [i for i in every if i not in whole]
    # the whole-table expectations (and the Data Docs page) on a frame of just their columns; one
    # that reads no column (the row count) is given the count the engine made, as that many
    # empty rows (GX took 11 s to count a frame of the 5M keys of the status intervals)
    df = (
        reader.frame(_select(relation, needed(whole)))
        if named(whole)
        else pd.DataFrame(index=pd.RangeIndex(rows))
    )
    outcome = validate_dataframe(
        name, df, project_dir=quality_dir, extra_expectations=extra, only=whole, spec=spec
    )
    del df
    parts = [outcome]
    validated, fingerprints = 0, None
    scope = "every row" if row_wise else "no row-wise expectation"
    if row_wise:
        hashed = needed(row_wise)
        condition = ""
        if reader.engine == "duckdb":  # a table: fingerprints can be kept (expectations/fingerprints.py)
            fingerprints = Fingerprints.of(name, relation, hashed, [expectations[i] for i in row_wise])
            if fingerprints.known(reader):
                condition = f" and {fingerprints.unseen()}"
                scope = (
                    "rows new or changed since the last pass on this warehouse (the others equal, in "
                    "every column these expectations read, rows that passed them)"
                )
        for chunk in _chunks(reader, relation, _select(relation, hashed), rows, condition):
            validated += len(chunk)
            parts.append(validate_dataframe(name, chunk, extra_expectations=extra, only=row_wise, spec=spec))
            del chunk
    combined = _combined(parts, rows, len(expectations), outcome.data_docs, row_wise)
    combined.row_wise_validated, combined.row_wise_scope = validated, scope
    combined.fingerprints = fingerprints
    return combined


def _chunks(reader: Reader, relation: str, select: str, rows: int, condition: str) -> Iterator[pd.DataFrame]:
    """The relation's rows (those meeting ``condition``, SQL after an ``and``), CHUNK_ROWS at a time:
    by row id (a mart is a table; ids may have gaps where incremental builds deleted); a view over
    Parquet files (Spark) has no row id: by position, in the files' order."""
    by_rowid = reader.engine == "duckdb"
    top = reader.query(f"select max(rowid) from {relation}")[0][0] if by_rowid else rows - 1
    for start in range(0, (top or 0) + 1, CHUNK_ROWS):
        chunk = reader.frame(
            f"{select} where rowid >= {start} and rowid < {start + CHUNK_ROWS}{condition}"
            if by_rowid
            else f"{select} limit {CHUNK_ROWS} offset {start}"
        )
        if len(chunk):
            yield chunk


def _combined(
    parts: list[SuiteOutcome], rows: int, evaluated: int, data_docs: str | None, row_wise: list[int]
) -> SuiteOutcome:
    """One outcome from the parts: counts added up per expectation, the first samples kept. A
    ``row_wise`` expectation's elements are the table's ``rows``: its parts saw some of them each
    (the chunks, and not the rows unchanged since it passed), and a part that found nothing
    reported no count."""
    merged: dict[int, dict[str, Any]] = {}
    for part in parts:
        for f in part.failures:
            m = merged.get(f["position"])
            if m is None:
                merged[f["position"]] = dict(f)
                continue
            for k in ("unexpected_count", "element_count"):
                if f[k] is not None:
                    m[k] = (m[k] or 0) + f[k]
            for k in ("sample_unexpected", "sample_keys"):
                m[k] = (m[k] + f[k])[:SAMPLE_SIZE]
            m["exception"] = m["exception"] or f["exception"]
    for position in set(merged) & set(row_wise):
        m = merged[position]
        m["element_count"] = rows
        if m["unexpected_count"] is not None and rows:
            m["unexpected_percent"] = round(100.0 * m["unexpected_count"] / rows, 4)
    first = parts[0]
    return SuiteOutcome(
        suite=first.suite,
        relation=first.relation,
        success=all(p.success for p in parts),
        row_count=rows,
        evaluated=evaluated,
        failures=[merged[k] for k in sorted(merged)],
        data_docs=data_docs,
    )


def _prune_results(quality_dir: Path, name: str) -> None:
    """Keep the newest validation results of a suite, so Data Docs do not grow night after night."""
    suite_dir = quality_dir / "gx" / "uncommitted" / "validations" / name
    if not suite_dir.is_dir():
        return
    # validations/<suite>/<run name>/<run time>/<result>.json
    runs = sorted(
        (
            p
            for run_name in suite_dir.iterdir()
            if run_name.is_dir()
            for p in run_name.iterdir()
            if p.is_dir()
        ),
        key=lambda p: p.name,
    )
    for old in runs[:-KEEP_RESULTS]:
        shutil.rmtree(old, ignore_errors=True)


def _sample_keys(res: dict[str, Any], key: str | None) -> list[Any]:
    """The key values of a few unexpected rows (GX reports them when asked by index column)."""
    rows = res.get("partial_unexpected_index_list") or []
    out = []
    for row in rows[:SAMPLE_SIZE]:
        out.append(_plain(row.get(key) if isinstance(row, dict) and key else row))
    return out


def _plain(value: Any) -> Any:
    """Make GX result values JSON-friendly for Dagster metadata."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
