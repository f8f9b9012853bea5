import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Each running worker's heartbeat, so a task whose worker has died can be failed."""

    dependencies = [
        ("register", "0005_pack_cancelled"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("worker_id", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("host", models.CharField(blank=True, max_length=255)),
                ("pid", models.PositiveIntegerField(null=True)),
                ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_seen", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"verbose_name": "background worker", "ordering": ["-last_seen"]},
        ),
    ]
