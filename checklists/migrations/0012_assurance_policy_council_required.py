import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("checklists", "0011_assurance_policy_per_council"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assurancepolicy",
            name="council",
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="assurance_policy",
                                       to="partnerships.council"),
        ),
        migrations.AlterModelOptions(
            name="assurancepolicy",
            options={"verbose_name": "assurance policy", "verbose_name_plural": "assurance policies"},
        ),
    ]
