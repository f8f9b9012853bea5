from django.db import migrations, models


class Migration(migrations.Migration):
    """A pack can be cancelled while it waits or builds."""

    dependencies = [
        ("register", "0004_remove_pack_content"),
    ]

    operations = [
        migrations.AlterField(
            model_name="scrutinypack",
            name="status",
            field=models.CharField(
                choices=[("queued", "Waiting to start"), ("building", "Being built"), ("ready", "Ready"),
                         ("failed", "Failed"), ("cancelled", "Cancelled")],
                default="queued", max_length=20,
            ),
        ),
    ]
