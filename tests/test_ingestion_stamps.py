"""A file read before is skipped by its stamp, without being read; any write makes it read again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from ingestion_support import page as _page
from ingestion_support import ticket as _ticket

from escalations.ingestion import files as landing_files
from escalations.ingestion import load as loader
from escalations.ingestion import load_landing

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
TICKETS = "zendesk/tickets"


@pytest.fixture
def reads(monkeypatch):
    """The landing-relative paths the loader opens, in order (the real reader does the reading)."""
    opened: list[str] = []
    real = loader.read_file

    def spy(landing, f, max_file_bytes):
        opened.append(f.rel)
        return real(landing, f, max_file_bytes)

    monkeypatch.setattr(loader, "read_file", spy)
    return opened


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (the default waits until their last write is 3 s old)."""
    monkeypatch.setattr(landing_files, "SETTLED_NS", 0)


def _stamps(db: Path, table: str) -> dict[str, str | None]:
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute(
            "select source_file, file_stamp from raw._ingested_files where source_table = ?", [table]
        ).fetchall()
    return dict(rows)


def test_a_nightly_load_opens_only_the_new_files(tmp_path, reads, settled):
    landing, db = tmp_path / "landing", tmp_path / "w.duckdb"
    shutil.copytree(SAMPLES, landing)
    first = load_landing(db, landing)
    found = sum(r.files_found for r in first.values())
    assert len(reads) == found > 10  # every sample file opened once
    assert all(_stamps(db, "zendesk_tickets").values())

    reads.clear()
    (landing / TICKETS / "page-9999.json").write_text(_page([_ticket(9001)]))
    second = load_landing(db, landing)
    assert reads == [f"{TICKETS}/page-9999.json"]
    assert second["zendesk_tickets"].records_loaded == 1
    assert sum(r.files_skipped for r in second.values()) == found
    assert all(r.reconciles for r in second.values())


def test_a_file_rewritten_with_the_same_size_and_mtime_is_read_again(tmp_path, reads, settled):
    landing, db = tmp_path / "landing", tmp_path / "w.duckdb"
    page = landing / TICKETS / "page-0001.json"
    page.parent.mkdir(parents=True)
    page.write_text(_page([_ticket(1, status="open")]))
    load_landing(db, landing, ["zendesk_tickets"])
    before = os.stat(page)

    # same length ("hold" for "open"), same mtime put back: only the change time and content differ
    page.write_text(_page([_ticket(1, status="hold", updated="2026-06-01T11:00:00Z")]))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(page)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    reads.clear()
    res = load_landing(db, landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert reads == [f"{TICKETS}/page-0001.json"]
    assert res.records_loaded == 1 and res.rows_replaced == 1
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("select record->>'status' from raw.zendesk_tickets").fetchall() == [("hold",)]


def test_a_file_replaced_by_a_copy_with_the_same_content_is_read_then_stamped_anew(tmp_path, reads, settled):
    landing, db = tmp_path / "landing", tmp_path / "w.duckdb"
    page = landing / TICKETS / "page-0001.json"
    page.parent.mkdir(parents=True)
    page.write_text(_page([_ticket(1)]))
    load_landing(db, landing, ["zendesk_tickets"])
    old_stamp = _stamps(db, "zendesk_tickets")[f"{TICKETS}/page-0001.json"]

    copy = tmp_path / "copy.json"
    shutil.copy2(page, copy)
    os.replace(copy, page)  # a restore: same bytes and mtime, a new inode and change time
    reads.clear()
    res = load_landing(db, landing, ["zendesk_tickets"])["zendesk_tickets"]
    assert reads == [f"{TICKETS}/page-0001.json"]  # read and hashed: content known, nothing loaded
    assert (res.records_read, res.files_skipped) == (0, 1)
    new_stamp = _stamps(db, "zendesk_tickets")[f"{TICKETS}/page-0001.json"]
    assert new_stamp and new_stamp != old_stamp  # one row still, with the stamp it has now

    reads.clear()
    load_landing(db, landing, ["zendesk_tickets"])
    assert reads == []


def test_a_file_written_just_before_the_read_is_not_stamped(tmp_path, reads, monkeypatch):
    landing, db = tmp_path / "landing", tmp_path / "w.duckdb"
    page = landing / TICKETS / "page-0001.json"
    page.parent.mkdir(parents=True)
    page.write_text(_page([_ticket(1)]))
    load_landing(db, landing, ["zendesk_tickets"])  # the default: written less than 3 s ago
    assert _stamps(db, "zendesk_tickets") == {f"{TICKETS}/page-0001.json": None}

    reads.clear()
    load_landing(db, landing, ["zendesk_tickets"])
    assert reads == [f"{TICKETS}/page-0001.json"]  # no stamp to trust: read and hashed again

    monkeypatch.setattr(landing_files, "SETTLED_NS", 0)
    load_landing(db, landing, ["zendesk_tickets"])  # read once more, and now stamped
    reads.clear()
    load_landing(db, landing, ["zendesk_tickets"])
    assert reads == []


def test_settled_stamp_waits_for_the_last_write_to_age():
    st = os.stat_result(
        (0o100644, 7, 3, 1, 0, 0, 10, 0, 0, 0, 100, 100, 0, 5_000_000_000, 9_000_000_000, 9_000_000_000)
    )
    # times: mtime_ns = ctime_ns = 9 s; the rule keeps a stamp only from 12 s on (3 s later)
    assert landing_files.settled_stamp(st, now_ns=11_999_999_999) is None
    assert landing_files.settled_stamp(st, now_ns=12_000_000_000) == "3:7:10:9000000000:9000000000"


def test_a_warehouse_made_before_stamps_gets_them_on_its_next_load(tmp_path, reads, settled):
    landing, db = tmp_path / "landing", tmp_path / "w.duckdb"
    shutil.copytree(SAMPLES, landing)
    load_landing(db, landing)
    with duckdb.connect(str(db)) as conn:
        conn.execute("alter table raw._ingested_files drop column file_stamp")
    found = len(reads)

    reads.clear()
    again = load_landing(db, landing)
    assert len(reads) == found and sum(r.records_read for r in again.values()) == 0
    reads.clear()
    load_landing(db, landing)
    assert reads == []
