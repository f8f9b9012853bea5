"""Who belongs to which council: a register of one council needs no set-up; administrators
and `manage.py set_councils` give people their councils; a council's administrator manages
their own council's people only."""

import importlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnerships.models import Council
from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER
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

@pytest.fixture
def wessex_admin(two_councils):
    return UserFactory(username="wvadmin", role=ADMINISTRATOR, councils=[two_councils[1]])


def test_a_council_administrator_sees_their_own_councils_people_and_unplaced_accounts(client, two_councils,
                                                                                        wessex_admin):
    harbourside, wessex = two_councils
    theirs = UserFactory(username="wessex-officer", role=OFFICER, councils=[wessex])
    joint = UserFactory(username="joint-scrutiny", role=LEAD_MEMBER, councils=[harbourside, wessex])
    other = UserFactory(username="harbourside-officer", role=OFFICER, councils=[harbourside])
    unplaced = UserFactory(username="unplaced", councils=[])
    client.force_login(wessex_admin)
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    for user in (theirs, joint, unplaced):
        assert f">{user.username}<" in listing
    assert "harbourside-officer" not in listing
    # Another council's person is not there to change, nor to delete.
    for url in (reverse("admin:auth_user_change", args=[other.pk]),
                reverse("admin:auth_user_delete", args=[other.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("admin:index")
    response = client.post(reverse("admin:auth_user_delete", args=[other.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert other.__class__.objects.filter(pk=other.pk).exists()


def test_a_council_administrator_gives_and_takes_away_their_own_council_only(client, two_councils, wessex_admin):
    harbourside, wessex = two_councils
    joint = UserFactory(username="joint", role=OFFICER, councils=[harbourside, wessex])
    client.force_login(wessex_admin)
    page = client.get(reverse("admin:auth_user_change", args=[joint.pk])).content.decode()
    assert "Wessex Vale District Council" in page and "Harbourside Borough Council" not in page
    membership = Council.members.through.objects.get(user=joint, council=wessex)
    data = {
        "username": "joint", "first_name": "", "last_name": "", "email": "", "is_active": "on",
        "groups": [group.pk for group in joint.groups.all()],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "24/11/2026", "date_joined_1": "09:00:00",
        "Council_members-TOTAL_FORMS": "2", "Council_members-INITIAL_FORMS": "1",
        "Council_members-0-id": membership.pk, "Council_members-0-user": joint.pk,
        "Council_members-0-council": wessex.pk, "Council_members-0-DELETE": "on",
        "Council_members-1-user": joint.pk, "Council_members-1-council": harbourside.pk,  # not theirs to give
    }
    response = client.post(reverse("admin:auth_user_change", args=[joint.pk]), data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert councils_of(joint) == {"Harbourside", "Wessex Vale"}
    del data["Council_members-1-council"]
    data["Council_members-TOTAL_FORMS"] = "1"
    assert client.post(reverse("admin:auth_user_change", args=[joint.pk]), data).status_code == 302
    assert councils_of(joint) == {"Harbourside"}  # Wessex Vale taken away; Harbourside's is not theirs to touch


def test_a_council_administrator_adds_a_person_to_their_council(client, two_councils, wessex_admin,
                                                                django_user_model):
    client.force_login(wessex_admin)
    data = {"username": "newcomer", "password1": "a-long-new-password-93", "password2": "a-long-new-password-93",
            "usable_password": "true",
            "Council_members-TOTAL_FORMS": "1", "Council_members-INITIAL_FORMS": "0",
            "Council_members-MIN_NUM_FORMS": "1", "Council_members-0-council": ""}
    response = client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 200  # where there are several councils, one must be chosen
    assert not django_user_model.objects.filter(username="newcomer").exists()
    data["Council_members-0-council"] = two_councils[1].pk
    response = client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 302
    assert councils_of(django_user_model.objects.get(username="newcomer")) == {"Wessex Vale"}


def test_a_new_account_in_a_one_council_register_is_added_once(client, administrator, django_user_model):
    council = administrator.councils.get()
    client.force_login(administrator)
    data = {"username": "newcomer", "password1": "a-long-new-password-93", "password2": "a-long-new-password-93",
            "usable_password": "true", "Council_members-TOTAL_FORMS": "1", "Council_members-INITIAL_FORMS": "0",
            "Council_members-0-council": council.pk}
    assert client.post(reverse("admin:auth_user_add"), data).status_code == 302
    assert list(django_user_model.objects.get(username="newcomer").councils.all()) == [council]


def test_councils_are_a_superusers_to_add_and_an_administrators_own_to_rename(client, two_councils, wessex_admin,
                                                                             django_user_model):
    harbourside, wessex = two_councils
    client.force_login(wessex_admin)
    assert client.get(reverse("admin:partnerships_council_add")).status_code == 403
    listing = client.get(reverse("admin:partnerships_council_changelist")).content.decode()
    assert "Wessex Vale District Council" in listing and "Harbourside Borough Council" not in listing
    assert client.get(reverse("admin:partnerships_council_change", args=[harbourside.pk])).status_code == 302
    page = client.get(reverse("admin:partnerships_council_change", args=[wessex.pk])).content.decode()
    assert 'name="members"' not in page  # people are given councils on their own page
    superuser = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(superuser)
    assert client.get(reverse("admin:partnerships_council_add")).status_code == 200
    assert 'name="members"' in client.get(reverse("admin:partnerships_council_change", args=[wessex.pk])).content.decode()
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "wvadmin" in listing
