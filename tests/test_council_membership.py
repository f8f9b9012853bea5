"""Who belongs to which council: a register of one council needs no set-up; administrators
(tests/administration/) and `manage.py set_councils` give people their councils."""

import importlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from partnerships.models import Council
from tests.factories import CouncilFactory, UserFactory

pytestmark = pytest.mark.django_db


def councils_of(user) -> set[str]:
    return set(user.councils.values_list("short_name", flat=True))


# With one council, everyone belongs to it.

def test_a_new_account_joins_the_only_council(django_user_model):
    council = Council.objects.create(name="Harbourside Borough Council", short_name="Harbourside")
    user = django_user_model.objects.create_user("newcomer")
    assert list(user.councils.all()) == [council]


def test_the_first_council_takes_in_every_account(django_user_model):
    users = [django_user_model.objects.create_user(name) for name in ("one", "two")]
    council = Council.objects.create(name="Harbourside Borough Council", short_name="Harbourside")
    assert [list(user.councils.all()) for user in users] == [[council], [council]]


def test_with_a_second_council_new_accounts_wait_for_an_administrator_and_others_keep_theirs(django_user_model):
    first = Council.objects.create(name="Harbourside Borough Council", short_name="Harbourside")
    early = django_user_model.objects.create_user("early")
    Council.objects.create(name="Wessex Vale District Council", short_name="Wessex Vale")
    late = django_user_model.objects.create_user("late")
    assert list(early.councils.all()) == [first]
    assert not late.councils.exists()


def test_the_migration_keeps_everyone_seeing_what_they_saw(django_user_model):
    """Before councils had members, everyone saw every council: each account joins each council."""
    migration = importlib.import_module("partnerships.migrations.0005_council_members")
    harbourside, wessex = CouncilFactory(name="H"), CouncilFactory(name="W")
    user = django_user_model.objects.create_user("existing")
    user.councils.clear()
    Council.members.through.objects.all().delete()
    migration.everyone_keeps_what_they_saw(apps, None)
    assert set(user.councils.all()) == {harbourside, wessex}


# manage.py set_councils

@pytest.fixture
def two_councils():
    return (CouncilFactory(name="Harbourside Borough Council", short_name="Harbourside"),
            CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale"))


def test_set_councils_sets_them_by_name_or_short_name_in_any_case(two_councils, capsys):
    user = UserFactory(username="hb", councils=[])
    call_command("set_councils", "hb", "harbourside", "WESSEX VALE DISTRICT COUNCIL")
    assert councils_of(user) == {"Harbourside", "Wessex Vale"}
    call_command("set_councils", "hb", "Wessex Vale")
    assert councils_of(user) == {"Wessex Vale"}
    assert "hb belongs to Wessex Vale District Council." in capsys.readouterr().out


def test_set_councils_can_add_and_list(two_councils, capsys):
    user = UserFactory(username="hb", councils=[two_councils[0]])
    call_command("set_councils", "hb", "Wessex Vale", add=True)
    assert councils_of(user) == {"Harbourside", "Wessex Vale"}
    call_command("set_councils", "hb")
    assert councils_of(user) == {"Harbourside", "Wessex Vale"}
    assert "belongs to Harbourside Borough Council, Wessex Vale District Council" in capsys.readouterr().out


def test_set_councils_says_what_is_wrong_and_changes_nothing(two_councils):
    user = UserFactory(username="hb", councils=[two_councils[0]])
    with pytest.raises(CommandError, match="no account with the username 'nobody'"):
        call_command("set_councils", "nobody", "Harbourside")
    with pytest.raises(CommandError, match=r"no council called 'Atlantis'\. The councils are: Harbourside"):
        call_command("set_councils", "hb", "Wessex Vale", "Atlantis")
    assert councils_of(user) == {"Harbourside"}


# The administration site: a council's administrator and a superuser.
