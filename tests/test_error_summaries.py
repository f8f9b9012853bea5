"""Every link in every form's error summary leads to an element on the page, so following it
moves focus to the field (GOV.UK's error summary pattern)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.checklists.factories import questions_of, start, submitted, tracked_action
from tests.factories import PartnershipFactory, default_council

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id")


def summary_targets(body: str) -> list[str]:
    summary = body[body.index("govuk-error-summary"):]
    summary = summary[: summary.index("</ul>")]
    return re.findall(r'href="#([^"]+)"', summary)


def assert_links_lead_somewhere(response, at_least: int):
    body = response.content.decode()
    parser = Ids()
    parser.feed(body)
    targets = summary_targets(body)
    assert len(targets) >= at_least
    missing = [target for target in targets if target not in parser.ids]
    assert missing == []


def test_the_registration_form(officer_client):
    default_council()
    session = officer_client.session
    session["partnership_screening"] = {"answers": {}, "passed": True}
    session.save()
    # Everything missing: text, selects, radios, checkbox groups and dates.
    response = officer_client.post(reverse("partnerships:create"), {"version": "1", "start_date_0": "1"})
    assert_links_lead_somewhere(response, at_least=12)


def test_the_edit_form(officer_client, officer):
    partnership = PartnershipFactory(lead_officer=officer)
    response = officer_client.post(reverse("partnerships:edit", args=[partnership.pk]), {"version": "1"})
    assert_links_lead_somewhere(response, at_least=12)


def test_the_screening_questions(officer_client):
    assert_links_lead_somewhere(officer_client.post(reverse("partnerships:screening"), {}), at_least=5)


def test_the_start_of_an_assessment(officer_client):
    response = officer_client.post(reverse("checklists:start", args=[PartnershipFactory().pk]), {})
    assert_links_lead_somewhere(response, at_least=2)


def test_an_improvement_template_page(officer_client, officer):
    assessment = start(PartnershipFactory(), officer, "improvement")
    question = questions_of(assessment)[0]
    response = officer_client.post(reverse("checklists:section", args=[assessment.pk, 1]),
                                   {"version": assessment.version, f"q{question.pk}-meets": "no"})
    assert_links_lead_somewhere(response, at_least=1)


def test_a_stale_page_error(officer_client, officer):
    assessment = start(PartnershipFactory(), officer)
    response = officer_client.post(reverse("checklists:section", args=[assessment.pk, 1]), {"version": "99"})
    assert_links_lead_somewhere(response, at_least=1)


def test_the_return_form(client, officer, lead):
    assessment = submitted(PartnershipFactory(lead_officer=lead), officer)
    client.force_login(lead)
    response = client.post(reverse("checklists:return", args=[assessment.pk]), {"version": assessment.version})
    assert_links_lead_somewhere(response, at_least=1)


def test_the_action_form(officer_client, officer, lead):
    _review, action = tracked_action(PartnershipFactory(lead_officer=lead), officer, action="Do it")
    response = officer_client.post(reverse("actions:edit", args=[action.pk]), {"version": action.version})
    assert_links_lead_somewhere(response, at_least=3)


def test_the_new_organisation_form(officer_client):
    response = officer_client.post(reverse("partnerships:organisation_new", args=[PartnershipFactory().pk]), {})
    assert_links_lead_somewhere(response, at_least=3)


def test_the_risk_form(officer_client, officer):
    partnership = PartnershipFactory(lead_officer=officer)
    response = officer_client.post(reverse("partnerships:risk_new", args=[partnership.pk]),
                                   {"version": "1", "review_date_0": "1"})
    assert_links_lead_somewhere(response, at_least=6)
    response = officer_client.post(reverse("partnerships:risk_new", args=[partnership.pk]),
                                   {"version": "1", "standard": "another"})
    assert 'href="#id_description"' in response.content.decode()
    assert_links_lead_somewhere(response, at_least=6)
