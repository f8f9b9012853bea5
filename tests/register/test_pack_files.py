"""Finished packs are files in the default storage, streamed on download and deleted with their pack."""

import errno
import os
import stat

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from register import packs
from register.models import ScrutinyPack
from tests.factories import PartnershipFactory
from tests.register.test_packs import approved


@pytest.fixture
def built(officer, administrator, scrutiny):
    partnership = PartnershipFactory(name="Coastal Flood Board")
    approved(partnership, officer, administrator)
    pack = ScrutinyPack.objects.create(title="On file", partnership_ids=[partnership.pk], total=1,
                                       requested_by=scrutiny)
    return packs.build(pack.pk)


def test_a_finished_pack_is_a_file_under_media_root_not_a_database_value(built, media_root):
    assert built.status == "ready"
    assert built.file.storage is default_storage  # any Django storage serves (S3, say): the pack keeps a name
    assert built.file.name.startswith("scrutiny-packs/") and built.file.name.endswith(".pdf")
    path = media_root / built.file.name
    assert path.read_bytes().startswith(b"%PDF-") and path.stat().st_size == built.size
    assert not any(field.get_internal_type() == "BinaryField" for field in ScrutinyPack._meta.get_fields()
                   if hasattr(field, "get_internal_type"))


def test_a_pack_file_is_for_the_service_alone(built, media_root):
    """0600 in 0700 folders, as kept PDFs are: a pack holds what only some people may read."""
    path = media_root / built.file.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    folder = path.parent
    while folder != media_root.parent:  # scrutiny-packs/<year>/<month>/, and MEDIA_ROOT made for it
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent
    assert [file for file in media_root.rglob("*") if file.is_file()] == [path]  # nothing half-written beside it


class FullDisk:
    """A file on a disk that fills up part way through the write."""

    def __init__(self, file):
        self.file = file

    def write(self, data):
        self.file.write(data[:len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.file, name)


def test_a_pack_that_fills_the_disk_leaves_no_file_and_says_why(officer, administrator, scrutiny, client,
                                                                 media_root, monkeypatch):
    partnership = PartnershipFactory(name="Coastal Flood Board")
    approved(partnership, officer, administrator)
    pack = ScrutinyPack.objects.create(title="Too big", partnership_ids=[partnership.pk], total=1,
                                       requested_by=scrutiny)
    monkeypatch.setattr(packs, "_build", lambda pack: (b"%PDF-1.7 " + b"x" * 100_000, 1))
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *args, **kwargs: FullDisk(real_fdopen(fd, *args, **kwargs)))

    with pytest.raises(OSError, match="No space left"):
        packs.build(pack.pk)

    monkeypatch.undo()
    assert not [path for path in media_root.rglob("*") if path.is_file()]
    pack.refresh_from_db()
    assert pack.status == "failed" and pack.error == packs.NO_ROOM and not pack.file
    client.force_login(scrutiny)
    assert "no room left on its disk" in client.get(pack.get_absolute_url()).content.decode()


def test_the_download_streams_the_file(client, built, scrutiny):
    client.force_login(scrutiny)
    response = client.get(reverse("register:pack_download", args=[built.pk]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{built.filename}"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == (default_storage.open(built.file.name).read())


def test_a_pack_whose_file_has_gone_is_a_404_not_a_500(client, built, scrutiny):
    default_storage.delete(built.file.name)
    client.force_login(scrutiny)
    assert client.get(reverse("register:pack_download", args=[built.pk])).status_code == 404


def test_deleting_a_pack_deletes_its_file(client, built, scrutiny, media_root, django_capture_on_commit_callbacks):
    path = media_root / built.file.name
    client.force_login(scrutiny)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("register:pack_delete", args=[built.pk])).status_code == 302
    assert not ScrutinyPack.objects.exists()
    assert not path.exists()
    # Sent again: the pack has gone, nothing else is touched.
    assert client.post(reverse("register:pack_delete", args=[built.pk])).status_code == 404


def test_deleting_a_queued_pack_stops_its_task(client, scrutiny, built):
    from django_tasks_db.models import DBTaskResult

    from register.tasks import build_scrutiny_pack

    pack = ScrutinyPack.objects.create(title="Queued", partnership_ids=built.partnership_ids, total=1,
                                       requested_by=scrutiny)
    task_id = build_scrutiny_pack.enqueue(pack.pk).id
    ScrutinyPack.objects.filter(pk=pack.pk).update(task_id=task_id)
    client.force_login(scrutiny)
    assert client.post(reverse("register:pack_delete", args=[pack.pk])).status_code == 302
    assert DBTaskResult.objects.get(id=task_id).status == "FAILED"


def test_a_pack_cancelled_as_it_finishes_leaves_no_file(officer, administrator, scrutiny, media_root, monkeypatch):
    partnership = PartnershipFactory(name="Late Board")
    approved(partnership, officer, administrator)
    pack = ScrutinyPack.objects.create(title="Late", partnership_ids=[partnership.pk], total=1, requested_by=scrutiny)
    real = packs.join_tagged

    def join_then_cancel(*args, **kwargs):
        content = real(*args, **kwargs)
        ScrutinyPack.objects.filter(pk=pack.pk).update(status="cancelled")
        return content

    monkeypatch.setattr(packs, "join_tagged", join_then_cancel)
    assert packs.build(pack.pk).status == "cancelled"
    assert not [path for path in media_root.rglob("*") if path.is_file()]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_pdfs_from_the_database_into_files_and_back(media_root):
    before, after = [("register", "0001_scrutiny_pack")], [("register", "0004_remove_pack_content")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        Pack = executor.loader.project_state(before).apps.get_model("register", "ScrutinyPack")
        ready = Pack.objects.create(title="Old", partnership_ids=[1], total=1, done=1, status="ready",
                                    content=b"%PDF-1.7 an old pack")
        queued = Pack.objects.create(title="Waiting", partnership_ids=[1], total=1)

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        moved = ScrutinyPack.objects.get(pk=ready.pk)
        assert (media_root / moved.file.name).read_bytes() == b"%PDF-1.7 an old pack"
        assert not ScrutinyPack.objects.get(pk=queued.pk).file

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        Pack = executor.loader.project_state(before).apps.get_model("register", "ScrutinyPack")
        assert bytes(Pack.objects.get(pk=ready.pk).content) == b"%PDF-1.7 an old pack"
        assert not (media_root / moved.file.name).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
