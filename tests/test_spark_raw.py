"""The raw layer for Spark: DuckDB's raw and voice tables as Parquet folders Spark reads with the
types the models expect (escalations/engines/spark_raw.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow.parquet as pq

from escalations.engines.spark_raw import export_raw_to_parquet


def _warehouse(path):
    with duckdb.connect(str(path)) as conn:
        conn.execute("set TimeZone = 'America/New_York'")  # the export must not depend on it
        conn.execute("create schema raw")
        conn.execute("create schema voice")
        conn.execute("create schema marts")
        conn.execute(
            "create table raw.zendesk_tickets (id varchar, record json, _loaded_at timestamptz, n integer)"
        )
        conn.execute(
            """insert into raw.zendesk_tickets values
            ('1', '{"a": [1, 2], "b": "Nuku''alofa"}', '2026-03-08 06:30:00+00', 7),
            ('2', null, '2026-11-01 05:30:00+00', null)"""
        )
        conn.execute("create table voice.themes (theme_key varchar, first_made_at timestamp)")
        conn.execute("insert into voice.themes values ('t1', '2026-01-05 10:00:00')")
        conn.execute("create table marts.fct_x (x integer)")  # not a source: not exported


def test_raw_and_voice_tables_become_parquet_folders_with_spark_types(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    _warehouse(db)
    out = tmp_path / "parquet"
    (out / "raw" / "zendesk_tickets").mkdir(parents=True)
    (out / "raw" / "zendesk_tickets" / "stale.parquet").write_text("left by an older export")

    written = export_raw_to_parquet(db, out)

    assert written == {"raw.zendesk_tickets": 2, "voice.themes": 1}
    assert sorted(p.name for p in (out / "raw" / "zendesk_tickets").iterdir()) == ["data.parquet"]
    assert not (out / "marts").exists()
    tickets = pq.read_table(out / "raw" / "zendesk_tickets" / "data.parquet")
    schema = tickets.schema
    assert str(schema.field("record").type) == "string"  # JSON as its text
    assert str(schema.field("_loaded_at").type) == "timestamp[us, tz=UTC]"  # an instant: Spark's timestamp
    rows = sorted(tickets.to_pylist(), key=lambda r: r["id"])
    assert rows[0]["record"] == '{"a": [1, 2], "b": "Nuku\'alofa"}'
    assert rows[0]["_loaded_at"] == datetime(2026, 3, 8, 6, 30, tzinfo=UTC)
    assert rows[1]["record"] is None and rows[1]["n"] is None
    themes = pq.read_table(out / "voice" / "themes" / "data.parquet")
    # a wall time without zone is UTC's: written as that instant, never as a timestamp_ntz
    assert str(themes.schema.field("first_made_at").type) == "timestamp[us, tz=UTC]"
    assert themes.to_pylist()[0]["first_made_at"] == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
