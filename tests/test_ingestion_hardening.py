"""No single record or file stops a load (issue 14): values the warehouse cannot hold, records the
parser cannot take, far-off timestamps, encodings, links and special files, and which copy of a
duplicate delivery counts. Every case: the bad record (or file) is quarantined with its file,
position and reason, the rest loads, counts reconcile, and a second load does not stumble again."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import duckdb
import pytest
from ingestion_support import page as _page
from ingestion_support import ticket as _ticket

from escalations.ingestion import load as load_module
from escalations.ingestion import load_landing
from escalations.ingestion.load import _Batch

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
BIG = 1180591620717411303424  # 2**70
TICKETS = "zendesk/tickets/page-0001.json"
CASES = "salesforce/Case/part-0001.csv"


@pytest.fixture(autouse=True)
def _as_of(monkeypatch):
    """A fixed as-of, so the plausible window is 2000-01-01 .. 2036-06-15 in every test here."""
    monkeypatch.setenv("ESCALATIONS_AS_OF", "2026-06-15T00:00:00Z")
    for name in (
        "ESCALATIONS_PLAUSIBLE_FROM",
        "ESCALATIONS_PLAUSIBLE_YEARS_AHEAD",
        "ESCALATIONS_MAX_FILE_BYTES",
        "ESCALATIONS_MAX_RECORD_BYTES",
        "ESCALATIONS_SALESFORCE_ENCODING",
    ):
        monkeypatch.delenv(name, raising=False)


def _write(root: Path, rel: str, content: str | bytes, mtime: float | None = None) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def _quarantine(db: Path) -> list[tuple]:
    return _rows(db, "select source_file, position, record_id, reason from raw._quarantine order by 1, 2")


def _detail(db: Path, reason: str) -> str:
    return _rows(db, f"select detail from raw._quarantine where reason = '{reason}'")[0][0]


def _ids(db: Path, table: str) -> list[str]:
    return [r[0] for r in _rows(db, f"select id from raw.{table} order by id")]


def _load(tmp_path: Path, landing: Path, table: str):
    db = tmp_path / "w.duckdb"
    result = load_landing(db, landing, [table])[table]
    assert result.reconciles, result.metadata()
    return db, result


def _case_csv() -> tuple[str, list[str]]:
    header, *rows = (SAMPLES / CASES).read_text().splitlines()
    return header, rows


# ---- values the warehouse cannot hold, records the parser cannot take ------------------------
def test_integers_beyond_64_bits_are_out_of_range_and_the_rest_of_the_file_loads(tmp_path):
    landing = tmp_path / "landing"
    _write(
        landing,
        TICKETS,
        _page(
            [
                _ticket(1),
                _ticket(BIG),  # the id itself
                _ticket(3, requester_id=BIG),  # another field
                _ticket(4, custom_fields=[{"id": 7, "value": 2**63}]),  # nested, just past BIGINT
                _ticket(2**63 - 1),  # the largest BIGINT is fine
            ]
        ),
    )
    db, res = _load(tmp_path, landing, "zendesk_tickets")
    assert (res.records_read, res.records_loaded, res.records_quarantined) == (5, 2, 3)
    assert _quarantine(db) == [
        (TICKETS, 2, str(BIG), "out_of_range"),
        (TICKETS, 3, "3", "out_of_range"),
        (TICKETS, 4, "4", "out_of_range"),
    ]
    assert _ids(db, "zendesk_tickets") == ["1", str(2**63 - 1)]
    details = [r[0] for r in _rows(db, "select detail from raw._quarantine order by position")]
    assert "requester_id" in details[1] and "64-bit" in details[1]
    assert "custom_fields[0].value" in details[2]


@pytest.mark.parametrize("compact", [False, True], ids=["one_per_line", "compact_page"])
@pytest.mark.parametrize("depth", [300, 100_000])
def test_records_nested_too_deep_are_quarantined_without_recursion_errors(tmp_path, depth, compact):
    landing = tmp_path / "landing"
    deep = json.dumps(_ticket(2))[:-1] + ', "x": ' + "[" * depth + "1" + "]" * depth + "}"
    _write(landing, TICKETS, _page([_ticket(1), deep, _ticket(3)], compact=compact))
    db, res = _load(tmp_path, landing, "zendesk_tickets")
    assert _quarantine(db) == [(TICKETS, 2, "2", "too_deep")]
    assert _ids(db, "zendesk_tickets") == ["1", "3"]
    raw = _rows(db, "select raw_text from raw._quarantine")[0][0]
    assert len(raw) < 2100 and raw.startswith('{"id"')


def test_the_deepest_nesting_allowed_loads_and_one_more_level_does_not(tmp_path):
    def nested(levels: int) -> list:
        value: object = 1
        for _ in range(levels):
            value = [value]
        return value  # type: ignore[return-value]

    landing = tmp_path / "landing"
    # the record is level 1, custom_fields 2, its object 3: 251 more lists reach 254 in all
    _write(
        landing,
        TICKETS,
        _page(
            [
                _ticket(1, custom_fields=[{"id": 1, "value": nested(251)}]),
                _ticket(2, custom_fields=[{"id": 1, "value": nested(252)}]),
            ]
        ),
    )
    db, _ = _load(tmp_path, landing, "zendesk_tickets")
    assert _ids(db, "zendesk_tickets") == ["1"]
    assert _quarantine(db) == [(TICKETS, 2, "2", "too_deep")]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_nan_and_infinity_are_quarantined_not_stored_as_null(tmp_path, literal):
    landing = tmp_path / "landing"
    bad = json.dumps(_ticket(2))[:-1] + f', "score": {literal}}}'
    _write(landing, TICKETS, _page([_ticket(1), bad, _ticket(3)]))
    db, _ = _load(tmp_path, landing, "zendesk_tickets")
    assert _quarantine(db) == [(TICKETS, 2, "2", "malformed")]
    assert literal in _detail(db, "malformed")


def test_a_number_python_refuses_to_convert_is_out_of_range(tmp_path):
    landing = tmp_path / "landing"
    bad = json.dumps(_ticket(2))[:-1] + ', "n": ' + "9" * 5000 + "}"
    _write(landing, TICKETS, _page([_ticket(1), bad, _ticket(3)]))
    db, _ = _load(tmp_path, landing, "zendesk_tickets")
    assert _quarantine(db) == [(TICKETS, 2, "2", "out_of_range")]
    assert _ids(db, "zendesk_tickets") == ["1", "3"]


def test_a_nul_character_in_a_json_string_is_an_encoding_problem_and_its_spelling_in_text_loads(tmp_path):
    """``"\\u0000"`` is valid JSON, but no engine keeps the character: Postgres' jsonb and text
    refuse it, so one such ticket failed a whole night's ship to Postgres. It is quarantined on every
    engine alike (the marts stay identical); a text that only spells it (a backslash) loads."""
    landing = tmp_path / "landing"
    spelled = "see \\u0000 in the log"  # a backslash and 'u0000': no NUL
    _write(
        landing,
        TICKETS,
        _page([_ticket(1), _ticket(2, subject="a\x00b"), _ticket(3, subject=spelled),
               _ticket(4, custom_fields=[{"id": 7, "value": "x\x00"}])]),
    )  # fmt: skip
    db, _ = _load(tmp_path, landing, "zendesk_tickets")
    assert _quarantine(db) == [(TICKETS, 2, "2", "encoding"), (TICKETS, 4, "4", "encoding")]
    details = [r[0] for r in _rows(db, "select detail from raw._quarantine order by position")]
    assert "subject" in details[0] and "U+0000" in details[0]
    assert "custom_fields[0].value" in details[1]
    assert _ids(db, "zendesk_tickets") == ["1", "3"]
    stored = _rows(db, "select record->>'subject' from raw.zendesk_tickets where id = '3'")[0][0]
    assert stored == spelled


def test_huge_records_are_too_large_and_long_csv_fields_load(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATIONS_MAX_RECORD_BYTES", "100000")
    landing = tmp_path / "landing"
    _write(landing, TICKETS, _page([_ticket(1), _ticket(2, subject="x" * 200_000), _ticket(3)]))
    db, _ = _load(tmp_path, landing, "zendesk_tickets")
    assert _quarantine(db) == [(TICKETS, 2, "2", "too_large")]
    assert "ESCALATIONS_MAX_RECORD_BYTES" in _detail(db, "too_large")
    assert len(_rows(db, "select raw_text from raw._quarantine")[0][0]) < 2100

    # Python's csv refuses fields over 128 KiB unless told otherwise: a 90 kB and a 200 kB subject
    header, rows = _case_csv()
    cols = header.split(",")
    long_row = rows[0].split(",")
    long_row[cols.index("Subject")] = "y" * 90_000
    huge_row = rows[1].split(",")
    huge_row[cols.index("Subject")] = "z" * 200_000
    _write(landing, CASES, "\n".join([header, ",".join(long_row), ",".join(huge_row)]) + "\n")
    db2 = tmp_path / "w2.duckdb"
    res = load_landing(db2, landing, ["salesforce_case"])["salesforce_case"]
    assert res.reconciles and res.records_loaded == 1
    assert _quarantine(db2) == [(CASES, 3, huge_row[0], "too_large")]


def test_an_unexpected_error_on_one_record_quarantines_that_record(tmp_path, monkeypatch):
    real = load_module.validate

    def flaky(spec, record, window=None):
        if record.get("id") == 2:
            raise ZeroDivisionError("boom on record 2")
        return real(spec, record, window)

    monkeypatch.setattr(load_module, "validate", flaky)
    landing = tmp_path / "landing"
    _write(landing, TICKETS, _page([_ticket(1), _ticket(2), _ticket(3)]))
    db, res = _load(tmp_path, landing, "zendesk_tickets")
    assert _quarantine(db) == [(TICKETS, 2, "2", "unexpected_error")]
    assert "ZeroDivisionError: boom on record 2" in _detail(db, "unexpected_error")
    assert _ids(db, "zendesk_tickets") == ["1", "3"]


@pytest.mark.parametrize("chunk", [_Batch.CHUNK, 1])
def test_an_unexpected_error_on_a_whole_file_quarantines_the_file_and_the_others_load(
    tmp_path, monkeypatch, chunk, caplog
):
    # with a chunk of 1 the file before the failing one is already in DuckDB when it fails
    monkeypatch.setattr(_Batch, "CHUNK", chunk)
    real = load_module._items

    def failing(spec, decoded):
        for n, item in enumerate(real(spec, decoded)):
            if '"id": 21' in decoded.text and n == 2:
                raise OSError("the disk under this file went away")
            yield item

    monkeypatch.setattr(load_module, "_items", failing)
    landing = tmp_path / "landing"
    _write(landing, TICKETS, _page([_ticket(1), _ticket(2)]), mtime=1_700_000_000)
    _write(
        landing,
        "zendesk/tickets/page-0002.json",
        _page([_ticket(20), _ticket(21), _ticket(22)]),
        1_700_000_100,
    )
    _write(landing, "zendesk/tickets/page-0003.json", _page([_ticket(3)]), mtime=1_700_000_200)
    db, res = _load(tmp_path, landing, "zendesk_tickets")
    assert _ids(db, "zendesk_tickets") == ["1", "2", "3"]  # nothing of the failed file
    assert _quarantine(db) == [("zendesk/tickets/page-0002.json", 0, None, "file_error")]
    detail = _detail(db, "file_error")
    assert "page-0002.json" in detail and "the disk under this file went away" in detail
    assert "page-0002.json" in caplog.text
    assert (res.records_read, res.records_loaded, res.records_quarantined, res.files_quarantined) == (
        4,
        3,
        1,
        1,
    )
    # it is marked as read, so the next night does not fail on it again
    again = load_landing(db, landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert again.files_skipped == 3 and again.records_read == 0
    assert len(_quarantine(db)) == 1


def test_a_warehouse_error_stops_the_load_writes_nothing_and_names_the_file(tmp_path, monkeypatch):
    """Only the warehouse itself may stop a load (it is not the file's fault, so the file must not
    be quarantined or marked read): the error says which table and file were being loaded."""
    monkeypatch.setattr(_Batch, "CHUNK", 1)
    real = _Batch.flush

    def full_disk(self):
        if self.flushed >= 1:
            raise load_module.WarehouseError("No space left on device")
        real(self)

    monkeypatch.setattr(_Batch, "flush", full_disk)
    landing = tmp_path / "landing"
    _write(landing, TICKETS, _page([_ticket(1), _ticket(2), _ticket(3)]), mtime=1_700_000_000)
    second = "zendesk/tickets/page-0002.json"  # its records go to DuckDB second: the disk is full
    _write(landing, second, _page([_ticket(4)]), mtime=1_700_000_100)
    db = tmp_path / "w.duckdb"
    with pytest.raises(load_module.WarehouseError) as err:
        load_landing(db, landing, ["zendesk_tickets"])
    assert any(second in note and "zendesk_tickets" in note for note in err.value.__notes__)
    assert _rows(db, "select count(*) from raw.zendesk_tickets") == [(0,)]
    assert _rows(db, "select count(*) from raw._ingested_files") == [(0,)]
    assert _quarantine(db) == []


# ---- far-off timestamps ----------------------------------------------------------------------
def test_timestamps_outside_the_plausible_window_are_out_of_range(tmp_path):
    landing = tmp_path / "landing"
    history = {"hs_pipeline_stage": [{"value": "1", "timestamp": "9999-12-31T23:59:59.000Z"}]}
    _write(
        landing,
        TICKETS,
        _page(
            [
                _ticket(1),
                _ticket(2, created_at="9999-12-31T23:59:59Z"),
                _ticket(3, created_at="1900-01-01T00:00:00Z"),
                _ticket(4, updated_at="0001-01-01T00:00:00+01:00"),  # overflows when compared in UTC
                _ticket(5, due_at="2036-06-16T00:00:00Z"),  # a day past as-of + 10 years
                _ticket(6, due_at="2036-06-14T00:00:00Z"),  # inside
                _ticket(7, created_at="2000-01-01T00:00:00Z"),  # the first instant of the window
            ]
        ),
    )
    hubspot = json.loads((SAMPLES / "hubspot/tickets/page-0001.json").read_text())
    good = hubspot["results"][0]
    far = json.loads(json.dumps(good)) | {"id": "far"}
    far["propertiesWithHistory"] = history
    _write(landing, "hubspot/tickets/page-0001.json", json.dumps({"results": [good, far]}))
    jira = json.loads((SAMPLES / "jira/issues/page-0001.json").read_text())
    jira["issues"][1]["fields"]["duedate"] = "1900-01-01"
    jira["issues"][0]["changelog"]["histories"][0]["created"] = "2999-01-01T00:00:00.000+0000"
    _write(landing, "jira/issues/page-0001.json", json.dumps(jira))
    _write(
        landing,
        "salesforce/Holiday.csv",
        "Id,Name,ActivityDate,IsAllDay,SystemModstamp\n"
        "h1,New Year,2027-01-01,true,2026-01-01T00:00:00.000Z\n"
        "h2,Far,9999-12-31,true,2026-01-01T00:00:00.000Z\n",
    )
    header, rows = _case_csv()
    closed = rows[1].replace("2026-06-04T15:30:00.000Z", "9999-12-31T23:59:59.000Z", 1)
    _write(landing, CASES, "\n".join([header, rows[0], closed]) + "\n")
    db = tmp_path / "w.duckdb"
    results = load_landing(db, landing)
    assert all(r.reconciles for r in results.values())
    out = _rows(
        db,
        "select source_file, position, record_id from raw._quarantine where reason = 'out_of_range' order by 1, 2",
    )
    assert out == [
        ("hubspot/tickets/page-0001.json", 2, "far"),
        ("jira/issues/page-0001.json", 1, "10001"),
        ("jira/issues/page-0001.json", 2, "10002"),
        ("salesforce/Case/part-0001.csv", 3, "5005g00000AbCdFAAV"),
        ("salesforce/Holiday.csv", 3, "h2"),
        (TICKETS, 2, "2"),
        (TICKETS, 3, "3"),
        (TICKETS, 4, "4"),
        (TICKETS, 5, "5"),
    ]
    assert _ids(db, "zendesk_tickets") == ["1", "6", "7"]
    assert _rows(db, "select count(*) from raw._quarantine where reason <> 'out_of_range'") == [(0,)]
    detail = _rows(db, "select detail from raw._quarantine where record_id = '2'")[0][0]
    assert "created_at" in detail and "9999-12-31" in detail and "2000-01-01 .. 2036-06-15" in detail
    detail = _rows(db, "select detail from raw._quarantine where record_id = 'far'")[0][0]
    assert "propertiesWithHistory.hs_pipeline_stage[0].timestamp" in detail


def test_the_plausible_window_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATIONS_PLAUSIBLE_FROM", "2026-01-01")
    monkeypatch.setenv("ESCALATIONS_PLAUSIBLE_YEARS_AHEAD", "1")
    landing = tmp_path / "landing"
    _write(
        landing,
        TICKETS,
        _page(
            [
                _ticket(1, created_at="2025-12-31T23:59:59Z"),
                _ticket(2, created_at="2026-01-01T00:00:00Z"),
                _ticket(3, due_at="2027-06-15T00:00:00Z"),
                _ticket(4, due_at="2027-06-15T00:00:01Z"),
            ]
        ),
    )
    db, _ = _load(tmp_path, landing, "zendesk_tickets")
    assert _ids(db, "zendesk_tickets") == ["2", "3"]
    assert _quarantine(db) == [(TICKETS, 1, "1", "out_of_range"), (TICKETS, 4, "4", "out_of_range")]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ESCALATIONS_PLAUSIBLE_FROM", "yesterday", "ESCALATIONS_PLAUSIBLE_FROM"),
        ("ESCALATIONS_PLAUSIBLE_FROM", "2040-01-01", "not before the end"),
        ("ESCALATIONS_PLAUSIBLE_YEARS_AHEAD", "-3", "ESCALATIONS_PLAUSIBLE_YEARS_AHEAD"),
        ("ESCALATIONS_MAX_FILE_BYTES", "lots", "ESCALATIONS_MAX_FILE_BYTES"),
        ("ESCALATIONS_SALESFORCE_ENCODING", "klingon", "ESCALATIONS_SALESFORCE_ENCODING"),
    ],
)
def test_a_wrong_setting_is_a_clear_error_before_anything_is_read(
    tmp_path, monkeypatch, name, value, message
):
    from escalations.ingestion.settings import ingest_settings

    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        ingest_settings()
    with pytest.raises(ValueError, match=message):
        load_landing(tmp_path / "w.duckdb", SAMPLES)
    assert not (tmp_path / "w.duckdb").exists()


# ---- encodings -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
    ],
)
def test_a_csv_with_a_byte_order_mark_loads_every_row(tmp_path, codec, bom):
    header, rows = _case_csv()
    rows[0] = rows[0].replace("Gift payouts missing", "Pagamentos não recebidos")
    landing = tmp_path / "landing"
    _write(landing, CASES, bom + ("\r\n".join([header, *rows]) + "\r\n").encode(codec))
    db, res = _load(tmp_path, landing, "salesforce_case")
    assert res.records_loaded == 2 and _quarantine(db) == []
    subjects = _rows(db, "select record->>'Subject' from raw.salesforce_case order by id")
    assert subjects == [("Pagamentos não recebidos",), ("Video removed in error",)]


def test_undecodable_bytes_quarantine_their_record_as_encoding_never_replaced(tmp_path):
    header, rows = _case_csv()
    landing = tmp_path / "landing"
    latin1_row = rows[0].replace("Gift payouts missing", "Pagamento não recebido").encode("latin-1")
    _write(landing, CASES, header.encode() + b"\n" + latin1_row + b"\n" + rows[1].encode() + b"\n")
    db, res = _load(tmp_path, landing, "salesforce_case")
    assert _quarantine(db) == [(CASES, 2, "5005g00000AbCdEAAV", "encoding")]
    assert _ids(db, "salesforce_case") == ["5005g00000AbCdFAAV"]
    raw, detail = _rows(db, "select raw_text, detail from raw._quarantine")[0]
    assert "n\\xe3o" in raw and "\ufffd" not in raw
    assert "0xe3" in detail and "ESCALATIONS_SALESFORCE_ENCODING" in detail
    # JSON: a bad byte inside one record's string
    page = _page([_ticket(1), _ticket(2, subject="caf\udce9"), _ticket(3)]).encode("utf-8", "surrogateescape")
    _write(landing, TICKETS, page.replace(b"\\udce9", b"\xe9"))
    db2 = tmp_path / "w2.duckdb"
    res = load_landing(db2, landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert res.reconciles and _quarantine(db2) == [(TICKETS, 2, "2", "encoding")]
    assert _ids(db2, "zendesk_tickets") == ["1", "3"]


def test_a_declared_encoding_decodes_the_source(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATIONS_SALESFORCE_ENCODING", "cp1252")
    header, rows = _case_csv()
    landing = tmp_path / "landing"
    # cp1252 0x85 is "…": decoded it is not a line break, though str.splitlines thinks so
    subject = "Pagamento não recebido… ainda"
    _write(
        landing,
        CASES,
        ("\n".join([header, rows[0].replace("Gift payouts missing", subject), rows[1]]) + "\n").encode(
            "cp1252"
        ),
    )
    db, res = _load(tmp_path, landing, "salesforce_case")
    assert res.records_loaded == 2 and _quarantine(db) == []
    assert _rows(db, "select record->>'Subject' from raw.salesforce_case order by id")[0] == (subject,)


def test_utf16_without_a_byte_order_mark_is_an_encoding_problem_not_missing_ids(tmp_path):
    header, rows = _case_csv()
    landing = tmp_path / "landing"
    _write(landing, CASES, ("\n".join([header, *rows]) + "\n").encode("utf-16-le"))
    db, res = _load(tmp_path, landing, "salesforce_case")
    assert _quarantine(db) == [(CASES, 1, None, "encoding")]
    assert "UTF-16" in _detail(db, "encoding")


# ---- links and special files -----------------------------------------------------------------
def _everything_stored(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        ]
        return "\n".join(str(conn.execute(f"select * from raw.{t}").fetchall()) for t in tables)


def test_links_out_of_the_landing_zone_are_refused_and_nothing_of_the_target_is_read(tmp_path):
    outside = tmp_path / "outside"
    secret = _write(outside, "secret.json", '{"tickets": [{"id": 9, "password": "hunter2"}]}')
    _write(outside, "tickets/page-0001.json", '{"tickets": [{"id": 10, "password": "hunter3"}]}')
    landing = tmp_path / "landing"
    _write(landing, TICKETS, _page([_ticket(1)]))
    os.symlink(secret, landing / "zendesk/tickets/page-0002.json")
    os.symlink(outside / "tickets", landing / "zendesk/ticket_metric_events")  # a directory
    _write(landing, "elsewhere/page.json", _page([_ticket(2)]))
    os.symlink(landing / "elsewhere/page.json", landing / "zendesk/tickets/page-0003.json")  # inside: fine
    db = tmp_path / "w.duckdb"
    results = load_landing(db, landing, ["zendesk_tickets", "zendesk_ticket_metric_events"])
    assert all(r.reconciles for r in results.values())
    assert _quarantine(db) == [
        ("zendesk/ticket_metric_events", 0, None, "link_outside_landing"),
        ("zendesk/tickets/page-0002.json", 0, None, "link_outside_landing"),
    ]
    assert _ids(db, "zendesk_tickets") == ["1", "2"]
    stored = _everything_stored(db)
    assert "hunter2" not in stored and "hunter3" not in stored and "password" not in stored
    # refused once, not again every night
    again = load_landing(db, landing, ["zendesk_tickets", "zendesk_ticket_metric_events"])
    assert sum(r.records_read for r in again.values()) == 0
    assert len(_quarantine(db)) == 2


def test_fifos_and_directories_are_refused_without_blocking(tmp_path):
    landing = tmp_path / "landing"
    _write(landing, TICKETS, _page([_ticket(1)]))
    os.mkfifo(landing / "zendesk/tickets/page-0002.json")
    (landing / "zendesk/tickets/page-0003.json").mkdir()
    done: dict = {}
    worker = threading.Thread(
        target=lambda: done.update(r=load_landing(tmp_path / "w.duckdb", landing, ["zendesk_tickets"]))
    )
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # unblock the reader so the test run can end, then fail
        with open(landing / "zendesk/tickets/page-0002.json", "w"):
            pass
        worker.join()
        pytest.fail("the loader blocked on a FIFO")
    assert done["r"]["zendesk_tickets"].reconciles
    db = tmp_path / "w.duckdb"
    assert _quarantine(db) == [
        ("zendesk/tickets/page-0002.json", 0, None, "not_a_regular_file"),
        ("zendesk/tickets/page-0003.json", 0, None, "not_a_regular_file"),
    ]
    assert "FIFO" in _rows(db, "select detail from raw._quarantine order by source_file")[0][0]
    assert _ids(db, "zendesk_tickets") == ["1"]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    landing = tmp_path / "landing"
    _write(landing, TICKETS, _page([_ticket(1)]))
    _write(landing, "zendesk/tickets/page-0002.json", _page([_ticket(n) for n in range(2, 40)]))
    monkeypatch.setenv("ESCALATIONS_MAX_FILE_BYTES", str((landing / TICKETS).stat().st_size + 10))
    db, res = _load(tmp_path, landing, "zendesk_tickets")
    assert _quarantine(db) == [("zendesk/tickets/page-0002.json", 0, None, "too_large")]
    assert _ids(db, "zendesk_tickets") == ["1"]
    assert "ESCALATIONS_MAX_FILE_BYTES" in _detail(db, "too_large")


# ---- duplicate deliveries ----------------------------------------------------------------------
@pytest.mark.parametrize("copy_name", ["zendesk/tickets/a-copy.json", "zendesk/tickets/zz-copy.json"])
def test_the_earliest_delivered_copy_wins_whatever_the_names(tmp_path, copy_name):
    landing = tmp_path / "landing"
    text = _page([_ticket(1), _ticket(2)])
    _write(landing, TICKETS, text, mtime=1_700_000_000)
    _write(landing, copy_name, text, mtime=1_700_000_500)  # copied in later, under another name
    db, res = _load(tmp_path, landing, "zendesk_tickets")
    assert _rows(db, "select id, _source_file from raw.zendesk_tickets order by id") == [
        ("1", TICKETS),
        ("2", TICKETS),
    ]
    assert _quarantine(db) == [(copy_name, 1, "1", "duplicate"), (copy_name, 2, "2", "duplicate")]
