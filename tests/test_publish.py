"""Publishing: every output reads back equal to the marts, a reader holding the published DuckDB
snapshot keeps working while the next version is published, a blocked gate publishes nothing (and
the summary says which check stopped it), a publish killed at any point leaves readers one whole
version and its leftovers are cleaned by the next, and Postgres gets a bi schema that bi_reader
can read and nothing else, swapped under a lock timeout (on a throwaway server).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from engines_support import postgres_or_skip
from worlds import private_world, shared_world

from escalations import publish
from escalations.config import resolve_paths
from escalations.summary import RunOutcome, print_summary
from orchestration.publish import publish_assets
from orchestration.quality import BI_MARTS, MART_KEYS, quality_checks
from orchestration.resources import run_resources

AS_OF = "2026-03-01T00:00:00Z"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    # the world test_excel.py reads, a copy of its own: these tests publish into it again
    world = shared_world(tmp_path_factory, seed=3, escalations=300, days=35, as_of=AS_OF)
    return private_world(world, tmp_path_factory.mktemp("publish"))


def _marts(warehouse: Path) -> dict[str, tuple[int, list[tuple[str, str]]]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        out = {}
        for table in publish.mart_tables(conn):
            rows = conn.execute(f"select count(*) from marts.{table}").fetchone()[0]
            out[table] = (rows, publish.mart_columns(conn, table))
        return out


def publish_version(warehouse: Path, publish_dir: Path, version: str | None = None) -> str:
    """Publish every output of one version and release it, as the run's publish steps do."""
    version = version or publish.new_version()
    publish.publish_duckdb(warehouse, publish_dir, version)
    publish.publish_parquet(warehouse, publish_dir, version)
    publish.publish_hyper(publish.version_dir(publish_dir, version) / "parquet", publish_dir, version)
    # tiny warehouses lack most marts: their workbook sheets say so (a run's marts are all there)
    publish.publish_excel(publish_dir, version, require_all=False)
    publish.release(publish_dir, version, warehouse=warehouse)
    return version


def _one_fewer(built, tmp_path: Path) -> Path:
    """The next run's warehouse: one escalation fewer."""
    next_warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(built.warehouse, next_warehouse)
    with duckdb.connect(str(next_warehouse)) as conn:
        conn.execute(
            "delete from marts.fct_escalations where escalation_key = (select min(escalation_key) from marts.fct_escalations)"
        )
    return next_warehouse


def test_the_run_publishes_every_checked_mart(built):
    marts = _marts(built.warehouse)
    assert set(marts) == {r.split(".")[1] for r in BI_MARTS}  # every published mart is checked
    assert _marts(built.publish / "duckdb" / "escalations.duckdb") == marts
    current = built.publish / "parquet" / "current"
    manifest = json.loads((current / "manifest.json").read_text())
    assert manifest["run_id"] and manifest["built_at"] and manifest["contract_version"]
    with duckdb.connect() as conn:
        for table, (rows, cols) in marts.items():
            assert manifest["marts"][table]["rows"] == rows
            assert [(c["name"], c["type"]) for c in manifest["marts"][table]["columns"]] == cols
            path = current / f"{table}.parquet"
            assert conn.execute(f"select count(*) from '{path}'").fetchone()[0] == rows
            described = conn.execute(f"describe select * from '{path}'").fetchall()
            assert [(d[0], d[1]) for d in described] == cols


def test_the_hyper_extract_reads_back_with_the_same_rows_and_types(built):
    from tableauhyperapi import Connection, HyperProcess, TableName, Telemetry

    marts = _marts(built.warehouse)
    expected_kind = {
        "VARCHAR": "TEXT",
        "INTEGER": "INT",
        "BIGINT": "BIG_INT",
        "DOUBLE": "DOUBLE",
        "BOOLEAN": "BOOL",
        "DATE": "DATE",
        "TIMESTAMP WITH TIME ZONE": "TIMESTAMP_TZ",
    }
    with (
        HyperProcess(telemetry=Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU) as hyper,
        Connection(hyper.endpoint, str(built.publish / "tableau" / "marts.hyper")) as conn,
    ):
        for table, (rows, cols) in marts.items():
            name = TableName("marts", table)
            assert conn.execute_scalar_query(f"select count(*) from {name}") == rows
            definition = conn.catalog.get_table_definition(name)
            got = [(str(c.name).strip('"'), c.type.tag.name) for c in definition.columns]
            assert got == [(n, expected_kind[t]) for n, t in cols], table


