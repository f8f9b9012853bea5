"""Scrutiny packs: asking for one from the register, and building it in the background.

A pack opens with a cover, a summary table of the partnerships and a contents page,
then each partnership's latest approved assessment. Each assessment is laid out on
its own and written to a temporary file, so memory stays flat however long the
pack; pypdf then joins the files, keeping each one's bookmarks and tags. Pages are
numbered through the whole pack, so the contents' page numbers are the printed ones:
"Page X of Y" is stamped on the assessments' pages once Y is known (a second layout of
the footers alone, a few ms a page).
"""

import errno
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Prefetch
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import normalize_uuid

from checklists.models import Assessment
from checklists.pdf import assessment_context, assessments_for_pdf
from checklists.selectors import one_assessment
from common.pdf import page_number_stamps, render_document, write
from partnerships.models import Council, Partnership, Risk
from register.filters import active_filters
from register.models import ScrutinyPack
from register.pdf_join import join_tagged
from register.selectors import in_register_order, register_partnerships

logger = logging.getLogger(__name__)

# Stands in for page numbers while the front matter is measured: at least as wide
# as any real one, so the real numbers cannot make it longer.
PLACEHOLDER_PAGE = 99999


FAILED = ("Something went wrong while building the pack. Ask for it again; if it fails again, "
          "tell the register's administrator.")
STOPPED = "The pack stopped building: its background worker was stopped. Ask for it again."
NO_ROOM = ("The pack could not be saved: the server has no room left on its disk. Tell the register's "
           "administrator, then ask for it again.")
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class PackError(Exception):
    """A pack that cannot be asked for, or changed, with a message for the page."""


class PackCancelled(Exception):
    """Recorded against the task of a pack cancelled before it started."""


def pack_selection(params, *, user):
    """The register's filter for `params` (a QueryDict, less any page number), the
    partnerships it selects in the register's order, and the filters in words."""
    params = params.copy()
    params.pop("page", None)
    filterset = register_partnerships(filters=params, user=user)
    if not filterset.form.is_valid():
        return filterset, None, ""
    rows = in_register_order(filterset.qs)
    summary = "; ".join(f"{f['label']}: {f['text']}" for f in active_filters(filterset, params))
    return filterset, rows, summary


def waiting_for(user):
    """The packs this person has asked for that are not finished yet."""
    return ScrutinyPack.objects.filter(requested_by=user, status__in=ScrutinyPack.WAITING)


def queue_full_message() -> str:
    limit = settings.SCRUTINY_PACK_QUEUE_LIMIT
    return (f"You already have {limit} pack{pluralize(limit)} waiting to be built. Wait for one to finish, "
            "or cancel one you no longer need, then ask again.")


def pack_request(*, partnership_ids: list[int], title: str, filters: str, filter_summary: str, user) -> ScrutinyPack:
    """Record the pack and queue its building, in one transaction.

    Asking again for the same pack while it waits (a double-clicked button, a resent form)
    gives the same pack; each person may have SCRUTINY_PACK_QUEUE_LIMIT packs waiting.
    """
    if not partnership_ids:
        raise PackError("No partnerships match these filters, so there is nothing to put in a pack.")
    if len(partnership_ids) > settings.SCRUTINY_PACK_LIMIT:
        raise PackError(
            f"A pack can hold at most {settings.SCRUTINY_PACK_LIMIT} partnerships; these filters match "
            f"{len(partnership_ids)}. Narrow the filters and try again."
        )
    from register.tasks import build_scrutiny_pack

    with transaction.atomic():
        # One request per person at a time from here to the commit, so two requests sent
        # together cannot both see room in the queue (SQLite takes its write lock at BEGIN).
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        waiting = waiting_for(user)
        for same in waiting.filter(title=title, filters=filters):
            if same.partnership_ids == partnership_ids:
                return same
        if waiting.count() >= settings.SCRUTINY_PACK_QUEUE_LIMIT:
            raise PackError(queue_full_message())
        # The task is a row in the same database: the pack and its task commit together.
        pack = ScrutinyPack.objects.create(
            title=title, filters=filters, filter_summary=filter_summary, partnership_ids=partnership_ids,
            requested_by=user, total=len(partnership_ids),
        )
        pack.task_id = build_scrutiny_pack.enqueue(pack.pk).id
        pack.save(update_fields=["task_id"])
    return pack


