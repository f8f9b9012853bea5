"""The background worker: django-tasks-db's `db_worker` loop, kept alive and kept honest.

`db_worker` stops at the first database error it does not expect (a lock held longer
than SQLite's timeout, a PostgreSQL restart), and a task whose worker is killed stays
"running" for ever, so nothing runs it again. `run_worker` wraps the same loop:

- any database error is logged, the connection closed if it is broken, and the loop starts
  again after a pause that grows (up to WORKER_RETRY_MAX seconds) while the database stays
  unavailable (psycopg2 reports a connection PostgreSQL dropped as it restarted as a plain
  DatabaseError at times, not only as an OperationalError);
- each worker records a heartbeat (WorkerHeartbeat) every HEARTBEAT_EVERY seconds, from
  a thread, so it beats while a long pack builds;
- when it starts, and every HOUSEKEEPING_EVERY seconds, it fails the tasks whose worker
  has gone: its process has ended (on this host), it stopped cleanly (and said so), or
  its heartbeat is older than WORKER_LOST_AFTER (a worker on another host); then the
  packs those tasks were building (register.packs.fail_abandoned).
"""

import logging
import os
import socket
import threading
from datetime import timedelta
from time import monotonic
from time import sleep as time_sleep

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from register import packs
from register.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 10  # seconds; well inside WORKER_LOST_AFTER
HOUSEKEEPING_EVERY = 30
RETRY_FIRST = 1
RESET_AFTER = 300  # seconds without a database error before pauses start short again


class WorkerLost(Exception):
    """Recorded against a task whose worker stopped (was killed, say) while it ran."""


def lost_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_LOST_AFTER)


def fail_lost_tasks(*, own_id: str | None = None, alive_id: str | None = None) -> int:
    """Fail the running tasks whose worker is no longer alive.

    django-tasks-db appends each worker that claims a task to its worker_ids; the last
    one is running it. A worker is alive while its heartbeat is recent. `own_id` is the
    calling worker when it is between tasks: any task it is still marked as running was
    left behind by an error (it could not record the task's end). `alive_id` is the calling
    worker while it may be running a task (from its heartbeat thread): alive.
    """
    # Tasks first, then workers: a worker beats before it claims a task, so any worker
    # running one of these tasks has beaten by the time the heartbeats are read.
    running = list(DBTaskResult.objects.running().only("id", "worker_ids"))
    if not running:
        return 0
    alive = {heartbeat.worker_id for heartbeat in WorkerHeartbeat.objects.filter(
        last_seen__gte=timezone.now() - lost_after()) if not process_gone(heartbeat, this_worker=own_id or alive_id)}
    alive -= {own_id}
    lost = [task for task in running if not task.worker_ids or task.worker_ids[-1] not in alive]
    failed = 0
    for task in lost:
        error = WorkerLost(f"Worker {task.worker_ids[-1] if task.worker_ids else '(none)'} stopped while "
                           "running this task")
        failed += DBTaskResult.objects.filter(id=task.id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now(), return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}", traceback=str(error),
        )
    if failed:
        logger.warning("Failed %d task(s) whose worker had stopped", failed)
    return failed


def this_host() -> str:
    """This machine and its process namespace: within both, a pid names one process."""
    host = socket.gethostname()[:200]
    try:
        return f"{host} pidns:{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:
        return host


