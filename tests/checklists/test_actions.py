from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from checklists import services
from checklists.models import Action, Assessment
from partnerships.dates import add_months
from tests.checklists.factories import complete, questions_of, start
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(name="Wessex Waste Partnership", lead_officer=lead)


def review_with_no(partnership, officer, action="Agree the council’s bottom line"):
    assessment = start(partnership, officer, "improvement", "2026")
    complete(assessment, officer)
    area = questions_of(assessment)[3]
    services.assessment_save_answers(assessment=assessment, answers={area: {"meets": "no", "action": action}},
                                     version=Assessment.objects.get(pk=assessment.pk).version, user=officer)
    assessment.refresh_from_db()
    return assessment


def test_submitting_turns_each_action_into_a_tracked_action(partnership, officer, lead):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    action = Action.objects.get()
    assert action.description == "Agree the council’s bottom line"
    assert (action.partnership, action.assessment, action.owner) == (partnership, assessment, lead)
    assert action.status == Action.Status.OPEN
    assert action.due_date == add_months(timezone.localdate(), 3)


def test_resubmitting_updates_actions_rather_than_duplicating_them(partnership, officer, lead):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    services.assessment_return(assessment=assessment, version=assessment.version, user=lead, reason="Be more specific")
    area = questions_of(assessment)[3]
    services.assessment_save_answers(assessment=assessment, answers={area: {"action": "Agree it by March"}},
                                     version=Assessment.objects.get(pk=assessment.pk).version, user=officer)
    assessment.refresh_from_db()
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    assert Action.objects.get().description == "Agree it by March"


def test_updating_an_action_is_recorded(partnership, officer, lead):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    action = Action.objects.get()
    due = timezone.localdate() + timedelta(days=10)
    before = action.due_date
    services.action_update(action=action, owner=officer, due_date=due, status="in_progress",
                           version=action.version, user=lead)
    action.refresh_from_db()
    assert (action.owner, action.due_date, action.status) == (officer, due, "in_progress")
    # The audit trail records the values, not just which fields changed.
    assert assessment.events.first().description.endswith(
        f"owner Lena Lead → Olivia Okafor; due date {before:%-d %B %Y} → {due:%-d %B %Y}; status Open → In progress"
    )


def test_the_actions_page_lists_open_and_overdue_actions(partnership, officer, member_client):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    Action.objects.update(due_date=timezone.localdate() - timedelta(days=1))
    body = member_client.get("/actions/").content.decode()
    assert "Agree the council’s bottom line" in body
    assert "Overdue" in body
    assert "Agree the council’s bottom line" in member_client.get("/actions/?show=overdue").content.decode()
    assert "There are no actions to show here." in member_client.get("/actions/?show=done").content.decode()
    assert member_client.get("/actions/?show=nonsense").status_code == 200


def test_readers_do_not_see_actions_of_a_returned_draft(partnership, officer, lead, member_client):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    services.assessment_return(assessment=assessment, version=assessment.version, user=lead, reason="Redo")
    assert "There are no actions to show here." in member_client.get("/actions/").content.decode()
    page = member_client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert "No open actions." in page


def test_the_partnership_page_lists_its_open_actions(partnership, officer, member_client):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    page = member_client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert "Agree the council’s bottom line" in page
    Action.objects.update(status="done")
    assert "No open actions." in member_client.get(f"/partnerships/{partnership.pk}/").content.decode()


def test_an_officer_changes_an_action(partnership, officer, lead, officer_client):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    action = Action.objects.get()
    response = officer_client.post(f"/actions/{action.pk}/edit/", {
        "owner": officer.pk, "due_date_0": "31", "due_date_1": "3", "due_date_2": "2027", "status": "done",
        "version": action.version,
    })
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.owner, str(action.due_date)) == ("done", officer, "2027-03-31")


