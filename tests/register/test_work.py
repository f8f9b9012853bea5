"""Your work: the start page that says what is waiting for the person signed in."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import Action
from partnerships.roles import LEAD_MEMBER
from tests.checklists.factories import complete, questions_of, start, submitted
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("register:work")


def page_for(user):
    client = Client()
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response


def test_signing_in_lands_on_your_work(client, officer):
    from tests.factories import PASSWORD

    response = client.post(reverse("login"), {"username": officer.username, "password": PASSWORD})
    assert response.url == URL
    assert client.get("/").url == URL


def test_each_list_says_so_when_it_is_empty(officer):
    body = page_for(officer).content.decode()
    for words in ["Nothing is waiting for your approval.", "You have no drafts.", "You own no open actions.",
                  "No partnership you lead is due for review in the next 90 days."]:
        assert words in body


def test_the_lead_officer_sees_what_waits_for_their_approval_but_not_the_submitter(officer, lead):
    partnership = PartnershipFactory(name="Coastal Flood Partnership", lead_officer=lead)
    assessment = submitted(partnership, officer)
    assert [a.pk for a in page_for(lead).context["awaiting"]] == [assessment.pk]
    assert page_for(officer).context["awaiting"] == []


def test_drafts_and_returned_assessments_show_with_the_reason(officer, lead, administrator):
    partnership = PartnershipFactory(lead_officer=lead)
    draft = start(partnership, officer)
    returned = submitted(partnership, officer, title="Returned one")
    returned.refresh_from_db()
    services.assessment_return(assessment=returned, version=returned.version, user=administrator,
                               reason="Say who scrutinises it")
    response = page_for(officer)
    assert [a.pk for a in response.context["drafts"]] == [returned.pk, draft.pk]
    assert "Say who scrutinises it" in response.content.decode()


def test_actions_they_own_come_overdue_first(officer, lead):
    partnership = PartnershipFactory(lead_officer=officer)
    review = start(partnership, lead, "improvement")
    complete(review, lead)
    review.refresh_from_db()
    areas = questions_of(review)[:2]
    services.assessment_save_answers(assessment=review, version=review.version, user=lead, answers={
        areas[0]: {"meets": "no", "action": "Later one"}, areas[1]: {"meets": "no", "action": "Overdue one"}})
    review.refresh_from_db()
    services.assessment_submit(assessment=review, version=review.version, user=lead)
    Action.objects.filter(description="Overdue one").update(due_date=timezone.localdate() - timedelta(days=3))
    body = page_for(officer).content.decode()
    assert body.index("Overdue one") < body.index("Later one")
    assert "Overdue</strong>" in body


def test_reviews_due_within_ninety_days_or_overdue(officer):
    today = timezone.localdate()
    PartnershipFactory(name="Overdue review", lead_officer=officer, next_review_due=today - timedelta(days=5))
    PartnershipFactory(name="Due soon", lead_officer=officer, next_review_due=today + timedelta(days=60))
    PartnershipFactory(name="Due next year", lead_officer=officer, next_review_due=today + timedelta(days=200))
    PartnershipFactory(name="Someone else's", next_review_due=today)
    names = [p.name for p in page_for(officer).context["reviews"]]
    assert names == ["Overdue review", "Due soon"]


def test_a_lead_member_sees_their_portfolio_and_the_newest_approvals(officer, lead):
    councillor = UserFactory(username="cllr", first_name="Peter", last_name="Bennett", role=LEAD_MEMBER)
    mine = PartnershipFactory(name="Mine", lead_member_account=councillor, lead_officer=lead)
    PartnershipFactory(name="Not mine")
    approved = submitted(mine, officer)
    approved.refresh_from_db()
    services.assessment_approve(assessment=approved, version=approved.version, user=lead, assurance="substantial")
    response = page_for(councillor)
    assert [p.name for p in response.context["portfolio"]] == ["Mine"]
    assert [a.pk for a in response.context["approved"]] == [approved.pk]
    assert "Waiting for your approval" not in response.content.decode()


def test_an_officer_links_a_councillor_to_a_partnership(officer_client, officer):
    from tests.partnerships.helpers import valid_partnership_data

    councillor = UserFactory(username="cllr", first_name="Rita", last_name="Greene", role=LEAD_MEMBER)
    partnership = PartnershipFactory(lead_officer=officer)
    page = officer_client.get(reverse("partnerships:edit", args=[partnership.pk])).content.decode()
    assert "Rita Greene" in page
    data = valid_partnership_data(council=partnership.councils.get(), lead_officer=officer,
                                  lead_member_account=str(councillor.pk))
    assert officer_client.post(reverse("partnerships:edit", args=[partnership.pk]), data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.lead_member_account == councillor


def test_the_navigation_counts_what_waits_for_an_officer(officer, lead, administrator):
    partnership = PartnershipFactory(lead_officer=lead)
    assessment = submitted(partnership, officer)
    returned = submitted(partnership, officer, title="To redo")
    returned.refresh_from_db()
    services.assessment_return(assessment=returned, version=returned.version, user=administrator, reason="Redo")
    # The lead may approve one; the officer has one returned draft; neither is counted for the other.
    assert "(1 waiting for you)" in page_for(lead).content.decode()
    assert "(1 waiting for you)" in page_for(officer).content.decode()
    # An administrator may approve the submitted one (they wrote none of it).
    assert "(1 waiting for you)" in page_for(administrator).content.decode()
    assert assessment.pk in [a.pk for a in page_for(lead).context["awaiting"]]


def test_readers_see_no_count(lead_member):
    assert "waiting for you" not in page_for(lead_member).content.decode()


# The navigation's count is kept in the session for a minute (register.work.remembered_waiting_count).

def _nav_count(client, url=None) -> str:
    body = client.get(url or reverse("register:index")).content.decode()
    return "(1 waiting for you)" if "(1 waiting for you)" in body else "none" if "waiting for you" not in body else body


def test_the_navigation_count_is_remembered_for_a_minute_then_counted_again(officer, lead, monkeypatch):
    import register.work

    now = [1_000_000.0]
    monkeypatch.setattr(register.work.time, "time", lambda: now[0])
    client = Client()
    client.force_login(lead)
    assert _nav_count(client) == "none"
    submitted(PartnershipFactory(lead_officer=lead), officer)  # someone else's change
    assert _nav_count(client) == "none"  # remembered, not counted on every page
    now[0] += register.work.REMEMBER_FOR
    assert _nav_count(client) == "(1 waiting for you)"  # within a minute, it shows


def test_the_navigation_count_is_not_counted_on_every_page(officer, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submitted(PartnershipFactory(lead_officer=lead), officer)
    client = Client()
    client.force_login(lead)
    url = reverse("register:index")
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        assert "(1 waiting for you)" in client.get(url).content.decode()
    def counts(queries):
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "checklists_')]

    assert len(counts(first)) == 3  # assessments to approve, returned drafts, overdue actions
    assert counts(second) == []
    assert len(second.captured_queries) < len(first.captured_queries)


def test_your_own_change_shows_in_the_navigation_count_at_once(officer, lead):
    assessment = submitted(PartnershipFactory(lead_officer=lead), officer)
    client = Client()
    client.force_login(lead)
    assert _nav_count(client) == "(1 waiting for you)"
    assessment.refresh_from_db()
    response = client.post(reverse("checklists:approve", args=[assessment.pk]),
                           {"version": assessment.version, "assurance": "reasonable"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "approved"
    assert _nav_count(client) == "none"


def test_opening_your_work_counts_the_navigation_afresh(officer, lead):
    client = Client()
    client.force_login(lead)
    assert _nav_count(client) == "none"
    submitted(PartnershipFactory(lead_officer=lead), officer)
    assert _nav_count(client) == "none"
    assert _nav_count(client, URL) == "(1 waiting for you)"
    assert _nav_count(client) == "(1 waiting for you)"


def test_the_navigation_count_is_counted_again_on_a_new_day(officer, lead, monkeypatch):
    import register.work

    client = Client()
    client.force_login(lead)
    assert _nav_count(client) == "none"
    submitted(PartnershipFactory(lead_officer=lead), officer)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(register.work.timezone, "localdate", lambda: tomorrow)
    assert _nav_count(client) == "(1 waiting for you)"


def test_a_remembered_count_is_never_another_persons(officer, lead):
    submitted(PartnershipFactory(lead_officer=lead), officer)
    client = Client()
    client.force_login(lead)
    assert _nav_count(client) == "(1 waiting for you)"
    session = client.session
    kept = session["_waiting"]
    client.force_login(officer)  # the same browser, another person
    session = client.session
    session["_waiting"] = kept  # even were the lead's count left behind in it
    session.save()
    assert _nav_count(client) == "none"
