"""The object rules of register/rules.py: what a person may do to one object they can see."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from checklists import services
from checklists.models import Assessment
from partnerships.models import Partnership
from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER, SCRUTINY
from register.models import ScrutinyPack
from tests.checklists.factories import start, submitted, tracked_action
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [LEAD_MEMBER, SCRUTINY, OFFICER, ADMINISTRATOR]


def may(user, name, obj) -> bool:
    return rules.has_perm(name, user, obj)


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(lead_officer=lead)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.invalid", "a-long-password-1")


def narrowed_to_nothing(monkeypatch):
    """As council scope will, for a partnership of another council: nobody sees any."""
    monkeypatch.setattr(Partnership, "is_visible_to", lambda self, user: False)


# --- Partnerships -------------------------------------------------------------------------

@pytest.mark.parametrize("role, expected", [(LEAD_MEMBER, False), (SCRUTINY, False), (OFFICER, True),
                                            (ADMINISTRATOR, True)])
def test_officers_and_administrators_may_edit_a_partnership(partnership, role, expected):
    user = UserFactory(role=role)
    assert may(user, "partnerships.edit_partnership", partnership) is expected
    assert user.has_perm("partnerships.edit_partnership", partnership) is expected  # the same, by the backend


def test_nobody_may_edit_a_partnership_they_cannot_see(partnership, officer, monkeypatch):
    narrowed_to_nothing(monkeypatch)
    assert not may(officer, "partnerships.edit_partnership", partnership)
    assert not may(officer, "checklists.start_assessment", partnership)


def test_anonymous_and_roleless_people_may_do_nothing(partnership, no_role_user):
    for user in (AnonymousUser(), no_role_user):
        assert not may(user, "partnerships.edit_partnership", partnership)
        assert not may(user, "checklists.start_assessment", partnership)


def test_the_lead_officer_or_an_administrator_may_hand_a_partnership_over(partnership, lead, officer, administrator):
    assert may(lead, "partnerships.change_lead_officer", partnership)
    assert may(administrator, "partnerships.change_lead_officer", partnership)
    assert not may(officer, "partnerships.change_lead_officer", partnership)
    assert not may(UserFactory(role=LEAD_MEMBER), "partnerships.change_lead_officer", partnership)


def test_whoever_registers_a_partnership_chooses_its_lead_officer(officer, lead_member):
    unsaved = Partnership()
    assert may(officer, "partnerships.change_lead_officer", unsaved)
    assert not may(lead_member, "partnerships.change_lead_officer", unsaved)


def test_officers_may_add_a_new_organisation_as_a_partner(partnership, officer, lead_member):
    assert may(officer, "partnerships.add_organisation_as_partner", partnership)
    assert not may(lead_member, "partnerships.add_organisation_as_partner", partnership)


# --- Assessments ----------------------------------------------------------------------------

@pytest.mark.parametrize("role, expected", [(LEAD_MEMBER, False), (SCRUTINY, False), (OFFICER, True),
                                            (ADMINISTRATOR, True)])
def test_those_who_work_on_assessments_may_start_one_and_edit_a_draft(partnership, officer, role, expected):
    user = UserFactory(role=role)
    assert may(user, "checklists.start_assessment", partnership) is expected
    assert may(user, "checklists.edit_assessment", start(partnership, officer)) is expected


def test_nobody_edits_a_submitted_assessment_not_even_a_superuser(partnership, officer, superuser):
    done = submitted(partnership, officer)
    assert not may(officer, "checklists.edit_assessment", done)
    assert not may(superuser, "checklists.edit_assessment", done)
    # Django's own has_perm says yes to a superuser for anything: the pages ask the rule.
    assert superuser.has_perm("checklists.edit_assessment", done)


def test_the_lead_officer_may_approve_or_return_what_someone_else_submitted(partnership, officer, lead):
    done = submitted(partnership, officer)
    assert may(lead, "checklists.approve_assessment", done)
    assert may(lead, "checklists.return_assessment", done)


def test_four_eyes_whoever_submitted_it_may_not_approve_it(partnership, lead, superuser):
    own = submitted(partnership, lead)
    assert not may(lead, "checklists.approve_assessment", own)
    assert services.approval_refusal(lead, own) == "You submitted this assessment, so someone else must approve it."
    by_root = submitted(partnership, superuser, title="Root's own")
    assert not may(superuser, "checklists.approve_assessment", by_root)


def test_an_officer_who_does_not_lead_it_may_not_approve(partnership, officer):
    done = submitted(partnership, UserFactory(role=OFFICER))
    assert not may(officer, "checklists.approve_assessment", done)


def test_an_administrator_may_approve_and_a_reader_may_not(partnership, officer, administrator, lead_member):
    done = submitted(partnership, officer)
    assert may(administrator, "checklists.approve_assessment", done)
    assert not may(lead_member, "checklists.approve_assessment", done)


def test_only_a_submitted_assessment_may_be_approved(partnership, officer, lead):
    draft = start(partnership, officer)
    assert not may(lead, "checklists.approve_assessment", draft)
    done = submitted(partnership, officer, title="Approved")
    services.assessment_approve(assessment=done, version=done.version, user=lead, assurance="substantial")
    assert Assessment.objects.get(pk=done.pk).status == Assessment.Status.APPROVED
    assert not may(lead, "checklists.approve_assessment", done)


def test_no_assessment_rule_passes_outside_the_partnerships_a_person_sees(partnership, officer, lead, monkeypatch):
    draft, done = start(partnership, officer), submitted(partnership, officer, title="Done")
    narrowed_to_nothing(monkeypatch)
    assert not may(officer, "checklists.edit_assessment", draft)
    assert not may(lead, "checklists.approve_assessment", done)


# --- Actions --------------------------------------------------------------------------------

@pytest.mark.parametrize("role, expected", [(LEAD_MEMBER, False), (SCRUTINY, False), (OFFICER, True),
                                            (ADMINISTRATOR, True)])
def test_those_who_work_on_assessments_may_update_an_action(partnership, officer, role, expected):
    _review, action = tracked_action(partnership, officer)
    assert may(UserFactory(role=role), "checklists.update_action", action) is expected


def test_nobody_updates_an_action_outside_the_partnerships_they_see(partnership, officer, monkeypatch):
    _review, action = tracked_action(partnership, officer)
    narrowed_to_nothing(monkeypatch)
    assert not may(officer, "checklists.update_action", action)


# --- Scrutiny packs -------------------------------------------------------------------------

def pack(requester, status=ScrutinyPack.Status.QUEUED):
    return ScrutinyPack.objects.create(title="Pack", partnership_ids=[], requested_by=requester, status=status)


@pytest.mark.parametrize("role", ROLES)
def test_every_reader_sees_every_pack(officer, role):
    user = UserFactory(role=role)
    mine = pack(officer)
    assert list(ScrutinyPack.objects.visible_to(user)) == [mine]
    assert may(user, "register.view_pack", mine)


def test_nobody_without_a_role_sees_a_pack(officer, no_role_user):
    mine = pack(officer)
    for user in (no_role_user, AnonymousUser()):
        assert not ScrutinyPack.objects.visible_to(user).exists()
        assert not may(user, "register.view_pack", mine)


def test_the_requester_or_an_administrator_manages_a_pack(officer, scrutiny, administrator):
    theirs = pack(officer)
    assert may(officer, "register.manage_pack", theirs)
    assert may(administrator, "register.manage_pack", theirs)
    assert not may(scrutiny, "register.manage_pack", theirs)


def test_a_waiting_pack_may_be_cancelled_and_a_finished_one_not(officer):
    assert may(officer, "register.cancel_pack", pack(officer, ScrutinyPack.Status.QUEUED))
    assert may(officer, "register.cancel_pack", pack(officer, ScrutinyPack.Status.BUILDING))
    assert not may(officer, "register.cancel_pack", pack(officer, ScrutinyPack.Status.FAILED))


def test_a_pack_being_built_may_not_be_deleted(officer):
    assert not may(officer, "register.delete_pack", pack(officer, ScrutinyPack.Status.BUILDING))
    assert may(officer, "register.delete_pack", pack(officer, ScrutinyPack.Status.QUEUED))
    assert not may(UserFactory(role=SCRUTINY), "register.delete_pack", pack(officer, ScrutinyPack.Status.QUEUED))


def test_an_object_rule_asked_without_an_object_says_no(officer, administrator):
    for name in ("partnerships.edit_partnership", "checklists.edit_assessment", "checklists.approve_assessment",
                 "checklists.update_action", "register.cancel_pack"):
        assert not rules.has_perm(name, administrator)
        assert not officer.has_perm(name)