def _stop_task(pack: ScrutinyPack, reason: str) -> None:
    """Keep a pack's queued task from running (a task already running sees its pack has gone)."""
    if pack.task_id:
        DBTaskResult.objects.filter(id=pack.task_id, status=TaskResultStatus.READY).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now(), return_value=None,
            exception_class_path=f"{PackCancelled.__module__}.{PackCancelled.__qualname__}", traceback=reason,
        )


def pack_cancel(*, pack: ScrutinyPack, user) -> bool:
    """Stop a pack that is waiting to start or being built; False if it had finished already.

    One conditional UPDATE, so cancelling twice, or as the worker finishes, changes nothing.
    A build under way notices at its next partnership and stops.
    """
    with transaction.atomic():
        cancelled = ScrutinyPack.objects.filter(pk=pack.pk, status__in=ScrutinyPack.WAITING).update(
            status=ScrutinyPack.Status.CANCELLED, finished_at=timezone.now(), error="",
        )
        if cancelled:
            _stop_task(pack, f"Cancelled by {user.get_username()}")
    pack.refresh_from_db(fields=["status", "finished_at", "error"])
    return bool(cancelled)


def pack_delete(*, pack: ScrutinyPack) -> None:
    """Delete the pack and its file (once the deletion has committed). A pack being built is
    cancelled first, so the worker's file is never orphaned."""
    if pack.status == ScrutinyPack.Status.BUILDING:
        raise PackError("The pack is being built. Cancel it first.")
    with transaction.atomic():
        _stop_task(pack, "The pack was deleted")
        deleted, _ = ScrutinyPack.objects.filter(pk=pack.pk).exclude(status=ScrutinyPack.Status.BUILDING).delete()
        if not deleted and ScrutinyPack.objects.filter(pk=pack.pk).exists():
            raise PackError("The pack is being built. Cancel it first.")
        if pack.file.name:
            name, storage = pack.file.name, pack.file.storage
            transaction.on_commit(lambda: storage.delete(name))


def fail_abandoned() -> int:
    """Fail the packs whose task is not going to run them any more.

    A pack waits while its task is queued or running. Once the task has finished (or a
    worker found it lost: see register.worker), or its record has gone, a pack still
    waiting will never be built, so its requester is told at once rather than left
    watching "Being built". Run by the worker, never by a page.
    """
    waiting = ScrutinyPack.objects.filter(status__in=ScrutinyPack.WAITING).exclude(task_id="")
    candidates = dict(waiting.values_list("task_id", "pk"))
    if not candidates:
        return 0
    alive = {
        normalize_uuid(task_id) for task_id in DBTaskResult.objects.filter(
            id__in=[_uuid(task_id) for task_id in candidates if _uuid(task_id)],
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).values_list("id", flat=True)
    }
    abandoned = [pk for task_id, pk in candidates.items() if _uuid(task_id) not in alive]
    return ScrutinyPack.objects.filter(pk__in=abandoned, status__in=ScrutinyPack.WAITING).update(
        status=ScrutinyPack.Status.FAILED, finished_at=timezone.now(), error=STOPPED,
    )


def _uuid(value: str) -> str | None:
    try:
        return normalize_uuid(value)
    except ValueError:
        return None


def build(pack_id: int) -> ScrutinyPack:
    """Build the pack's PDF, recording progress as each partnership is done."""
    claimed = ScrutinyPack.objects.filter(
        pk=pack_id, status__in=[ScrutinyPack.Status.QUEUED, ScrutinyPack.Status.FAILED]
    ).update(status=ScrutinyPack.Status.BUILDING, started_at=timezone.now(), done=0, error="")
    pack = ScrutinyPack.objects.filter(pk=pack_id).first()
    if not claimed or pack is None:  # built, cancelled or deleted already, or being built by another worker
        return pack
    building = ScrutinyPack.objects.filter(pk=pack_id, status=ScrutinyPack.Status.BUILDING)
    finished, failure = False, FAILED
    try:
        content, page_count = _build(pack)
        # The storage writes the file whole or not at all (common/storage.py).
        pack.file.save(f"scrutiny-pack-{pack_id}.pdf", ContentFile(content), save=False)
        finished = True
    except PackCancelled:
        logger.info("Scrutiny pack %s was cancelled while it was built", pack_id)
        finished = True
        return ScrutinyPack.objects.filter(pk=pack_id).first()
    except Exception as error:
        logger.exception("Scrutiny pack %s could not be built", pack_id)
        if isinstance(error, OSError) and error.errno in DISK_FULL:
            failure = NO_ROOM  # not a fault in the pack: asking again only helps once there is room
        raise
    finally:
        if not finished:  # an error, or the worker told to stop mid-build
            building.update(status=ScrutinyPack.Status.FAILED, finished_at=timezone.now(), error=failure)
    if not building.update(status=ScrutinyPack.Status.READY, finished_at=timezone.now(), file=pack.file.name,
                           page_count=page_count, size=len(content), done=F("total")):
        pack.file.delete(save=False)  # cancelled or deleted as it finished: nobody wants the file
    return ScrutinyPack.objects.filter(pk=pack_id).first()


