"""CSV and Excel exports of outcome tables, safe to open in a spreadsheet.

A cell text starting with = + - @ (or a tab or carriage return) is read by Excel, LibreOffice
and Google Sheets as a formula, so a district named '=HYPERLINK(...)' could run in a funder's
spreadsheet. Every exported cell goes through `neutralise_cell`, which prefixes such text with a
single quote; numbers (negative ones included) stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TOTAL_KEY = "total"
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading single quote.

    Booleans become "true"/"false" (the JSON spelling of the youth keys), None stays empty;
    ints and floats are returned unchanged.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def report_fields(report: dict[str, Any]) -> list[str]:
    """The figure columns of a report, in the order of its total row."""
    return [name for name in report["total"] if name not in ("key", "suppressed")]


def report_rows(report: dict[str, Any], fields: Sequence[str] | None = None) -> list[list[Any]]:
    """Header, one row per group, then the total row (key "total"); hidden field names last."""
    fields = list(fields or report_fields(report))
    header = ["key", *fields, "suppressed"]
    rows = [header]
    for row in [*report["groups"], {**report["total"], "key": TOTAL_KEY}]:
        hidden = [name for name in row.get("suppressed", []) if name in fields]
        rows.append([row["key"], *(row[name] for name in fields), " ".join(hidden)])
    return [[neutralise_cell(cell) for cell in row] for row in rows]


def to_csv(rows: Iterable[Sequence[Any]]) -> str:
    """CSV text of already neutralised rows (None → empty cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if cell is None else neutralise_cell(cell) for cell in row])
    return buffer.getvalue()


def to_xlsx(sheets: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> bytes:
    """An .xlsx workbook with one sheet per (title, rows); every cell a value, never a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        for row in rows:
            sheet.append([_xlsx_value(cell) for cell in row])
        for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
            width = max((len(str(cell)) for cell in column if cell is not None), default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 40)
        if rows:
            sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(cell: Any) -> Any:
    value = neutralise_cell(cell)
    if isinstance(value, str):
        # openpyxl refuses control characters (they carry nothing a reader needs); stripping
        # them can expose a formula prefix, so neutralise again.
        value = neutralise_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip() or "Sheet"
    return cleaned[:31]
