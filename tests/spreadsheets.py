"""Reading back what an export sent: CSV as dicts, XLSX as openpyxl cells."""

import csv
import io

import openpyxl


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[dict]:
    """The CSV's rows as {heading: text}."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def xlsx_sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(body(response))).active


def xlsx_rows(response) -> list[dict]:
    """The sheet's rows as {heading: value}, values as openpyxl reads them (numbers, datetimes)."""
    header, *rows = xlsx_sheet(response).iter_rows(values_only=True)
    return [dict(zip(header, row)) for row in rows]


def filename(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    return disposition.split('filename="', 1)[1].rstrip('"')
