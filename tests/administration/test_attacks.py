"""A council administrator cannot see, change, deactivate, unlock or send a link to a person
of another council (404: as if they did not exist), nor change one shared with a council they
do not administer (403, with nothing changed), by any URL or id."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from administration.models import ChangeRecord
from administration.people import person_version
from partnerships.roles import ADMINISTRATOR

pytestmark = pytest.mark.django_db

READS = ["manage:person", "manage:person_added"]
CHANGES = [("manage:person_change", "get"), ("manage:person_change", "post"), ("manage:person_deactivate", "get"),
           ("manage:person_deactivate", "post"), ("manage:person_reactivate", "post"),
           ("manage:person_invite", "post")]


def attempt_for(username):
    return AccessAttempt.objects.create(username=username, ip_address="10.0.0.9", user_agent="x",
                                        failures_since_start=9, get_data="", post_data="", http_accept="",
                                        path_info="/")


def hostile(person, **extra):
    return {"first_name": "Hijacked", "last_name": "X", "email": "attacker@example.org", "role": ADMINISTRATOR,
            "councils": list(person.councils.values_list("pk", flat=True)), "version": person_version(person),
            **extra}


def unchanged(person, before):
    person.refresh_from_db()
    assert (person.first_name, person.is_active, list(person.groups.all())) == before
    assert not ChangeRecord.objects.filter(person=person).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("name", READS + [name for name, _ in CHANGES])
def test_a_person_of_another_council_is_a_404_by_every_url(client, wvadmin, hb_member, name):
    before = (hb_member.first_name, hb_member.is_active, list(hb_member.groups.all()))
    client.force_login(wvadmin)
    for method in ("get", "post"):
        response = getattr(client, method)(reverse(name, args=[hb_member.pk]), hostile(hb_member))
        assert response.status_code in (404, 405)
        assert "hbmember" not in response.content.decode()
    unchanged(hb_member, before)


@pytest.mark.parametrize("name, method", CHANGES)
def test_a_shared_person_cannot_be_changed_by_one_councils_administrator(client, wvadmin, shared_officer, name,
                                                                         method):
    before = (shared_officer.first_name, shared_officer.is_active, list(shared_officer.groups.all()))
    client.force_login(wvadmin)
    response = getattr(client, method)(reverse(name, args=[shared_officer.pk]), hostile(shared_officer))
    assert response.status_code == 403
    unchanged(shared_officer, before)


def test_an_administrator_of_both_councils_may_change_the_shared_person(client, both_admin, shared_officer):
    client.force_login(both_admin)
    response = client.post(reverse("manage:person_change", args=[shared_officer.pk]),
                           hostile(shared_officer, role="Officer"))
    assert response.status_code == 302
    shared_officer.refresh_from_db()
    assert shared_officer.first_name == "Hijacked"


def test_another_councils_lockouts_are_never_shown_nor_lifted(client, wvadmin, hb_member, wv_officer):
    theirs, ours = attempt_for("hbmember"), attempt_for("wvofficer")
    client.force_login(wvadmin)
    listing = client.get(reverse("manage:lockouts")).content.decode()
    assert "wvofficer" in listing and "hbmember" not in listing
    assert client.post(reverse("manage:lockout_lift", args=[theirs.pk])).status_code == 404
    assert AccessAttempt.objects.filter(pk=theirs.pk).exists()
    assert client.post(reverse("manage:lockout_lift", args=[ours.pk])).status_code == 302
    assert not AccessAttempt.objects.filter(pk=ours.pk).exists()
    lifted = ChangeRecord.objects.get(kind=ChangeRecord.Kind.LOCKOUT_LIFTED)
    assert (lifted.person, lifted.made_by, lifted.before["failures"]) == (wv_officer, wvadmin, 9)


def test_a_shared_persons_lockout_is_shown_but_not_lifted_by_one_councils_administrator(client, wvadmin,
                                                                                        shared_officer):
    attempt = attempt_for("shared")
    client.force_login(wvadmin)
    assert "Another council’s administrator can lift it" in client.get(reverse("manage:lockouts")).content.decode()
    assert client.post(reverse("manage:lockout_lift", args=[attempt.pk])).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_lifting_the_same_lockout_twice_is_a_message(client, wvadmin, wv_officer):
    attempt = attempt_for("wvofficer")
    client.force_login(wvadmin)
    client.post(reverse("manage:lockout_lift", args=[attempt.pk]))
    response = client.post(reverse("manage:lockout_lift", args=[attempt.pk]))
    assert response.status_code == 404  # gone: nothing to lift
    assert ChangeRecord.objects.filter(kind=ChangeRecord.Kind.LOCKOUT_LIFTED).count() == 1


def test_councils_not_administered_cannot_be_given(client, wvadmin, wv_officer, harbourside, wessex):
    client.force_login(wvadmin)
    response = client.post(reverse("manage:person_change", args=[wv_officer.pk]),
                           hostile(wv_officer, role="Officer", councils=[harbourside.pk, wessex.pk]))
    assert response.status_code == 200
    assert "Select councils from the list" in response.content.decode()
    assert list(wv_officer.councils.all()) == [wessex]


def test_a_person_id_too_big_is_a_404(client, wvadmin):
    client.force_login(wvadmin)
    assert client.get("/manage/people/99999999999999999999999/").status_code == 404
