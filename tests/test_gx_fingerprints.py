"""A large mart's row-wise expectations are validated again only on the rows that are new or changed
since its suite last passed on the same warehouse (expectations/fingerprints.py), with the verdict
and counts of a validation of every row.

Hand-made rows of ``marts.fct_metric_alerts`` (its suite: upper_bound >= lower_bound, upper_bound
>= expected >= lower_bound, observed >= 0), with the runner's size thresholds lowered so that 12
rows count as a large mart validated in chunks of 4.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from expectations import runner
from expectations.catalog import load_suite

SUITE = "fct_metric_alerts"
BETWEEN = "expect_column_values_to_be_between"


@pytest.fixture
def warehouse(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(runner, "SCOPED_ABOVE_ROWS", 5)
    monkeypatch.setattr(runner, "CHUNK_ROWS", 4)
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.fct_metric_alerts (alert_key varchar, lower_bound double, expected double, "
            "upper_bound double, observed double, note varchar)"
        )
        for i in range(12):
            conn.execute(
                "insert into marts.fct_metric_alerts values (?, ?, ?, ?, ?, 'first')",
                [f"a{i:02d}", i, i + 1, i + 2, 10 * i],
            )
    return path


def _sql(warehouse: Path, sql: str) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(sql)


def _check(warehouse: Path) -> runner.SuiteOutcome:
    return runner.validate_duckdb(SUITE, warehouse, record=True)


def _verdict(outcome: runner.SuiteOutcome) -> dict[str, tuple]:
    return {
        f"{f['expectation']}({f['column']})": (f["unexpected_count"], f["element_count"], f["sample_keys"])
        for f in outcome.failures
    }


def test_only_new_and_changed_rows_are_validated_again_with_the_whole_tables_verdict(warehouse, monkeypatch):
    first = _check(warehouse)
    assert first.success and first.row_count == 12
    assert first.row_wise_validated == 12 and first.row_wise_scope == "every row"
    again = _check(warehouse)  # nothing changed since it passed
    assert again.success and again.row_wise_validated == 0 and again.row_wise_scope.startswith("rows new")

    # a column no expectation reads: the verdict cannot change, so nothing is validated again
    _sql(warehouse, "update marts.fct_metric_alerts set note = 'second'")
    assert _check(warehouse).row_wise_validated == 0

    # one row goes bad, another changes and stays good, a new one arrives
    _sql(warehouse, "update marts.fct_metric_alerts set observed = -1 where alert_key = 'a03'")
    _sql(warehouse, "update marts.fct_metric_alerts set observed = 5 where alert_key = 'a07'")
    _sql(warehouse, "insert into marts.fct_metric_alerts values ('a12', 1, 2, 3, 4, 'new')")
    scoped = _check(warehouse)
    assert not scoped.success and scoped.row_count == 13
    assert scoped.row_wise_validated == 3
    assert _verdict(scoped) == {f"{BETWEEN}(observed)": (1, 13, ["a03"])}
    meta = scoped.metadata()
    assert meta["row_wise_rows_validated"] == 3 and meta["row_count"] == 13

    # the same verdict as a validation of every row in one frame
    with monkeypatch.context() as small:
        small.setattr(runner, "SCOPED_ABOVE_ROWS", 1_000)
        small.setattr(runner, "CHUNK_ROWS", 1_000)
        whole = runner.validate_duckdb(SUITE, warehouse)
    assert whole.row_wise_validated is None
    assert _verdict(whole) == _verdict(scoped)

    # a failed check keeps no fingerprints: the bad row and the others changed since the last pass
    # are validated again, until the suite passes
    assert _check(warehouse).row_wise_validated == 3
    _sql(warehouse, "update marts.fct_metric_alerts set observed = 3 where alert_key = 'a03'")
    fixed = _check(warehouse)
    assert fixed.success and fixed.row_wise_validated == 3
    assert _check(warehouse).row_wise_validated == 0

    # a row swapped for another with the same values elsewhere is still checked on its own values:
    # lower and upper bounds swapped in one row
    _sql(
        warehouse,
        "update marts.fct_metric_alerts set lower_bound = upper_bound, upper_bound = lower_bound "
        "where alert_key = 'a05'",
    )
    swapped = _check(warehouse)
    assert swapped.row_wise_validated == 1 and not swapped.success
    assert {f["column"] for f in swapped.failures} == {"upper_bound", "expected"}
    assert all(f["sample_keys"] == ["a05"] for f in swapped.failures)


def test_fingerprints_of_other_expectations_or_another_warehouse_do_not_count(
    warehouse, tmp_path, monkeypatch
):
    assert _check(warehouse).row_wise_validated == 12
    assert _check(warehouse).row_wise_validated == 0

    # the suite changed: what passed the old expectations says nothing about the new ones
    spec = load_suite(SUITE)
    spec["expectations"][3]["kwargs"]["min_value"] = 5
    with monkeypatch.context() as changed:
        changed.setattr(runner, "load_suite", lambda name: spec)
        stricter = _check(warehouse)
    assert stricter.row_wise_validated == 12
    assert _verdict(stricter) == {f"{BETWEEN}(observed)": (1, 12, ["a00"])}

    # a fresh warehouse with the same rows has no fingerprints of its own: every row is validated
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as conn:
        conn.execute(f"attach '{warehouse}' as first (read_only)")
        conn.execute("create schema marts")
        conn.execute("create table marts.fct_metric_alerts as from first.marts.fct_metric_alerts")
    assert _check(other).row_wise_validated == 12


def test_the_row_count_of_a_scoped_mart_is_still_held_to_its_band(warehouse, monkeypatch):
    monkeypatch.setattr(runner, "SCOPED_ABOVE_ROWS", 2)
    assert _check(warehouse).success  # 12 rows: the baseline
    _sql(warehouse, "delete from marts.fct_metric_alerts where alert_key >= 'a05'")  # 5 rows left
    shrunk = _check(warehouse)
    assert not shrunk.success and shrunk.row_wise_validated == 0
    assert [(f["expectation"], f["observed_value"]) for f in shrunk.failures] == [
        ("expect_table_row_count_to_be_between", 5)
    ]


def test_on_spark_every_row_is_validated_by_position_and_nothing_is_kept(warehouse):
    """Spark's marts are views over Parquet files (no row ids): no fingerprints, every row read in
    chunks by position, with the verdict of a DuckDB check of the same rows."""
    from escalations.engines.reader import DuckDBReader

    _sql(warehouse, "update marts.fct_metric_alerts set observed = -1 where alert_key in ('a01', 'a10')")
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        spark = runner.validate_mart(SUITE, DuckDBReader(conn, engine="spark"))
    assert spark.row_wise_validated == 12 and spark.row_wise_scope == "every row"
    assert spark.fingerprints is None
    assert _verdict(spark) == {f"{BETWEEN}(observed)": (2, 12, ["a01", "a10"])}
    assert _verdict(spark) == _verdict(runner.validate_duckdb(SUITE, warehouse))
