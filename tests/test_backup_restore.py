"""Backup and restore, as docs/operations.md says to do them: a dump of a fully populated demo
register, loaded into an empty database, with the media folder restored from its archive,
gives back every row and every PDF's text.

PostgreSQL: pg_dump --format=custom, then pg_restore into an emptied database.
SQLite: the sqlite3 backup API (what `sqlite3 db.sqlite3 ".backup …"` uses), then the
copy loaded into an emptied database.
The media folder (finished scrutiny packs): a tar archive, unpacked into an emptied folder.
"""

import importlib
import os
import re
import shutil
import sqlite3
import subprocess

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from checklists.models import Assessment, Template
from checklists.pdf import assessment_for_pdf, assessment_pdf
from common.pdf import render_pdf
from partnerships.models import Partnership
from partnerships.selectors import partnership_detail
from register.models import ScrutinyPack
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

GENERATED = re.compile(r"Generated \d{1,2} \w+ \d{4}, \d{2}:\d{2}")


def every_row() -> dict[str, list]:
    """Each table's rows, in primary-key order, as plain values."""
    rows = {}
    for model in django_apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [field.attname for field in model._meta.concrete_fields]
        rows[model._meta.db_table] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in model._base_manager.order_by("pk").values_list(*names)
        ]
    return rows


def every_pdf() -> dict[str, str]:
    """The text of every assessment's PDF, every partnership's profile and every finished pack,
    without the time it was generated, as a superuser (who sees everything) reads them."""
    texts = {}
    reader = get_user_model()(username="backup-reader", is_superuser=True, is_active=True)
    for pk in Assessment.objects.order_by("pk").values_list("pk", flat=True):
        texts[f"assessment {pk}"] = pdf_text(assessment_pdf(assessment_for_pdf(pk=pk, user=reader)))
    for pk in Partnership.objects.order_by("pk").values_list("pk", flat=True):
        partnership = partnership_detail(pk=pk, user=reader)
        texts[f"partnership {pk}"] = pdf_text(render_pdf("pdf/partnership.html", {
            "partnership": partnership, "assessments": list(partnership.assessments.all()),
            "open_actions": [a for a in partnership.actions.all() if a.status != "done"],
        }))
    for pack in ScrutinyPack.objects.filter(status=ScrutinyPack.Status.READY).order_by("pk"):
        with pack.file.open("rb") as file:
            texts[f"pack {pack.pk}"] = pdf_text(file.read())
    return {name: GENERATED.sub("Generated …", text) for name, text in texts.items()}


def postgres_environment() -> dict:
    settings = connection.settings_dict
    env = dict(os.environ, PGDATABASE=settings["NAME"])
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def archive_empty_and_restore_media(folder, media_root) -> None:
    """`tar -czf … -C $DJANGO_MEDIA_ROOT .`, the folder emptied, then `tar -xzf … -C $DJANGO_MEDIA_ROOT`."""
    archive = folder / "register-media.tar.gz"
    subprocess.run(["tar", "-czf", str(archive), "-C", str(media_root), "."], check=True)
    shutil.rmtree(media_root)
    media_root.mkdir()
    subprocess.run(["tar", "-xzf", str(archive), "-C", str(media_root)], check=True)


def dump_empty_and_restore(folder) -> None:
    if connection.vendor == "postgresql":
        dump = folder / "register.dump"
        env = postgres_environment()
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}"], env=env, check=True)
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            assert cursor.fetchone()[0] == 0
        connection.close()
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={env['PGDATABASE']}", str(dump)],
                       env=env, check=True)
    else:
        copy = folder / "register.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE "{table}"')
            assert connection.introspection.table_names(cursor) == []
        with sqlite3.connect(copy) as source:
            source.backup(connection.connection)
        connection.close()


def test_a_dump_of_the_demo_register_restores_every_row_and_every_pdf(tmp_path, monkeypatch, media_root):
    # Transactional tests empty every table afterwards, checklist templates included.
    if not Template.objects.exists():
        importlib.import_module("checklists.migrations.0002_load_templates").load(django_apps, None)
    monkeypatch.setenv("DEMO_PASSWORD", "register-demo")
    call_command("load_demo", stdout=open(os.devnull, "w"))
    rows, pdfs = every_row(), every_pdf()
    assert len(rows["partnerships_partnership"]) == 40
    assert rows["partnerships_historicalpartnership"] and rows["checklists_auditevent"]
    assert any(name.startswith("pack") for name in pdfs)

    dump_empty_and_restore(tmp_path)
    archive_empty_and_restore_media(tmp_path, media_root)

    assert every_row() == rows
    assert every_pdf() == pdfs
