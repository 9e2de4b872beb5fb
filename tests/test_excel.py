"""The published Excel workbook: the sheet writer on hand-made rows (formats, widths, table, frozen
header, conditional colour), then a small world through the whole pipeline, its workbook read back
with openpyxl: every sheet a formatted table, values equal to the snapshot's marts, in the same
version folder as the other outputs, and a failing write that leaves the previous version current.
"""

from __future__ import annotations

import math
import os
import shutil
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import pytest
from worlds import shared_world

from escalations import publish
from escalations.excel import workbook as excel_workbook
from escalations.excel.sheet import (
    DATE,
    DATETIME,
    HOURS_MINUTES,
    RATE,
    SIGNED_HOURS,
    TABLE_STYLE,
    BelowTarget,
    Column,
    Sheet,
    cell_value,
    write_workbook,
)
from escalations.excel.workbook import MAX_LIST_ROWS, TABLES, top_themes
from escalations.summary import RunOutcome, print_summary
from orchestration.publish import publish_assets
from orchestration.quality import MART_KEYS
from orchestration.resources import run_resources

AS_OF = "2026-03-01T00:00:00Z"
SHEETS = [
    "Definitions",
    "Weekly KPIs",
    "SLA by priority",
    "SLA by channel",
    "Open P0-P1",
    "Root causes",
    "Remediation plans",
    "Alerts",
    "Emerging themes",
    "Voice of creators",
]


# ---- the sheet writer, on hand-made rows ------------------------------------------------------
def _hand_made() -> Sheet:
    return Sheet(
        "Hand made",
        "HandMade",
        [
            Column("Week start", DATE),
            Column("Created", "#,##0"),
            Column("Attainment", RATE),
            Column("Median reply", HOURS_MINUTES, minutes=True),
            Column("Due (UTC)", DATETIME),
            Column("Hours to breach", SIGNED_HOURS),
            Column("Name"),
            Column("Open"),
        ],
        [
            (
                date(2026, 3, 2),
                1234,
                0.9,
                90,
                datetime(2026, 3, 2, 10, 30, tzinfo=timezone(timedelta(hours=2))),
                -2.5,
                "alpha",
                True,
            ),  # fmt: skip
            (date(2026, 3, 9), 5, None, 1500, None, 3.25, "a much longer name here", False),
            (date(2026, 3, 16), 0, float("nan"), None, datetime(2026, 3, 17, 0, 0), 0.0, None, False),
        ],
        notes=["What this sheet holds", "The first 3 of 10 rows."],
        highlights=[BelowTarget("Attainment", 0.95)],
    )


