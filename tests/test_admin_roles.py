"""Administrators are not superusers: in the administration site they give people one of the
four roles and nothing more. Superuser status, staff status and permissions are a superuser's."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from partnerships.permissions import is_administrator
from partnerships.roles import ADMINISTRATOR, OFFICER, ROLES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def posted(user, **changes):
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": "",
        "is_active": "on", "groups": [group.pk for group in user.groups.all()],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "24/11/2026", "date_joined_1": "09:00:00",
        # The councils inline (tests/test_council_membership.py), left as it is.
        "Council_members-TOTAL_FORMS": "0", "Council_members-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_an_administrator_cannot_make_anyone_a_superuser_or_staff_or_give_permissions(client, administrator):
    target = UserFactory(username="target", role=OFFICER)
    client.force_login(administrator)
    permission = Permission.objects.get(codename="delete_partnership")
    response = client.post(change_url(target), posted(
        target, is_superuser="on", is_staff="on", user_permissions=[permission.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.is_superuser, target.is_staff) == (False, False)
    assert not target.user_permissions.exists()


def test_an_administrator_cannot_make_themselves_a_superuser(client, administrator):
    client.force_login(administrator)
    client.post(change_url(administrator), posted(administrator, is_superuser="on"))
    administrator.refresh_from_db()
    assert not administrator.is_superuser


def test_the_form_offers_an_administrator_only_the_four_roles(client, administrator):
    Group.objects.create(name="Something else")
    client.force_login(administrator)
    body = client.get(change_url(UserFactory(username="target", role=OFFICER))).content.decode()
    assert "is_superuser" not in body and "is_staff" not in body and "user_permissions" not in body
    for role in ROLES:
        assert f">{role}<" in body
    assert "Something else" not in body


def test_giving_the_administrator_role_opens_the_site_and_taking_it_closes_it(client, administrator):
    target = UserFactory(username="target", role=OFFICER)
    client.force_login(administrator)
    admin_group = Group.objects.get(name=ADMINISTRATOR)
    client.post(change_url(target), posted(target, groups=[admin_group.pk]))
    target.refresh_from_db()
    assert target.is_staff and not target.is_superuser
    client.post(change_url(target), posted(target, groups=[Group.objects.get(name=OFFICER).pk]))
    target.refresh_from_db()
    assert not target.is_staff


def test_an_administrator_cannot_change_or_delete_a_superusers_account(client, administrator, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "a-long-password-1")
    client.force_login(administrator)
    assert client.post(change_url(root), posted(root, first_name="Taken")).status_code == 403
    assert client.post(reverse("admin:auth_user_password_change", args=[root.pk]),
                       {"password1": "new-pass-123456", "password2": "new-pass-123456"}).status_code == 403
    assert client.post(reverse("admin:auth_user_delete", args=[root.pk]), {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.first_name == "" and root.check_password("a-long-password-1")


def test_an_administrator_cannot_change_what_a_role_may_do(client, administrator):
    officer_group = Group.objects.get(name=OFFICER)
    client.force_login(administrator)
    response = client.post(reverse("admin:auth_group_change", args=[officer_group.pk]),
                           {"name": OFFICER, "permissions": [Permission.objects.get(codename="delete_partnership").pk]})
    assert response.status_code == 403
    assert not officer_group.permissions.filter(codename="delete_partnership").exists()


def test_a_superuser_may_still_grant_anything(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "a-long-password-1")
    target = UserFactory(username="target", role=OFFICER)
    client.force_login(root)
    client.post(change_url(target), posted(target, is_staff="on", is_superuser="on"))
    target.refresh_from_db()
    assert target.is_staff and target.is_superuser


def test_an_administrator_saving_a_user_keeps_groups_they_are_not_offered(client, administrator):
    target = UserFactory(username="target", role=OFFICER)
    other = Group.objects.create(name="Data protection team")
    target.groups.add(other)
    client.force_login(administrator)
    client.post(change_url(target), posted(target, groups=[Group.objects.get(name=OFFICER).pk]))
    assert set(target.groups.values_list("name", flat=True)) == {OFFICER, "Data protection team"}


def test_a_role_given_or_taken_is_seen_at_once_by_the_same_user_object():
    """is_administrator reads a person's roles once per user object; a change of their groups
    makes it read them again (m2m_changed), so a page never acts on a role they have lost."""
    person = UserFactory(role=OFFICER)
    administrator = Group.objects.get(name=ADMINISTRATOR)
    assert not is_administrator(person)
    person.groups.add(administrator)
    assert is_administrator(person)
    person.groups.remove(administrator)
    assert not is_administrator(person)
