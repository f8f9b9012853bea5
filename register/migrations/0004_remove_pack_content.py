from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0003_pack_content_to_files"),
    ]

    operations = [
        migrations.RemoveField(model_name="scrutinypack", name="content"),
        migrations.AddConstraint(
            model_name="scrutinypack",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("status", "ready"), _negated=True), models.Q(("file", ""), _negated=True),
                                   _connector="OR"),
                name="pack_ready_has_file",
            ),
        ),
    ]
