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
