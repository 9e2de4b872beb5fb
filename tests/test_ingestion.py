"""Loaders against hand-made good and bad files: every bad-record kind, reconciliation, idempotency."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import duckdb
import pytest
from ingestion_support import page as _page
from ingestion_support import ticket as _ticket

from escalations.ingestion import TABLES, load_landing
from escalations.ingestion.load import _Batch

SAMPLES = Path(__file__).parent / "fixtures" / "samples"


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _rows(db: Path, sql: str):
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def _quarantine(db: Path) -> list[tuple]:
    return _rows(db, "select source_file, position, record_id, reason from raw._quarantine order by 1, 2")


def test_samples_load_and_reconcile(tmp_path):
    results = load_landing(tmp_path / "w.duckdb", SAMPLES)
    assert {r.table for r in results.values()} == {t.name for t in TABLES}
    assert all(r.reconciles for r in results.values())
    assert results["zendesk_tickets"].rows_in_table == 2
    assert results["salesforce_case_history"].rows_in_table == 5
    assert _quarantine(tmp_path / "w.duckdb") == []


def test_every_bad_json_kind_is_quarantined_with_position(tmp_path):
    landing = tmp_path / "landing"
    good = [_ticket(1), _ticket(2)]
    _write(
        landing,
        "zendesk/tickets/page-0001.json",
        _page(
            [
                good[0],
                '{"id": 3, "status": "open", "created_at": "2026-06-01T09:00:00Z"',  # malformed (no brace)
                good[1],
                _ticket(None),  # missing id
                _ticket(4, created_at="2026-06-01T09:00:00"),  # zone-less timestamp
                _ticket("abc"),  # wrong type id
                _ticket(5, status=7),  # wrong type field
                _ticket(6, created_at=None),  # no creation time
                '"just a string"',  # not an object
                good[0],  # duplicate
            ]
        ),
    )
    full = _page([_ticket(7), _ticket(8)])
    _write(landing, "zendesk/tickets/page-0002.json", full[: full.index('"id": 8') + 12])  # truncated
    db = tmp_path / "w.duckdb"
    res = load_landing(db, landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert res.reconciles
    assert res.records_read == 12 and res.records_loaded == 3 and res.records_quarantined == 9
    assert _quarantine(db) == [
        ("zendesk/tickets/page-0001.json", 2, "3", "malformed"),
        ("zendesk/tickets/page-0001.json", 4, None, "missing_id"),
        ("zendesk/tickets/page-0001.json", 5, "4", "timestamp_without_zone"),
        ("zendesk/tickets/page-0001.json", 6, "abc", "wrong_type"),
        ("zendesk/tickets/page-0001.json", 7, "5", "wrong_type"),
        ("zendesk/tickets/page-0001.json", 8, "6", "missing_created_at"),
        ("zendesk/tickets/page-0001.json", 9, None, "not_an_object"),
        ("zendesk/tickets/page-0001.json", 10, "1", "duplicate"),
        ("zendesk/tickets/page-0002.json", 2, "8", "truncated"),
    ]
    assert sorted(r[0] for r in _rows(db, "select id from raw.zendesk_tickets")) == ["1", "2", "7"]
    detail = _rows(db, "select detail from raw._quarantine where reason = 'timestamp_without_zone'")[0][0]
    assert "created_at" in detail and "no time zone" in detail


def test_pretty_printed_page_with_a_broken_record_resyncs(tmp_path):
    landing = tmp_path / "landing"
    text = json.dumps({"tickets": [_ticket(1), _ticket(2), _ticket(3)]}, indent=2)
    broken = text.replace('"id": 2,', '"id": 2', 1)  # a missing comma inside record 2 only
    _write(landing, "zendesk/tickets/page-0001.json", broken)
    db = tmp_path / "w.duckdb"
    res = load_landing(db, landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert res.reconciles and res.records_loaded == 2
    assert _quarantine(db) == [("zendesk/tickets/page-0001.json", 2, "2", "malformed")]


@pytest.mark.parametrize("chunk", [_Batch.CHUNK, 1, 3])
def test_versions_newest_wins_stale_quarantined_superseded_counted(tmp_path, monkeypatch, chunk):
    # records move to DuckDB in chunks (a chunk of 1 or 3 splits every page): the same verdicts
    monkeypatch.setattr(_Batch, "CHUNK", chunk)
    landing = tmp_path / "landing"
    _write(
        landing,
        "zendesk/tickets/page-0001.json",
        _page([_ticket(1, "2026-06-01T10:00:00Z", "new", 1), _ticket(1, "2026-06-01T12:00:00Z", "open", 2)]),
    )
    # same updated_at, the later generated_timestamp wins; then an older version arrives late
    _write(
        landing,
        "zendesk/tickets/page-0002.json",
        _page(
            [_ticket(1, "2026-06-01T12:00:00Z", "pending", 3), _ticket(1, "2026-06-01T11:00:00Z", "open", 9)]
        ),
    )
    db = tmp_path / "w.duckdb"
    res = load_landing(db, landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert (res.records_read, res.records_loaded, res.records_superseded, res.records_quarantined) == (
        4,
        1,
        2,
        1,
    )
    assert _rows(db, "select id, record->>'status', _source_file from raw.zendesk_tickets") == [
        ("1", "pending", "zendesk/tickets/page-0002.json")
    ]
    assert _quarantine(db) == [("zendesk/tickets/page-0002.json", 2, "1", "stale_version")]

    # a nightly file: a newer version replaces the row, an older one is stale against the table
    _write(
        landing,
        "zendesk/tickets/page-0003.json",
        _page(
            [_ticket(1, "2026-06-02T08:00:00Z", "solved", 4), _ticket(2), _ticket(1, "2026-05-30T00:00:00Z")]
        ),
    )
    res = load_landing(db, landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert res.files_read == 1 and res.files_skipped == 2
    assert (res.records_read, res.records_loaded, res.records_quarantined, res.rows_replaced) == (3, 2, 1, 1)
    assert _rows(db, "select id, record->>'status' from raw.zendesk_tickets order by id") == [
        ("1", "solved"),
        ("2", "open"),
    ]


def test_csv_truncated_malformed_and_quoted_newlines(tmp_path):
    landing = tmp_path / "landing"
    header = (SAMPLES / "salesforce/CaseHistory/part-0001.csv").read_text().splitlines()[0]
    rows = [
        header,
        "h1,c1,Status,Picklist,New,Working,2026-06-03T08:40:00.000Z,u1,false",
        'h2,c1,Status,Picklist,"Working\nstill",Escalated,2026-06-03T09:40:00.000Z,u1,false',  # quoted newline
        'h3,c1,Status,Picklist,"New,Working,2026-06-03T08:40:00.000Z,u1,false',  # unbalanced quote
        "h4,c1,Status,Picklist,New,Working,2026-06-03T08:40:00.000Z,u1",  # wrong column count
        ",c1,Status,Picklist,New,Working,2026-06-03T08:40:00.000Z,u1,false",  # missing Id
        "h5,c1,Status,Picklist,New,Working,2026-06-03 08:40:00,u1,false",  # no zone
        "h6,c1,Status,Picklist,New,Working,2026-06-03T08:40:00.000Z,u1,maybe",  # wrong type boolean
        "h7,c1,Status,Picklist,New,Working,2026-06-03T08:40:00.000Z,u1,false",
        "h8,c1,Status,Picklist,New,Work",  # truncated last line, no newline
    ]
    _write(landing, "salesforce/CaseHistory/part-0001.csv", "\n".join(rows))
    db = tmp_path / "w.duckdb"
    res = load_landing(db, landing, ["salesforce_case_history"])["salesforce_case_history"]
    assert res.reconciles and res.records_loaded == 3
    assert _quarantine(db) == [
        ("salesforce/CaseHistory/part-0001.csv", 5, "h3", "malformed"),
        ("salesforce/CaseHistory/part-0001.csv", 6, "h4", "malformed"),
        ("salesforce/CaseHistory/part-0001.csv", 7, None, "missing_id"),
        ("salesforce/CaseHistory/part-0001.csv", 8, "h5", "timestamp_without_zone"),
        ("salesforce/CaseHistory/part-0001.csv", 9, "h6", "wrong_type"),
        ("salesforce/CaseHistory/part-0001.csv", 11, "h8", "truncated"),
    ]
    assert _rows(db, "select record->>'OldValue' from raw.salesforce_case_history where id = 'h2'") == [
        ("Working\nstill",)
    ]


def test_unknown_enum_is_loaded_with_a_warning(tmp_path, caplog):
    landing = tmp_path / "landing"
    _write(landing, "zendesk/tickets/page-0001.json", _page([_ticket(1, status="escalated_to_legal")]))
    with caplog.at_level(logging.WARNING):
        res = load_landing(tmp_path / "w.duckdb", landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert res.records_loaded == 1 and res.unknown_enums == {("status", "escalated_to_legal"): 1}
    assert "escalated_to_legal" in caplog.text and "map_" in caplog.text


def test_loading_twice_changes_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLES, landing)
    load_landing(db, landing)

    def snapshot():
        return {
            t.name: _rows(
                db, f"select id, record_hash, _source_file, _loaded_at from raw.{t.name} order by id"
            )
            for t in TABLES
        } | {"q": _quarantine(db), "f": _rows(db, "select * from raw._ingested_files order by 1, 2")}

    before = snapshot()
    second = load_landing(db, landing)
    assert all(r.records_read == 0 for r in second.values())
    assert snapshot() == before


def test_a_zendesk_only_landing_zone_gives_empty_tables_not_errors(tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLES / "zendesk", landing / "zendesk")
    db = tmp_path / "w.duckdb"
    res = load_landing(db, landing)
    assert res["salesforce_case"].files_found == 0 and res["salesforce_case"].rows_in_table == 0
    assert _rows(db, "select count(*) from raw.hubspot_tickets") == [(0,)]
    assert res["zendesk_tickets"].rows_in_table == 2


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.name)
def test_every_table_has_a_sample(spec):
    assert list(SAMPLES.glob(spec.pattern)), f"no sample file for {spec.pattern}"


def test_avaya_ech_segments_keyed_by_call_and_segment_with_the_csv_quarantine_rules(tmp_path):
    landing = tmp_path / "landing"
    sample = (SAMPLES / "avaya/ech/part-0001.csv").read_text().splitlines()
    header, good = sample[0], sample[1:]
    broken = good[0].split(",")
    rows = [
        header,
        *good,  # 88213/1, 88214/1, 88215/1 and 88215/2: four segments of three calls
        good[3],  # the same segment again: a duplicate
        ",".join(["", *broken[1:]]),  # no callid
        ",".join([*broken[:1], "", *broken[2:]]),  # no segment
        ",".join([*broken[:11], "n/a", *broken[12:]]),  # talktime is not a number
        ",".join([*broken[:2], "2026-02-30 09:14:02", *broken[3:]]),  # a day that does not exist
        ",".join([*broken[:2], "2026-06-03T09:14:02Z", *broken[3:]]),  # a zone where the ACD writes wall time
        good[0] + ",extra",  # one field too many
        ",".join([*broken[:1], "3", *broken[2:6]]),  # truncated last line
    ]
    _write(landing, "avaya/ech/part-0001.csv", "\n".join(rows))
    db = tmp_path / "w.duckdb"
    res = load_landing(db, landing, ["avaya_ech"])["avaya_ech"]
    assert res.reconciles and res.records_loaded == 4
    assert _rows(db, "select id from raw.avaya_ech order by id") == [
        ("88213:1",),
        ("88214:1",),
        ("88215:1",),
        ("88215:2",),
    ]
    assert _quarantine(db) == [
        ("avaya/ech/part-0001.csv", 6, "88215:2", "duplicate"),
        ("avaya/ech/part-0001.csv", 7, None, "missing_id"),
        ("avaya/ech/part-0001.csv", 8, "88213", "missing_id"),  # the callid still says which call
        ("avaya/ech/part-0001.csv", 9, "88213", "wrong_type"),
        ("avaya/ech/part-0001.csv", 10, "88213", "bad_timestamp"),
        ("avaya/ech/part-0001.csv", 11, "88213", "bad_timestamp"),
        ("avaya/ech/part-0001.csv", 12, "88213", "malformed"),
        ("avaya/ech/part-0001.csv", 13, "88213", "truncated"),
    ]


def test_the_reasons_reported_add_up_to_the_records_quarantined(tmp_path):
    """Duplicates and stale versions are found when versions are resolved, after the files are read:
    the load's reasons (the run's log and metadata) count them too."""
    landing = tmp_path / "landing"
    newer = _ticket(1, updated="2026-06-01T12:00:00Z")
    older = _ticket(1, updated="2026-06-01T11:00:00Z", status="pending")
    _write(
        landing, "zendesk/tickets/page-0001.json", _page([newer, older, _ticket(2), _ticket(2), "{broken"])
    )
    res = load_landing(tmp_path / "w.duckdb", landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert (res.records_read, res.records_loaded, res.records_quarantined) == (5, 2, 3)
    assert res.quarantine_reasons == {"stale_version": 1, "duplicate": 1, "malformed": 1}
    assert res.metadata()["quarantine_reasons"] == {"duplicate": 1, "malformed": 1, "stale_version": 1}
