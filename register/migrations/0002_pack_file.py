from django.db import migrations, models


class Migration(migrations.Migration):
    """Packs gain a file; 0003 moves each PDF there from the database, 0004 drops the column."""

    dependencies = [
        ("register", "0001_scrutiny_pack"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="scrutinypack", name="pack_ready_has_content"),
        migrations.AddField(
            model_name="scrutinypack",
            name="file",
            field=models.FileField(blank=True, editable=False, upload_to="scrutiny-packs/%Y/%m/"),
        ),
    ]
