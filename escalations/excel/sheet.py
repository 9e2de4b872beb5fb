"""One worksheet as one formatted Excel table: the writer behind the published workbook.

A sheet is a few lines of notes (what it holds, what was left out), then a header row and the
rows, declared as an Excel table (openpyxl ``Table``) with a style, filter buttons on the header,
the header frozen, a number format per column and widths from the content. Values are written
as Excel values: numbers, dates, naive UTC datetimes (Excel has no time zones), durations as
fractions of a day (for ``[h]:mm`` formats), text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

# number formats (Excel's own codes)
TEXT = "@"
COUNT = "#,##0"
RATE = "0.0%"
CHANGE = "+0%;-0%;0%"  # a relative change: +25%, -10%, 0%
SCORE = "0.0"
DECIMAL = "#,##0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
HOURS_MINUTES = "[h]:mm"  # a duration in days (Excel's unit), shown as hours:minutes
HOURS_MINUTES_SECONDS = "[h]:mm:ss"
# Excel's 1900 date system shows a negative time as ####: a signed duration is hours as a number
SIGNED_HOURS = '#,##0.0" h";[Red]-#,##0.0" h";0.0" h"'

TABLE_STYLE = "TableStyleMedium2"
MIN_WIDTH, MAX_WIDTH = 8, 60
FILTER_BUTTON = 3  # characters the header's filter button takes
BELOW_TARGET = (Font(color="9C0006"), PatternFill(bgColor="FFC7CE"))  # Excel's "light red fill"
# (blank cells, a week without verdicts, are not below target: the rule tests ISNUMBER first)

_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header, Excel number format and, if fixed, its width.

    ``minutes``: the values are minutes and the format a duration (``[h]:mm``): they are written
    as days, Excel's unit for durations.
    """

    header: str
    number_format: str = "General"
    width: float | None = None
    minutes: bool = False


@dataclass(frozen=True)
class BelowTarget:
    """Colour a column's cells light red where the value is below ``target`` (conditional format)."""

    header: str
    target: float


@dataclass
class Sheet:
    title: str  # the tab's name
    table: str  # the Excel table's name (letters, digits, underscores)
    columns: list[Column]
    rows: list[Sequence[Any]]
    # lines above the table, the first in bold; a (label, value) pair takes two cells
    notes: list[str | tuple[str, Any]] = field(default_factory=list)
    highlights: list[BelowTarget] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.title) > 31 or _BAD_TITLE.search(self.title):
            raise ValueError(f"{self.title!r} is not a valid Excel sheet name (31 characters, no []:*?/\\)")
        if not _TABLE_NAME.fullmatch(self.table) or re.fullmatch(r"[A-Za-z]{1,3}\d+", self.table):
            raise ValueError(f"{self.table!r} is not a valid Excel table name")
        headers = [c.header for c in self.columns]
        if len(set(headers)) != len(headers):
            raise ValueError(f"sheet {self.title!r} repeats a column header: {headers}")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"sheet {self.title!r}: a row has {len(row)} values for {len(self.columns)} columns: {row!r}"
                )

    @property
    def header_row(self) -> int:
        """The worksheet row of the table's header (notes, then a blank line, above it)."""
        return len(self.notes) + 2 if self.notes else 1


def cell_value(value: Any, column: Column) -> Any:
    """A Python value as Excel stores it."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # Excel has no NaN or infinity: an empty cell
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column.minutes and isinstance(value, int | float):
        return value / 1440
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def shown_width(value: Any, column: Column) -> int:
    """About how many characters Excel shows for ``value`` in ``column``'s format."""
    if value is None:
        return 0
    fmt = column.number_format
    if isinstance(value, bool):
        return 3
    if isinstance(value, datetime):
        return len("yyyy-mm-dd hh:mm") if "h" in fmt else len("yyyy-mm-dd")
    if isinstance(value, date):
        return len("yyyy-mm-dd")
    if isinstance(value, int | float):
        if column.minutes:
            hours = abs(value) / 60
            return len(f"{int(hours)}:00") + (3 if "ss" in fmt else 0)
        if "%" in fmt:
            return len(f"{value * 100:+.1f}%")
        if fmt == SIGNED_HOURS:
            return len(f"{value:,.1f} h") + 1
        if "0.0" in fmt or "0.00" in fmt:
            return len(f"{value:,.2f}")
        return len(f"{value:,.0f}")
    return max((len(line) for line in str(cell_value(value, column)).splitlines()), default=0)


def write_sheet(workbook: Workbook, sheet: Sheet) -> Worksheet:
    """Add ``sheet`` to ``workbook`` as one formatted table and return the worksheet."""
    ws = workbook.create_sheet(sheet.title)
    for i, note in enumerate(sheet.notes, start=1):
        label, value = note if isinstance(note, tuple) else (note, None)
        cell = ws.cell(row=i, column=1, value=label)
        if i == 1:
            cell.font = Font(bold=True)
        if value is not None:
            cell.font = Font(bold=True)
            at = ws.cell(row=i, column=2, value=cell_value(value, Column(label)))
            if isinstance(value, datetime):
                at.number_format = DATETIME
                at.alignment = Alignment(horizontal="left")
    top = sheet.header_row
    for j, column in enumerate(sheet.columns, start=1):
        ws.cell(row=top, column=j, value=column.header)
    for i, row in enumerate(sheet.rows, start=top + 1):
        for j, (value, column) in enumerate(zip(row, sheet.columns, strict=True), start=1):
            cell = ws.cell(row=i, column=j, value=cell_value(value, column))
            cell.number_format = column.number_format
    # an Excel table has at least one data row: an empty sheet keeps one blank (its notes say so)
    bottom = top + max(len(sheet.rows), 1)
    if not sheet.rows:
        for j, column in enumerate(sheet.columns, start=1):
            ws.cell(row=bottom, column=j).number_format = column.number_format
    last = get_column_letter(len(sheet.columns))
    ref = f"A{top}:{last}{bottom}"
    table = Table(
        displayName=sheet.table,
        ref=ref,
        tableStyleInfo=TableStyleInfo(name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False),
    )
    table.autoFilter = AutoFilter(ref=ref)
    ws.add_table(table)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    for j, column in enumerate(sheet.columns, start=1):
        if column.width is not None:
            width = column.width
        else:
            content = max((shown_width(row[j - 1], column) for row in sheet.rows), default=0)
            width = min(max(content, len(column.header) + FILTER_BUTTON, MIN_WIDTH) + 2, MAX_WIDTH)
        ws.column_dimensions[get_column_letter(j)].width = width
    for highlight in sheet.highlights:
        j = [c.header for c in sheet.columns].index(highlight.header) + 1
        letter = get_column_letter(j)
        font, fill = BELOW_TARGET
        first = f"{letter}{top + 1}"  # relative: Excel moves it down the range
        ws.conditional_formatting.add(
            f"{first}:{letter}{bottom}",
            FormulaRule(
                formula=[f"AND(ISNUMBER({first}),{first}<{highlight.target!r})"], font=font, fill=fill
            ),
        )
    return ws


def write_workbook(sheets: list[Sheet], title: str = "") -> Workbook:
    """A workbook of ``sheets``, in order (openpyxl's default empty sheet removed)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        write_sheet(workbook, sheet)
    workbook.properties.creator = "Escalation Warehouse"
    workbook.properties.title = title or None
    return workbook
