"""Approval that cannot be gamed: who may approve, approving what you saw, and what was approved staying so."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import Assessment, AuditEvent
from checklists.services import StaleEdit, WorkflowError
from partnerships.models import Partnership
from partnerships.roles import OFFICER
from partnerships.services import RegisterError, partnership_update
from tests.checklists.factories import complete, questions_of, start, submitted
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory
from tests.partnerships.helpers import valid_partnership_data
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(name="Coastal Flood Partnership", lead_officer=lead,
                              councils=[CouncilFactory(name="Harbourside Borough Council")])


def current(assessment):
    return Assessment.objects.get(pk=assessment.pk)


# --- Becoming lead officer to approve ------------------------------------------------------

def test_an_officer_who_does_not_lead_it_cannot_make_themselves_lead_officer(officer_client, officer, partnership, lead):
    data = valid_partnership_data(council=partnership.councils.get(), lead_officer=officer)
    response = officer_client.post(reverse("partnerships:edit", args=[partnership.pk]), data)
    # The rest of the edit is saved; the posted lead officer is ignored.
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.lead_officer == lead
    assert partnership.name == data["name"]
    # The form shows the field fixed, saying who may hand it over.
    page = officer_client.get(reverse("partnerships:edit", args=[partnership.pk])).content.decode()
    assert "Only the current lead officer or an administrator can hand the partnership over" in page


def test_the_service_refuses_a_lead_officer_change_by_anyone_else(officer, partnership, lead):
    with pytest.raises(RegisterError) as refused:
        partnership_update(partnership=partnership, data={"lead_officer": officer}, version=partnership.version,
                           user=officer)
    assert "Only the partnership’s lead officer or an administrator" in str(refused.value)
    partnership.refresh_from_db()
    assert partnership.lead_officer == lead


def test_the_lead_officer_hands_over_and_the_history_records_it(client, partnership, lead, officer):
    client.force_login(lead)
    data = valid_partnership_data(council=partnership.councils.get(), lead_officer=officer,
                                  name=partnership.name)
    assert client.post(reverse("partnerships:edit", args=[partnership.pk]), data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.lead_officer == officer
    record = partnership.history.first()
    assert record.history_user == lead
    assert (record.prev_record.lead_officer_id, record.lead_officer_id) == (lead.pk, officer.pk)
    history = client.get(reverse("partnerships:history", args=[partnership.pk])).content.decode()
    assert "Lead officer" in history and "Lena Lead" in history and "Olivia Okafor" in history


def test_an_administrator_may_change_the_lead_officer(client, partnership, officer, administrator):
    client.force_login(administrator)
    data = valid_partnership_data(council=partnership.councils.get(), lead_officer=officer)
    assert client.post(reverse("partnerships:edit", args=[partnership.pk]), data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.lead_officer == officer


# --- Four eyes means the writer too ----------------------------------------------------------

def test_whoever_wrote_an_answer_cannot_approve_even_as_lead_officer(partnership, lead, officer):
    assessment = start(partnership, lead)
    complete(assessment, lead)  # the lead officer writes every answer...
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)  # ...a colleague submits
    assessment = current(assessment)
    with pytest.raises(WorkflowError, match="You wrote some of this assessment’s answers"):
        services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    with pytest.raises(WorkflowError, match="You wrote some"):
        services.assessment_return(assessment=assessment, version=assessment.version, user=lead, reason="No")
    assert current(assessment).status == Assessment.Status.SUBMITTED
    assert not services.may_approve(lead, assessment)


def test_the_writer_is_not_offered_approval_on_the_page(client, partnership, lead, officer):
    assessment = start(partnership, lead)
    complete(assessment, lead)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    client.force_login(lead)
    page = client.get(reverse("checklists:detail", args=[assessment.pk])).content.decode()
    assert reverse("checklists:approve", args=[assessment.pk]) not in page
    response = client.get(reverse("checklists:approve", args=[assessment.pk]),
                          {"version": current(assessment).version}, follow=True)
    assert "You wrote some of this assessment’s answers" in response.content.decode()


def test_an_administrator_who_wrote_no_answer_may_approve(partnership, officer, administrator):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=administrator, assurance="substantial")
    assert current(assessment).status == Assessment.Status.APPROVED


def test_audit_events_say_what_kind_of_event_they_are(partnership, officer, lead):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    kinds = list(assessment.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [AuditEvent.Kind.STARTED, AuditEvent.Kind.ANSWERS, AuditEvent.Kind.SUBMITTED,
                     AuditEvent.Kind.APPROVED]


# --- Approving what you saw ---------------------------------------------------------------

def test_an_approval_from_a_page_opened_before_a_return_and_resubmission_is_refused(client, partnership, officer,
                                                                                  lead, administrator):
    assessment = submitted(partnership, officer)
    client.force_login(lead)
    opened_at = assessment.version
    page = client.get(reverse("checklists:approve", args=[assessment.pk]), {"version": opened_at}).content.decode()
    assert f'name="version" value="{opened_at}"' in page
    # Meanwhile an administrator returns it, the officer rewrites an answer and resubmits.
    services.assessment_return(assessment=current(assessment), version=opened_at, user=administrator, reason="Redo")
    again = current(assessment)
    services.assessment_save_answers(assessment=again, answers={questions_of(again)[0]: {"narrative": "Rewritten"}},
                                     version=again.version, user=officer)
    again = current(assessment)
    services.assessment_submit(assessment=again, version=again.version, user=officer)

    response = client.post(reverse("checklists:approve", args=[assessment.pk]), {"version": opened_at})
    assert response.status_code == 409
    body = response.content.decode()
    assert "This assessment has changed since you opened this page" in body
    assert f'href="{reverse("checklists:detail", args=[assessment.pk])}"' in body
    assert current(assessment).status == Assessment.Status.SUBMITTED
    assert not current(assessment).events.filter(kind=AuditEvent.Kind.APPROVED).exists()


def test_the_approve_link_from_a_page_read_before_a_resubmission_is_refused(client, partnership, officer, lead,
                                                                          administrator):
    assessment = submitted(partnership, officer)
    client.force_login(lead)
    read = client.get(reverse("checklists:detail", args=[assessment.pk])).content.decode()
    link = f'{reverse("checklists:approve", args=[assessment.pk])}?version={assessment.version}'
    assert f'href="{link}"' in read
    # It is returned, an answer rewritten and resubmitted before the lead clicks Approve.
    services.assessment_return(assessment=current(assessment), version=assessment.version, user=administrator,
                               reason="Redo")
    again = current(assessment)
    services.assessment_save_answers(assessment=again, answers={questions_of(again)[0]: {"narrative": "REWRITTEN"}},
                                     version=again.version, user=officer)
    again = current(assessment)
    services.assessment_submit(assessment=again, version=again.version, user=officer)
    response = client.get(link)
    assert response.status_code == 409
    assert "Read the current version of the assessment" in response.content.decode()
    assert current(assessment).status == Assessment.Status.SUBMITTED


@pytest.mark.parametrize("version", ["", "²", "-1", "99999999999999999999", "abc"])
def test_a_mangled_version_is_never_a_500(client, partnership, officer, lead, version):
    assessment = submitted(partnership, officer)
    client.force_login(lead)
    for url in (reverse("checklists:approve", args=[assessment.pk]), reverse("checklists:return", args=[assessment.pk])):
        assert client.get(url, {"version": version}).status_code in (302, 409)
        assert client.post(url, {"version": version, "reason": "x"}).status_code in (200, 302, 409)
    client.force_login(officer)
    draft = start(partnership, officer)
    complete(draft, officer)
    assert client.post(reverse("checklists:check", args=[draft.pk]), {"version": version}).status_code == 200
    assert current(assessment).status == Assessment.Status.SUBMITTED


def test_a_return_from_a_page_opened_before_a_change_is_refused(client, partnership, officer, lead, administrator):
    assessment = submitted(partnership, officer)
    opened_at = assessment.version
    services.assessment_return(assessment=current(assessment), version=opened_at, user=administrator, reason="Redo")
    again = current(assessment)
    services.assessment_submit(assessment=again, version=again.version, user=officer)
    client.force_login(lead)
    response = client.post(reverse("checklists:return", args=[assessment.pk]),
                           {"reason": "Stale reason", "version": opened_at})
    assert response.status_code == 409
    assert "Read the current version of the assessment" in response.content.decode()
    assert current(assessment).status == Assessment.Status.SUBMITTED


def test_the_approval_page_says_who_led_it_when_submitted_and_what_approval_does(client, partnership, officer,
                                                                                 lead, administrator):
    assessment = submitted(partnership, officer, kind="improvement")
    assert current(assessment).lead_officer_at_submission == lead
    partnership.lead_officer = administrator
    partnership.save()
    client.force_login(administrator)
    body = client.get(reverse("checklists:approve", args=[assessment.pk]),
                      {"version": current(assessment).version}).content.decode()
    assert "Lead officer when submitted" in body and "Lena Lead" in body
    assert "Lead officer now" in body and "Ada Patel" in body
    assert "read-only for ever" in body
    due = services.next_review_after_approval(partnership)
    assert f"to {due:%-d %B %Y}" in body


# --- One transition at a time ---------------------------------------------------------------

def test_the_same_approval_sent_twice_approves_once(partnership, officer, lead):
    assessment = submitted(partnership, officer)
    version = assessment.version
    services.assessment_approve(assessment=current(assessment), version=version, user=lead, assurance="substantial")
    with pytest.raises(WorkflowError):
        services.assessment_approve(assessment=current(assessment), version=version, user=lead, assurance="substantial")
    assert current(assessment).events.filter(kind=AuditEvent.Kind.APPROVED).count() == 1


def test_a_stale_in_memory_assessment_cannot_be_approved_after_a_return(partnership, officer, lead, administrator):
    # Both people loaded the assessment while it was submitted; the return wins.
    seen_by_lead = current(submitted(partnership, officer))
    seen_by_admin = current(seen_by_lead)
    services.assessment_return(assessment=seen_by_admin, version=seen_by_admin.version, user=administrator,
                               reason="Not yet")
    with pytest.raises(WorkflowError):
        services.assessment_approve(assessment=seen_by_lead, version=seen_by_lead.version, user=lead, assurance="substantial")
    final = current(seen_by_lead)
    assert final.status == Assessment.Status.DRAFT
    assert not final.events.filter(kind=AuditEvent.Kind.APPROVED).exists()


def test_the_same_submission_sent_twice_submits_once(partnership, officer):
    assessment = start(partnership, officer)
    complete(assessment, officer)
    opened = current(assessment)
    services.assessment_submit(assessment=current(assessment), version=opened.version, user=officer)
    with pytest.raises(WorkflowError):
        services.assessment_submit(assessment=opened, version=opened.version, user=officer)
    assert current(assessment).events.filter(kind=AuditEvent.Kind.SUBMITTED).count() == 1


def test_a_submission_from_an_old_page_is_refused_when_answers_changed_since(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    complete(assessment, officer)
    opened_at = current(assessment).version
    services.assessment_save_answers(assessment=current(assessment),
                                     answers={questions_of(assessment)[0]: {"narrative": "Changed again"}},
                                     version=opened_at, user=UserFactory(role=OFFICER))
    response = officer_client.post(reverse("checklists:check", args=[assessment.pk]), {"version": opened_at})
    assert response.status_code == 200
    assert "changed since you opened it" in response.content.decode()
    assert current(assessment).status == Assessment.Status.DRAFT


def test_a_stale_version_raises_stale_edit_not_a_status_error(partnership, officer, lead):
    assessment = submitted(partnership, officer)
    with pytest.raises(StaleEdit):
        services.assessment_approve(assessment=current(assessment), version=assessment.version - 1, user=lead, assurance="substantial")


# --- What was approved stays what was approved ---------------------------------------------------

def approve_then_change_entry(partnership, officer, lead, administrator, readers=()):
    """Approve an assessment, then move the partnership to another council (which `readers`
    belong to as well, so they still see it) with a new name, class and lead officer."""
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=current(assessment), version=assessment.version, user=lead, assurance="substantial")
    partnership.refresh_from_db()
    wessex = CouncilFactory(name="Wessex Vale District Council")
    for person in (administrator, *readers):  # the council it moves to: its new lead officer's, and the readers'
        person.councils.add(wessex)
    partnership_update(partnership=partnership, version=partnership.version, user=administrator, data={
        "name": "Renamed Flood Partnership", "lead_officer": administrator, "scope": "operational",
        "councils": [wessex],
    })
    return current(assessment)


def test_approval_keeps_the_register_entry_as_it_stood(partnership, officer, lead, administrator):
    assessment = approve_then_change_entry(partnership, officer, lead, administrator)
    assert assessment.approved_entry == {
        "name": "Coastal Flood Partnership", "reference": partnership.reference, "scope": "Strategic",
        "basis": "Voluntary", "membership": "Multi organisation", "level": "Local", "lead_officer": "Lena Lead",
        "councils": ["Harbourside Borough Council"],
    }
    assert assessment.entry_changed_since_approval() == ["name", "classification", "lead officer", "councils"]


def test_the_approved_assessment_page_shows_the_entry_then_and_says_it_changed(client, partnership, officer, lead,
                                                                              administrator, scrutiny):
    assessment = approve_then_change_entry(partnership, officer, lead, administrator, readers=[scrutiny])
    client.force_login(scrutiny)
    body = client.get(reverse("checklists:detail", args=[assessment.pk])).content.decode()
    entry = body[body.index('id="approved-entry"'):]
    assert "Coastal Flood Partnership" in entry and "Lena Lead" in entry and "Harbourside Borough Council" in entry
    assert "Renamed Flood Partnership" not in entry
    assert "has changed since this assessment was approved" in body


def test_the_approved_assessment_pdf_shows_the_entry_then(client, partnership, officer, lead, administrator,
                                                          scrutiny):
    assessment = approve_then_change_entry(partnership, officer, lead, administrator, readers=[scrutiny])
    client.force_login(scrutiny)
    text = pdf_text(client.get(reverse("checklists:pdf", args=[assessment.pk])).content)
    assert "Partnership Coastal Flood Partnership" in text
    assert "Lead officer Lena Lead" in text
    assert "Council Harbourside Borough Council" in text
    assert "It has changed since (name, classification, lead officer, councils)" in text


def test_an_unchanged_entry_is_said_to_be_unchanged(client, partnership, officer, lead, scrutiny):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=current(assessment), version=assessment.version, user=lead, assurance="substantial")
    client.force_login(scrutiny)
    body = client.get(reverse("checklists:detail", args=[assessment.pk])).content.decode()
    assert 'id="approved-entry"' in body and "has changed since" not in body
    assert "has not changed since" in pdf_text(client.get(reverse("checklists:pdf", args=[assessment.pk])).content)


def test_moving_the_next_review_is_recorded_in_the_partnerships_history(partnership, officer, lead):
    assessment = submitted(partnership, officer, kind="improvement")
    before = partnership.next_review_due
    services.assessment_approve(assessment=current(assessment), version=assessment.version, user=lead, assurance="substantial")
    record = partnership.history.first()
    assert record.history_user == lead
    assert (record.prev_record.next_review_due, record.next_review_due) != (before, before)
    assert record.next_review_due == Assessment.objects.get(pk=assessment.pk).partnership.next_review_due
    assert record.history_change_reason == "Next review moved on by an approved Improvement Template review"


def test_the_lead_officer_rule_holds_for_a_form_bound_instance(officer, partnership, lead):
    from partnerships.forms import PartnershipForm
    from tests.partnerships.helpers import valid_partnership_data as data_for

    # A form validated for the lead officer has already put the new lead on the instance;
    # the service must still ask of the stored row who may hand over.
    form = PartnershipForm(data_for(council=partnership.councils.get(), lead_officer=officer),
                           instance=partnership, user=lead)
    assert form.is_valid(), form.errors
    with pytest.raises(RegisterError):
        partnership_update(partnership=partnership, data=form.entry_data(), version=1, user=officer)
    assert Partnership.objects.get(pk=partnership.pk).lead_officer == lead


def test_whoever_submitted_it_before_a_return_still_cannot_approve(partnership, lead, officer, administrator):
    assessment = start(partnership, officer)
    complete(assessment, officer)
    services.assessment_submit(assessment=current(assessment), version=current(assessment).version, user=lead)
    services.assessment_return(assessment=current(assessment), version=current(assessment).version,
                               user=administrator, reason="Check")
    services.assessment_submit(assessment=current(assessment), version=current(assessment).version, user=officer)
    with pytest.raises(WorkflowError, match="You submitted this assessment"):
        services.assessment_approve(assessment=current(assessment), version=current(assessment).version, user=lead, assurance="substantial")


def test_an_edit_form_opened_before_an_approval_cannot_write_the_old_review_date_back(client, partnership, officer,
                                                                                    lead):
    opened_at = partnership.version
    assessment = submitted(partnership, officer, kind="improvement")
    services.assessment_approve(assessment=current(assessment), version=current(assessment).version, user=lead, assurance="substantial")
    moved = Partnership.objects.get(pk=partnership.pk).next_review_due
    client.force_login(lead)
    stale = valid_partnership_data(council=partnership.councils.get(), lead_officer=lead, version=str(opened_at))
    assert client.post(reverse("partnerships:edit", args=[partnership.pk]), stale).status_code == 200
    assert Partnership.objects.get(pk=partnership.pk).next_review_due == moved


def test_an_approval_from_before_snapshots_says_its_entry_is_the_current_one(client, partnership, officer, lead,
                                                                            scrutiny):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=current(assessment), version=current(assessment).version, user=lead, assurance="substantial")
    Assessment.objects.filter(pk=assessment.pk).update(approved_entry=None)  # as the migration left older ones
    client.force_login(scrutiny)
    text = pdf_text(client.get(reverse("checklists:pdf", args=[assessment.pk])).content)
    assert "approved before the register kept the entry as it stood at approval" in text
    assert "has not changed since" not in text
