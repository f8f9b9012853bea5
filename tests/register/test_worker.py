"""The worker (`manage.py run_worker`): it survives database errors, and no pack is left
waiting for a task that will never run it."""

import importlib
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import DatabaseError, OperationalError
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from checklists.models import Template
from register import packs, worker
from register.models import ScrutinyPack, WorkerHeartbeat
from tests.databases import postgresql_only, terminate
from tests.factories import PartnershipFactory
from tests.register.test_packs import approved, ask_for_pack


@pytest.fixture
def register(officer, administrator):
    flood = PartnershipFactory(name="Coastal Flood Board", scope="strategic")
    approved(flood, officer, administrator)
    return {"flood": flood}


@pytest.fixture
def pauses(monkeypatch):
    """The worker's pauses after a database error, recorded rather than waited for."""
    taken = []
    monkeypatch.setattr(worker, "sleep", taken.append)
    return taken


@pytest.fixture
def run_worker(monkeypatch, pauses):
    """`manage.py run_worker --batch`, keeping the test's connection (and its transaction) open."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    return lambda: call_command("run_worker", batch=True, verbosity=0)


def building_by(pack, worker_id):
    """The pack as a worker left it when it was killed mid-build: its task still marked running."""
    task = DBTaskResult.objects.get(id=pack.task_id)
    task.claim(worker_id)
    ScrutinyPack.objects.filter(pk=pack.pk).update(status="building", started_at=timezone.now(), done=0)
    return task


def test_it_fails_a_pack_whose_worker_was_killed_as_soon_as_a_worker_starts(client, scrutiny, register,
                                                                              run_worker):
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    task = building_by(pack, "killed-worker")  # never a heartbeat: it is not running

    run_worker()

    pack.refresh_from_db()
    task.refresh_from_db()
    assert pack.status == "failed" and pack.error == packs.STOPPED
    assert task.status == "FAILED" and task.exception_class_path == "register.worker.WorkerLost"
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "worker was stopped" in page and "Delete this pack" in page


def test_it_fails_a_pack_at_once_when_its_worker_process_has_ended(client, scrutiny, register, run_worker):
    """As when `make run`'s loop starts a worker again seconds after the last was killed."""
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    building_by(pack, "killed-a-moment-ago")
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    WorkerHeartbeat.objects.create(worker_id="killed-a-moment-ago", host=worker.this_host(), pid=ended.pid,
                                   last_seen=timezone.now())
    run_worker()
    pack.refresh_from_db()
    assert pack.status == "failed" and pack.error == packs.STOPPED
    assert not WorkerHeartbeat.objects.exists()  # forgotten, as is the one that stopped cleanly


def test_a_worker_elsewhere_is_alive_while_it_beats(db):
    here = WorkerHeartbeat(worker_id="here", host=worker.this_host(), pid=os.getppid())
    elsewhere = WorkerHeartbeat(worker_id="elsewhere", host="another-host", pid=999999999)
    assert not worker.process_gone(here) and not worker.process_gone(elsewhere)


def test_it_fails_a_pack_whose_worker_has_gone_quiet(scrutiny, client, register, run_worker):
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    task = building_by(pack, "quiet-worker")
    WorkerHeartbeat.objects.create(worker_id="quiet-worker", last_seen=timezone.now() - timedelta(minutes=5))
    run_worker()
    pack.refresh_from_db()
    assert pack.status == "failed"
    task.refresh_from_db()
    assert task.status == "FAILED"


def test_it_leaves_a_pack_that_a_live_worker_is_building(scrutiny, client, register, run_worker):
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    task = building_by(pack, "busy-worker")
    WorkerHeartbeat.objects.create(worker_id="busy-worker", last_seen=timezone.now() - timedelta(seconds=5))
    run_worker()
    pack.refresh_from_db()
    task.refresh_from_db()
    assert pack.status == "building" and task.status == "RUNNING"


