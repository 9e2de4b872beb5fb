"""The voice step in the whole pipeline: identifiers planted in every kind of free text never leave
raw, restricted escalations are never themed, and the calls reconcile with the Avaya files.

A small generated world gets one more Zendesk requester, ticket and rating, one more Salesforce
case and one more HubSpot ticket, whose text carries a name, an e-mail, phone numbers, an @handle,
a profile link and a user id. After one run of the whole job, every table outside ``raw`` (staging,
intermediate, marts, the redacted text, the theme tables, the published snapshot) is searched for them.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import duckdb
import pytest

from escalations.cli import run_pipeline
from escalations.config import resolve_paths
from escalations.generator import generate
from escalations.publish import duckdb_snapshot_path

AS_OF = "2026-03-10T00:00:00Z"
NAME = "Zebulon Quartermaine"
TEXT = (
    f"Hi,\nmy name is {NAME} (@canary_zq). My payout is missing since last week. Mail me at "
    "zebulon.canary@example.org or call +1 (415) 555-0199, or 0812-3456-7890. Profile: "
    "https://example-platform.com/user/8123456789 and my user id is 8123456789.\nThanks,\nZebulon"
)
# what must never be found outside raw (lowercase)
CANARIES = ("quartermaine", "zebulon", "canary_zq", "555-0199", "4155550199", "0812-3456", "8123456789")


def _page(path: Path, key: str) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _plant(landing: Path) -> None:
    users = _page(landing / "zendesk/users/page-0001.json", "users")
    requester = next(u for u in users["users"] if u["role"] == "end-user")
    zebulon = {
        **requester,
        "id": 29_999_999,
        "name": NAME,
        "email": "zq@canary.example.org",
        "phone": "+1 415 555 0199",
    }
    (landing / "zendesk/users/page-9999.json").write_text(
        json.dumps({"users": [zebulon], "end_of_stream": True})
    )

    tickets = _page(landing / "zendesk/tickets/page-0001.json", "tickets")
    ticket = next(
        t for t in tickets["tickets"] if t["status"] in ("solved", "closed") and t["priority"] != "urgent"
    )
    planted = {**ticket, "id": 999_001, "subject": f"Payout missing for {NAME}", "description": TEXT,
               "requester_id": 29_999_999, "url": ticket["url"].replace(str(ticket["id"]), "999001")}  # fmt: skip
    (landing / "zendesk/tickets/page-9999.json").write_text(
        json.dumps({"tickets": [planted], "end_of_stream": True})
    )
    ratings = _page(landing / "zendesk/satisfaction_ratings/page-0001.json", "satisfaction_ratings")
    rating = {**ratings["satisfaction_ratings"][0], "id": 999_002, "ticket_id": 999_001, "score": "bad",
              "comment": f"{NAME} here: still broken, call +1 (415) 555-0199"}  # fmt: skip
    (landing / "zendesk/satisfaction_ratings/page-9999.json").write_text(
        json.dumps({"satisfaction_ratings": [rating], "next_page": None})
    )

    part = next((landing / "salesforce/Case").glob("*.csv"))
    rows = list(csv.DictReader(io.StringIO(part.read_text(encoding="utf-8"))))
    case = {**rows[0], "Id": "5005g00000CANARYAAV", "Subject": f"Payout missing for {NAME}",
            "Description": TEXT.replace("\n", " "), "SuppliedName": NAME,
            "SuppliedEmail": "zebulon.canary@example.org", "SuppliedPhone": "+1 (415) 555-0199"}  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerow(case)
    (landing / "salesforce/Case/part-9999.csv").write_text(out.getvalue(), encoding="utf-8")

    hub = _page(landing / "hubspot/tickets/page-0001.json", "results")
    h = hub["results"][0]
    planted_h = {**h, "id": "4499999", "properties": {**h["properties"], "subject": f"Payout missing ({NAME})",
                 "content": TEXT, "hs_object_id": "4499999"}}  # fmt: skip
    (landing / "hubspot/tickets/page-9999.json").write_text(json.dumps({"results": [planted_h]}))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    home = tmp_path_factory.mktemp("voice_e2e")
    generate(home / "landing", seed=21, escalations=900, days=60, bad_share=0)
    _plant(home / "landing")
    paths = resolve_paths(home)
    assert run_pipeline(paths, AS_OF), (
        "the pipeline failed on a small generated world with planted identifiers"
    )
    return paths


def _text_columns(conn: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] | None = None) -> list[tuple]:
    where = "table_schema not in ('raw', 'information_schema', 'pg_catalog')"
    if schemas:
        where = "table_schema in (" + ", ".join(f"'{s}'" for s in schemas) + ")"
    return conn.execute(
        f"""select table_schema, table_name, column_name from information_schema.columns
            where {where} and (data_type = 'VARCHAR' or data_type = 'JSON')
            order by 1, 2, 3"""
    ).fetchall()


def _found(conn: duckdb.DuckDBPyConnection, columns: list[tuple]) -> dict[str, int]:
    # views that hash requester identities need the run's key, as dbt's connection has it
    conn.execute("set variable escalations_hash_key = ?", [os.environ["ESCALATIONS_HASH_KEY"]])
    found = {}
    for schema, table, column in columns:
        condition = " or ".join(f"lower(cast(\"{column}\" as varchar)) like '%{c}%'" for c in CANARIES)
        n = conn.execute(f'select count(*) from "{schema}"."{table}" where {condition}').fetchone()[0]
        if n:
            found[f"{schema}.{table}.{column}"] = n
    return found


def test_planted_identifiers_are_in_raw_and_nowhere_else(world):
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        raw = _found(conn, _text_columns(conn, ("raw",)))
        # planted in each text source, so a leak would have something to leak
        for table in (
            "zendesk_tickets",
            "zendesk_satisfaction_ratings",
            "salesforce_case",
            "hubspot_tickets",
        ):
            assert f"raw.{table}.record" in raw, raw
        schemas = {
            r[0]
            for r in conn.execute("select distinct table_schema from information_schema.tables").fetchall()
        }
        assert {"staging", "intermediate", "marts", "restricted", "voice"} <= schemas
        assert _found(conn, _text_columns(conn)) == {}
        redacted = conn.execute(
            "select body, redacted_name, redacted_email, redacted_phone, redacted_handle, redacted_url, "
            "redacted_number from restricted.redacted_text where text_key = 'zendesk_tickets:999001'"
        ).fetchone()
        assert redacted[0].startswith("Hi,\nmy name is [NAME] ([HANDLE]). My payout is missing")
        assert all(n >= 1 for n in redacted[1:]), redacted
        themed = conn.execute(
            "select text_kind, count(*) from voice.text_themes "
            "where escalation_key in ('zendesk:999001', 'hubspot:4499999', 'salesforce:5005g00000CANARYAAV') "
            "group by 1 order by 1"
        ).fetchall()
        assert themed == [("csat_comment", 1), ("request", 3)]  # themed from their redacted text
    with duckdb.connect(str(duckdb_snapshot_path(world.publish)), read_only=True) as snapshot:
        assert _found(snapshot, _text_columns(snapshot)) == {}


def test_restricted_escalations_are_never_themed(world):
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        restricted = conn.execute(
            "select count(*) from marts.fct_escalations where is_restricted"
        ).fetchone()[0]
        leaked = conn.execute(
            """select count(*) from voice.text_themes as t
               inner join marts.fct_escalations as e on t.escalation_key = e.escalation_key
               where e.is_restricted"""
        ).fetchone()[0]
        examples = conn.execute(
            "select string_agg(example_escalation_keys, ', ') from marts.fct_emerging_themes"
        ).fetchone()[0]
        restricted_keys = {
            r[0]
            for r in conn.execute(
                "select escalation_key from marts.fct_escalations where is_restricted"
            ).fetchall()
        }
        in_redacted = conn.execute(
            """select count(*) from restricted.redacted_text as r
               inner join marts.fct_escalations as e on r.escalation_key = e.escalation_key where e.is_restricted"""
        ).fetchone()[0]
    assert restricted > 0 and in_redacted > 0  # they have text, kept in the restricted schema only
    assert leaked == 0
    assert not restricted_keys & set((examples or "").split(", "))


def test_calls_reconcile_with_the_avaya_files(world):
    truth = json.loads((world.landing / "_generator" / "truth.json").read_text())
    with duckdb.connect(str(world.warehouse), read_only=True) as conn:
        calls, segments, linked = conn.execute(
            "select count(*), sum(segments), count(escalation_key) from marts.fct_calls"
        ).fetchone()
        raw = conn.execute("select count(*) from raw.avaya_ech").fetchone()[0]
        offered = conn.execute(
            "select sum(calls_offered) from marts.fct_escalation_kpis_daily where channel = 'phone'"
        ).fetchone()[0]
        columns = {r[0] for r in conn.execute("describe marts.fct_calls").fetchall()}
    assert calls == truth["avaya"]["calls"]["offered"] and segments == raw == truth["avaya"]["segments"]
    assert offered == calls and 0 < linked <= truth["avaya"]["calls"]["linked"]
    assert "calling_pty" not in columns and "caller_digits" not in columns
