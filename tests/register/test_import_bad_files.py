"""Files the import cannot read are refused with a clear message on the upload page, never a 500,
and nothing is kept or written (issue 16)."""

import html
import io
import os
import time
import zipfile

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from register.import_cells import IMPORTED_HEADINGS
from register.import_files import MAX_BYTES, MAX_ROWS
from register.imports import import_register
from register.models import RegisterImport
from tests.factories import UserFactory
from tests.register.test_imports import a_row, csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="ada", first_name="Ada", last_name="Patel", role="Administrator"))
    return client


def refused(client, content: bytes, name: str) -> str:
    """The upload page's error for `content` uploaded as `name`, after checking it is the page again."""
    file = io.BytesIO(content)
    file.name = name
    response = client.post(reverse("register:import"), {"file": file})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "govuk-error-summary" in page
    assert not RegisterImport.objects.exists() and not Partnership.objects.exists()
    return " ".join(html.unescape(page).split())


def a_zip(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_no_file_at_all(admin_client):
    response = admin_client.post(reverse("register:import"), {})
    assert response.status_code == 200
    assert "Choose a CSV or XLSX file to upload" in html.unescape(response.content.decode())


@pytest.mark.parametrize("name", ["register.pdf", "register.txt", "register"])
def test_a_file_of_the_wrong_type(admin_client, name):
    assert "The file must be a CSV or XLSX file" in refused(admin_client, b"%PDF-1.7 something", name)


def test_an_old_excel_file_says_how_to_save_it(admin_client):
    assert "Save it from Excel as “Excel Workbook (.xlsx)”" in refused(admin_client, b"\xd0\xcf\x11\xe0", "r.xls")


def test_a_binary_renamed_as_xlsx(admin_client):
    message = refused(admin_client, os.urandom(2048), "register.xlsx")
    assert "The file is not an XLSX spreadsheet, though its name ends .xlsx" in message


def test_a_binary_renamed_as_csv(admin_client):
    message = refused(admin_client, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(512), "register.csv")
    assert "The file is not a CSV file: it holds data that is not text" in message


def test_an_xlsx_renamed_as_csv(admin_client):
    assert "is not a CSV file" in refused(admin_client, a_zip({"a.xml": "<a/>"}), "register.csv")


def test_a_zip_that_is_not_a_spreadsheet(admin_client):
    message = refused(admin_client, a_zip({"notes.txt": "hello"}), "register.xlsx")
    assert "could not be opened as an XLSX spreadsheet" in message


def test_a_damaged_xlsx(admin_client):
    from tests.register.test_import_round_trip import exported  # noqa: F401 (the real thing, cut short)
    content = a_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook"})
    assert "could not be opened as an XLSX spreadsheet" in refused(admin_client, content, "register.xlsx")


@pytest.mark.parametrize("name", ["register.csv", "register.xlsx"])
def test_an_empty_file(admin_client, name):
    assert "The file is empty" in refused(admin_client, b"", name)


def test_a_file_of_blank_lines(admin_client):
    assert "The file is empty." in refused(admin_client, b"\xef\xbb\xbf\r\n,,,\r\n\r\n", "register.csv")


def test_only_the_headings(admin_client):
    message = refused(admin_client, csv_file(), "register.csv")
    assert "The file has the register's headings but no partnerships under them." in message


def test_missing_and_unknown_columns(admin_client):
    headings = [h for h in IMPORTED_HEADINGS if h not in ("Status", "Lead officer")] + ["Favourite colour"]
    message = refused(admin_client, csv_file(a_row(), headings=headings), "register.csv")
    assert "The column “Favourite colour” is not one of the register's." in message
    assert "The file does not have the columns “Status”, “Lead officer”." in message


def test_a_column_twice(admin_client):
    message = refused(admin_client, csv_file(a_row(), headings=IMPORTED_HEADINGS + ["name"]), "register.csv")
    assert "The column “name” appears more than once." in message


def test_some_other_spreadsheet(admin_client):
    message = refused(admin_client, b"Date,Amount,Payee\n2024-01-01,5,Shop\n", "bank.csv")
    assert "The column “Date” is not one of the register's." in message


def test_five_megabytes_of_junk(admin_client):
    junk = os.urandom(MAX_BYTES)
    assert "is not a CSV file" in refused(admin_client, junk, "register.csv")
    assert "is not an XLSX spreadsheet" in refused(admin_client, junk, "register.xlsx")


def test_five_megabytes_of_junk_text(admin_client):
    junk = (b"lorem,ipsum;dolor \"sit\" amet\n" * (MAX_BYTES // 30))[:MAX_BYTES]
    assert "is not one of the register's" in refused(admin_client, junk, "register.csv")


def test_a_file_over_the_size_limit(admin_client):
    message = refused(admin_client, b"a" * (MAX_BYTES + 1), "register.csv")
    assert "The file must be smaller than 5 MB: it is 5.0 MB." in message


def test_a_zip_bomb_disguised_as_xlsx(admin_client):
    # 200 MB of zeros, packed into about 200 KB.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(200):
                sheet.write(zeros)
    content = out.getvalue()
    assert len(content) < MAX_BYTES
    started = time.monotonic()
    message = refused(admin_client, content, "register.xlsx")
    assert "The file unpacks to far more than a register's spreadsheet could hold" in message
    assert time.monotonic() - started < 2


def test_a_zip_that_lies_about_its_sizes(admin_client):
    """A member that declares itself small but unpacks large: zipfile stops at the declared size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"<" + b"a" * 5_000_000 + b"/>")
    content = bytearray(out.getvalue())
    # Rewrite the declared size of xl/workbook.xml (in its local header and the directory) as 100 bytes.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = content.find(signature, content.find(b"xl/workbook.xml") - 80 if signature == b"PK\x03\x04" else 0)
        while start != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if content[name_at:name_at + 15] == b"xl/workbook.xml":
                content[start + offset:start + offset + 4] = (100).to_bytes(4, "little")
            start = content.find(signature, start + 4)
    message = refused(admin_client, bytes(content), "register.xlsx")
    assert "could not be opened as an XLSX spreadsheet" in message or "unpacks to far more" in message


def test_a_sheet_with_a_doctype(admin_client):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(IMPORTED_HEADINGS)
    saved = io.BytesIO()
    workbook.save(saved)
    with zipfile.ZipFile(saved) as original:
        members = {name: original.read(name) for name in original.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">]>'
                                           + (sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet))
    assert "holds XML the register does not read" in refused(admin_client, a_zip(members), "register.xlsx")


def with_doctype_in_the_sheet(content: bytes, *, after: int) -> bytes:
    """`content` (an XLSX) with a DOCTYPE declaring an entity, which a cell then uses, in its
    sheet's XML behind a comment: the DOCTYPE starts `after` bytes into the part."""
    with zipfile.ZipFile(io.BytesIO(content)) as original:
        members = {name: original.read(name) for name in original.namelist()}
    name = next(name for name in members if name.startswith("xl/worksheets/"))
    sheet = members[name]
    declaration = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    rest = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    padding = after - len(declaration) - len(b"<!--") - len(b"-->")
    members[name] = (declaration + b"<!--" + b"x" * padding + b"-->" + b'<!DocType worksheet [<!ENTITY p "Planted">]>'
                     + rest.replace(b"Coastal Forum", b"&p;"))
    assert members[name].index(b"<!DocType") == after
    return a_zip(members)


def test_a_doctype_after_a_long_comment_is_refused_and_nothing_imported(admin_client):
    UserFactory(username="olivia", first_name="Olivia", last_name="Okafor", role="Officer")
    content = with_doctype_in_the_sheet(xlsx_file(a_row()), after=5_000)
    assert "holds XML the register does not read (a DOCTYPE)" in refused(admin_client, content, "register.xlsx")


def test_a_doctype_split_between_two_chunks_is_found(admin_client):
    from register.import_files import SCAN_CHUNK

    UserFactory(username="olivia", first_name="Olivia", last_name="Okafor", role="Officer")
    content = with_doctype_in_the_sheet(xlsx_file(a_row()), after=SCAN_CHUNK - 4)
    assert "holds XML the register does not read (a DOCTYPE)" in refused(admin_client, content, "register.xlsx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_a_doctype_is_found_wherever_it_falls_in_the_chunks(encoding):
    from register.import_files import holds_doctype

    doctype = "<!doctype".encode(encoding)
    for start in range(1, 32):
        part = b"<" + b"-" * (start - 1) + doctype + b"<a/>"
        assert holds_doctype(io.BytesIO(part), chunk_size=8), start
    assert not holds_doctype(io.BytesIO(b"<!-- no doc type here -->" * 10), chunk_size=8)


def test_openpyxl_reads_spreadsheets_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "defusedxml (requirements.txt) is not installed"


def test_a_normal_xlsx_still_imports():
    UserFactory(username="olivia", first_name="Olivia", last_name="Okafor", role="Officer")
    plan, written = import_register(filename="register.xlsx", content=xlsx_file(a_row()),
                                    user=UserFactory(username="ada", role="Administrator"))
    assert plan.problems == [] and written
    assert Partnership.objects.get().name == "Coastal Forum"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ten_thousand_rows_are_more_than_the_page_takes(admin_client, fmt):
    rows = [a_row(Name=f"Partnership {n}") for n in range(MAX_ROWS)]
    content = csv_file(*rows) if fmt == "csv" else xlsx_file(*rows)
    started = time.monotonic()
    message = refused(admin_client, content, f"register.{fmt}")
    assert ("The file has more than 2,000 partnerships: an import takes at most 2,000. Split it into smaller files "
            "and import each, or ask whoever runs the register's server to import it from the command line, which "
            "takes up to 10,000 at once.") in message
    assert time.monotonic() - started < 10


def test_more_rows_than_even_the_command_takes():
    content = csv_file(*(a_row(Name=f"Partnership {n}") for n in range(MAX_ROWS + 1)))
    plan, written = import_register(filename="register.csv", content=content,
                                    user=UserFactory(username="root", is_superuser=True))
    assert not written
    assert [str(p) for p in plan.problems] == [
        "The file has more than 10,000 partnerships: an import takes at most 10,000. Split it into smaller files "
        "and import each."]


def xlsx_file(*rows: dict) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Register")
    sheet.append(IMPORTED_HEADINGS)
    for row in rows:
        sheet.append([row.get(heading, "") for heading in IMPORTED_HEADINGS])
    saved = io.BytesIO()
    workbook.save(saved)
    return saved.getvalue()


def test_text_in_windows_1252_as_excel_saves_csv_on_a_british_pc(admin_client):
    UserFactory(username="olivia", first_name="Olivia", last_name="Okafor", role="Officer")
    content = csv_file(a_row(Name="Café £ forum")).decode("utf-8").encode("cp1252")
    file = io.BytesIO(content)
    file.name = "register.csv"
    response = admin_client.post(reverse("register:import"), {"file": file})
    assert response.status_code == 302
    assert "Café £ forum" in admin_client.get(response.url).content.decode()


def test_the_most_the_page_takes_is_imported_whole(admin_client):
    from register.import_files import PAGE_MAX_ROWS

    UserFactory(username="olivia", first_name="Olivia", last_name="Okafor", role="Officer")
    content = csv_file(*(a_row(Name=f"Partnership {n}", Partners=f"Organisation {n % 40} (Member)")
                         for n in range(PAGE_MAX_ROWS)))
    file = io.BytesIO(content)
    file.name = "register.csv"
    assert admin_client.post(reverse("register:import"), {"file": file}).status_code == 302
    assert 'id="count-create">2,000<' in admin_client.get(reverse("register:import_preview")).content.decode()
    assert admin_client.post(reverse("register:import_confirm")).url == reverse("register:index")
    assert Partnership.objects.count() == PAGE_MAX_ROWS
