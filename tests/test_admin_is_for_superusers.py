"""The Django admin is the operator's tool: every admin URL, as every role that is not a
superuser, gives the sign-in page or 403, never data. Council administrators work on the
register's own pages (tests/administration/)."""

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER, SCRUTINY
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Harbourside only: the secret partnership"


@pytest.fixture
def objects(db):
    """One object of every registered model that the fixtures can make, named so a leak shows."""
    partnership = PartnershipFactory(name=SECRET)
    partnership.name = f"{SECRET} (renamed)"
    partnership.save()
    attempt = AccessAttempt.objects.create(username="locked-person", ip_address="10.0.0.9", user_agent="x",
                                           failures_since_start=9, get_data="", post_data="", http_accept="",
                                           path_info="/")
    person = UserFactory(username="someone-of-harbourside", role=OFFICER)
    return {"partnership": partnership, "attempt": attempt, "person": person,
            "history": partnership.history.latest("history_date")}


def admin_urls(objects) -> list[str]:
    """Every page of the admin: index, each app, and each registered model's changelist and add;
    change, history and delete of the objects the fixtures made; the simple-history
    version pages, password change, autocomplete."""
    urls = [reverse("admin:index"), reverse("admin:password_change"),
            reverse("admin:autocomplete") + "?app_label=partnerships&model_name=partnership&field_name=parent",
            reverse("admin:jsi18n")]
    by_model = {"partnership": objects["partnership"].pk, "accessattempt": objects["attempt"].pk,
                "user": objects["person"].pk}
    for model in admin.site._registry:
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        urls.append(reverse("admin:app_list", args=[meta.app_label]))
        urls.append(reverse(f"{prefix}_changelist"))
        try:
            urls.append(reverse(f"{prefix}_add"))
        except NoReverseMatch:
            pass
        if meta.model_name in by_model:
            for view in ("change", "history", "delete"):
                urls.append(reverse(f"{prefix}_{view}", args=[by_model[meta.model_name]]))
    urls.append(reverse("admin:auth_user_password_change", args=[objects["person"].pk]))
    urls.append(reverse("admin:partnerships_partnership_simple_history",
                        args=[objects["partnership"].pk, objects["history"].history_id]))
    return sorted(set(urls))


@pytest.mark.parametrize("role", [None, LEAD_MEMBER, SCRUTINY, OFFICER, ADMINISTRATOR, "staff administrator"])
def test_no_admin_url_gives_a_person_who_is_not_a_superuser_any_data(client, objects, role):
    user = UserFactory(username="wvadmin", role=ADMINISTRATOR if role == "staff administrator" else role)
    if role == "staff administrator":
        user.is_staff = True
        user.save()
    client.force_login(user)
    for url in admin_urls(objects):
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"post": "yes", "password1": "x-hijacked-99",
                                                     "password2": "x-hijacked-99"})
            assert response.status_code == 403, (method, url, response.status_code)
            assert SECRET not in response.content.decode(), url
    objects["person"].refresh_from_db()
    assert objects["person"].check_password("a-test-password-123")
    assert AccessAttempt.objects.filter(pk=objects["attempt"].pk).exists()


def test_an_anonymous_person_is_sent_to_the_registers_sign_in(client, objects):
    for url in admin_urls(objects):
        response = client.get(url)
        if url.startswith(reverse("admin:jsi18n")):
            continue
        assert response.status_code == 302, url
        final = client.get(response.url)
        assert final.status_code in (200, 302), url
        assert SECRET not in final.content.decode()


def test_a_superuser_reaches_every_admin_page(client, objects, superuser):
    client.force_login(superuser)
    for url in admin_urls(objects):
        # Some models are never added by hand (sign-in attempts, the one assurance policy).
        assert client.get(url).status_code in ((200, 403) if url.endswith("/add/") else (200,)), url


def test_the_user_form_refuses_two_roles(client, superuser):
    person = UserFactory(username="target", role=OFFICER)
    client.force_login(superuser)
    groups = [Group.objects.get(name=OFFICER).pk, Group.objects.get(name=ADMINISTRATOR).pk]
    response = client.post(reverse("admin:auth_user_change", args=[person.pk]), {
        "username": "target", "first_name": "", "last_name": "", "email": "", "is_active": "on", "groups": groups,
        "last_login_0": "", "last_login_1": "", "date_joined_0": "24/11/2026", "date_joined_1": "09:00:00",
        "Council_members-TOTAL_FORMS": "0", "Council_members-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "Give each person one role" in response.content.decode()
    assert list(person.groups.values_list("name", flat=True)) == [OFFICER]