def test_the_sheet_writer_makes_one_formatted_table(tmp_path):
    path = tmp_path / "hand.xlsx"
    write_workbook([_hand_made()], title="hand").save(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Hand made"]  # openpyxl's default sheet is gone
    ws = wb["Hand made"]
    assert ws["A1"].value == "What this sheet holds" and ws["A1"].font.bold
    assert ws["A2"].value == "The first 3 of 10 rows."
    assert ws["A3"].value is None  # a blank line, then the header on row 4
    table = ws.tables["HandMade"]
    assert table.ref == "A4:H7"
    assert table.autoFilter.ref == "A4:H7"
    assert table.tableStyleInfo.name == TABLE_STYLE and table.tableStyleInfo.showRowStripes
    assert [c.name for c in table.tableColumns] == [
        "Week start", "Created", "Attainment", "Median reply", "Due (UTC)", "Hours to breach", "Name", "Open",
    ]  # fmt: skip
    assert ws.freeze_panes == "A5"

    # values as Excel stores them, each with its column's format
    assert ws["A5"].value == datetime(2026, 3, 2) and ws["A5"].number_format == "yyyy-mm-dd"
    assert ws["B5"].value == 1234 and ws["B5"].number_format == "#,##0"
    assert ws["C5"].value == 0.9 and ws["C5"].number_format == "0.0%"
    assert ws["C6"].value is None and ws["C7"].value is None  # None and NaN: empty cells
    assert ws["D5"].value == timedelta(minutes=90) and ws["D5"].number_format == "[h]:mm"
    assert ws["D6"].value == timedelta(minutes=1500)  # a duration (read back as one): 25:00
    assert ws["E5"].value == datetime(2026, 3, 2, 8, 30)  # 10:30 at +02:00 is 08:30 UTC, naive
    assert ws["E5"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["F5"].value == -2.5 and ws["F5"].number_format == '#,##0.0" h";[Red]-#,##0.0" h";0.0" h"'
    assert ws["H5"].value == "yes" and ws["H6"].value == "no"

    # widths from the content, never below the header and its filter button
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGH"}
    assert widths["A"] == len("Week start") + 3 + 2  # header 10 + button 3 > content 10
    assert widths["B"] == len("Created") + 3 + 2
    assert widths["G"] == len("a much longer name here") + 2  # content 23 beats the header
    assert widths["F"] == len("Hours to breach") + 3 + 2

    # attainment below target in light red, blank cells not (the rule tests ISNUMBER first)
    rules = {str(r.sqref): r.rules for r in ws.conditional_formatting}
    assert list(rules) == ["C5:C7"]
    assert rules["C5:C7"][0].formula == ["AND(ISNUMBER(C5),C5<0.95)"]
    assert rules["C5:C7"][0].dxf.fill.bgColor.rgb.endswith("FFC7CE")


def test_an_empty_sheet_is_still_a_table_with_one_blank_row(tmp_path):
    sheet = Sheet(
        "Empty", "Empty", [Column("Key"), Column("Count", "#,##0")], [], notes=["Nothing this week."]
    )
    path = tmp_path / "empty.xlsx"
    write_workbook([sheet]).save(path)
    ws = openpyxl.load_workbook(path)["Empty"]
    assert ws.tables["Empty"].ref == "A3:B4"  # Excel wants a data row under the header
    assert ws["A4"].value is None and ws["B4"].number_format == "#,##0"
    assert ws.freeze_panes == "A4"


def test_a_bad_sheet_is_refused_saying_what_is_wrong():
    with pytest.raises(ValueError, match="sheet name"):
        Sheet("Weekly: KPIs", "T", [Column("a")], [])
    with pytest.raises(ValueError, match="table name"):
        Sheet("Fine", "AB12", [Column("a")], [])  # looks like a cell reference
    with pytest.raises(ValueError, match="repeats a column header"):
        Sheet("Fine", "T", [Column("a"), Column("a")], [])
    with pytest.raises(ValueError, match="2 values for 1 columns"):
        Sheet("Fine", "T", [Column("a")], [(1, 2)])


def test_cell_values_and_theme_sums():
    assert cell_value(True, Column("x")) == "yes"
    assert cell_value(math.inf, Column("x")) is None
    assert cell_value(["zendesk:1", "zendesk:2"], Column("x")) == "zendesk:1, zendesk:2"
    assert cell_value(datetime(2026, 1, 1, 12, tzinfo=UTC), Column("x")) == datetime(2026, 1, 1, 12)
    # finer rows' 'label (count); ...' summed, most first, ties by label
    assert top_themes(["payout, late (3); login (1)", "login (4); ban, appeal (1)", "odd"]) == (
        "login (5); payout, late (3); ban, appeal (1)"
    )
    assert top_themes([]) is None


def test_the_workbook_is_written_after_the_snapshot_and_released_with_the_rest():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    excel = dg.AssetKey(["publish", "excel"])
    assert graph.get(excel).parent_keys == {dg.AssetKey(["publish", "duckdb_snapshot"])}
    assert excel in graph.get(dg.AssetKey(["publish", "current"])).parent_keys
    # in the code location, so in the nightly job (it selects every asset)
    assert excel in graph.get_all_asset_keys()


# ---- the workbook of a run --------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    # shared with test_publish.py (tests/worlds.py): read only here
    return shared_world(tmp_path_factory, seed=3, escalations=300, days=35, as_of=AS_OF)


@pytest.fixture(scope="module")
def book(built):
    return openpyxl.load_workbook(publish.excel_path(built.publish))


def _snapshot(built) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(str(publish.duckdb_snapshot_path(built.publish)), read_only=True)
    conn.execute("set TimeZone = 'UTC'")
    return conn


def _table(ws) -> tuple[list[str], list[dict]]:
    """The sheet's one table: its headers and its rows as dicts."""
    (table,) = ws.tables.values()
    cells = ws[table.ref]
    headers = [c.value for c in cells[0]]
    rows = [dict(zip(headers, [c.value for c in row], strict=True)) for row in cells[1:]]
    return headers, [r for r in rows if any(v is not None for v in r.values())]


def test_the_workbook_is_in_the_version_folder_with_the_other_outputs(built):
    version = publish.published_version(built.publish)
    folder = publish.version_dir(built.publish, version["version"])
    link = publish.excel_path(built.publish)
    assert os.readlink(link) == "../current/escalations.xlsx"
    assert link.resolve() == (folder / "escalations.xlsx").resolve()
    assert publish.duckdb_snapshot_path(built.publish).resolve().parent == link.resolve().parent
    assert version["outputs"]["excel/escalations.xlsx"] == f"versions/{version['version']}/escalations.xlsx"
    assert oct(os.stat(link).st_mode & 0o777) == oct(0o640)  # ESCALATIONS_PUBLISH_MODE's default
    assert not list(folder.glob(".*"))


def test_every_sheet_is_a_formatted_table(book):
    assert book.sheetnames == SHEETS
    for ws in book.worksheets:
        (table,) = ws.tables.values()
        assert table.displayName == TABLES[ws.title]  # stable names, for Power Query and formulas
        assert table.tableStyleInfo.name == TABLE_STYLE, ws.title
        assert table.autoFilter.ref == table.ref, ws.title
        top = int(table.ref.split(":")[0][1:])
        assert ws.freeze_panes == f"A{top + 1}", ws.title  # the header stays in view
        assert ws.cell(row=1, column=1).font.bold, ws.title  # what the sheet is, on top
        headers = [c.value for c in ws[table.ref][0]]
        assert all(ws.column_dimensions[chr(65 + i)].width >= 8 for i in range(len(headers))), ws.title


FORMATS = {  # sheet: {header: number format}, hand-picked
    "Weekly KPIs": {
        "Week start": "yyyy-mm-dd", "Created": "#,##0", "Backlog at week end": "#,##0",
        "SLA attainment": "0.0%", "CSAT good": "0.0%", "Median first reply": "[h]:mm",
        "Calls offered": "#,##0", "Abandon rate": "0.0%", "Average handle time": "[h]:mm:ss",
    },
    "SLA by priority": {"Achieved": "#,##0", "Breached": "#,##0", "Attainment": "0.0%"},
    "SLA by channel": {"Achieved": "#,##0", "Attainment": "0.0%"},
    "Open P0-P1": {"Created (UTC)": "yyyy-mm-dd hh:mm", "Due (UTC)": "yyyy-mm-dd hh:mm",
                   "Hours to breach": '#,##0.0" h";[Red]-#,##0.0" h";0.0" h"'},
    "Root causes": {"Share": "0.0%", "Cumulative share": "0.0%", "Change vs previous 4 weeks": "+0%;-0%;0%"},
    "Remediation plans": {"Due": "yyyy-mm-dd", "Shipped": "yyyy-mm-dd", "Effect": "+0%;-0%;0%"},
    "Alerts": {"First detected (UTC)": "yyyy-mm-dd hh:mm", "Score": "0.0"},
    "Emerging themes": {"Share": "0.0%", "Usual share": "0.0%"},
    "Voice of creators": {"CSAT responses": "#,##0", "Good rate": "0.0%", "Bad rate": "0.0%"},
}  # fmt: skip


@pytest.mark.parametrize("title", list(FORMATS))
def test_named_columns_carry_their_number_formats(book, title):
    ws = book[title]
    (table,) = ws.tables.values()
    cells = ws[table.ref]
    headers = [c.value for c in cells[0]]
    for header, fmt in FORMATS[title].items():
        j = headers.index(header)
        got = {row[j].number_format for row in cells[1:]}
        assert got == {fmt}, f"{title} / {header}"


def test_definitions_say_version_as_of_run_and_source_marts(built, book):
    ws = book["Definitions"]
    version = publish.published_version(built.publish)
    top = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(2, 7)}
    assert top["Version"] == version["version"]
    assert top["Run"] == version["run_id"]
    with _snapshot(built) as conn:
        as_of = publish.marts_as_of(conn)
        marts = set(publish.mart_tables(conn))
    assert top["As of (UTC)"] == as_of.astimezone(UTC).replace(tzinfo=None)
    headers, rows = _table(ws)
    assert headers == ["Term", "Definition", "Sheet", "Source mart"]
    assert len(rows) >= 20
    for row in rows:  # each term names marts that exist
        named = {m.strip().removeprefix("marts.") for m in row["Source mart"].split(",")}
        assert named <= marts, row


def test_weekly_kpis_agree_with_the_snapshot(built, book):
    _, rows = _table(book["Weekly KPIs"])
    assert 5 <= len(rows) <= 26
    with _snapshot(built) as conn:
        for row in rows:
            start = row["Week start"].date()
            created = conn.execute(
                "select count(*) from marts.fct_escalations where created_date_local between ? and ?",
                [start, start + timedelta(days=6)],
            ).fetchone()[0]
            assert row["Created"] == created, row["ISO week"]
            achieved, breached = conn.execute(
                "select sum(sla_achieved), sum(sla_breached) from marts.fct_escalation_kpis_daily "
                "where date_day between ? and ?",
                [start, start + timedelta(days=6)],
            ).fetchone()
            if achieved + breached:
                assert row["SLA attainment"] == pytest.approx(achieved / (achieved + breached))
    assert sum(r["Complete week"] == "no" for r in rows) <= 1  # at most the running week
    busy = max(rows, key=lambda r: r["Created"])
    assert isinstance(busy["Median first reply"], timedelta)  # a duration, read back as one
    with _snapshot(built) as conn:
        start = busy["Week start"].date()
        median = conn.execute(
            "select median(first_reply_minutes_calendar) from marts.fct_escalations "
            "where created_date_local between ? and ?",
            [start, start + timedelta(days=6)],
        ).fetchone()[0]
    assert busy["Median first reply"].total_seconds() / 60 == pytest.approx(median, abs=0.01)


def test_sla_by_priority_and_channel_sum_to_the_weekly_verdicts(book):
    _, weekly = _table(book["Weekly KPIs"])
    for title in ("SLA by priority", "SLA by channel"):
        _, rows = _table(book[title])
        assert rows, title
        for week in weekly:
            mine = [r for r in rows if r["ISO week"] == week["ISO week"]]
            achieved = sum(r["Achieved"] for r in mine)
            breached = sum(r["Breached"] for r in mine)
            if achieved + breached:
                assert achieved / (achieved + breached) == pytest.approx(week["SLA attainment"]), title
        assert all(
            r["Attainment"] == pytest.approx(r["Achieved"] / (r["Achieved"] + r["Breached"])) for r in rows
        )


def test_open_p0_p1_is_the_query_and_carries_no_text(built, book):
    ws = book["Open P0-P1"]
    _, rows = _table(ws)
    with _snapshot(built) as conn:
        expected = conn.execute(
            "select escalation_key, priority from marts.fct_escalations "
            "where is_open and priority in ('P0', 'P1') order by escalation_key"
        ).fetchall()
        soonest = conn.execute(
            "select escalation_key, min(due_at), any_value(as_of) from marts.fct_sla_events "
            "where fulfilled_at is null group by 1"
        ).fetchall()
    assert expected, "the small world has no open P0/P1 escalation to list"
    assert sorted((r["Escalation"], r["Priority"]) for r in rows) == expected[:MAX_LIST_ROWS]
    assert f"All {len(expected):,} open P0/P1 escalations." in ws["A2"].value
    due = {k: (d, a) for k, d, a in soonest}
    for row in rows:
        if row["Escalation"] in due and due[row["Escalation"]][0] is not None:
            d, a = due[row["Escalation"]]
            assert row["Due (UTC)"] == d.astimezone(UTC).replace(tzinfo=None)
            assert row["Hours to breach"] == pytest.approx((d - a).total_seconds() / 3600)
    hours = [r["Hours to breach"] for r in rows if r["Hours to breach"] is not None]
    assert hours == sorted(hours)  # the most urgent first
    assert all(r["Owner"] for r in rows)


def test_no_text_of_escalations_and_no_requester_identifier_anywhere(built, book):
    with _snapshot(built) as conn:
        secret = {
            v
            for (v,) in conn.execute(
                "select requester_key from marts.fct_escalations where requester_key is not null "
                "union select caller_key from marts.fct_calls where caller_key is not null"
            ).fetchall()
        }
        restricted = {
            k
            for (k,) in conn.execute(
                "select escalation_key from marts.fct_escalations where is_restricted"
            ).fetchall()
        }
    assert secret
    cells = [
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]
    assert not [c for c in cells if any(s in c for s in secret)]
    assert not [c for c in cells if "@" in c]  # no e-mail address, no @handle
    # the only columns that hold text a person wrote are theme labels (top terms of redacted,
    # unrestricted text) and plan titles (Jira): the open list is keys and vocabularies only
    headers, _ = _table(book["Open P0-P1"])
    assert headers == [
        "Escalation", "Priority", "Channel", "Issue category", "Owning team", "Owner", "Status",
        "Created (UTC)", "SLA metric", "SLA status", "Due (UTC)", "Hours to breach",
    ]  # fmt: skip
    examples = " ".join(str(r["Examples"]) for r in _table(book["Emerging themes"])[1])
    assert not [k for k in restricted if k in examples]


def test_root_causes_plans_alerts_themes_and_voice_agree_with_the_marts(built, book):
    with _snapshot(built) as conn:
        _, causes = _table(book["Root causes"])
        assert causes
        for row in causes[:5]:
            n = conn.execute(
                "select sum(r.escalations) from marts.fct_root_cause_drivers as r "
                "join marts.dim_root_cause as d on r.root_cause = d.root_cause "
                "where r.week_start = ? and coalesce(d.root_cause_name, r.root_cause) = ?",
                [row["Week start"].date(), row["Root cause"]],
            ).fetchone()[0]
            assert row["Escalations"] == n
        assert len({r["ISO week"] for r in causes}) <= 8

        _, plans = _table(book["Remediation plans"])
        total = conn.execute("select count(*) from marts.fct_remediation_plans").fetchone()[0]
        assert len(plans) == min(total, MAX_LIST_ROWS)
        states = [r["State"] for r in plans]
        order = ["Overdue", "At risk", "On track", "Shipped"]
        assert states == sorted(states, key=order.index)
        shipped = conn.execute(
            "select count(*) from marts.fct_remediation_plans where shipped_at is not null"
        ).fetchone()[0]
        assert states.count("Shipped") == shipped

        _, alerts = _table(book["Alerts"])
        through = book["Definitions"]["B4"].value  # Data through (UTC)
        counted = conn.execute(
            "select count(*) from marts.fct_metric_alerts where period > ?",
            [through.date() - timedelta(days=28)],
        ).fetchone()[0]
        assert len(alerts) == min(counted, MAX_LIST_ROWS)
        assert all(r["Severity"] in ("critical", "high", "medium") for r in alerts)

        _, themes = _table(book["Emerging themes"])
        emerging = conn.execute(
            "select count(*) from marts.fct_emerging_themes where is_emerging"
        ).fetchone()[0]
        assert len(themes) <= emerging

        _, voice = _table(book["Voice of creators"])
        assert voice
        for row in voice[:5]:
            responses = conn.execute(
                "select sum(csat_responses) from marts.fct_voice_of_creator "
                "where week_start = ? and market = ? and replace(requester_type, '_', ' ') = lower(?)",
                [row["Week start"].date(), row["Market"], row["Creator tier"]],
            ).fetchone()[0]
            assert row["CSAT responses"] == responses


def test_a_failing_workbook_write_leaves_the_previous_version_current(built, tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(built.publish, home / "publish", symlinks=True)
    warehouse = home / "warehouse.duckdb"
    shutil.copy(built.warehouse, warehouse)
    before = publish.published_version(home / "publish")
    workbook_before = publish.excel_path(home / "publish").resolve()

    def broken(*args, **kwargs):
        raise OSError("disk full while writing the workbook")

    monkeypatch.setattr(excel_workbook, "build_sheets", broken)
    result = dg.materialize(
        [*[dg.AssetSpec(key=key) for key in MART_KEYS], *publish_assets],
        selection=[a.key for a in publish_assets],
        resources=run_resources(home=str(home), warehouse=str(warehouse)),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not result.success
    done = {"/".join(e.asset_key.path) for e in result.get_asset_materialization_events()}
    assert "publish/excel" not in done and "publish/current" not in done
    assert {"publish/duckdb_snapshot", "publish/parquet", "publish/tableau_hyper"} <= done
    assert publish.published_version(home / "publish") == before  # readers keep the last version
    assert publish.excel_path(home / "publish").resolve() == workbook_before
    openpyxl.load_workbook(publish.excel_path(home / "publish"))  # and it still opens
    outcome = RunOutcome.from_result(result)
    assert any("publish__excel" in s and "disk full" in s for s in outcome.failed_steps)

    # the next good run cleans the half-written version and releases all four outputs
    monkeypatch.undo()
    result = dg.materialize(
        [*[dg.AssetSpec(key=key) for key in MART_KEYS], *publish_assets],
        selection=[a.key for a in publish_assets],
        resources=run_resources(home=str(home), warehouse=str(warehouse)),
        instance=dg.DagsterInstance.ephemeral(),
    )
    after = publish.published_version(home / "publish")
    assert after["version"] != before["version"]
    assert publish.excel_path(home / "publish").resolve().parent.name == after["version"]
    assert sorted(p.name for p in (home / "publish" / "versions").iterdir()) == sorted(
        {before["version"], after["version"]}
    )


def test_the_summary_names_the_workbook(built, capsys):
    print_summary(built)
    out = capsys.readouterr().out
    assert f"Excel        : {publish.excel_path(built.publish)}" in out


def test_a_tiny_warehouse_gets_sheets_that_say_what_is_missing(tmp_path):
    publish_dir = tmp_path / "publish"
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema marts")
        conn.execute("create table marts.dim_team as select 'team_' || range as team from range(3)")
    version = "20260101T000000Z-tiny"
    publish.publish_duckdb(warehouse, publish_dir, version)
    with pytest.raises(RuntimeError, match="lacks marts.fct_escalation_kpis_daily"):
        publish.publish_excel(publish_dir, version)
    assert not (publish.version_dir(publish_dir, version) / "escalations.xlsx").exists()
    published = publish.publish_excel(publish_dir, version, require_all=False)
    ws = openpyxl.load_workbook(Path(published.location))["Open P0-P1"]
    assert "marts.fct_escalations" in ws["A1"].value and list(ws.tables) == ["OpenP0P1"]


def test_alerts_and_emerging_themes_planted_in_a_copy_of_the_snapshot(built, tmp_path, monkeypatch):
    """The small world has few alerts and no emerging theme: plant hand-made ones and read them back."""
    snapshot = tmp_path / "planted.duckdb"
    shutil.copy(publish.duckdb_snapshot_path(built.publish).resolve(), snapshot)
    snapshot.chmod(0o600)  # the published snapshot is read-only
    with duckdb.connect(str(snapshot)) as conn:
        conn.execute("set TimeZone = 'UTC'")
        as_of, last = conn.execute(
            "select (select max(as_of) from marts.fct_sla_events), max(created_at) from marts.fct_escalations"
        ).fetchone()
        through = min(as_of, last + timedelta(days=1))
        day = through.date()
        monday = day - timedelta(days=day.weekday())
        email = conn.execute("select channel_name from marts.dim_channel where channel = 'email'").fetchone()[
            0
        ]
        conn.execute("delete from marts.fct_metric_alerts")
        conn.execute("delete from marts.fct_emerging_themes")
        alerts = [  # key, metric, dimension, value, period, observed, expected, lower, upper, score, severity
            ("a1", "emerging_theme", "theme", "en-0badc0de", day - timedelta(days=2), 12, 2.5, 0, 6, 4.26, "high"),
            ("a2", "sla_attainment", "channel", "email", day - timedelta(days=1), 0.62, 0.9, 0.8, 1, -5.04, "critical"),
            ("a3", "volume", "overall", None, day - timedelta(days=40), 90, 60, 40, 80, 3.9, "medium"),
        ]  # fmt: skip
        for (
            key,
            metric,
            dimension,
            value,
            period,
            observed,
            expected,
            lower,
            upper,
            score,
            severity,
        ) in alerts:
            conn.execute(
                "insert into marts.fct_metric_alerts by name select ? as alert_key, ? as metric, "
                "? as slice_dimension, ? as slice_value, ? as period, ? as observed, ? as expected, "
                "? as lower_bound, ? as upper_bound, ? as score, ? as severity, 'up' as direction, "
                "'3_sigma' as rule, ? as first_detected_at",
                [key, metric, dimension, value, period, observed, expected, lower, upper, score, severity,
                 datetime.combine(period + timedelta(days=1), datetime.min.time(), tzinfo=UTC)],
            )  # fmt: skip
        themes = [  # week, emerging, escalations, share
            (monday - timedelta(weeks=1), True, 12, 0.2),
            (monday - timedelta(weeks=2), False, 3, 0.04),
            (monday - timedelta(weeks=20), True, 9, 0.1),  # before the sheet's 12 weeks
        ]
        for week, emerging, n, share in themes:
            conn.execute(
                "insert into marts.fct_emerging_themes by name select ? as week_start, 'en-0badc0de' as theme_key, "
                "'payout, missing, bank' as label, 'en' as language, ? as escalations, ? as share, "
                "0.03 as baseline_share, 0.5 as uncategorized_share, 'monetization' as top_issue_category, "
                "'zendesk:1, zendesk:2' as example_escalation_keys, ? as is_emerging, 4.26 as score",
                [week, n, share, emerging],
            )
        monetization = conn.execute(
            "select issue_category_name from marts.dim_issue_category where issue_category = 'monetization'"
        ).fetchone()[0]
    wb, _, lacking = excel_workbook.build_workbook(snapshot, "planted", "run-1")
    assert lacking == []
    wb.save(tmp_path / "planted.xlsx")
    book = openpyxl.load_workbook(tmp_path / "planted.xlsx")

    ws = book["Alerts"]
    _, rows = _table(ws)
    assert [(r["Metric"], r["Slice"], r["Severity"]) for r in rows] == [
        ("Sla attainment", f"Channel: {email}", "critical"),  # newest period first
        ("Emerging theme", "Theme: payout, missing, bank", "high"),  # a theme by its label
    ]
    assert rows[0]["Observed"] == 0.62 and rows[0]["Score"] == -5.04
    assert rows[0]["First detected (UTC)"] == datetime.combine(day, datetime.min.time())
    assert rows[0]["Period"] == datetime.combine(day - timedelta(days=1), datetime.min.time())
    assert ws["A2"].value == "All 2 alerts."

    _, rows = _table(book["Emerging themes"])
    assert len(rows) == 1
    (row,) = rows
    assert row["Week start"].date() == monday - timedelta(weeks=1)
    assert (row["Theme"], row["Language"], row["Escalations"]) == ("payout, missing, bank", "en", 12)
    assert (row["Share"], row["Usual share"], row["Uncategorized share"]) == (0.2, 0.03, 0.5)
    assert row["Top issue category"] == monetization and row["Examples"] == "zendesk:1, zendesk:2"

    # a capped list says so
    monkeypatch.setattr(excel_workbook, "MAX_LIST_ROWS", 1)
    wb, sheets, _ = excel_workbook.build_workbook(snapshot, "planted", "run-1")
    alerts = next(s for s in sheets if s.title == "Alerts")
    assert len(alerts.rows) == 1
    assert alerts.notes[-1] == "The first 1 of 2 alerts (capped at 1; the DuckDB snapshot has them all)."
