"""Background tasks, run by `manage.py db_worker` (django-tasks with its database backend)."""

from django_tasks import task

from register import packs


@task()
def build_scrutiny_pack(pack_id: int) -> int:
    """Build one scrutiny pack; returns its page count (None if it was cancelled or deleted)."""
    pack = packs.build(pack_id)
    return pack.page_count if pack is not None else None
