"""The People pages: an administrator sees and changes their own councils' people only."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from administration.models import ChangeRecord
from administration.people import person_version, role_of
from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER, SCRUTINY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def new_person(council, **changes):
    return {"first_name": "Nia", "last_name": "Jones", "email": "nia.jones@example.org", "username": "njones",
            "role": OFFICER, "councils": [council.pk], **changes}


def change_data(person, **changes):
    return {"first_name": person.first_name, "last_name": person.last_name, "email": person.email,
            "role": role_of(person), "councils": list(person.councils.values_list("pk", flat=True)),
            "version": person_version(person), **changes}


def test_it_lists_only_the_administrators_councils_people(client, wvadmin, wv_officer, hb_member, shared_officer):
    client.force_login(wvadmin)
    body = client.get(reverse("manage:people")).content.decode()
    assert "wvofficer" in body and "shared" in body
    assert "hbmember" not in body


@pytest.mark.parametrize("query, shown, hidden", [
    ({"role": OFFICER}, ["wvofficer"], ["wvadmin"]),
    ({"active": "no"}, ["wvofficer"], ["wvadmin"]),
    ({"name": "wyn"}, ["wvofficer"], ["wvadmin"]),
])
def test_it_filters_people(client, wvadmin, wv_officer, query, shown, hidden):
    if query.get("active") == "no":
        wv_officer.is_active = False
        wv_officer.save()
    client.force_login(wvadmin)
    body = client.get(reverse("manage:people"), query).content.decode()
    for username in shown:
        assert f"<td class=\"govuk-table__cell\" data-label=\"Username\">{username}</td>" in body
    for username in hidden:
        assert f"data-label=\"Username\">{username}</td>" not in body


def test_a_filter_it_cannot_read_is_a_message_not_a_500(client, wvadmin, harbourside):
    client.force_login(wvadmin)
    response = client.get(reverse("manage:people"), {"council": harbourside.pk, "role": "Wizard"})
    assert response.status_code == 200
    assert "Select a council from the list" in response.content.decode()
    assert "Select a role from the list" in response.content.decode()


def test_adding_a_person_checks_then_adds_them_and_emails_a_link(client, wvadmin, wessex):
    client.force_login(wvadmin)
    response = client.post(reverse("manage:person_new"), new_person(wessex))
    assert response.url == reverse("manage:person_check")
    assert not User.objects.filter(username="njones").exists()  # not until checked
    check = client.get(reverse("manage:person_check")).content.decode()
    assert "nia.jones@example.org" in check and "Wessex Vale District Council" in check
    response = client.post(reverse("manage:person_check"))
    person = User.objects.get(username="njones")
    assert response.url == reverse("manage:person_added", args=[person.pk])
    assert role_of(person) == OFFICER
    assert list(person.councils.all()) == [wessex]
    assert not person.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nia.jones@example.org"]
    assert "njones" in mail.outbox[0].body
    kinds = list(ChangeRecord.objects.filter(person=person).values_list("kind", flat=True))
    assert set(kinds) == {ChangeRecord.Kind.PERSON_ADDED, ChangeRecord.Kind.INVITATION_SENT}


def test_the_same_confirmation_posted_twice_adds_the_person_once(client, wvadmin, wessex):
    client.force_login(wvadmin)
    client.post(reverse("manage:person_new"), new_person(wessex))
    client.post(reverse("manage:person_check"))
    response = client.post(reverse("manage:person_check"))
    assert response.status_code == 302 and response.url == reverse("manage:person_new")
    assert User.objects.filter(username="njones").count() == 1
    assert len(mail.outbox) == 1


def test_a_new_person_gets_only_the_administrators_councils(client, wvadmin, harbourside):
    client.force_login(wvadmin)
    response = client.post(reverse("manage:person_new"), new_person(harbourside))
    assert response.status_code == 200
    assert "Select councils from the list" in response.content.decode()
    assert not User.objects.filter(username="njones").exists()


def test_a_username_taken_in_another_case_is_refused_with_what_was_typed_kept(client, wvadmin, wessex,
                                                                              hb_member):
    client.force_login(wvadmin)
    response = client.post(reverse("manage:person_new"), new_person(wessex, username="HBMember"))
    body = response.content.decode()
    assert "That username is already taken" in body
    assert "nia.jones@example.org" in body


def test_an_email_of_another_account_is_refused(client, wvadmin, wessex, wv_officer):
    client.force_login(wvadmin)
    response = client.post(reverse("manage:person_new"), new_person(wessex, email="WVOFFICER@example.org"))
    assert "Another account already has this email address" in response.content.decode()


@pytest.mark.parametrize("field", ["first_name", "last_name", "email", "username", "role"])
def test_a_megabyte_in_any_field_is_a_message(client, wvadmin, wessex, field):
    client.force_login(wvadmin)
    response = client.post(reverse("manage:person_new"), new_person(wessex, **{field: "x" * 1_000_000}))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "administration_new_person" not in client.session


def test_changing_a_role_and_councils_is_recorded_before_and_after(client, both_admin, wv_officer, harbourside,
                                                                   wessex):
    client.force_login(both_admin)
    response = client.post(reverse("manage:person_change", args=[wv_officer.pk]), change_data(
        wv_officer, role=ADMINISTRATOR, councils=[harbourside.pk, wessex.pk]))
    assert response.status_code == 302
    wv_officer.refresh_from_db()
    assert list(wv_officer.groups.values_list("name", flat=True)) == [ADMINISTRATOR]
    assert set(wv_officer.councils.all()) == {harbourside, wessex}
    role = ChangeRecord.objects.get(person=wv_officer, kind=ChangeRecord.Kind.ROLE_CHANGED)
    assert (role.before, role.after, role.made_by) == ({"role": OFFICER}, {"role": ADMINISTRATOR}, both_admin)
    councils = ChangeRecord.objects.get(person=wv_officer, kind=ChangeRecord.Kind.COUNCILS_CHANGED)
    assert councils.before == {"councils": ["Wessex Vale District Council"]}
    page = client.get(reverse("manage:person", args=[wv_officer.pk])).content.decode()
    assert "Changed Wyn Officer’s role from Officer to Administrator" in page


def test_a_person_has_one_role_whatever_is_posted(client, wvadmin, wv_officer):
    client.force_login(wvadmin)
    client.post(reverse("manage:person_change", args=[wv_officer.pk]),
                change_data(wv_officer, role=[LEAD_MEMBER, SCRUTINY]))
    wv_officer.refresh_from_db()
    assert wv_officer.groups.count() == 1


def test_two_administrators_saving_at_once_the_second_is_told_and_keeps_their_input(client, wvadmin, wv_officer,
                                                                                    wessex):
    opened = change_data(wv_officer)
    other = UserFactory(username="other-admin", role=ADMINISTRATOR, councils=[wessex])
    client.force_login(other)
    client.post(reverse("manage:person_change", args=[wv_officer.pk]), {**opened, "role": LEAD_MEMBER})
    client.force_login(wvadmin)
    response = client.post(reverse("manage:person_change", args=[wv_officer.pk]),
                           {**opened, "role": SCRUTINY, "first_name": "Typed"})
    assert response.status_code == 200
    assert "was changed by someone else" in response.content.decode()
    assert 'value="Typed"' in response.content.decode()
    wv_officer.refresh_from_db()
    assert role_of(wv_officer) == LEAD_MEMBER


def test_deactivating_keeps_the_person_and_records_it(client, wvadmin, wv_officer):
    client.force_login(wvadmin)
    assert client.get(reverse("manage:person_deactivate", args=[wv_officer.pk])).status_code == 200
    response = client.post(reverse("manage:person_deactivate", args=[wv_officer.pk]),
                           {"version": person_version(wv_officer)})
    assert response.status_code == 302
    wv_officer.refresh_from_db()
    assert not wv_officer.is_active
    assert ChangeRecord.objects.filter(person=wv_officer, kind=ChangeRecord.Kind.DEACTIVATED).exists()
    client.post(reverse("manage:person_reactivate", args=[wv_officer.pk]), {"version": person_version(wv_officer)})
    wv_officer.refresh_from_db()
    assert wv_officer.is_active


def test_an_administrator_cannot_change_or_deactivate_themselves(client, wvadmin):
    client.force_login(wvadmin)
    assert client.get(reverse("manage:person_change", args=[wvadmin.pk])).status_code == 403
    assert client.post(reverse("manage:person_deactivate", args=[wvadmin.pk]),
                       {"version": person_version(wvadmin)}).status_code == 403
    wvadmin.refresh_from_db()
    assert wvadmin.is_active


def test_a_shared_person_is_shown_read_only_saying_who_can_change_them(client, wvadmin, shared_officer, both_admin):
    client.force_login(wvadmin)
    body = client.get(reverse("manage:person", args=[shared_officer.pk])).content.decode()
    assert "also belongs to Harbourside Borough Council" in body
    assert "Bo Th" in body
    assert reverse("manage:person_change", args=[shared_officer.pk]) not in body


def test_a_superusers_account_is_read_only_to_administrators(client, wvadmin, wessex):
    root = UserFactory(username="root", is_superuser=True, councils=[wessex])
    client.force_login(wvadmin)
    assert client.get(reverse("manage:person", args=[root.pk])).status_code == 200
    assert client.post(reverse("manage:person_change", args=[root.pk]), {}).status_code == 403


def test_the_person_page_names_their_councils(client, wvadmin, shared_officer):
    client.force_login(wvadmin)
    body = client.get(reverse("manage:person", args=[shared_officer.pk])).content.decode()
    assert "Harbourside Borough Council" in body and "Wessex Vale District Council" in body
    assert "object (" not in body


def test_sending_a_new_link_is_recorded(client, wvadmin, wv_officer):
    client.force_login(wvadmin)
    client.post(reverse("manage:person_invite", args=[wv_officer.pk]))
    assert mail.outbox[0].to == [wv_officer.email]
    assert ChangeRecord.objects.filter(person=wv_officer, kind=ChangeRecord.Kind.INVITATION_SENT).exists()


def test_text_people_typed_is_escaped(client, wvadmin, wessex):
    UserFactory(username="xss", first_name="<script>alert(1)</script>", councils=[wessex])
    client.force_login(wvadmin)
    body = client.get(reverse("manage:people")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_a_mail_server_that_refuses_is_a_message_and_the_person_stays_added(client, wvadmin, wessex, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    client.force_login(wvadmin)
    client.post(reverse("manage:person_new"), new_person(wessex))
    response = client.post(reverse("manage:person_check"), follow=True)
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    person = User.objects.get(username="njones")
    assert not ChangeRecord.objects.filter(person=person, kind=ChangeRecord.Kind.INVITATION_SENT).exists()


@pytest.mark.parametrize("page", ["manage:people", "manage:lockouts"])
def test_a_list_takes_as_many_queries_for_forty_people_as_for_four(client, wvadmin, wessex, page,
                                                                    django_assert_max_num_queries):
    from axes.models import AccessAttempt

    def add(count, start):
        for n in range(start, start + count):
            UserFactory(username=f"person{n}", role=OFFICER, councils=[wessex])
            AccessAttempt.objects.create(username=f"person{n}", ip_address="10.0.0.1", user_agent="x",
                                         failures_since_start=9, get_data="", post_data="", http_accept="",
                                         path_info="/")

    client.force_login(wvadmin)
    add(4, 0)
    client.get(reverse(page))  # the session and the navigation's counts, kept
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(page))
    add(36, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(page)).status_code == 200
