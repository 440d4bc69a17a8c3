"""Reading import CSV files and the cells in them.

This module knows the file format only (encoding, header, line numbers, `yes`/`no`, `;`-lists,
`|N` levels); what a row means and which rules apply is the importers' job (app/imports/kinds.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.i18n import N_

LIST_SEPARATOR = ";"
LEVEL_SEPARATOR = "|"
# Cells starting with one of these would be formulas in a spreadsheet. They are stored as text
# here; any CSV or spreadsheet export must neutralise them (prefix a quote) before writing.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Message(str):
    """A report message: the English text (what the API, the CLI and the audit log keep) that
    remembers its catalogue template and values, so the upload page can show it in the reader's
    language (``gettext(message.template, **message.params)``)."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        message = super().__new__(cls, template % params if params else template)
        message.template = template
        message.params = params
        return message

    def __reduce__(self):
        return _message, (self.template, self.params)


def _message(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)


class CsvFileError(ValueError):
    """A file that cannot be read as an import CSV at all; carries the 1-based line number."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class CellError(ValueError):
    """A cell whose text is not in the format its column needs."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CsvRow:
    """One record of the file: the first physical line it starts on, and its cells by column."""

    line: int
    cells: dict[str, str]


@dataclass
class CsvTable:
    columns: list[str]
    rows: list[CsvRow] = field(default_factory=list)


def decode_csv(data: bytes) -> str:
    """Bytes of an uploaded or opened file as text: UTF-8, with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvFileError(
            Message(
                N_(
                    "The file is not UTF-8 text (byte %(byte)s cannot be read). "
                    "Save it as 'CSV UTF-8' and try again."
                ),
                byte=exc.start + 1,
            ),
            line,
        ) from None


def read_csv(text: str) -> CsvTable:
    """Parse CSV text with a header row. Rows of only empty cells are skipped.

    Raises CsvFileError for an empty file, a broken quote, a repeated column name or a row with
    more cells than the header has columns.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvFileError(
            Message(N_("The file is empty: the first line must name the columns."))
        ) from None
    except csv.Error as exc:
        raise CsvFileError(
            Message(N_("The header cannot be read as CSV (%(problem)s)."), problem=str(exc))
        ) from None
    columns = [name.strip() for name in header]
    if not any(columns):
        raise CsvFileError(Message(N_("The first line must name the columns.")))
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        raise CsvFileError(
            Message(N_("Column named more than once: %(columns)s."), columns=", ".join(repeated))
        )
    table = CsvTable(columns=columns)
    for line, cells in _records(reader):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            raise CsvFileError(
                Message(
                    N_(
                        "This row has %(cells)s cells but the header names %(columns)s columns "
                        "(an unquoted comma?)."
                    ),
                    cells=len(cells),
                    columns=len(columns),
                ),
                line,
            )
        padded = [*cells, *[""] * (len(columns) - len(cells))]
        table.rows.append(
            CsvRow(
                line=line,
                cells={name: value for name, value in zip(columns, padded, strict=True) if name},
            )
        )
    return table


def _records(reader) -> Iterator[tuple[int, list[str]]]:
    while True:
        line = reader.line_num + 1  # the first physical line of the next record
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvFileError(
                Message(N_("This row cannot be read as CSV (%(problem)s)."), problem=str(exc)),
                line,
            ) from None
        yield line, cells


def clean(cell: str | None) -> str:
    """The cell without surrounding spaces; inner text (and line breaks) kept as written."""
    return (cell or "").strip()


# Yes and no as a spreadsheet kept in Marathi or Hindi writes them, besides English.
YES_WORDS = frozenset({"yes", "हो", "होय", "हाँ", "हां", "haan"})
NO_WORDS = frozenset({"no", "नाही", "नहीं", "नही", "nahi"})


def yes_no(cell: str) -> bool:
    value = clean(cell).lower()
    if value in YES_WORDS:
        return True
    if value in NO_WORDS:
        return False
    raise CellError(Message(N_("Must be yes or no.")))


def split_list(cell: str) -> list[str]:
    """A `;`-list cell as its non-empty items."""
    return [item.strip() for item in clean(cell).split(LIST_SEPARATOR) if item.strip()]


def skill_items(cell: str) -> list[tuple[str, int | None]]:
    """A skills cell as (reference, level) pairs; the level is None when no `|N` is given.

    Raises CellError naming the item when a level is not a whole number from 1 to 4.
    """
    items: list[tuple[str, int | None]] = []
    for item in split_list(cell):
        reference, separator, level_text = item.rpartition(LEVEL_SEPARATOR)
        if not separator:
            items.append((item, None))
            continue
        reference, level_text = reference.strip(), level_text.strip()
        if not reference:
            raise CellError(Message(N_("“%(item)s”: a skill is missing before “|”."), item=item))
        if not (level_text.isdigit() and 1 <= int(level_text) <= 4):
            raise CellError(
                Message(
                    N_("“%(item)s”: the level after “|” must be a whole number from 1 to 4."),
                    item=item,
                )
            )
        items.append((reference, int(level_text)))
    return items
