"""Actions and one assessment as CSV and XLSX (issue 16): the actions the page lists, in its
order; an assessment in its template's order, with the answers the tool asks for."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checklists import services
from checklists.models import Action, Assessment
from checklists.pdf import assessment_filename
from tests.checklists.factories import questions_of, start, submitted, tracked_action
from tests.factories import PartnershipFactory, UserFactory
from tests.spreadsheets import body, csv_rows, filename, xlsx_rows

pytestmark = pytest.mark.django_db

FORMATS = {"csv": csv_rows, "xlsx": xlsx_rows}


def export(client, assessment, fmt):
    return FORMATS[fmt](client.get(f"/assessments/{assessment.pk}/export.{fmt}"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_checklist_keeps_its_sections_and_questions_in_order_with_answers_and_ratings(member_client, officer, fmt):
    checklist = submitted(PartnershipFactory(), officer, "checklist")
    rows = export(member_client, checklist, fmt)
    questions = questions_of(checklist)
    assert len(rows) == len(questions) == 29
    number = (lambda n: str(n)) if fmt == "csv" else (lambda n: n)
    assert [(row["Section number"], row["Question"]) for row in rows] == [
        (number(q.section.number), q.letter) for q in questions]
    first = rows[0]
    assert first["Section"] == questions[0].section.title
    assert first["Question text"] == questions[0].text
    assert (first["Answer"], first["Assurance rating"]) == (f"Answer to {questions[0].letter}", "Assured")
    assert "Yes or No" not in first


def test_an_improvement_review_gives_each_no_its_tracked_action_owner_due_date_and_status(member_client, officer, lead):
    review, action = tracked_action(PartnershipFactory(lead_officer=lead), officer, action="=Agree a plan")
    rows = export(member_client, review, "csv")
    assert len(rows) == len(questions_of(review))
    assert rows[0]["Question text"].startswith(questions_of(review)[0].text)
    assert {key: rows[0][key] for key in ("Yes or No", "Action", "Action owner", "Action due", "Action status")} == {
        "Yes or No": "No", "Action": "'=Agree a plan", "Action owner": "Lena Lead",
        "Action due": action.due_date.isoformat(), "Action status": "Open"}
    assert (rows[1]["Yes or No"], rows[1]["Action"], rows[1]["Action owner"]) == ("Yes", "", "")
    cells = export(member_client, review, "xlsx")[0]
    assert cells["Action due"] == datetime.combine(action.due_date, datetime.min.time())
    assert cells["Section number"] == 1 and cells["Action"] == "'=Agree a plan"


def test_a_drafts_action_is_what_its_answer_proposes(officer_client, officer):
    draft = start(PartnershipFactory(), officer, "improvement")
    area = questions_of(draft)[2]
    due = timezone.localdate() + timedelta(days=30)
    services.assessment_save_answers(assessment=draft, answers={area: {"meets": "no", "action": "Write a plan",
                                                                       "action_owner": officer, "action_due": due}},
                                     version=draft.version, user=officer)
    rows = export(officer_client, draft, "csv")
    assert (rows[2]["Yes or No"], rows[2]["Action"], rows[2]["Action owner"], rows[2]["Action due"],
            rows[2]["Action status"]) == ("No", "Write a plan", "Olivia Okafor", due.isoformat(), "Proposed")
    assert rows[0]["Yes or No"] == ""  # not answered yet


@pytest.mark.parametrize("kind", ["checklist", "improvement"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_row_carries_the_overall_assurance_given_at_approval(member_client, officer, administrator, kind, fmt):
    assessment = submitted(PartnershipFactory(), officer, kind)
    assessment.refresh_from_db()
    services.assessment_approve(assessment=assessment, version=assessment.version, user=administrator,
                                assurance="limited")
    rows = export(member_client, assessment, fmt)
    assert len(rows) == len(questions_of(assessment))
    assert {row["Overall assurance"] for row in rows} == {"Limited assurance"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_overall_assurance_is_blank_until_approval(officer_client, officer, fmt):
    partnership = PartnershipFactory()
    blank = "" if fmt == "csv" else None
    for assessment in (start(partnership, officer, "checklist"), submitted(partnership, officer, "improvement")):
        rows = export(officer_client, assessment, fmt)
        assert rows and {row["Overall assurance"] for row in rows} == {blank}


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_assessment_is_named_like_its_pdf(officer_client, officer, fmt):
    draft = start(PartnershipFactory(), officer, "checklist")
    response = officer_client.get(f"/assessments/{draft.pk}/export.{fmt}")
    assert filename(response) == assessment_filename(draft, extension=fmt)
    assert filename(response).endswith(f"-DRAFT.{fmt}")


def test_a_draft_is_not_found_by_a_reader(member_client, officer):
    draft = start(PartnershipFactory(), officer, "checklist")
    for fmt in FORMATS:
        assert member_client.get(f"/assessments/{draft.pk}/export.{fmt}").status_code == 404


def test_the_assessment_page_offers_its_downloads(member_client, officer):
    checklist = submitted(PartnershipFactory(), officer, "checklist")
    page = member_client.get(f"/assessments/{checklist.pk}/").content.decode()
    assert f'href="/assessments/{checklist.pk}/export.csv">Download this assessment as CSV</a>' in page
    assert f'href="/assessments/{checklist.pk}/export.xlsx">Download this assessment as a spreadsheet (XLSX)</a>' in page


@pytest.fixture
def actions(lead, officer):
    """Five actions on partnerships `lead` leads, owned by `lead` or `officer`, one done."""
    made = []
    for n in range(5):
        _review, action = tracked_action(PartnershipFactory(name=f"Partnership {n}", lead_officer=lead), officer,
                                         action=f"Action {n}")
        owner = officer if n % 2 else lead
        services.action_update(action=action, owner=owner, due_date=timezone.localdate() + timedelta(days=20 - 7 * n),
                               status="done" if n == 4 else "in_progress", note=f"Note on {n}",
                               version=action.version, user=lead)
        made.append(Action.objects.get(pk=action.pk))
    return made


@pytest.mark.parametrize("query", ["", "show=all", "show=done", "show=overdue", "show=all&owner={officer}",
                                   "partnership=partnership+3"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_actions_export_holds_the_actions_the_page_lists_in_its_order(member_client, officer, actions, query, fmt):
    query = query.format(officer=officer.pk)
    listed = [action.description for action in member_client.get(f"/actions/?{query}").context["page"].object_list]
    assert listed
    rows = FORMATS[fmt](member_client.get(f"/actions/export.{fmt}?{query}"))
    assert [row["Action"] for row in rows] == listed


def test_an_action_row_says_who_when_how_far_and_the_latest_note(member_client, officer, actions):
    response = member_client.get("/actions/export.csv?show=all")
    assert filename(response) == f"partnership-actions-{timezone.localdate().isoformat()}.csv"
    row = next(row for row in csv_rows(response) if row["Action"] == "Action 3")
    action = actions[3]
    assert row == {
        "Partnership reference": action.partnership.reference, "Partnership": "Partnership 3",
        "Assessment": "2026", "Action": "Action 3", "Owner": "Olivia Okafor", "Due": action.due_date.isoformat(),
        "Status": "In progress", "Overdue": "Yes", "Latest progress note": "Note on 3",
        "Latest note written": timezone.localdate().isoformat(), "Raised": timezone.localdate().isoformat(),
    }
    cells = next(row for row in xlsx_rows(member_client.get("/actions/export.xlsx?show=all"))
                 if row["Action"] == "Action 3")
    assert cells["Due"] == datetime.combine(action.due_date, datetime.min.time())


def test_the_actions_page_links_to_its_downloads_with_its_filters(member_client, officer, actions):
    page = member_client.get(f"/actions/?show=all&owner={officer.pk}&page=1").content.decode()
    assert f'href="/actions/export.csv?show=all&amp;owner={officer.pk}">Download as CSV</a>' in page


def test_an_unknown_owner_sends_the_reader_back_to_the_actions_to_correct_it(member_client, actions):
    response = member_client.get("/actions/export.xlsx?show=all&owner=abc")
    assert response.status_code == 302 and response.url == "/actions/?show=all&owner=abc"
    page = member_client.get(response.url).content.decode()
    assert "Correct the filters before downloading the actions." in page
    assert "Select an owner from the list" in page


def test_an_action_of_a_draft_is_exported_to_officers_only(client, lead_member, officer):
    review, _action = tracked_action(PartnershipFactory(), officer, action="Raised, then returned")
    services.assessment_return(assessment=review, version=Assessment.objects.get(pk=review.pk).version,
                               user=UserFactory(role="Administrator"), reason="Not yet")
    client.force_login(lead_member)
    assert csv_rows(client.get("/actions/export.csv?show=all")) == []
    client.force_login(officer)
    assert [row["Action"] for row in csv_rows(client.get("/actions/export.csv?show=all"))] == ["Raised, then returned"]


def test_the_actions_export_takes_one_query_more_per_chunk_not_per_action(member_client, officer, settings):
    settings.EXPORT_CHUNK_SIZE = 5

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            body(member_client.get("/actions/export.csv?show=all"))
        return len(captured.captured_queries)

    for n in range(3):
        tracked_action(PartnershipFactory(), officer, action=f"Action {n}")
    three = queries()
    for n in range(3, 12):
        tracked_action(PartnershipFactory(), officer, action=f"Action {n}")
    assert queries() == three + 2  # three chunks of five: each reads its actions' notes once
