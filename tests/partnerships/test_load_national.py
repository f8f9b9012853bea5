"""`load_demo --councils N --partnerships M`: a national-scale register for benchmarks (issue 15),
at a small size here. That its memory stays flat as M grows is not tested: the loader works in
chunks of partnerships.demo.national.CHUNK, and `make bench` reports its peak at 100,000."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.utils.text import slugify

from checklists.models import Action, Answer, Assessment, AuditEvent, Question
from checklists.services import is_complete
from partnerships.demo import national
from partnerships.models import Council, Partnership

pytestmark = pytest.mark.django_db

DEMO_PARTNERSHIPS = 40


def load(**kwargs):
    call_command("load_demo", packs=False, stdout=open("/dev/null", "w"), **kwargs)


@pytest.fixture
def national_register(monkeypatch):
    monkeypatch.setattr(national, "CHUNK", 50)  # several chunks, as at full size
    load(councils=7, partnerships=120)
    return Partnership.objects.filter(lead_officer__username__startswith="officer-")  # the generated ones


def test_it_makes_the_councils_their_officers_and_the_partnerships(national_register):
    assert Council.objects.count() == 7
    officers = get_user_model().objects.filter(username__startswith="officer-")
    assert officers.count() == 7 * national.OFFICERS_PER_COUNCIL
    assert set(officers.values_list("groups__name", flat=True)) == {"Officer"}
    assert Partnership.objects.count() == DEMO_PARTNERSHIPS + 120
    assert national_register.count() == 120
    assert not Partnership.objects.filter(reference__isnull=True).exists()


def test_each_officer_belongs_to_one_council_by_their_username():
    council = Council.objects.create(name="Wessex Vale District Council", short_name="Wessex Vale")
    username = national.officer_username(council, 3)
    assert username == "officer-wessex-vale-3"
    assert national.council_slug_of(username) == "wessex-vale"
    assert national.council_slug_of("officer") is None


def test_every_partnership_has_a_council_and_some_are_joint(national_register):
    taking_part = dict(national_register.annotate(n=Count("councils")).values_list("pk", "n"))
    assert min(taking_part.values()) >= 1
    assert max(taking_part.values()) in (2, 3)
    assert any(n == 1 for n in taking_part.values())


def test_each_officer_belongs_to_the_council_their_username_names(national_register):
    membership = national.officer_councils()
    assert len(membership) == 7 * national.OFFICERS_PER_COUNCIL
    for user in get_user_model().objects.filter(pk__in=membership).prefetch_related("councils"):
        assert [c.pk for c in user.councils.all()] == [membership[user.pk]]


def test_each_lead_officer_belongs_to_a_council_taking_part(national_register):
    membership = national.officer_councils()
    for partnership in national_register.prefetch_related("councils").select_related("lead_officer"):
        council = membership[partnership.lead_officer_id]
        assert council in {c.pk for c in partnership.councils.all()}
        assert national.council_slug_of(partnership.lead_officer.username) == slugify(
            Council.objects.get(pk=council).short_name)
        assert partnership.memberships.exists() and partnership.themes.exists()


def test_assessments_are_complete_with_every_answer(national_register):
    assessments = Assessment.objects.filter(partnership__in=national_register).select_related("template")
    by_state = {(a.status, a.template.kind) for a in assessments}
    assert {("approved", "checklist"), ("approved", "improvement")} <= by_state
    assert {"submitted", "draft"} <= {state for state, _ in by_state}
    approved_checklists = assessments.filter(status="approved", template__kind="checklist").count()
    assert 30 <= approved_checklists <= 50  # a third of 120
    for assessment in assessments:
        answers = {a.question_id: a for a in assessment.answers.all()}
        questions = Question.objects.filter(section__template=assessment.template)
        assert set(answers) == set(questions.values_list("pk", flat=True))
        assert all(is_complete(assessment.template.kind, answer) for answer in answers.values())
        assert assessment.events.filter(kind=AuditEvent.Kind.STARTED).exists()
        if assessment.status == "approved":
            assert assessment.approved_by_id != assessment.submitted_by_id
            assert assessment.approved_entry["reference"] == assessment.partnership.reference


def test_each_no_in_a_submitted_review_is_a_tracked_action(national_register):
    noes = Answer.objects.filter(assessment__partnership__in=national_register, meets="no").exclude(
        assessment__status="draft")
    assert noes.exists()
    assert Action.objects.filter(answer__in=noes).count() == noes.count()
    for action in Action.objects.filter(answer__in=noes).select_related("partnership"):
        assert action.owner_id == action.partnership.lead_officer_id


def test_each_generated_partnership_has_its_first_history_record(national_register):
    for partnership in national_register[:20]:
        record = partnership.history.get()
        assert record.history_type == "+" and record.reference == partnership.reference


def test_running_again_adds_partnerships_but_no_councils_or_officers(national_register):
    users = get_user_model().objects.count()
    load(councils=7, partnerships=10)
    assert Council.objects.count() == 7
    assert get_user_model().objects.count() == users
    assert Partnership.objects.count() == DEMO_PARTNERSHIPS + 130
    assert Partnership.objects.values("name").distinct().count() == Partnership.objects.count()
