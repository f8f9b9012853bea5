"""The council pages: an administrator reads their own councils; a superuser adds and renames them."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from administration import services
from administration.models import ChangeRecord
from partnerships.models import Council
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def root(db):
    return UserFactory(username="root", first_name="Ro", last_name="Ot", is_superuser=True, councils=[])


def rename_data(council, **changes):
    return {"name": council.name, "short_name": council.short_name,
            "version": services.council_version(council), **changes}


def test_it_lists_only_the_administrators_councils(client, wvadmin, harbourside):
    client.force_login(wvadmin)
    body = client.get(reverse("manage:councils")).content.decode()
    assert "Wessex Vale District Council" in body
    assert "Harbourside Borough Council" not in body
    assert reverse("manage:council_new") not in body


def test_it_lists_every_council_to_a_superuser_with_a_way_to_add_one(client, root, wessex, harbourside):
    client.force_login(root)
    body = client.get(reverse("manage:councils")).content.decode()
    assert "Wessex Vale District Council" in body and "Harbourside Borough Council" in body
    assert reverse("manage:council_new") in body


def test_it_shows_a_council_with_its_people_partnerships_and_changes(client, wvadmin, wv_officer, wessex, root):
    PartnershipFactory(councils=[wessex])
    services.council_rename(by=root, council=wessex, name="Wessex Vale Council", short_name="Wessex Vale")
    client.force_login(wvadmin)
    response = client.get(reverse("manage:council", args=[wessex.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 people" in body
    assert "Takes part in 1 partnership" in body
    assert "Renamed Wessex Vale District Council to Wessex Vale Council" in body
    assert reverse("manage:council_rename", args=[wessex.pk]) not in body


def test_it_is_a_404_for_another_councils_page(client, wvadmin, harbourside):
    client.force_login(wvadmin)
    assert client.get(reverse("manage:council", args=[harbourside.pk])).status_code == 404


def test_a_superuser_adds_a_council_and_it_is_recorded(client, root, wessex):
    client.force_login(root)
    response = client.post(reverse("manage:council_new"), {"name": "  Harbourside   Borough Council ",
                                                            "short_name": "Harbourside"})
    council = Council.objects.get(short_name="Harbourside")
    assert response.status_code == 302 and response.url == reverse("manage:council", args=[council.pk])
    assert council.name == "Harbourside Borough Council"
    change = ChangeRecord.objects.get(council=council)
    assert (change.kind, change.made_by, change.before) == (ChangeRecord.Kind.COUNCIL_ADDED, root, {})
    assert change.after == {"name": "Harbourside Borough Council", "short_name": "Harbourside"}


def test_the_first_council_added_still_takes_in_everyone(client, root):
    Council.objects.all().delete()
    officer = UserFactory(username="early", councils=[])
    client.force_login(root)
    client.post(reverse("manage:council_new"), {"name": "Harbourside Borough Council", "short_name": "Harbourside"})
    council = Council.objects.get()
    assert set(council.members.all()) == set(User.objects.all())
    assert officer in council.members.all()


def test_a_second_council_added_takes_in_nobody(client, root, wessex):
    client.force_login(root)
    client.post(reverse("manage:council_new"), {"name": "Harbourside Borough Council", "short_name": "Harbourside"})
    assert not Council.objects.get(short_name="Harbourside").members.exists()


@pytest.mark.parametrize("data, message", [
    ({"name": "WESSEX VALE DISTRICT COUNCIL", "short_name": "New"},
     "Wessex Vale District Council is already on the register"),
    ({"name": "New Council", "short_name": "wessex vale"}, "already has the short name Wessex Vale"),
    ({"name": "", "short_name": ""}, "Enter the council’s name"),
    ({"name": "x" * 1_000_000, "short_name": "y" * 1_000_000}, "must be 150 characters or fewer"),
])
def test_a_name_taken_in_any_case_empty_or_too_long_is_a_message(client, root, wessex, data, message):
    client.force_login(root)
    response = client.post(reverse("manage:council_new"), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert list(Council.objects.all()) == [wessex]
    assert not ChangeRecord.objects.exists()


def test_an_administrator_cannot_add_a_council(client, wvadmin):
    client.force_login(wvadmin)
    assert client.get(reverse("manage:council_new")).status_code == 403
    response = client.post(reverse("manage:council_new"), {"name": "Sneaky Council", "short_name": "Sneaky"})
    assert response.status_code == 403
    assert not Council.objects.filter(short_name="Sneaky").exists()


def test_the_service_refuses_an_administrator_too(wvadmin):
    with pytest.raises(services.AdministrationError):
        services.council_add(by=wvadmin, name="Sneaky Council", short_name="Sneaky")


def test_a_superuser_renames_a_council_recording_before_and_after(client, root, wessex, wv_officer):
    members = set(wessex.members.all())
    client.force_login(root)
    assert client.get(reverse("manage:council_rename", args=[wessex.pk])).status_code == 200
    response = client.post(reverse("manage:council_rename", args=[wessex.pk]),
                           rename_data(wessex, name="Wessex Vale Council"))
    assert response.status_code == 302
    wessex.refresh_from_db()
    assert wessex.name == "Wessex Vale Council"
    assert set(wessex.members.all()) == members and wv_officer in members
    change = ChangeRecord.objects.get(council=wessex, kind=ChangeRecord.Kind.COUNCIL_RENAMED)
    assert change.before == {"name": "Wessex Vale District Council", "short_name": "Wessex Vale"}
    assert change.after == {"name": "Wessex Vale Council", "short_name": "Wessex Vale"}


def test_renaming_to_its_own_name_in_another_case_is_allowed(client, root, wessex):
    client.force_login(root)
    client.post(reverse("manage:council_rename", args=[wessex.pk]), rename_data(wessex, short_name="WESSEX VALE"))
    wessex.refresh_from_db()
    assert wessex.short_name == "WESSEX VALE"


def test_renaming_to_another_councils_name_is_refused(client, root, wessex, harbourside):
    client.force_login(root)
    response = client.post(reverse("manage:council_rename", args=[wessex.pk]),
                           rename_data(wessex, name="harbourside borough council"))
    assert response.status_code == 200
    assert "Harbourside Borough Council is already on the register" in response.content.decode()
    wessex.refresh_from_db()
    assert wessex.name == "Wessex Vale District Council"


def test_a_rename_saved_meanwhile_is_not_overwritten(client, root, wessex):
    opened = rename_data(wessex)
    services.council_rename(by=root, council=wessex, name="Wessex Vale Council", short_name="Wessex Vale")
    client.force_login(root)
    response = client.post(reverse("manage:council_rename", args=[wessex.pk]), {**opened, "short_name": "WV"})
    assert response.status_code == 200
    assert "was renamed by someone else" in response.content.decode()
    wessex.refresh_from_db()
    assert (wessex.name, wessex.short_name) == ("Wessex Vale Council", "Wessex Vale")


def test_an_administrator_cannot_rename_even_their_own_council(client, wvadmin, wessex):
    client.force_login(wvadmin)
    assert client.get(reverse("manage:council_rename", args=[wessex.pk])).status_code == 403
    response = client.post(reverse("manage:council_rename", args=[wessex.pk]), rename_data(wessex, name="Mine"))
    assert response.status_code == 403
    wessex.refresh_from_db()
    assert wessex.name == "Wessex Vale District Council"
    assert not ChangeRecord.objects.exists()


def test_council_names_are_escaped(client, root, wessex):
    client.force_login(root)
    client.post(reverse("manage:council_rename", args=[wessex.pk]),
                rename_data(wessex, name="<script>alert(1)</script>"))
    for url in (reverse("manage:councils"), reverse("manage:council", args=[wessex.pk])):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_manage_page_links_to_councils(client, wvadmin):
    client.force_login(wvadmin)
    assert reverse("manage:councils") in client.get(reverse("manage:index")).content.decode()


def test_the_list_counts_each_councils_people_and_partnerships(client, root, wessex, harbourside, wv_officer):
    PartnershipFactory(councils=[wessex, harbourside])
    PartnershipFactory(councils=[wessex])
    client.force_login(root)
    body = client.get(reverse("manage:councils")).content.decode()
    wessex_row = body[body.index("Wessex Vale District Council"):]
    harbourside_row = body[body.index("Harbourside Borough Council"):]
    assert f'data-label="People">{wessex.members.count()}</td>' in wessex_row.split("</tr>")[0]
    assert 'data-label="Partnerships">2</td>' in wessex_row.split("</tr>")[0]
    assert f'data-label="People">{harbourside.members.count()}</td>' in harbourside_row.split("</tr>")[0]
    assert 'data-label="Partnerships">1</td>' in harbourside_row.split("</tr>")[0]