def test_changing_an_action_explains_mistakes_and_keeps_the_action(partnership, officer, officer_client):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    action = Action.objects.get()
    body = officer_client.post(f"/actions/{action.pk}/edit/", {
        "owner": "", "due_date_0": "31", "due_date_1": "2", "due_date_2": "2027", "status": "",
    }).content.decode()
    assert "Select who owns the action" in body
    assert "Due date must be a real date" in body
    assert "Select the action’s status" in body
    assert Action.objects.get().status == "open"


@pytest.mark.parametrize("rows", [1, 30])
def test_the_actions_page_uses_a_constant_number_of_queries(partnership, officer, member_client, rows,
                                                             django_assert_max_num_queries):
    for i in range(rows):
        review = review_with_no(partnership, officer, action=f"Action {i}")
        services.assessment_submit(assessment=review, version=review.version, user=officer)
    # session, user, permissions, owners to filter by, count, page, notes for the page, ...
    with django_assert_max_num_queries(10):
        assert member_client.get("/actions/").status_code == 200


def test_the_actions_list_filters_by_owner_and_partnership(partnership, officer, lead, member_client):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    other = PartnershipFactory(name="Harbour Management Partnership", lead_officer=officer)
    second = review_with_no(other, lead, action="Write down the harbour agreement")
    services.assessment_submit(assessment=second, version=second.version, user=lead)

    def shown(**query):
        return [a.description for a in member_client.get("/actions/", query).context["page"].object_list]

    assert len(shown()) == 2
    assert shown(owner=officer.pk) == ["Write down the harbour agreement"]
    assert shown(partnership="HARBOUR man") == ["Write down the harbour agreement"]
    assert shown(partnership=other.reference) == ["Write down the harbour agreement"]
    assert shown(owner=lead.pk, partnership="wessex") == ["Agree the council’s bottom line"]
    assert shown(owner=lead.pk, show="done") == []
    # The tabs keep the filters.
    body = member_client.get("/actions/", {"owner": officer.pk}).content.decode()
    assert f'href="?owner={officer.pk}&amp;show=done"' in body
    # Nonsense is ignored, not a 500.
    assert member_client.get("/actions/", {"owner": "99999999999999999999999"}).status_code == 200
    assert member_client.get("/actions/", {"owner": "x", "partnership": "y" * 500}).status_code == 200


def test_an_officer_adds_dated_progress_notes_to_an_action(partnership, officer, lead, officer_client, lead_member):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    action = Action.objects.get()
    url = f"/actions/{action.pk}/edit/"
    base = {"owner": action.owner_id, "due_date_0": action.due_date.day, "due_date_1": action.due_date.month,
            "due_date_2": action.due_date.year, "status": "in_progress"}
    assert officer_client.post(url, {**base, "version": 1, "note": "Met the portfolio holder <b>today</b>."}).status_code == 302
    # A note alone, with nothing else changed, is saved too.
    assert officer_client.post(url, {**base, "version": 2, "note": "Draft agreed."}).status_code == 302
    notes = list(action.notes.values_list("text", "author__username"))
    assert notes == [("Draft agreed.", "olivia"), ("Met the portfolio holder <b>today</b>.", "olivia")]
    page = officer_client.get(url).content.decode()
    assert "Met the portfolio holder &lt;b&gt;today&lt;/b&gt;." in page
    reader = Client()
    reader.force_login(lead_member)
    listed = reader.get("/actions/").content.decode()
    assert "Latest note" in listed and "Draft agreed." in listed
    assert assessment.events.filter(description__startswith="Added a progress note").count() == 2


def test_a_progress_note_over_its_limit_is_refused_and_kept(partnership, officer, officer_client):
    assessment = review_with_no(partnership, officer)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    action = Action.objects.get()
    long_note = "n" * 2001
    response = officer_client.post(f"/actions/{action.pk}/edit/", {
        "owner": action.owner_id, "due_date_0": "1", "due_date_1": "1", "due_date_2": "2030", "status": "open",
        "version": action.version, "note": long_note})
    assert response.status_code == 200
    assert "The progress note must be 2,000 characters or fewer" in response.content.decode()
    assert long_note in response.content.decode()
    assert not action.notes.exists()


