"""How many packs one person may have waiting."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from register import packs
from register.models import ScrutinyPack
from tests.factories import PartnershipFactory
from tests.register.test_packs import approved


@pytest.fixture
def register(officer, administrator):
    for name in ("Coastal Flood Board", "Community Safety Partnership"):
        approved(PartnershipFactory(name=name, scope="strategic"), officer, administrator)


def ask(client, title, query="scope=strategic"):
    return client.post(reverse("register:pack_new"), {"title": title, "filters": query})


@pytest.mark.parametrize("role", ["scrutiny", "administrator"])  # administrators are not exempt
def test_it_refuses_a_pack_over_the_waiting_limit_with_a_reason(client, register, settings, request, role):
    settings.SCRUTINY_PACK_QUEUE_LIMIT = 3
    person = request.getfixturevalue(role)
    client.force_login(person)
    for n in range(3):
        assert ask(client, f"Pack {n}").status_code == 302
    response = ask(client, "One too many")
    assert response.status_code == 200
    page = response.content.decode()
    assert "You already have 3 packs waiting to be built" in page and "cancel one" in page
    assert ScrutinyPack.objects.filter(requested_by=person).count() == 3
    assert DBTaskResult.objects.count() == 3
    # Said before a title is typed, too.
    page = client.get(reverse("register:pack_new"), {"scope": "strategic"}).content.decode()
    assert 'id="pack-queue-full"' in page


def test_the_limit_is_per_person_and_counts_only_waiting_packs(client, register, settings, scrutiny, lead_member):
    settings.SCRUTINY_PACK_QUEUE_LIMIT = 1
    client.force_login(scrutiny)
    assert ask(client, "Mine").status_code == 302
    assert "waiting to be built" in ask(client, "Mine again").content.decode()
    client.force_login(lead_member)
    assert ask(client, "Theirs").status_code == 302  # someone else's queue
    client.force_login(scrutiny)
    ScrutinyPack.objects.filter(title="Mine").update(status="failed")
    assert ask(client, "Mine, after it failed").status_code == 302
    ScrutinyPack.objects.filter(title="Mine, after it failed").update(status="failed")
    assert 'id="pack-queue-full"' not in client.get(reverse("register:pack_new"), {"scope": "strategic"}).content.decode()


def test_the_same_request_twice_gives_the_same_pack(client, register, scrutiny):
    client.force_login(scrutiny)
    first, second = ask(client, "Audit Committee"), ask(client, "Audit Committee")
    assert first.url == second.url
    assert ScrutinyPack.objects.count() == DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite's test database lets one writer in at a time, so the race cannot happen there")
def test_packs_asked_for_at_the_same_moment_cannot_pass_the_limit(settings, transactional_db, scrutiny):
    """Ten requests at once (a script, or a held-down Enter key) queue three packs, not ten."""
    settings.SCRUTINY_PACK_QUEUE_LIMIT = 3
    ids = [PartnershipFactory(name="Coastal Flood Board").pk]
    start = threading.Barrier(10)
    outcomes = []

    def ask_at_once(n):
        try:
            start.wait()
            packs.pack_request(partnership_ids=ids, title=f"Pack {n}", filters="", filter_summary="", user=scrutiny)
            outcomes.append("queued")
        except packs.PackError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask_at_once, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["queued"] * 3 + ["refused"] * 7
    assert ScrutinyPack.objects.count() == DBTaskResult.objects.count() == 3
