"""After `load_demo`, the Manage pages are populated: changes recorded, a leaver, a lockout."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from administration.models import ChangeRecord
from checklists.models import AssurancePolicy

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", packs=False, stdout=open("/dev/null", "w"))


def test_the_demo_has_administration_to_look_at_and_adds_it_once():
    load()
    load()
    assert ChangeRecord.objects.count() == 5
    leaver = get_user_model().objects.get(username="kpatel")
    assert not leaver.is_active
    assert AccessAttempt.objects.filter(username="cmorgan").count() == 1
    assert AssurancePolicy.objects.get(council__short_name="Wessex Vale").review_months == 4


def test_wessex_vales_administrator_sees_the_leaver_and_the_lockout_but_cmorgan_can_still_sign_in():
    load()
    client = Client()
    client.force_login(get_user_model().objects.get(username="wvadmin"))
    people = client.get(reverse("manage:people"), {"active": "no"}).content.decode()
    assert "kpatel" in people
    lockouts = client.get(reverse("manage:lockouts")).content.decode()
    assert "cmorgan" in lockouts and "Another council’s administrator can lift it" in lockouts
    visitor = Client()
    response = visitor.post("/accounts/login/", {"username": "cmorgan", "password": "register-demo"})
    assert response.status_code == 302
