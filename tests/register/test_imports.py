"""Importing the register (issue 16): the upload, its preview, the confirm; problems by row and
column, nothing written while there is one; council boundaries; history; the template."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from partnerships.models import Organisation, Partnership, Theme
from register.import_cells import IMPORTED_HEADINGS
from register.imports import import_register
from register.models import RegisterImport
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory
from tests.spreadsheets import body

pytestmark = pytest.mark.django_db


def a_row(**values) -> dict:
    """One partnership as a file row, every column the import reads filled in."""
    row = {
        "Reference": "", "Name": "Coastal Forum", "Status": "Active", "Purpose and aims": "Keep the coast open.",
        "Strategic or operational": "Strategic", "Statutory or voluntary": "Voluntary",
        "Single or multi organisation": "Multi organisation", "National, regional or local": "Local",
        "Council’s role": "Leading", "Legal status": "Joint committee",
        "Councils taking part": "Harbourside Borough Council", "Lead officer": "Olivia Okafor", "Lead member": "",
        "Lead member’s account": "", "Council representative": "", "Partners": "Coastguard (Chair)",
        "Themes": "Environment", "Parent partnership": "", "Annual council contribution (£)": "1000",
        "Officer time (days a year)": "2", "Total partnership budget (£)": "", "Performance management method":
        "Annual report to the council", "How performance is managed": "", "Start date": "01/04/2025",
        "End date": "", "Review frequency": "Every year", "Next review due": "2027-04-01",
    }
    row.update({heading.replace("_", " "): value for heading, value in values.items()})
    return row


def csv_file(*rows: dict, headings=None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    headings = headings or IMPORTED_HEADINGS
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(heading, "") for heading in headings])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def harbourside():
    return CouncilFactory(name="Harbourside Borough Council", short_name="Harbourside")


@pytest.fixture
def ada(harbourside):
    return UserFactory(username="ada", first_name="Ada", last_name="Patel", role="Administrator",
                       councils=[harbourside])


@pytest.fixture
def olivia(harbourside):
    return UserFactory(username="olivia", first_name="Olivia", last_name="Okafor", role="Officer",
                       councils=[harbourside])


@pytest.fixture
def admin_client(client, ada):
    client.force_login(ada)
    return client


def upload(client, content: bytes, name="register.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("register:import"), {"file": file})


def test_it_previews_then_writes_only_on_confirm_recorded_as_an_import_by_that_person(admin_client, ada, olivia):
    existing = PartnershipFactory(name="Harbour Board", lead_officer=olivia)
    content = csv_file(a_row(), a_row(Reference=existing.reference, Name="Harbour Board renamed",
                                      Partners="", Themes=""))

    response = upload(admin_client, content)

    assert response.status_code == 302 and response.url == reverse("register:import_preview")
    assert not Partnership.objects.filter(name="Coastal Forum").exists()
    assert not Organisation.objects.filter(name="Coastguard").exists()
    page = admin_client.get(response.url).content.decode()
    assert 'id="count-create">1<' in page and 'id="count-update">1<' in page
    assert "<strong>Name</strong>: “Harbour Board” to “Harbour Board renamed”" in page
    assert "Coastguard" in page and "Environment" in page  # to be added

    response = admin_client.post(reverse("register:import_confirm"))

    assert response.status_code == 302 and response.url == reverse("register:index")
    created = Partnership.objects.get(name="Coastal Forum")
    assert created.lead_officer == olivia and created.start_date == date(2025, 4, 1)
    assert [str(m) for m in created.memberships.all()] == ["Coastguard – Chair"]
    assert [t.name for t in created.themes.all()] == ["Environment"]
    existing.refresh_from_db()
    assert existing.name == "Harbour Board renamed"
    for partnership in (created, existing):
        record = partnership.history.first()
        assert record.history_user == ada
        assert record.history_change_reason == "Imported from register.csv by Ada Patel"
    assert RegisterImport.objects.get().status == RegisterImport.Status.IMPORTED


def test_confirming_twice_imports_once(admin_client, olivia):
    upload(admin_client, csv_file(a_row()))
    admin_client.post(reverse("register:import_confirm"))
    response = admin_client.post(reverse("register:import_confirm"))
    assert response.status_code == 302 and response.url == reverse("register:import")
    assert Partnership.objects.filter(name="Coastal Forum").count() == 1


def test_a_register_changed_since_the_preview_is_previewed_again_not_written(admin_client, ada, olivia):
    existing = PartnershipFactory(name="Harbour Board", lead_officer=olivia)
    upload(admin_client, csv_file(a_row(Reference=existing.reference, Name="Renamed", Partners="", Themes="")))
    existing.refresh_from_db()
    from partnerships.services import partnership_update
    partnership_update(partnership=existing, data={"purpose": "Changed meanwhile"}, version=existing.version,
                       user=ada)

    response = admin_client.post(reverse("register:import_confirm"))

    assert response.url == reverse("register:import_preview")
    assert Partnership.objects.get(pk=existing.pk).name == "Harbour Board"
    page = admin_client.get(response.url).content.decode()
    assert "The register has changed since you checked this file" in page
    assert "“Changed meanwhile” to “Keep the coast open.”" in page
    admin_client.post(reverse("register:import_confirm"))  # the new preview, confirmed
    assert Partnership.objects.get(pk=existing.pk).name == "Renamed"


def test_an_import_with_any_problem_writes_nothing_and_says_each_one(ada, olivia):
    content = csv_file(
        a_row(Name="Fine row"),
        a_row(**{"Start date": "31/02/2024", "Status": "Actve", "Annual council contribution (£)": "lots"}),
        a_row(**{"Councils taking part": "Nowhere Council", "Next review due": ""}),
        a_row(**{"Start date": "2026-01-01", "End date": "2025-01-01", "Name": ""}),
        a_row(Reference="P-00X1"),
    )

    plan, written = import_register(filename="register.csv", content=content, user=ada)

    assert not written
    problems = [str(problem) for problem in plan.problems]
    assert problems == [
        "Row 3, Status: “Actve” is not one of the choices: “Proposed”, “Active”, “Under review”, “Closed”",
        "Row 3, Annual council contribution (£): “lots” is not a number: write it as digits, for example 1250.50",
        "Row 3, Start date: “31/02/2024” is not a date: there is no such day",
        "Row 4, Councils taking part: “Nowhere Council” is not one of the register's councils",
        "Row 4, Next review due: Enter the date the next review is due",
        "Row 5, Name: this column must not be empty",
        "Row 5, End date: The end date must be the same as or after the start date.",
        "Row 6, Reference: “P-00X1” is not a reference this register gives (like P-0012): leave it empty to "
        "register a new partnership",
    ]
    assert not Partnership.objects.exists() and not Organisation.objects.exists() and not Theme.objects.exists()


def test_the_preview_lists_the_problems_and_offers_no_confirm(admin_client, olivia):
    upload(admin_client, csv_file(a_row(**{"Start date": "31/02/2024"})))
    page = admin_client.get(reverse("register:import_preview")).content.decode()
    assert "There is a problem with the file" in page
    assert "“31/02/2024” is not a date: there is no such day" in page
    assert 'id="import-confirm"' not in page
    admin_client.post(reverse("register:import_confirm"))
    assert not Partnership.objects.exists()


def test_officers_themes_and_organisations_are_matched_whatever_their_case_or_added(admin_client, olivia):
    Organisation.objects.create(name="Coastguard", sector="public")
    upload(admin_client, csv_file(a_row(**{"Lead officer": "OLIVIA okafor", "Partners": "coastguard (chair)"}),
                                  a_row(Name="Second", **{"Lead officer": "Nia Jones", "Themes": "environment"})))
    page = admin_client.get(reverse("register:import_preview")).content.decode()
    assert "New officers" in page and "Nia Jones" in page
    admin_client.post(reverse("register:import_confirm"))
    assert Organisation.objects.count() == 1 and Theme.objects.count() == 1
    nia = Partnership.objects.get(name="Second").lead_officer
    assert nia.get_full_name() == "Nia Jones" and not nia.has_usable_password()
    assert nia.groups.get().name == "Officer" and [c.short_name for c in nia.councils.all()] == ["Harbourside"]
    assert Partnership.objects.get(name="Coastal Forum").lead_officer == olivia


# --- Council boundaries -------------------------------------------------------------------

def test_a_council_administrator_cannot_import_into_another_councils_partnerships(admin_client, ada, olivia):
    vale = CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale")
    theirs = PartnershipFactory(name="Vale Forum", councils=[vale],
                                lead_officer=UserFactory(role="Officer", councils=[vale]))
    content = csv_file(a_row(**{"Councils taking part": "Wessex Vale"}),
                       a_row(Reference=theirs.reference, Name="Hijacked"))

    plan, written = import_register(filename="register.csv", content=content, user=ada)

    assert not written
    assert [str(problem) for problem in plan.problems] == [
        "Row 2, Councils taking part: “Wessex Vale District Council” is not one of your councils: you can only "
        "import partnerships of the councils you belong to",
        f"Row 3, Reference: {theirs.reference} is a partnership you cannot change: none of your councils takes "
        "part in it",
    ]
    assert Partnership.objects.get(pk=theirs.pk).name == "Vale Forum"
    assert Partnership.objects.count() == 1


def test_another_councils_place_in_a_joint_partnership_stays(ada, olivia, harbourside):
    vale = CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale")
    joint = PartnershipFactory(name="Joint", councils=[harbourside, vale], lead_officer=olivia)
    content = csv_file(a_row(Reference=joint.reference, Name="Joint", Partners="", Themes="",
                             **{"Councils taking part": "Harbourside Borough Council; Wessex Vale District Council"}))
    plan, written = import_register(filename="register.csv", content=content, user=ada)
    assert plan.problems == [] and written
    assert {c.short_name for c in Partnership.objects.get(pk=joint.pk).councils.all()} == {"Harbourside",
                                                                                           "Wessex Vale"}


@pytest.fixture
def vale(ada):
    vale = CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale")
    ada.councils.add(vale)
    return vale


@pytest.fixture
def hbmember(harbourside):
    """A lead member of Harbourside alone."""
    return UserFactory(username="hbmember", first_name="Helen", last_name="Brooks", role="Lead member",
                       councils=[harbourside])


def test_a_lead_member_of_no_council_taking_part_is_that_rows_problem(ada, olivia, vale, hbmember):
    vale_officer = UserFactory(username="wvofficer", role="Officer", councils=[vale])
    theirs = PartnershipFactory(name="Vale Forum", councils=[vale], lead_officer=vale_officer)
    content = csv_file(
        a_row(**{"Councils taking part": "Wessex Vale", "Lead officer": "wvofficer",
                 "Lead member’s account": "hbmember"}),
        a_row(Reference=theirs.reference, Name="Vale Forum", Partners="", Themes="",
              **{"Councils taking part": "Wessex Vale", "Lead officer": "wvofficer",
                 "Lead member’s account": "Helen Brooks"}))

    plan, written = import_register(filename="register.csv", content=content, user=ada)

    assert not written
    assert [str(problem) for problem in plan.problems] == [
        f"Row {row}, Lead member’s account: Helen Brooks does not belong to a council taking part: choose a lead "
        "member of one of them." for row in (2, 3)]
    assert Partnership.objects.get(pk=theirs.pk).lead_member_account is None
    assert Partnership.objects.count() == 1


def test_a_lead_officer_of_no_council_taking_part_is_that_rows_problem(ada, olivia, vale):
    content = csv_file(a_row(**{"Councils taking part": "Wessex Vale", "Lead officer": "olivia"}))
    plan, written = import_register(filename="register.csv", content=content, user=ada)
    assert not written
    assert [str(problem) for problem in plan.problems] == [
        "Row 2, Lead officer: Olivia Okafor does not belong to a council taking part: choose a lead officer of "
        "one of them."]


def test_a_lead_member_of_a_council_taking_part_is_imported(ada, olivia, vale, hbmember):
    content = csv_file(a_row(**{"Councils taking part": "Harbourside; Wessex Vale", "Lead member’s account":
                                "hbmember"}))
    plan, written = import_register(filename="register.csv", content=content, user=ada)
    assert plan.problems == [] and written
    assert Partnership.objects.get(name="Coastal Forum").lead_member_account == hbmember


@pytest.mark.parametrize("role", ["Officer", "Lead member", "Scrutiny"])
def test_only_administrators_may_import(client, role):
    client.force_login(UserFactory(role=role))
    assert upload(client, csv_file(a_row())).status_code == 403
    assert client.get(reverse("register:import_template")).status_code == 403
    assert not RegisterImport.objects.exists()


def test_the_register_links_to_the_import_for_administrators_only(admin_client, client, olivia):
    assert 'id="import-link"' in admin_client.get("/register/").content.decode()
    client.force_login(olivia)
    assert 'id="import-link"' not in client.get("/register/").content.decode()


# --- The template -----------------------------------------------------------------------

def test_the_template_has_the_exports_headings_and_notes_on_every_column(admin_client):
    response = admin_client.get(reverse("register:import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    register, notes = workbook["Register"], workbook["Notes"]
    headings = [cell.value for cell in register[1]]
    from register.exports import COLUMNS
    assert headings == [column.heading for column in COLUMNS]
    noted = {row[0]: row for row in notes.iter_rows(min_row=2, values_only=True)}
    assert set(headings) <= set(noted)
    assert noted["Status"][1] == "Must be filled in" and noted["Status"][3] == "Proposed; Active; Under review; Closed"
    assert "Accountable body" in noted["Partners"][3]
    assert noted["Review overdue"][1] == "Worked out by the register"
    # and the template itself imports: with no rows, it says so
    plan, _ = import_register(filename="t.xlsx", content=body(admin_client.get(reverse("register:import_template"))),
                              user=UserFactory(username="x", role="Administrator"))
    assert [str(p) for p in plan.problems] == ["The file has the register's headings but no partnerships under them."]


def test_a_reference_this_register_gave_is_kept_and_never_given_again(ada, olivia):
    plan, written = import_register(filename="register.csv", content=csv_file(a_row(Reference="P-0500")), user=ada)
    assert plan.problems == [] and written
    assert Partnership.objects.get(reference="P-0500").pk == 500
    later = PartnershipFactory(name="Registered after the import")
    assert later.pk > 500 and later.reference == f"P-{later.pk:04d}"


def test_a_reference_used_before_is_not_given_to_a_new_partnership(ada, olivia):
    gone = PartnershipFactory(name="Deleted since")
    reference = gone.reference
    gone.delete()
    plan, written = import_register(filename="register.csv", content=csv_file(a_row(Reference=reference)), user=ada)
    assert not written
    assert [str(p) for p in plan.problems] == [
        f"Row 2, Reference: {reference} has been used by another partnership in this register: leave Reference "
        "empty to register this one as new"]


def test_the_same_reference_twice_in_a_file(ada, olivia):
    existing = PartnershipFactory(name="Harbour Board", lead_officer=olivia)
    content = csv_file(a_row(Reference=existing.reference), a_row(Reference=existing.reference))
    plan, written = import_register(filename="register.csv", content=content, user=ada)
    assert not written
    assert f"Row 3, Reference: {existing.reference} is also on row 2: a partnership can be in the file once" in [
        str(p) for p in plan.problems]


def test_a_parent_and_its_child_both_new_in_the_file(ada, olivia):
    content = csv_file(a_row(Reference="P-0100", Name="Local Strategic Partnership"),
                       a_row(Name="Themed", **{"Parent partnership": "Local Strategic Partnership (P-0100)"}))
    plan, written = import_register(filename="register.csv", content=content, user=ada)
    assert plan.problems == [] and written
    assert Partnership.objects.get(name="Themed").parent.reference == "P-0100"


def test_an_ambiguous_person_is_a_problem(ada, olivia, harbourside):
    UserFactory(username="olivia2", first_name="Olivia", last_name="Okafor", role="Officer", councils=[harbourside])
    plan, written = import_register(filename="register.csv", content=csv_file(a_row()), user=ada)
    assert not written
    assert [str(p) for p in plan.problems] == [
        "Row 2, Lead officer: more than one person is called “Olivia Okafor” (olivia, olivia2): write the username "
        "of the one you mean"]
    plan, written = import_register(filename="register.csv", content=csv_file(a_row(**{"Lead officer": "olivia2"})),
                                    user=ada)
    assert written and Partnership.objects.get().lead_officer.username == "olivia2"


def test_each_change_to_an_entry_is_shown_before_and_after(ada, olivia, harbourside):
    existing = PartnershipFactory(name="Harbour Board", lead_officer=olivia, status="active", review_frequency=12)
    UserFactory(username="cmorgan", first_name="Claire", last_name="Morgan", role="Officer", councils=[harbourside])
    content = csv_file(a_row(Reference=existing.reference, Name="Harbour Board", Partners="", Themes="",
                             Status="Under review", **{"Lead officer": "Claire Morgan", "Review frequency": "24",
                                                       "Purpose and aims": existing.purpose,
                                                       "Annual council contribution (£)": "1,000.00",
                                                       "Officer time (days a year)": "5",
                                                       "Strategic or operational": "strategic",
                                                       "Legal status": "Memorandum of understanding or partnership "
                                                                       "agreement",
                                                       "Performance management method": "annual_report",
                                                       "Start date": "", "Next review due":
                                                       existing.next_review_due.isoformat()}))
    plan, written = import_register(filename="register.csv", content=content, user=ada, dry_run=True)
    assert plan.problems == [] and not written
    assert plan.of("update")[0].changes == [
        ("Status", "Active", "Under review"),
        ("Lead officer", "Olivia Okafor", "Claire Morgan"),
        ("Review frequency", "Every year", "Every 2 years"),
    ]


def test_abandoned_uploads_are_let_go(admin_client, ada, olivia):
    from datetime import timedelta

    from django.utils import timezone

    someone = UserFactory(role="Administrator")
    old = RegisterImport.objects.create(uploaded_by=someone, filename="old.csv", content=b"x")
    RegisterImport.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=2))
    recent = RegisterImport.objects.create(uploaded_by=someone, filename="recent.csv", content=b"x")
    upload(admin_client, csv_file(a_row()))
    upload(admin_client, csv_file(a_row(Name="Second try")))
    assert sorted(RegisterImport.objects.values_list("filename", flat=True)) == ["recent.csv", "register.csv"]
    assert RegisterImport.objects.filter(pk=recent.pk).exists()


def test_partners_are_added_removed_and_given_new_roles_each_in_the_history(ada, olivia):
    police, nhs = Organisation.objects.create(name="Wessex Police", sector="public"), Organisation.objects.create(
        name="Dorset NHS", sector="public")
    existing = PartnershipFactory(name="Harbour Board", lead_officer=olivia, partners=[police, nhs])
    content = csv_file(a_row(Reference=existing.reference, Name="Harbour Board", Themes="",
                             Partners="Wessex Police (Chair); Coastguard"))
    plan, written = import_register(filename="partners.csv", content=content, user=ada)
    assert plan.problems == [] and written
    assert ("Partners", "Dorset NHS (Member); Wessex Police (Member)", "Coastguard (Member); Wessex Police (Chair)") \
        in plan.of("update")[0].changes
    assert [str(m) for m in existing.memberships.all()] == ["Coastguard – Member", "Wessex Police – Chair"]
    from partnerships.models import PartnershipMember
    records = PartnershipMember.history.filter(partnership_id=existing.pk, history_user=ada)
    assert sorted(records.values_list("history_type", flat=True)) == ["+", "-", "~"]
    assert set(records.values_list("history_change_reason", flat=True)) == {"Imported from partners.csv by Ada Patel"}


@pytest.mark.parametrize("column", [heading for heading in IMPORTED_HEADINGS if heading != "Reference"])
def test_a_megabyte_in_any_cell_is_that_rows_problem_by_row_and_column(admin_client, olivia, column):
    """Too long for its column is a problem of that row and column, said without sending the
    megabyte back; never a whole-file refusal, a 500, or a name a megabyte long written."""
    response = upload(admin_client, csv_file(a_row(**{column: "N" * 1_000_000}), a_row(Name="Fine")))
    assert response.status_code == 302
    page = admin_client.get(reverse("register:import_preview"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "There is a problem with the file" in body
    [problem] = page.context["lists"]["problems"]
    assert (problem["row"], problem["column"]) == (2, column)
    assert "is too long" in problem["message"]
    assert "N" * 200 not in body
    admin_client.post(reverse("register:import_confirm"))
    assert not Partnership.objects.exists()
