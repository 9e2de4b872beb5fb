"""The personal-data scan (escalations/checks.py) on hand-made rows, with hand-checked findings,
on DuckDB and on a throwaway PostgreSQL server: the same findings on both (each engine unpivots
the mart's text cells its own way, escalations/engines/reader.py ``cells``)."""

from __future__ import annotations

import json

import duckdb
from engines_support import postgres_or_skip

from escalations.checks import scan_marts_for_personal_data, scan_personal_data
from escalations.engines.reader import DuckDBReader, PostgresReader

MART = [  # key, note, n, city
    ("a", "mail me at jo.doe@example.com", 1, "Paris"),
    ("b", "call +1 415 555 0100", 2, None),
    ("c", "ping @someone", 3, "  SAM BROWN "),
    ("d", None, 4, "Lyon"),
    ("e", "agent smith here", 5, "Rome"),  # an agent's name is no requester's
]
USERS = [
    {"id": 1, "name": "Sam Brown", "role": "end-user"},
    {"id": 2, "name": "Agent Smith", "role": "agent"},
    {"id": 3, "name": "Bo"},  # no role: an end user, but a name of 3 letters or fewer is not matched
]
# columns in the mart's order, then kinds in the scan's order (email, phone, handle, requester_name)
FOUND = [
    ("note", "email", 1, ["mail me at jo.doe@example.com"]),
    ("note", "phone", 1, ["call +1 415 555 0100"]),
    ("note", "handle", 1, ["ping @someone"]),
    ("city", "requester_name", 1, ["  SAM BROWN "]),
]


def _findings(reader, relation: str = "marts.fct_x") -> list[tuple]:
    return [(f["column"], f["kind"], f["rows"], f["sample"]) for f in scan_personal_data(reader, relation)]


def _together(reader, relations: list[str]) -> dict[str, list[tuple]]:
    return {
        relation: [(f["column"], f["kind"], f["rows"], f["sample"]) for f in found]
        for relation, found in scan_marts_for_personal_data(reader, relations).items()
    }


def _create(execute) -> None:
    execute("create schema marts")
    execute("create schema raw")
    execute("create table marts.fct_x (key varchar, note varchar, n integer, city varchar)")
    execute("create table raw.zendesk_users (id varchar, record varchar)")


def test_the_scan_finds_each_kind_in_its_column_on_duckdb():
    with duckdb.connect() as conn:
        _create(conn.execute)
        conn.executemany("insert into marts.fct_x values (?, ?, ?, ?)", MART)
        conn.executemany(
            "insert into raw.zendesk_users values (?, ?)", [(str(u["id"]), json.dumps(u)) for u in USERS]
        )
        assert _findings(DuckDBReader(conn)) == FOUND
        # scanned with other marts in one query (the gate's step does): each mart's own findings,
        # a cell repeated in many rows counted once per row, a mart without text columns clean
        conn.execute("create table marts.fct_y (city varchar, contact varchar)")
        conn.execute(
            "insert into marts.fct_y values ('Sam Brown', 'x'), ('sam brown', 'y@x.io'), ('Sam Brown', null)"
        )
        conn.execute("create table marts.fct_z (n integer)")
        conn.execute("insert into marts.fct_z values (1)")
        relations = ["marts.fct_x", "marts.fct_y", "marts.fct_z"]
        together = _together(DuckDBReader(conn), relations)
        assert together == {r: _findings(DuckDBReader(conn), r) for r in relations}
        assert together["marts.fct_x"] == FOUND and together["marts.fct_z"] == []
        assert [(c, k, n) for c, k, n, _ in together["marts.fct_y"]] == [
            ("city", "requester_name", 3),
            ("contact", "email", 1),
        ]
        conn.execute("update marts.fct_x set note = 'nothing personal', city = 'Oslo'")
        assert _findings(DuckDBReader(conn)) == []


def test_the_scan_finds_the_same_on_postgres():
    import psycopg2

    with postgres_or_skip("pii_scan") as dsn:
        with psycopg2.connect(**dsn) as pg, pg.cursor() as cur:
            _create(cur.execute)
            cur.executemany("insert into marts.fct_x values (%s, %s, %s, %s)", MART)
            cur.executemany(
                "insert into raw.zendesk_users values (%s, %s)",
                [(str(u["id"]), json.dumps(u)) for u in USERS],
            )
        reader = PostgresReader(dsn)
        try:
            assert _findings(reader) == FOUND
        finally:
            reader.close()
