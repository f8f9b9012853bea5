"""Version 1 of both assessment tools, word for word from seed 003."""

from django.db import migrations

from checklists import seed_data


def load(apps, schema_editor):
    Template = apps.get_model("checklists", "Template")
    Section = apps.get_model("checklists", "Section")
    Question = apps.get_model("checklists", "Question")

    checklist = Template.objects.create(
        name=seed_data.CHECKLIST_NAME, kind="checklist", version=1, is_current=True,
        source=seed_data.CHECKLIST_SOURCE, used_when=seed_data.CHECKLIST_USED_WHEN,
    )
    for number, title, questions in seed_data.CHECKLIST_SECTIONS:
        section = Section.objects.create(template=checklist, number=number, title=title)
        Question.objects.bulk_create(
            Question(section=section, position=position, letter=letter, text=text)
            for position, (letter, text) in enumerate(questions, start=1)
        )

    improvement = Template.objects.create(
        name=seed_data.IMPROVEMENT_NAME, kind="improvement", version=1, is_current=True,
        source=seed_data.IMPROVEMENT_SOURCE, used_when=seed_data.IMPROVEMENT_USED_WHEN,
    )
    section = Section.objects.create(template=improvement, number=1, title=seed_data.IMPROVEMENT_SECTION_TITLE)
    Question.objects.bulk_create(
        Question(section=section, position=position, text=text, points=points)
        for position, (text, points) in enumerate(seed_data.IMPROVEMENT_AREAS, start=1)
    )


def unload(apps, schema_editor):
    apps.get_model("checklists", "Template").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