def process_gone(heartbeat: WorkerHeartbeat, *, this_worker: str | None = None) -> bool:
    """A worker on this host whose process has ended (killed, say) is known dead at once,
    without waiting WORKER_LOST_AFTER for its heartbeat to go stale. `this_worker` is the
    worker id this process runs under now: any other id of this process has gone."""
    if heartbeat.host != this_host() or not heartbeat.pid:
        return False
    if heartbeat.pid == os.getpid():
        return heartbeat.worker_id != this_worker
    try:
        os.kill(heartbeat.pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # someone else's process: alive, as far as we can tell
        return False
    return False


def forget_dead_workers(*, own_id: str | None = None) -> None:
    old = WorkerHeartbeat.objects.filter(last_seen__lt=timezone.now() - timedelta(days=1))
    gone = [heartbeat.pk for heartbeat in WorkerHeartbeat.objects.exclude(pk=own_id)
            if process_gone(heartbeat, this_worker=own_id)]
    (old | WorkerHeartbeat.objects.filter(pk__in=gone)).exclude(pk=own_id).delete()


def housekeeping(*, own_id: str | None = None, alive_id: str | None = None) -> None:
    """Lost tasks failed, then the packs they were building (or that have no task any more).
    `own_id`: the calling worker, between tasks; `alive_id`: the calling worker, which may be
    running a task (from its heartbeat thread)."""
    fail_lost_tasks(own_id=own_id, alive_id=alive_id)
    forget_dead_workers(own_id=own_id or alive_id)
    if abandoned := packs.fail_abandoned():
        logger.warning("Failed %d scrutiny pack(s) that had lost their task", abandoned)


def beat(worker_id: str) -> None:
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=timezone.now())
    if not updated:
        WorkerHeartbeat.objects.create(worker_id=worker_id, host=this_host(), pid=os.getpid())


class Heartbeat(threading.Thread):
    """Beats, and keeps house, in the background, so both go on while a task runs."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.last_housekeeping = monotonic()

    def run(self) -> None:
        while not self.stopping.wait(HEARTBEAT_EVERY):
            try:
                self.tick()
            finally:
                connection.close()  # this thread's own connection: a fresh one each time

    def tick(self) -> None:
        try:
            beat(self.worker_id)
            if monotonic() - self.last_housekeeping >= HOUSEKEEPING_EVERY:
                # This worker may be building a pack right now: it is alive. (Told nothing,
                # housekeeping took its own process for a dead worker's: make load found it.)
                housekeeping(alive_id=self.worker_id)
                self.last_housekeeping = monotonic()
        except DatabaseError as exc:
            logger.warning("Worker %s heartbeat: database error (%s); trying again", self.worker_id, exc)

    def stop(self) -> None:
        self.stopping.set()


def run(*, interval: float = 1.0, batch: bool = False, queue_names=("default",), worker_id: str | None = None) -> None:
    """Run tasks until stopped (SIGTERM/SIGINT), or with `batch` until none is queued."""
    worker_id = worker_id or f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"
    worker = Worker(queue_names=list(queue_names), interval=interval, batch=batch, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[])
    worker.configure_signals()
    heartbeat = None if batch else Heartbeat(worker_id)
    delay, last_error = RETRY_FIRST, None
    started = False
    try:
        while worker.running:
            try:
                beat(worker_id)
                # Between tasks, so any task still marked as ours was left behind by an error.
                housekeeping(own_id=worker_id)
                if heartbeat is not None and not started:
                    heartbeat.start()
                started = True
                worker.run()
                if batch:
                    return
            except DatabaseError as exc:
                # Whatever its kind: a worker that stopped would build nothing until someone started
                # it again. A task it could not record the end of is failed by housekeeping.
                now = monotonic()
                if last_error is not None and now - last_error > RESET_AFTER:
                    delay = RETRY_FIRST  # a new spell of trouble, not the same one
                last_error = now
                logger.error("Worker %s: database error (%s); starting again in %s s", worker_id, exc, delay)
                close_old_connections()  # closes the connection if the error left it unusable
                sleep(delay)
                delay = min(delay * 2, settings.WORKER_RETRY_MAX)
    finally:
        if heartbeat is not None:
            heartbeat.stop()
        try:  # stopping cleanly: its tasks need not wait WORKER_LOST_AFTER to be seen as lost
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
        except DatabaseError:
            pass


def sleep(seconds: float) -> None:  # a seam for the tests, which record pauses rather than wait
    time_sleep(seconds)
