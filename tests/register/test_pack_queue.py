"""How many packs one person may have waiting, and cancelling one."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
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
    ScrutinyPack.objects.filter(title="Mine, after it failed").update(status="cancelled")
    assert 'id="pack-queue-full"' not in client.get(reverse("register:pack_new"), {"scope": "strategic"}).content.decode()


def test_the_same_request_twice_gives_the_same_pack(client, register, scrutiny):
    client.force_login(scrutiny)
    first, second = ask(client, "Audit Committee"), ask(client, "Audit Committee")
    assert first.url == second.url
    assert ScrutinyPack.objects.count() == DBTaskResult.objects.count() == 1


def test_the_requester_cancels_a_queued_pack_and_its_task_never_runs(client, register, scrutiny, monkeypatch):
    client.force_login(scrutiny)
    pack = ScrutinyPack.objects.get(pk=ask(client, "Not needed").url.split("/")[-2])
    assert 'id="pack-cancel"' in client.get(pack.get_absolute_url()).content.decode()

    response = client.post(reverse("register:pack_cancel", args=[pack.pk]), follow=True)
    assert "has been cancelled" in response.content.decode()
    pack.refresh_from_db()
    assert pack.status == "cancelled" and pack.finished_at
    task = DBTaskResult.objects.get(id=pack.task_id)
    assert task.status == "FAILED" and task.exception_class_path == "register.packs.PackCancelled"

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    pack.refresh_from_db()
    assert pack.status == "cancelled" and not pack.file

    # Sent again: no harm, and it says why.
    response = client.post(reverse("register:pack_cancel", args=[pack.pk]), follow=True)
    assert "nothing to cancel" in response.content.decode()
    assert "Delete this pack" in response.content.decode()


def test_a_build_under_way_stops_when_its_pack_is_cancelled(officer, administrator, scrutiny, monkeypatch):
    first, second = (PartnershipFactory(name=name) for name in ("First Board", "Second Board"))
    approved(first, officer, administrator)
    approved(second, officer, administrator)
    pack = ScrutinyPack.objects.create(title="Stopped", partnership_ids=[first.pk, second.pk], total=2,
                                       requested_by=scrutiny)
    real = packs.render_document
    sections = []

    def cancelled_after_the_first(template_name, context):
        if template_name == "pdf/pack_section.html":
            sections.append(context["assessment"].partnership_id)
            packs.pack_cancel(pack=pack, user=scrutiny)  # the requester presses Cancel meanwhile
        return real(template_name, context)

    monkeypatch.setattr(packs, "render_document", cancelled_after_the_first)
    built = packs.build(pack.pk)
    assert built.status == "cancelled" and not built.file and built.done == 0
    assert len(sections) == 1  # it stopped at the next partnership


def test_only_the_requester_or_an_administrator_may_cancel(client, register, scrutiny, lead_member, administrator):
    pack = ScrutinyPack.objects.create(title="Theirs", partnership_ids=[1], total=1, requested_by=lead_member,
                                       status="building")
    client.force_login(scrutiny)
    assert 'id="pack-cancel"' not in client.get(pack.get_absolute_url()).content.decode()
    assert client.post(reverse("register:pack_cancel", args=[pack.pk])).status_code == 403
    assert client.get(reverse("register:pack_cancel", args=[pack.pk])).status_code == 405
    assert ScrutinyPack.objects.get(pk=pack.pk).status == "building"
    client.force_login(administrator)
    assert client.post(reverse("register:pack_cancel", args=[pack.pk])).status_code == 302
    assert ScrutinyPack.objects.get(pk=pack.pk).status == "cancelled"
    assert client.post(reverse("register:pack_cancel", args=[987654])).status_code == 404


def test_a_pack_being_built_is_cancelled_before_it_is_deleted(client, scrutiny):
    pack = ScrutinyPack.objects.create(title="Busy", partnership_ids=[1], total=1, requested_by=scrutiny,
                                       status="building")
    client.force_login(scrutiny)
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "Cancel this pack" in page and "Delete this pack" not in page
    response = client.post(reverse("register:pack_delete", args=[pack.pk]), follow=True)
    assert "Cancel it first" in response.content.decode()
    assert ScrutinyPack.objects.filter(pk=pack.pk).exists()
    client.post(reverse("register:pack_cancel", args=[pack.pk]))
    assert client.post(reverse("register:pack_delete", args=[pack.pk])).status_code == 302
    assert not ScrutinyPack.objects.exists()


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