def test_an_officer_sets_the_owner_and_due_date_as_the_action_is_raised(partnership, officer, lead, officer_client):
    assessment = start(partnership, officer, "improvement", "2026")
    complete(assessment, officer)
    assessment.refresh_from_db()
    area = questions_of(assessment)[2]
    due = timezone.localdate() + timedelta(days=45)
    data = {"version": assessment.version}
    for q in questions_of(assessment):
        data[f"q{q.pk}-meets"] = "yes"
    data.update({f"q{area.pk}-meets": "no", f"q{area.pk}-action": "Publish the terms of reference",
                 f"q{area.pk}-action_owner": officer.pk, f"q{area.pk}-action_due_0": due.day,
                 f"q{area.pk}-action_due_1": due.month, f"q{area.pk}-action_due_2": due.year})
    assert officer_client.post(f"/assessments/{assessment.pk}/sections/1/", data).status_code == 302
    check = officer_client.get(f"/assessments/{assessment.pk}/check/").content.decode()
    assert f"Owner: Olivia Okafor; due {due:%-d %B %Y}" in check
    assessment.refresh_from_db()
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    action = Action.objects.get()
    assert (action.owner, action.due_date) == (officer, due)


def test_a_due_date_in_the_past_is_refused_naming_the_area(partnership, officer, officer_client):
    assessment = start(partnership, officer, "improvement", "2026")
    area = questions_of(assessment)[0]
    past = timezone.localdate() - timedelta(days=1)
    response = officer_client.post(f"/assessments/{assessment.pk}/sections/1/", {
        "version": assessment.version, f"q{area.pk}-meets": "no", f"q{area.pk}-action": "Do it",
        f"q{area.pk}-action_due_0": past.day, f"q{area.pk}-action_due_1": past.month,
        f"q{area.pk}-action_due_2": past.year})
    assert "The due date for the action for area 1 must be today or later" in response.content.decode()
    assert not assessment.answers.exists()


def later_review(partnership, officer, **answers_by_area):
    """A second Improvement Template review, every area Yes unless given."""
    assessment = start(partnership, officer, "improvement", "2027")
    complete(assessment, officer)
    assessment.refresh_from_db()
    questions = questions_of(assessment)
    services.assessment_save_answers(
        assessment=assessment, version=assessment.version, user=officer,
        answers={questions[int(area)]: values for area, values in answers_by_area.items()})
    assessment.refresh_from_db()
    return assessment


def test_a_later_review_carries_on_an_open_action_rather_than_raising_it_again(partnership, officer, lead,
                                                                               officer_client):
    first = review_with_no(partnership, officer)  # area 3 (index 3) is No, with an action
    services.assessment_submit(assessment=first, version=first.version, user=officer)
    original = Action.objects.get()
    second = start(partnership, officer, "improvement", "2027")
    page = officer_client.get(f"/assessments/{second.pk}/sections/1/").content.decode()
    area = questions_of(second)[3]
    assert f'id="open-action-{area.pk}"' in page and "is still open for this area" in page
    second = later_review(partnership, officer, **{"3": {"meets": "no", "action": "Agree the bottom line by March"}})
    services.assessment_submit(assessment=second, version=second.version, user=officer)
    action = Action.objects.get()  # still one
    assert action.pk == original.pk
    assert action.answer.assessment == second and action.description == "Agree the bottom line by March"
    assert action.status != Action.Status.DONE
    assert second.events.filter(description__startswith="Carried on the open action").exists()


def test_a_later_review_that_meets_the_area_closes_the_open_action(partnership, officer, lead):
    first = review_with_no(partnership, officer)
    services.assessment_submit(assessment=first, version=first.version, user=officer)
    second = later_review(partnership, officer)
    services.assessment_submit(assessment=second, version=second.version, user=officer)
    action = Action.objects.get()
    assert action.status == Action.Status.DONE
    assert action.notes.get().text.startswith("Closed by the review “2027”")
