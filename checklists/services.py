"""Writes to the assessment tools' reference data."""

from django.db import transaction
from django.db.models import Max

from checklists.models import Question, Section, Template


@transaction.atomic
def template_new_version(*, template: Template) -> Template:
    """Copy `template` (sections and questions) as the next version of its kind, not yet current.

    Administrators change wording on the copy and then publish it, so an
    assessment answered against the old version keeps its old wording.
    """
    latest = Template.objects.filter(kind=template.kind).aggregate(Max("version"))["version__max"]
    copy = Template.objects.create(
        name=template.name, kind=template.kind, version=latest + 1,
        source=template.source, used_when=template.used_when, is_current=False,
    )
    for section in template.sections.prefetch_related("questions"):
        new_section = Section.objects.create(template=copy, number=section.number, title=section.title)
        Question.objects.bulk_create(
            Question(section=new_section, position=q.position, letter=q.letter, text=q.text, points=q.points)
            for q in section.questions.all()
        )
    return copy


@transaction.atomic
def template_publish(*, template: Template) -> None:
    """Make `template` the version new assessments use; the previous current version retires."""
    Template.objects.filter(kind=template.kind, is_current=True).exclude(pk=template.pk).update(is_current=False)
    Template.objects.filter(pk=template.pk).update(is_current=True)
    template.is_current = True
