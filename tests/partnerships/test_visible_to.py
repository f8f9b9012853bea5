"""Partnership.objects.visible_to(user): the one place that decides which partnerships a
person sees, and Partnership.is_visible_to, its twin for one partnership in hand."""

import pytest
from django.contrib.auth.models import AnonymousUser

from partnerships.models import Partnership
from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER, SCRUTINY
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

READERS = [LEAD_MEMBER, SCRUTINY, OFFICER, ADMINISTRATOR]


@pytest.fixture
def register():
    return [PartnershipFactory(), PartnershipFactory(status=Partnership.Status.CLOSED), PartnershipFactory()]


@pytest.mark.parametrize("role", READERS)
def test_it_shows_every_partnership_to_each_reading_role(register, role):
    user = UserFactory(role=role)
    assert set(Partnership.objects.visible_to(user)) == set(register)


def test_it_shows_every_partnership_to_a_superuser(register, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "a-long-password-1")
    assert Partnership.objects.visible_to(root).count() == len(register)


def test_it_shows_nothing_to_an_account_without_a_role(register, no_role_user):
    assert not Partnership.objects.visible_to(no_role_user).exists()


def test_it_shows_nothing_to_the_anonymous(register):
    assert not Partnership.objects.visible_to(AnonymousUser()).exists()


def test_it_narrows_a_queryset_already_filtered(register, lead_member):
    closed = Partnership.objects.filter(status=Partnership.Status.CLOSED).visible_to(lead_member)
    assert list(closed) == [register[1]]


@pytest.mark.parametrize("role", [None, *READERS])
def test_the_rule_for_one_partnership_agrees_with_the_queryset(register, role):
    """Object rules start from is_visible_to; the pages fetch through visible_to. Council
    scope must be added to both: this fails if the two ever disagree."""
    user = UserFactory(role=role)
    elsewhere = PartnershipFactory(councils=[CouncilFactory(name="Elsewhere District Council", short_name="Elsewhere")])
    visible = set(Partnership.objects.visible_to(user))
    for partnership in [*register, elsewhere]:
        assert partnership.is_visible_to(user) == (partnership in visible)
    assert not register[0].is_visible_to(AnonymousUser())


def test_a_superusers_assessments_actions_and_risks_are_every_one_with_no_subquery_of_partnerships(
        register, django_user_model, officer):
    """Narrowing to every partnership only slowed the planner (issue 15): a superuser's
    querysets are left whole, and hold every council's drafts, actions and risks."""
    from checklists.models import Action, Assessment
    from partnerships.models import Risk
    from tests.checklists.factories import start

    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "a-long-password-1")
    draft = start(PartnershipFactory(), officer)
    for model in (Assessment, Action, Risk):
        visible = model.objects.visible_to(root)
        assert "partnerships_partnership" not in str(visible.query)
        assert visible.count() == model.objects.count()
    assert draft in Assessment.objects.visible_to(root)


def test_an_inactive_superuser_sees_nothing(register, django_user_model):
    from checklists.models import Action, Assessment

    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "a-long-password-1")
    root.is_active = False
    for model in (Partnership, Assessment, Action):
        assert not model.objects.visible_to(root).exists()
