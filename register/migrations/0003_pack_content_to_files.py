"""Finished packs' PDFs move from the database (a BinaryField) into files in the default storage."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations

FOLDER = "scrutiny-packs/moved"


def to_files(apps, schema_editor):
    ScrutinyPack = apps.get_model("register", "ScrutinyPack")
    # One pack's PDF in memory at a time, however many there are.
    for pk in ScrutinyPack.objects.filter(content__isnull=False, file="").values_list("pk", flat=True):
        content = ScrutinyPack.objects.values_list("content", flat=True).get(pk=pk)
        name = default_storage.save(f"{FOLDER}/scrutiny-pack-{pk}.pdf", ContentFile(bytes(content)))
        ScrutinyPack.objects.filter(pk=pk).update(file=name, content=None)


def to_database(apps, schema_editor):
    ScrutinyPack = apps.get_model("register", "ScrutinyPack")
    for pack in ScrutinyPack.objects.exclude(file="").only("pk", "file"):
        with default_storage.open(pack.file.name, "rb") as file:
            ScrutinyPack.objects.filter(pk=pack.pk).update(content=file.read(), file="")
        default_storage.delete(pack.file.name)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0002_pack_file"),
    ]

    operations = [
        migrations.RunPython(to_files, to_database),
    ]