def test_it_fails_a_pack_whose_task_record_has_gone(scrutiny, client, register):
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    DBTaskResult.objects.filter(id=pack.task_id).delete()  # prune_db_task_results, say
    assert packs.fail_abandoned() == 1
    pack.refresh_from_db()
    assert pack.status == "failed" and pack.error == packs.STOPPED
    assert packs.fail_abandoned() == 0


def test_a_task_left_running_under_its_own_worker_after_an_error_is_failed(scrutiny, client, register):
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    building_by(pack, "me")  # it could not record the task's end: the database was locked
    WorkerHeartbeat.objects.create(worker_id="me")
    worker.housekeeping()
    assert ScrutinyPack.objects.get(pk=pack.pk).status == "building"  # another worker sees "me" alive
    worker.housekeeping(own_id="me")
    assert ScrutinyPack.objects.get(pk=pack.pk).status == "failed"


def test_a_worker_keeping_house_while_it_builds_a_pack_leaves_its_own_pack_alone(scrutiny, client, register):
    """Its heartbeat thread keeps house every HOUSEKEEPING_EVERY seconds while the worker builds:
    its own heartbeat (this host, this process) is a live worker's, so a pack taking longer
    than that is not failed halfway (make load found this: every pack still building when
    its worker's thread kept house failed with "its background worker was stopped")."""
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    worker.beat("this-worker")  # as run() does: this host, this process
    task = building_by(pack, "this-worker")
    heartbeat = worker.Heartbeat("this-worker")
    heartbeat.last_housekeeping -= worker.HOUSEKEEPING_EVERY
    heartbeat.tick()
    pack.refresh_from_db()
    task.refresh_from_db()
    assert pack.status == "building" and task.status == "RUNNING"
    assert WorkerHeartbeat.objects.filter(worker_id="this-worker").exists()
    # Another worker id of this same process (one before a restart of its loop) has gone.
    worker.beat("earlier-id")
    WorkerHeartbeat.objects.filter(worker_id="earlier-id").update(pid=os.getpid())
    heartbeat.last_housekeeping -= worker.HOUSEKEEPING_EVERY
    heartbeat.tick()
    assert not WorkerHeartbeat.objects.filter(worker_id="earlier-id").exists()


def test_pages_only_read(client, scrutiny, register):
    """Housekeeping belongs to the worker: following a pack's progress writes nothing."""
    pack = ScrutinyPack.objects.create(title="Orphan", partnership_ids=[register["flood"].pk], total=1,
                                       requested_by=scrutiny, status="building",
                                       started_at=timezone.now() - timedelta(hours=2))
    client.force_login(scrutiny)
    client.get(reverse("register:packs"))  # the session is loaded once
    with CaptureQueriesContext(db_connection) as queries:
        for url in (reverse("register:packs"), pack.get_absolute_url(),
                    reverse("register:pack_progress", args=[pack.pk])):
            assert client.get(url).status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT",
                                                                                      "RELEASE"))]
    assert writes == []
    assert ScrutinyPack.objects.get(pk=pack.pk).status == "building"


def locked_for(times, monkeypatch):
    """The database locked (as by a long `dumpdata` on SQLite) for the worker's next `times` looks."""
    real = db_worker.exclusive_transaction
    left = {"times": times}

    def exclusive_transaction(using=None):
        if left["times"]:
            left["times"] -= 1
            raise OperationalError("database is locked")
        return real(using)

    monkeypatch.setattr(db_worker, "exclusive_transaction", exclusive_transaction)


