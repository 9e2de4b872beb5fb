"""Nightly deliveries from the generator: a full export at a cut, then deltas; and the incremental
nightly build on them.

The properties the incremental path rests on: loading the full export at cut 1 and then the delta
from cut 1 to cut 2 resolves to the same raw records as loading a full export at cut 2; and a
build at cut 1, then a scoped (incremental) build after the delta, leaves every mart and
intermediate table exactly as one full build at cut 2 does, and as a full refresh does after it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from worlds import INCREMENTAL_BOOKKEEPING

from escalations.dbt_runner import run_dbt_process as run_dbt
from escalations.generator import generate
from escalations.ingestion import load_landing
from escalations.ingestion.specs import TABLES

SEED = 5
N = 300
DAYS = 20  # 2026-01-05 .. 2026-01-25
CUT_1 = "2026-01-12T13:00:00Z"
CUT_2 = "2026-01-13T13:00:00Z"
CUT_3 = "2026-01-25T00:00:00Z"  # the world's end


# a build's seeds and models without its data tests (the tables are what these tests compare)
MODELS_AND_SEEDS = ("build", "--exclude-resource-type", "test", "unit_test")


def _raw(warehouse: Path) -> dict[str, set[tuple[str, str]]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {
            t.name: set(conn.execute(f"select id, record::varchar from raw.{t.name}").fetchall())
            for t in TABLES
        }


def _gen(out: Path, **kw) -> dict:
    return generate(out, seed=SEED, escalations=N, days=DAYS, bad_share=0, **kw)


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("deliveries")
    nightly = root / "nightly"
    _gen(nightly / "landing", cut=CUT_1)
    load_landing(nightly / "warehouse.duckdb", nightly / "landing")
    run_dbt(nightly, nightly / "warehouse.duckdb", *MODELS_AND_SEEDS, as_of=CUT_1)
    _gen(nightly / "landing", cut=CUT_2, delta_from=CUT_1)
    load_landing(nightly / "warehouse.duckdb", nightly / "landing")
    # scoped, with the data tests: they must hold on a scoped build too
    run_dbt(
        nightly, nightly / "warehouse.duckdb", "build", "--exclude-resource-type", "unit_test", as_of=CUT_2
    )
    once = root / "once"
    _gen(once / "landing", cut=CUT_2)
    load_landing(once / "warehouse.duckdb", once / "landing")
    run_dbt(once, once / "warehouse.duckdb", *MODELS_AND_SEEDS, as_of=CUT_2)
    return {"nightly": nightly, "once": once}


def test_full_then_delta_resolves_like_one_full_export(deliveries):
    nightly = _raw(deliveries["nightly"] / "warehouse.duckdb")
    once = _raw(deliveries["once"] / "warehouse.duckdb")
    assert sum(map(len, once.values())) > 1000
    for table, rows in once.items():
        assert nightly[table] == rows, table


def test_the_delta_holds_only_what_changed(deliveries):
    landing = deliveries["nightly"] / "landing"
    state = json.loads((landing / "_generator" / "deliveries.json").read_text())
    full, delta = state["deliveries"]
    assert (full["since"], full["cut"], delta["since"], delta["cut"]) == (None, CUT_1, CUT_1, CUT_2)
    assert 0 < delta["records"] < full["records"] / 3
    delta_files = sorted(landing.rglob("delivery-20260113T130000Z-*"))
    assert delta_files and all(p.stat().st_size for p in delta_files)
    # account files come with the first delivery only; the delta's pages sort after the first's
    assert not any(p.parent == landing / "zendesk" for p in delta_files)
    pages = sorted(p.name for p in (landing / "zendesk" / "tickets").iterdir())
    assert pages[0].startswith("delivery-20260112T130000Z-") and pages[-1].startswith(
        "delivery-20260113T130000Z-"
    )
    # nothing already delivered comes again: no duplicates in the quarantine, every ticket is new
    with duckdb.connect(str(deliveries["nightly"] / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(*) from raw._quarantine").fetchone()[0] == 0
        changed = conn.execute(
            "select min(record->>'updated_at') from raw.zendesk_tickets where _source_file like '%20260113T%'"
        ).fetchone()[0]
    assert changed >= CUT_1
    tickets = [
        json.loads(line.rstrip(","))
        for p in (landing / "zendesk" / "tickets").glob("delivery-20260113T130000Z-*")
        for line in p.read_text().splitlines()[1:-1]
    ]
    assert tickets and all(CUT_1 <= t["updated_at"] < CUT_2 for t in tickets)


def test_a_second_delta_and_the_world_end(tmp_path):
    """Two deltas in a row still agree with one export at the end, which is the default world."""
    nightly = tmp_path / "nightly"
    _gen(nightly / "landing", cut=CUT_1)
    _gen(nightly / "landing", cut=CUT_2, delta_from=CUT_1)
    _gen(nightly / "landing", cut=CUT_3, delta_from=CUT_2)
    load_landing(nightly / "warehouse.duckdb", nightly / "landing")
    default = tmp_path / "default"
    _gen(default / "landing")
    load_landing(default / "warehouse.duckdb", default / "landing")
    assert _raw(nightly / "warehouse.duckdb") == _raw(default / "warehouse.duckdb")


def test_a_delta_must_continue_the_last_delivery(tmp_path):
    out = tmp_path / "landing"
    with pytest.raises(FileNotFoundError, match="no delivery with a cut"):
        _gen(out, cut=CUT_2, delta_from=CUT_1)
    _gen(out, cut=CUT_1)
    with pytest.raises(ValueError, match="must start there"):
        _gen(out, cut=CUT_3, delta_from=CUT_2)
    with pytest.raises(ValueError, match="another world"):
        generate(out, seed=SEED + 1, escalations=N, days=DAYS, bad_share=0, cut=CUT_2, delta_from=CUT_1)
    with pytest.raises(ValueError, match="at most its end"):
        _gen(tmp_path / "other", cut="2026-02-01T00:00:00Z")


def _built_tables(conn: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = conn.execute(
        """select table_schema || '.' || table_name from information_schema.tables
           where table_catalog = ? and table_schema in ('intermediate', 'marts') order by 1""",
        [catalog],
    ).fetchall()
    return [name for (name,) in rows if name.split(".")[1] not in INCREMENTAL_BOOKKEEPING]


def _differences(left: Path, right: Path) -> dict[str, tuple[int, int, int]]:
    """Per table: (rows in left, rows only in left, rows only in right), where they differ."""
    with duckdb.connect() as conn:
        conn.execute(f"attach '{left}' as l (read_only)")
        conn.execute(f"attach '{right}' as r (read_only)")
        tables = _built_tables(conn, "l")
        assert tables == _built_tables(conn, "r")
        out = {}
        for t in tables:
            n = conn.execute(f"select count(*) from l.{t}").fetchone()[0]
            only_l = conn.execute(f"select count(*) from (from l.{t} except all from r.{t})").fetchone()[0]
            only_r = conn.execute(f"select count(*) from (from r.{t} except all from l.{t})").fetchone()[0]
            if only_l or only_r:
                out[t] = (n, only_l, only_r)
        return out


def test_the_nightly_build_was_scoped(deliveries):
    with duckdb.connect(str(deliveries["nightly"] / "warehouse.duckdb"), read_only=True) as conn:
        previous, as_of = conn.execute(
            "select previous_loaded_through, as_of from intermediate.int_incremental__watermark"
        ).fetchone()
        touched = conn.execute("select count(*) from intermediate.int_escalations__touched").fetchone()[0]
        total = conn.execute("select count(*) from marts.fct_escalations").fetchone()[0]
    assert previous is not None and as_of.isoformat().startswith("2026-01-13T13:00")
    assert 0 < touched < total, (touched, total)


def test_incremental_build_equals_one_full_build(deliveries):
    nightly, once = deliveries["nightly"], deliveries["once"]
    with duckdb.connect(str(once / "warehouse.duckdb"), read_only=True) as conn:
        for fact in (
            "fct_escalations",
            "fct_sla_events",
            "fct_status_intervals",
            "fct_escalation_kpis_daily",
        ):
            assert conn.execute(f"select count(*) from marts.{fact}").fetchone()[0] > 100, fact
    assert _differences(nightly / "warehouse.duckdb", once / "warehouse.duckdb") == {}


def test_full_refresh_after_the_incremental_build_changes_nothing(deliveries, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(deliveries["nightly"] / "warehouse.duckdb", warehouse)
    run_dbt(tmp_path, warehouse, "run", "--full-refresh", as_of=CUT_2)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute(
            "select previous_loaded_through from intermediate.int_incremental__watermark"
        ).fetchone() == (None,)
    assert _differences(warehouse, deliveries["nightly"] / "warehouse.duckdb") == {}


def _closed_tickets(conn: duckdb.DuckDBPyConnection, n: int) -> list[int]:
    rows = conn.execute(
        """select cast(native_id as bigint) from marts.fct_escalations
           where source_system = 'zendesk' and not is_open order by escalation_key limit ?""",
        [n],
    ).fetchall()
    return [r[0] for r in rows]


def test_replaced_records_partial_runs_and_code_changes_still_equal_a_full_refresh(
    deliveries, tmp_path, monkeypatch
):
    """The cases one delta does not show: a newer version of an audit that carries no events any
    more, and of a metric event that names another ticket (both tickets closed, so only the old
    staged rows know them); a run without staging, then staging alone, then the nightly; and a
    change of what the models depend on (the hash key), which must recompute everything."""
    nightly = tmp_path / "nightly" / "warehouse.duckdb"
    nightly.parent.mkdir()
    shutil.copy(deliveries["nightly"] / "warehouse.duckdb", nightly)
    with duckdb.connect(str(nightly)) as conn:
        emptied, moved_from, moved_to = _closed_tickets(conn, 3)
        conn.execute(
            """update raw.zendesk_ticket_audits set record = json_merge_patch(record, '{"events": []}'),
               _loaded_at = now() where id = (select min(id) from raw.zendesk_ticket_audits
               where json_extract_string(record, '$.ticket_id') = ?)""",
            [str(emptied)],
        )
        changed = conn.execute(
            """update raw.zendesk_ticket_metric_events
               set record = json_merge_patch(record, json_object('ticket_id', ?::bigint)), _loaded_at = now()
               where id in (select id from raw.zendesk_ticket_metric_events
                            where json_extract_string(record, '$.ticket_id') = ?
                            and json_extract_string(record, '$.metric') = 'reply_time')""",
            [moved_to, str(moved_from)],
        ).fetchone()[0]
    assert changed > 0
    run_dbt(tmp_path, nightly, "run", "--exclude", "path:models/staging", as_of=CUT_2)
    run_dbt(tmp_path, nightly, "run", "--select", "path:models/staging", as_of=CUT_2)
    run_dbt(tmp_path, nightly, "run", as_of=CUT_2)
    with duckdb.connect(str(nightly), read_only=True) as conn:
        rows = conn.execute("select escalation_key from intermediate.int_escalations__touched").fetchall()
    touched = {k for (k,) in rows}
    assert {f"zendesk:{emptied}", f"zendesk:{moved_from}", f"zendesk:{moved_to}"} <= touched
    refreshed = tmp_path / "refreshed" / "warehouse.duckdb"
    refreshed.parent.mkdir()
    shutil.copy(nightly, refreshed)
    run_dbt(tmp_path, refreshed, "run", "--full-refresh", as_of=CUT_2)
    assert _differences(nightly, refreshed) == {}

    monkeypatch.setenv("ESCALATIONS_HASH_KEY", "another-key")
    run_dbt(tmp_path, nightly, "run", as_of=CUT_2)
    with duckdb.connect(str(nightly), read_only=True) as conn:
        assert conn.execute(
            "select previous_loaded_through from intermediate.int_incremental__watermark"
        ).fetchone() == (None,)
    run_dbt(tmp_path, refreshed, "run", "--full-refresh", as_of=CUT_2)
    assert _differences(nightly, refreshed) == {}
