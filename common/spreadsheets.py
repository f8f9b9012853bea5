"""Downloads as spreadsheets, CSV and XLSX, for any app's exports (issue 16).

An export is a list of `Column`s and an iterable of rows, each a tuple of plain values
(text, numbers, dates, lists, None). Both formats stream: CSV is written as the rows are
read; XLSX goes through openpyxl's write-only mode into a temporary file, then is sent from
there. So neither holds more than a few rows in memory, however long the export.

Whatever users typed is text a spreadsheet might take for a formula. Every value passes
`neutralise` (through `csv_value` or `xlsx_value`), the one place that rule lives.
"""

import csv
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from tempfile import TemporaryFile
from typing import Iterable, Iterator

from django.contrib import messages
from django.db import connections, transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.querystrings import url_with

TEXT, NUMBER, MONEY, DATE = "text", "number", "money", "date"
NUMBER_FORMATS = {MONEY: "#,##0.00", DATE: "yyyy-mm-dd"}  # a NUMBER shows as typed (5, 5.5)
LIST_SEPARATOR = "; "

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
CSV_ROWS_PER_WRITE = 500  # lines sent to the client at once, rather than one small write a row

# A cell beginning with one of these is read as a formula by Excel, LibreOffice or Google
# Sheets (CSV injection: `=HYPERLINK(...)`, `@SUM(...)`, a tab or return before one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = TEXT
    width: int = 18  # in XLSX, characters


def in_chunks(queryset: QuerySet, *, chunk_size: int) -> Iterator[list]:
    """The rows of `queryset` (models or values), a list of `chunk_size` at a time, each chunk's
    prefetches done for it, read from the database only as they are needed.

    What `queryset.iterator(chunk_size=...)` does, but with a server-side cursor even though
    the settings turn them off for pages (DISABLE_SERVER_SIDE_CURSORS): without one,
    Django reads every row into memory before the first is used (at 100,000 partnerships,
    hundreds of megabytes). On PostgreSQL the cursor lives in a transaction of its own, not
    WITH HOLD, so it also works behind a transaction-pooling proxy; SQLite reads in chunks
    as it is, and a transaction there would take the write lock.
    """
    postgresql = connections[queryset.db].vendor == "postgresql"
    rows = queryset._iterable_class(queryset, chunked_fetch=True, chunk_size=chunk_size)
    with transaction.atomic(using=queryset.db) if postgresql else nullcontext():
        rows = iter(rows)
        while chunk := list(islice(rows, chunk_size)):
            if queryset._prefetch_related_lookups:
                prefetch_related_objects(chunk, *queryset._prefetch_related_lookups)
            yield chunk


def neutralise(text: str) -> str:
    """`text` that a spreadsheet would take for a formula, with a single quote before it (as
    OWASP advises), so it is shown as the text it is; any other text unchanged.

    Text that already begins with quotes before a formula start ("'=x") gets one more, so
    that `unneutralise` can tell the two apart and an import gives back exactly what was
    exported."""
    return f"'{text}" if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    """`neutralise` undone: the text a register export wrote as `text` (an import reads it)."""
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) else text


def _plain(value):
    """A list as one piece of text; a moment as the local date and time, to the minute."""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, second=0, microsecond=0)
    return value


def csv_value(value) -> str:
    """A cell of a CSV file: numbers as digits (no £ nor thousands), dates as 2026-11-24."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return neutralise(str(value))


def xlsx_value(value):
    """A cell of an XLSX sheet: numbers and dates as themselves (so they add up and sort),
    text without the control characters an XLSX file cannot hold."""
    value = _plain(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or isinstance(value, (date, int, float, Decimal)):
        return value
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value))) or None  # an empty cell is not written


def dated_filename(stem: str, extension: str) -> str:
    """`stem` and today's date, e.g. `partnership-register-2026-11-24.csv`."""
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


class _Lines:
    """A file-like object for csv.writer that hands back each line it is given."""

    def write(self, line: str) -> str:
        return line


def csv_lines(columns: list[Column], rows: Iterable[tuple]) -> Iterator[str]:
    """The CSV file, a few hundred lines at a time. It starts with a byte order mark, so Excel
    reads it as UTF-8 (a £ sign, a curly apostrophe) rather than the machine's code page."""
    writer = csv.writer(_Lines())
    yield "\ufeff" + writer.writerow([csv_value(column.heading) for column in columns])
    rows = iter(rows)
    while batch := list(islice(rows, CSV_ROWS_PER_WRITE)):
        yield "".join(writer.writerow([csv_value(value) for value in row]) for row in batch)


def csv_response(*, filename: str, columns: list[Column], rows: Iterable[tuple]) -> StreamingHttpResponse:
    """A CSV download streamed as `rows` are read: the rows are not read before it is sent."""
    response = StreamingHttpResponse(csv_lines(columns, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_sheet(workbook: Workbook, *, title: str, columns: list[Column], rows: Iterable[tuple]) -> None:
    """A sheet of a write-only workbook: a bold header row kept in view, money and dates formatted."""
    sheet = workbook.create_sheet(title=title)
    for number, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=xlsx_value(column.heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formatted = {index: NUMBER_FORMATS[column.kind] for index, column in enumerate(columns)
                 if column.kind in NUMBER_FORMATS}
    for row in rows:
        values = [xlsx_value(value) for value in row]
        for index, number_format in formatted.items():
            if values[index] is not None:
                cell = WriteOnlyCell(sheet, value=values[index])
                cell.number_format = number_format
                values[index] = cell
        sheet.append(values)


def xlsx_response(*, filename: str, sheets: list[dict]) -> FileResponse:
    """An XLSX download of `sheets` (each `write_sheet`'s keyword arguments), written row by
    row into a temporary file and streamed from it; the file goes when the download ends."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        write_sheet(workbook, **sheet)
    file = TemporaryFile()
    try:
        workbook.save(file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def spreadsheet_response(extension: str, *, filename: str, title: str, columns: list[Column], rows: Iterable[tuple]):
    """The download as CSV (`extension` "csv") or XLSX (one sheet, called `title`)."""
    if extension == "csv":
        return csv_response(filename=filename, columns=columns, rows=rows)
    return xlsx_response(filename=filename, sheets=[{"title": title, "columns": columns, "rows": rows}])


def list_download(request, extension: str, *, name: str, page: str, columns: list[Column],
                  rows: Iterable[tuple] | None):
    """A list page's download (the register, actions, risks): every page of it as filtered, as
    `partnership-<name>-<date>.csv` or `.xlsx` with one sheet; or, when `rows` is None (filters
    the page cannot read), back to the page named `page`, whose form says what to correct."""
    if rows is None:
        messages.info(request, f"Correct the filters before downloading the {name}.")
        return redirect(f"{reverse(page)}{url_with(request.GET, page=None)}")
    return spreadsheet_response(extension, filename=dated_filename(f"partnership-{name}", extension),
                                title=name.capitalize(), columns=columns, rows=rows)