READER = """
import sys, duckdb
conn = duckdb.connect(sys.argv[1], read_only=True)
print(conn.execute("select count(*) from marts.fct_escalations").fetchone()[0], flush=True)
sys.stdin.readline()  # hold the file open until the next version is published
print(conn.execute("select count(*) from marts.fct_escalations").fetchone()[0], flush=True)
"""


def test_a_reader_process_keeps_its_snapshot_while_the_next_one_is_published(built, tmp_path):
    snapshot = built.publish / "duckdb" / "escalations.duckdb"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(snapshot)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    before = int(reader.stdout.readline())
    publish_version(_one_fewer(built, tmp_path), built.publish)
    out, _ = reader.communicate("go\n", timeout=60)
    assert reader.returncode == 0
    assert int(out.strip()) == before  # the reader still sees its own complete version
    with duckdb.connect(str(snapshot), read_only=True) as fresh:
        assert fresh.execute("select count(*) from marts.fct_escalations").fetchone()[0] == before - 1
    for _ in range(publish.KEEP_VERSIONS):
        publish_version(_one_fewer(built, tmp_path), built.publish)
    assert len(list((built.publish / "versions").iterdir())) == publish.KEEP_VERSIONS


def test_a_blocked_gate_publishes_nothing_and_keeps_the_last_version(built, tmp_path, capsys):
    home = tmp_path / "home"
    shutil.copytree(built.publish, home / "publish", symlinks=True)
    warehouse = home / "warehouse.duckdb"
    shutil.copy(built.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # a reply before its escalation: a rule of the mart's GX suite (a duplicate key is a dbt
        # test's, which fails the dbt build before any check: tests/test_quality_gate.py)
        conn.execute(
            "update marts.fct_escalations set first_reply_at = created_at - interval 1 hour "
            "where escalation_key = (select min(escalation_key) from marts.fct_escalations)"
        )
    before = {
        p.name: os.path.realpath(p)
        for p in (home / "publish").glob("*/*")
        if p.name in ("escalations.duckdb", "current", "marts.hyper")
    }
    inodes = {n: os.stat(p).st_ino for n, p in before.items()}

    stand_ins = [dg.AssetSpec(key=key) for key in MART_KEYS]

    @dg.asset(key=["marts", "fct_escalations"])
    def fct_escalations() -> None:
        return None

    gx = next(
        c
        for c in quality_checks
        if dg.AssetCheckKey(dg.AssetKey(["marts", "fct_escalations"]), "gx_fct_escalations") in c.check_keys
    )
    result = dg.materialize(
        [fct_escalations, *[s for s in stand_ins if s.key != fct_escalations.key], *publish_assets, gx],
        selection=[fct_escalations.key, *[a.key for a in publish_assets]],
        resources=run_resources(home=str(home), warehouse=str(warehouse)),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert [e.check_name for e in failed] == ["gx_fct_escalations"]  # the run says which check blocked
    published = {e.asset_key for e in result.get_asset_materialization_events()}
    assert not published & {k for a in publish_assets for k in a.keys}
    after = {p.name: os.path.realpath(p) for p in (home / "publish").glob("*/*") if p.name in before}
    assert after == before
    assert {n: os.stat(p).st_ino for n, p in after.items()} == inodes

    # the summary says this run published nothing and which check stopped it, never the files
    # an earlier run left as if this run had published them
    print_summary(resolve_paths(home, warehouse=warehouse), RunOutcome.from_result(result))
    out = capsys.readouterr().out
    assert (
        "Published    : nothing by this run: 1 blocking check(s) failed: marts.fct_escalations gx_fct_escalations"
        in out
    )
    assert "published by this run" not in out
    assert "published earlier from" in out


# ---- Postgres on a throwaway server (tests/engines_support.py) -------------------------------
@pytest.fixture
def postgres(tmp_path):
    with postgres_or_skip(tmp_path.name) as dsn:
        yield dsn


def test_postgres_bi_schema_is_replaced_and_only_readable_by_bi_reader(
    built, postgres, tmp_path, monkeypatch
):
    import psycopg2
    from psycopg2 import errors

    marts = _marts(built.warehouse)
    owner = psycopg2.connect(**postgres)
    owner.autocommit = True
    with owner.cursor() as cur:
        cur.execute("create schema raw")
        cur.execute("create table raw.requesters (name text)")
        cur.execute("insert into raw.requesters values ('Jane Doe')")
    monkeypatch.setenv("ESCALATIONS_PG_BI_READER_PASSWORD", "reader-secret")  # a login role for BI tools
    first = publish.publish_postgres(built.warehouse, "v1", postgres)
    assert first.row_counts == {t: rows for t, (rows, _) in marts.items()}
    with owner.cursor() as cur:
        for table, (_, cols) in marts.items():
            cur.execute(
                "select column_name, udt_name from information_schema.columns where table_schema = 'bi' "
                "and table_name = %s order by ordinal_position",
                [table],
            )
            udt = {
                "text": "text",
                "integer": "int4",
                "bigint": "int8",
                "double precision": "float8",
                "boolean": "bool",
                "date": "date",
                "timestamptz": "timestamptz",
                "numeric": "numeric",
            }
            assert cur.fetchall() == [(n, udt[publish.PG_TYPES[t]]) for n, t in cols], table

    # the next version replaces bi whole: one escalation fewer
    next_warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(built.warehouse, next_warehouse)
    with duckdb.connect(str(next_warehouse)) as conn:
        conn.execute(
            "delete from marts.fct_escalations where escalation_key = (select min(escalation_key) from marts.fct_escalations)"
        )
    publish.publish_postgres(next_warehouse, "v2", postgres)
    with owner.cursor() as cur:
        cur.execute("select count(*) from bi.fct_escalations")
        assert cur.fetchone()[0] == marts["fct_escalations"][0] - 1
        cur.execute("select nspname from pg_namespace where nspname like 'bi%' order by 1")
        assert [r[0] for r in cur.fetchall()] == ["bi"]

    reader = psycopg2.connect(**{**postgres, "user": "bi_reader"})
    reader.autocommit = True
    with reader.cursor() as cur:
        cur.execute("select count(*) from bi.fct_sla_events")
        assert cur.fetchone()[0] == marts["fct_sla_events"][0]
        for statement, error in (
            ("insert into bi.dim_team (team) values ('x')", errors.InsufficientPrivilege),
            ("delete from bi.fct_escalations", errors.InsufficientPrivilege),
            ("create table bi.scratch (x int)", errors.InsufficientPrivilege),
            ("select * from raw.requesters", errors.InsufficientPrivilege),
        ):
            with pytest.raises(error):
                cur.execute(statement)
    reader.close()
    owner.close()


def test_postgres_publishing_is_skipped_without_settings(built, monkeypatch):
    monkeypatch.delenv("ESCALATIONS_PG_HOST", raising=False)
    published = publish.publish_postgres(built.warehouse, "v")
    assert published.skipped and "ESCALATIONS_PG_HOST" in published.skipped


# ---- one version per run, whatever point publishing is killed at ------------------------------
def _tiny_warehouse(path: Path, escalations: int) -> Path:
    """A warehouse with two small marts: enough to publish, fast to copy."""
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema if not exists marts")
        conn.execute(
            "create or replace table marts.fct_escalations as select 'zendesk:' || range as escalation_key, "
            f"range % 7 as minutes from range({escalations})"
        )
        conn.execute(
            "create or replace table marts.dim_team as select 'team_' || range as team from range(3)"
        )
    return path


PUBLISHER = """
import sys
from pathlib import Path
from escalations import publish
warehouse, publish_dir, version, pause = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
steps = [
    lambda: publish.publish_duckdb(warehouse, publish_dir, version),
    lambda: publish.publish_parquet(warehouse, publish_dir, version),
    lambda: publish.publish_hyper(publish.version_dir(publish_dir, version) / "parquet", publish_dir, version),
    lambda: publish.publish_excel(publish_dir, version, require_all=False),
    lambda: publish.release(publish_dir, version, warehouse=warehouse),
]
for i, step in enumerate(steps):
    step()
    print(i, flush=True)
    if pause == "pause":
        sys.stdin.readline()
"""


def _what_readers_see(publish_dir: Path) -> tuple[int, int, int]:
    """fct_escalations rows in the DuckDB snapshot, the Parquet and the Hyper extract, as BI tools
    open them (the stable paths)."""
    from tableauhyperapi import Connection, HyperProcess, TableName, Telemetry

    with duckdb.connect(str(publish_dir / "duckdb" / "escalations.duckdb"), read_only=True) as conn:
        snapshot = conn.execute("select count(*) from marts.fct_escalations").fetchone()[0]
    with duckdb.connect() as conn:
        parquet = conn.execute(
            f"select count(*) from '{publish_dir / 'parquet' / 'current' / 'fct_escalations.parquet'}'"
        ).fetchone()[0]
    with (
        HyperProcess(telemetry=Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU) as hyper,
        Connection(hyper.endpoint, str(publish_dir / "tableau" / "marts.hyper")) as conn,
    ):
        extract = conn.execute_scalar_query(f"select count(*) from {TableName('marts', 'fct_escalations')}")
    return snapshot, parquet, extract


def _workbook_version(publish_dir: Path) -> str:
    """The version the Excel workbook at its stable path says it is (its Definitions sheet)."""
    import openpyxl

    sheet = openpyxl.load_workbook(publish.excel_path(publish_dir), read_only=True)["Definitions"]
    return next(row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "Version")


def _leftovers(publish_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(publish_dir))
        for p in publish_dir.rglob("*")
        if p.name.startswith(".") or (p.parent.name == "versions" and not (p / "version.json").exists())
    )


# after each step's end, and in the middle of the snapshot and of the Hyper extract
KILL_POINTS = [
    "after:0",
    "after:1",
    "after:2",
    "after:3",
    "after:4",
    "during:.escalations.duckdb.tmp",
    "during:.marts.tmp.hyper",
]


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_publish_killed_at_any_point_leaves_readers_one_whole_version(tmp_path, point):
    publish_dir = tmp_path / "publish"
    old = _tiny_warehouse(tmp_path / "old.duckdb", 100)
    new = _tiny_warehouse(tmp_path / "new.duckdb", 60_000)  # big enough to be caught half-written
    publish_version(old, publish_dir, "20260101T000000Z-old")
    assert _what_readers_see(publish_dir) == (100, 100, 100)
    version = "20260102T000000Z-new"
    kind, where = point.split(":")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            PUBLISHER,
            str(new),
            str(publish_dir),
            version,
            "pause" if kind == "after" else "go",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        if kind == "after":
            for _ in range(int(where) + 1):
                proc.stdout.readline()
                if int(where) > _:
                    proc.stdin.write("\n")
                    proc.stdin.flush()
        else:
            target = publish.version_dir(publish_dir, version) / where
            end = time.monotonic() + 120
            while not target.exists() and proc.poll() is None and time.monotonic() < end:
                time.sleep(0.005)
            assert target.exists(), f"never saw {target} being written"
    finally:
        proc.kill()  # kill -9 of the run while it publishes
        proc.wait(timeout=30)
    released = point == "after:4"
    expected = 60_000 if released else 100
    assert _what_readers_see(publish_dir) == (expected, expected, expected)
    assert publish.published_version(publish_dir)["version"] == (
        version if released else "20260101T000000Z-old"
    )
    assert _workbook_version(publish_dir) == publish.published_version(publish_dir)["version"]

    # the next run's publishing cleans what the killed one left, and releases whole
    publish_version(_tiny_warehouse(tmp_path / "next.duckdb", 70), publish_dir, "20260103T000000Z-next")
    assert _what_readers_see(publish_dir) == (70, 70, 70)
    assert _workbook_version(publish_dir) == "20260103T000000Z-next"
    assert _leftovers(publish_dir) == []
    assert not list(publish_dir.glob("tableau/*.log")) and not list(publish_dir.glob("versions/*/.*"))


def test_published_outputs_take_the_publish_mode(tmp_path, monkeypatch):
    warehouse = _tiny_warehouse(tmp_path / "w.duckdb", 10)
    for setting, file_mode, dir_mode in (("", 0o640, 0o750), ("0600", 0o600, 0o700), ("0644", 0o644, 0o755)):
        monkeypatch.setenv("ESCALATIONS_PUBLISH_MODE", setting)
        publish_dir = tmp_path / f"publish{setting}"
        publish_version(warehouse, publish_dir)
        current = (publish_dir / "current").resolve()
        files = [
            current / "marts.hyper",
            current / "escalations.xlsx",
            current / "version.json",
            *(current / "parquet").iterdir(),
        ]
        assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {oct(file_mode)}, setting
        assert stat.S_IMODE((current / "escalations.duckdb").stat().st_mode) == file_mode & 0o444
        folders = [publish_dir, current.parent, current, current / "parquet", publish_dir / "duckdb"]
        assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {oct(dir_mode)}, setting
    monkeypatch.setenv("ESCALATIONS_PUBLISH_MODE", "0777")
    with pytest.raises(ValueError, match="ESCALATIONS_PUBLISH_MODE"):
        publish_version(warehouse, tmp_path / "bad")


def test_the_first_release_moves_the_old_layout_to_links_through_current(tmp_path):
    """A home published by the layout before version folders: regular files and a Parquet link to
    a dated folder. The first release points the stable paths through current and drops the rest."""
    publish_dir = tmp_path / "publish"
    (publish_dir / "duckdb").mkdir(parents=True)
    (publish_dir / "duckdb" / "escalations-20250101T000000Z.duckdb").write_text("old")
    (publish_dir / "duckdb" / "escalations.duckdb").write_text("old")
    (publish_dir / "parquet" / "20250101T000000Z").mkdir(parents=True)
    (publish_dir / "parquet" / "current").symlink_to("20250101T000000Z")
    (publish_dir / "tableau").mkdir()
    (publish_dir / "tableau" / "marts.hyper").write_text("old")
    (publish_dir / "tableau" / ".marts-20250101T000000Z.hyper").write_text("half")
    publish_version(_tiny_warehouse(tmp_path / "w.duckdb", 5), publish_dir)
    assert _what_readers_see(publish_dir) == (5, 5, 5)
    for stable in (
        "duckdb/escalations.duckdb",
        "parquet/current",
        "tableau/marts.hyper",
        "excel/escalations.xlsx",
    ):
        assert os.readlink(publish_dir / stable).startswith("../current/")
    assert sorted(p.name for p in (publish_dir / "duckdb").iterdir()) == ["escalations.duckdb"]
    assert sorted(p.name for p in (publish_dir / "parquet").iterdir()) == ["current"]
    assert sorted(p.name for p in (publish_dir / "tableau").iterdir()) == ["marts.hyper"]


# ---- Postgres: the swap under a lock timeout ----------------------------------------------------
def test_the_postgres_swap_does_not_queue_behind_a_reader_and_says_who_holds_it(
    tmp_path, postgres, monkeypatch
):
    """A reader's open transaction on bi: the swap waits at most the lock timeout per attempt (so
    new queries never queue long behind it), retries, then gives up naming the reader's session;
    bi stays the old version, whole. Once the reader lets go, a swap with retries goes through."""
    import threading

    import psycopg2

    old = _tiny_warehouse(tmp_path / "old.duckdb", 100)
    new = _tiny_warehouse(tmp_path / "new.duckdb", 60)
    publish.publish_postgres(old, "v1", postgres)
    reader = psycopg2.connect(**postgres, application_name="tableau-live")  # not autocommit
    reader.cursor().execute("select count(*) from bi.fct_escalations")  # holds bi in an open transaction
    # whatever happens, the reader lets go after 25 s (a swap without a lock timeout waits for it)
    timer = threading.Timer(25, reader.rollback)
    timer.start()
    monkeypatch.setenv("ESCALATIONS_PG_LOCK_TIMEOUT", "500ms")
    monkeypatch.setenv("ESCALATIONS_PG_SWAP_ATTEMPTS", "3")
    latencies = []

    def query_meanwhile():
        time.sleep(0.2)
        with psycopg2.connect(**postgres) as other, other.cursor() as cur:
            started = time.monotonic()
            cur.execute("select count(*) from bi.fct_escalations")
            latencies.append((time.monotonic() - started, cur.fetchone()[0]))

    other = threading.Thread(target=query_meanwhile)
    try:
        started = time.monotonic()
        other.start()
        with pytest.raises(publish.SwapBlocked) as blocked:
            publish.publish_postgres(new, "v2", postgres)
        took = time.monotonic() - started
        other.join(timeout=30)
        message = str(blocked.value)
        assert took < 15, took  # 3 attempts of 0.5 s and pauses of 1 + 2 s, not 25 s
        assert f"pid {reader.get_backend_pid()}" in message and "tableau-live" in message
        assert "idle in transaction" in message and "ESCALATIONS_PG_LOCK_TIMEOUT" in message
        assert blocked.value.attempts == 3 and blocked.value.sessions[0]["pid"] == reader.get_backend_pid()
        assert latencies and latencies[0][0] < 2 and latencies[0][1] == 100  # the old bi, whole
        with psycopg2.connect(**postgres) as owner, owner.cursor() as cur:
            cur.execute("select count(*) from bi.fct_escalations")
            assert cur.fetchone()[0] == 100
            cur.execute("select nspname from pg_namespace where nspname like 'bi%' order by 1")
            assert [r[0] for r in cur.fetchall()] == ["bi"]  # the new schema is not left behind
        # the reader ends its transaction a moment later: the retries get through
        timer.cancel()
        threading.Timer(1.0, reader.rollback).start()
        reader.cursor().execute("select count(*) from bi.fct_escalations")
        monkeypatch.setenv("ESCALATIONS_PG_SWAP_ATTEMPTS", "5")
        done = publish.publish_postgres(new, "v3", postgres)
        assert done.row_counts["fct_escalations"] == 60
        assert done.extra["swap_attempts"] >= 2
        assert done.extra["swap_waits"][0]["sessions"][0]["application"] == "tableau-live"
    finally:
        timer.cancel()
        reader.close()