def test_db_worker_alone_stops_at_a_locked_database(scrutiny, client, register, monkeypatch):
    """The cause: django-tasks-db catches a lock only once its transaction has begun."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    client.force_login(scrutiny)
    ask_for_pack(client, query="scope=strategic")
    locked_for(1, monkeypatch)
    with pytest.raises(OperationalError):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def test_the_worker_waits_out_a_locked_database_and_builds_the_pack(scrutiny, client, register, monkeypatch,
                                                                   run_worker, pauses):
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    locked_for(3, monkeypatch)
    run_worker()
    pack.refresh_from_db()
    assert pack.status == "ready"
    assert pauses == [1, 2, 4]  # longer each time, up to WORKER_RETRY_MAX
    assert not WorkerHeartbeat.objects.exists()  # it said it had stopped


def test_the_worker_pauses_no_longer_than_the_most_it_is_allowed(settings, scrutiny, client, register,
                                                                 monkeypatch, run_worker, pauses):
    settings.WORKER_RETRY_MAX = 3
    client.force_login(scrutiny)
    ask_for_pack(client, query="scope=strategic")
    locked_for(4, monkeypatch)
    run_worker()
    assert pauses == [1, 2, 3, 3]


def test_a_running_worker_beats_and_keeps_house(monkeypatch, db):
    kept = []
    monkeypatch.setattr(worker, "housekeeping", lambda **kwargs: kept.append(kwargs))
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen=timezone.now() - timedelta(minutes=1))
    heartbeat = worker.Heartbeat("w1")
    heartbeat.tick()
    assert WorkerHeartbeat.objects.get(worker_id="w1").last_seen > timezone.now() - timedelta(seconds=5)
    assert kept == []  # not yet: every HOUSEKEEPING_EVERY seconds
    heartbeat.last_housekeeping -= worker.HOUSEKEEPING_EVERY
    heartbeat.tick()
    assert kept == [{"alive_id": "w1"}]


def test_a_heartbeat_survives_a_database_error(monkeypatch, db):
    def locked(worker_id):
        raise OperationalError("database is locked")

    monkeypatch.setattr(worker, "beat", locked)
    worker.Heartbeat("w1").tick()  # logged, not raised: the thread beats again next time


def test_pauses_start_short_again_after_a_quiet_spell(scrutiny, client, register, monkeypatch, run_worker, pauses):
    clock = iter([0, 1, 1000, 1001])  # two errors, a long quiet spell, two more
    monkeypatch.setattr(worker, "monotonic", lambda: next(clock))
    client.force_login(scrutiny)
    ask_for_pack(client, query="scope=strategic")
    locked_for(4, monkeypatch)
    run_worker()
    assert pauses == [1, 2, 1, 2]


def test_the_worker_carries_on_after_any_database_error(scrutiny, client, register, monkeypatch, run_worker,
                                                        pauses):
    """psycopg2 reports a connection PostgreSQL dropped (as it restarts) as a plain DatabaseError at
    times: the worker waits and tries again, as for a locked database."""
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    real = DBTaskResultQuerySet.get_locked
    dropped = []

    def get_locked(tasks):
        if not dropped:
            dropped.append(True)
            raise DatabaseError("server closed the connection unexpectedly")
        return real(tasks)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)
    run_worker()
    pack.refresh_from_db()
    assert pack.status == "ready"
    assert pauses == [1]


@pytest.fixture
def templates(transactional_db):
    # Transactional tests empty every table afterwards, including the checklist templates a
    # data migration loaded (pytest-django runs them after the others); load them again.
    if not Template.objects.exists():
        importlib.import_module("checklists.migrations.0002_load_templates").load(django_apps, None)


@postgresql_only
@pytest.mark.django_db(transaction=True)  # the connection is ended, and a test transaction with it
def test_the_worker_builds_the_pack_after_postgresql_drops_its_connection(templates, scrutiny, client, register,
                                                                          monkeypatch, pauses, caplog):
    """As a PostgreSQL restart does: the worker's connection is ended (from another one) just
    before it claims the queued pack. It closes the broken connection, opens another, and builds it."""
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    real = DBTaskResultQuerySet.get_locked
    dropped = []

    def get_locked(tasks):
        if not dropped:
            dropped.append(True)
            terminate(db_connection)
        return real(tasks)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)
    call_command("run_worker", batch=True, verbosity=0)
    pack.refresh_from_db()
    assert pack.status == "ready" and pack.file.size == pack.size
    assert pauses == [1]
    assert "database error" in caplog.text
