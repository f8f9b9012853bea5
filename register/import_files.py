"""Reading an uploaded register file (issue 16): CSV or XLSX, as rows of cells, or a
`FileProblem` saying in words what is wrong with the file as a whole.

Whatever is uploaded is distrusted: its name, its size, what it claims to be. The checks
come before any parsing that could cost memory or time:

- more than `MAX_BYTES` (5 MB) is refused before it is read (the register of 10,000
  partnerships, the most one import takes, is about 3 MB as CSV and 1.5 MB as XLSX);
- an XLSX file must be a zip whose members declare, in its directory, at most
  `XLSX_MAX_MEMBERS` files and `XLSX_MAX_UNPACKED` bytes in all, each no more than
  `XLSX_MAX_RATIO` times its packed size: a zip bomb is refused from its directory, and
  Python's zipfile never unpacks more than a member declares (its CRC check fails
  first), so a member that lies about its size cannot go further;
- a file with a DOCTYPE anywhere in any of its parts (entity expansion, "billion laughs")
  is refused, each part read through in chunks; and openpyxl parses with defusedxml
  (installed with the requirements), which refuses entities itself;
- CSV is text: UTF-8 (with or without Excel's byte order mark), else Windows-1252, as
  Excel writes "CSV" on a British PC; a file with NUL bytes is not text;
- at most `MAX_ROWS` rows after the headings (10,000: a council's register many times
  over) from the command line, `PAGE_MAX_ROWS` (2,000) from the page; a longer file is
  refused whole rather than imported in part. The limits are the writes': an import goes in
  as one transaction through the register's services, about 35 queries a partnership, so
  2,000 take some 10 seconds on SQLite, well inside a web request, and 10,000 about a
  minute, which is for the command (the preview alone of 10,000 takes some 5 seconds).
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from openpyxl import load_workbook

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
PAGE_MAX_ROWS = 2_000
MAX_COLUMNS = 100  # the layout has 34; anything far wider is not a register
XLSX_MAX_MEMBERS = 200
XLSX_MAX_UNPACKED = 100 * 1024 * 1024
XLSX_MAX_RATIO = 200
# The DOCTYPE looked for in each part, in the encodings XML may be in (ASCII letters, so
# `bytes.upper` folds their case in each), and how much of a part is read at a time.
DOCTYPES = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
SCAN_CHUNK = 64 * 1024
EXTENSIONS = (".csv", ".xlsx")


class FileProblem(Exception):
    """A file the import cannot read at all; the message says why, and what to do, for the page."""


@dataclass
class Table:
    """A file's headings and its rows, each (its row number in the file, its cells: text, or
    from XLSX numbers and dates)."""

    headings: list[str]
    rows: list[tuple[int, list]]
    too_many: bool = False  # more rows than asked for: read no further, refused after its headings are checked


def megabytes(size: int) -> str:
    """5 MB, 5.2 MB."""
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"


def read_table(name: str, content: bytes, *, max_rows: int = MAX_ROWS) -> Table:
    """The headings and rows of the CSV or XLSX file `content` (uploaded as `name`), up to
    `max_rows` of them (with more, `too_many`)."""
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS:
        hint = " Save it from Excel as “Excel Workbook (.xlsx)” and try again." if extension == ".xls" else ""
        raise FileProblem(f"The file must be a CSV or XLSX file: “{name if len(name) <= 80 else name[:80] + '…'}” is not.{hint}")
    if len(content) > MAX_BYTES:
        raise FileProblem(f"The file must be smaller than {megabytes(MAX_BYTES)}: it is {megabytes(len(content))}.")
    if not content.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileProblem("The file is empty.")
    rows = _xlsx_rows(content, max_rows) if extension == ".xlsx" else _csv_rows(content)
    return _headings_and_rows(rows, max_rows)


def too_many(max_rows: int) -> str:
    """What to do with a file of more than `max_rows` partnerships."""
    words = (f"The file has more than {max_rows:,} partnerships: an import takes at most {max_rows:,}. Split it "
             "into smaller files and import each")
    if max_rows < MAX_ROWS:
        words += (f", or ask whoever runs the register's server to import it from the command line, which takes "
                  f"up to {MAX_ROWS:,} at once")
    return words + "."


def _headings_and_rows(rows, max_rows: int) -> Table:
    """The first non-empty row as headings; the rows after it, fully empty ones left out,
    at most `max_rows` of them."""
    headings = None
    data = []
    for number, row in enumerate(rows, 1):
        row = list(row[:MAX_COLUMNS + 1])
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        if headings is None:
            headings = [str(cell).strip() if cell is not None else "" for cell in row]
            while headings and not headings[-1]:
                headings.pop()
            continue
        data.append((number, row))
        if len(data) > max_rows:
            return Table(headings, data, too_many=True)
    if headings is None:
        raise FileProblem("The file is empty.")
    if len(headings) > MAX_COLUMNS:
        raise FileProblem(f"The file has more than {MAX_COLUMNS} columns: it is not in the register's layout. "
                          "Download the template to see the columns it needs.")
    return Table(headings, data)


def _csv_rows(content: bytes):
    if b"\x00" in content or content.startswith(b"PK\x03\x04"):
        raise FileProblem("The file is not a CSV file: it holds data that is not text. Save it as "
                          "“CSV UTF-8 (Comma delimited)” or as an XLSX spreadsheet and try again.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem("The file's text could not be read: save it as “CSV UTF-8 (Comma delimited)” and try again.")
    # A cell may be as long as the file (MAX_BYTES bounds it), not only csv's 128 KB: a
    # megabyte pasted into one cell is that row's problem, said by row and column (the
    # column's own limit), not the whole file's.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise FileProblem(f"The file is not a CSV file the register can read ({error}).") from None


def _xlsx_rows(content: bytes, max_rows: int):
    if not content.startswith(b"PK\x03\x04"):
        raise FileProblem("The file is not an XLSX spreadsheet, though its name ends .xlsx. Open it in "
                          "Excel and save it as “Excel Workbook (.xlsx)”, or upload a CSV file.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        _check_archive(archive)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except FileProblem:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds for a damaged file: each says the same to a person
        raise FileProblem("The file could not be opened as an XLSX spreadsheet: it may be damaged. Open it "
                          "in Excel and save it again, or upload a CSV file.") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            rows.append([_cell(value) for value in row])
            if len(rows) > max_rows + 1 and any(value is not None for value in row):
                break  # enough to know it has too many
        return rows
    except FileProblem:
        raise
    except Exception:
        raise FileProblem("The spreadsheet could not be read: it may be damaged. Open it in Excel and save it "
                          "again, or upload a CSV file.") from None
    finally:
        workbook.close()


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from the zip's own directory, before anything is unpacked."""
    members = archive.infolist()
    too_big = FileProblem("The file unpacks to far more than a register's spreadsheet could hold, so it has "
                          "not been opened. Upload the register's own XLSX or CSV file.")
    if len(members) > XLSX_MAX_MEMBERS:
        raise too_big
    if sum(member.file_size for member in members) > XLSX_MAX_UNPACKED:
        raise too_big
    for member in members:
        if member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1024):
            raise too_big
    # Every part, whatever its name: the workbook's own lists say which parts are XML, and
    # may name any. Only after the sizes above are checked, so this reads a bounded amount.
    for member in members:
        with archive.open(member) as part:
            if holds_doctype(part):
                raise FileProblem("The spreadsheet holds XML the register does not read (a DOCTYPE), so it "
                                  "has not been opened. Save it again from Excel, or upload a CSV file.")


def holds_doctype(stream, *, chunk_size: int = SCAN_CHUNK) -> bool:
    """Whether `stream` (binary) holds a DOCTYPE anywhere, in any case. Read a chunk at a time,
    each searched with the end of the one before, so a DOCTYPE split between two is found;
    a comment before it, however long, does not hide it."""
    overlap = max(len(doctype) for doctype in DOCTYPES) - 1
    tail = b""
    while chunk := stream.read(chunk_size):
        window = (tail + chunk).upper()
        if any(doctype in window for doctype in DOCTYPES):
            return True
        tail = window[-overlap:]
    return False


def _cell(value):
    """A cell as the import reads it: text, a number, a date; a time of day or formula result as text."""
    if value is None or isinstance(value, (str, int, float, Decimal, date)):
        return value.date() if isinstance(value, datetime) and value.time() == datetime.min.time() else value
    return str(value)