def pack_rows(partnership_ids: list[int]) -> list[dict]:
    """The partnerships, in the pack's order, each with its latest assessments and its open
    risks (highest score first)."""
    by_id = Partnership.objects.select_related("lead_officer").prefetch_related(
        Prefetch("councils", queryset=Council.objects.order_by("name")),
        Prefetch("risks", queryset=Risk.objects.open().select_related("owner"), to_attr="open_risks"),
    ).in_bulk(partnership_ids)
    latest, latest_approved = {}, {}
    assessments = (
        Assessment.objects.published().filter(partnership__in=partnership_ids)
        .select_related("template")
        .order_by("partnership_id", "-started_at", "-id")
    )
    for assessment in assessments:
        latest.setdefault(assessment.partnership_id, assessment)
        if assessment.status == Assessment.Status.APPROVED:
            approved = latest_approved.get(assessment.partnership_id)
            if approved is None or assessment.approved_at > approved.approved_at:
                latest_approved[assessment.partnership_id] = assessment
    return [
        {"partnership": by_id[pk], "latest": latest.get(pk), "approved": latest_approved.get(pk), "first_page": None}
        for pk in partnership_ids if pk in by_id  # a partnership deleted since it was asked for is left out
    ]


def _build(pack: ScrutinyPack) -> tuple[bytes, int]:
    rows = pack_rows(pack.partnership_ids)
    front_pages = len(_front(pack, rows, total_pages=PLACEHOLDER_PAGE, placeholder=True).pages)
    next_page = front_pages + 1
    with tempfile.TemporaryDirectory(prefix="scrutiny-pack-") as folder:
        sections = []
        for done, row in enumerate(rows, start=1):
            if row["approved"] is not None:
                assessment = one_assessment(assessments_for_pdf(Assessment.objects.published()), row["approved"].pk)
                context = {
                    **assessment_context(assessment, anchor=f"partnership-{assessment.partnership_id}"),
                    "pack": pack,
                }
                document = render_document("pdf/pack_section.html", context)
                path = Path(folder, f"{done:04d}.pdf")
                write(document, target=path)
                row["first_page"] = next_page
                next_page += len(document.pages)
                sections.append(path)
                del document
            if not ScrutinyPack.objects.filter(pk=pack.pk, status=ScrutinyPack.Status.BUILDING).update(done=done):
                raise PackCancelled  # cancelled (or deleted) while it was built: stop here
        total_pages = next_page - 1
        front = _front(pack, rows, total_pages=total_pages)
        if len(front.pages) != front_pages:  # cannot happen with a wide enough placeholder
            raise RuntimeError("The front matter changed length once page numbers were filled in")
        front_path = Path(folder, "front.pdf")
        write(front, target=front_path)
        # Only now is the total known: the sections' "Page X of Y" is stamped on last.
        numbers = page_number_stamps(first=front_pages + 1, count=total_pages - front_pages, total=total_pages) \
            if total_pages > front_pages else None
        content = join_tagged([front_path, *sections], title=pack.title, author="Partnership Register",
                              stamps=numbers, stamp_from=front_pages)
        return content, total_pages


def _front(pack: ScrutinyPack, rows: list[dict], *, total_pages: int, placeholder: bool = False):
    return render_document("pdf/pack_front.html", {
        "pack": pack, "rows": rows, "total_pages": total_pages, "placeholder": placeholder,
        "placeholder_page": PLACEHOLDER_PAGE,
        "with_assessment": sum(row["approved"] is not None for row in rows),
        "with_risks": [row for row in rows if row["partnership"].open_risks],
        "bands": Risk.bands_in_words(),
    })
