import django.db.models.deletion
from django.db import migrations, models


def each_council_keeps_the_registers_policy(apps, schema_editor):
    """The one policy the register had becomes each council's own, so nothing changes until
    a council's administrator changes theirs."""
    Policy = apps.get_model("checklists", "AssurancePolicy")
    Council = apps.get_model("partnerships", "Council")
    shared = Policy.objects.filter(council__isnull=True).order_by("pk").first()
    values = {"below": shared.below, "review_months": shared.review_months} if shared else {}
    Policy.objects.filter(council__isnull=True).delete()
    for council in Council.objects.all():
        Policy.objects.create(council=council, **values)


def one_policy_again(apps, schema_editor):
    Policy = apps.get_model("checklists", "AssurancePolicy")
    first = Policy.objects.order_by("council__name").first()
    values = {"below": first.below, "review_months": first.review_months} if first else {}
    Policy.objects.all().delete()
    Policy.objects.create(pk=1, **values)


class Migration(migrations.Migration):

    dependencies = [
        ("checklists", "0010_section_rating_counts"),
        ("partnerships", "0011_lead_officer_name_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="assurancepolicy",
            name="council",
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.CASCADE,
                                       related_name="assurance_policy", to="partnerships.council"),
        ),
        migrations.RunPython(each_council_keeps_the_registers_policy, one_policy_again),
    ]
