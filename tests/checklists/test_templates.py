from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from checklists import services
from checklists.models import Question, Template

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "003_3d58fc1a0fd92b03.txt"


def current(kind):
    return Template.objects.get(kind=kind, is_current=True)


def questions(template):
    return Question.objects.filter(section__template=template).order_by("section__number", "position")


def test_the_migration_loads_the_partnership_checklist():
    checklist = current(Template.Kind.CHECKLIST)
    assert checklist.name == "Partnership checklist"
    assert checklist.version == 1
    assert [s.title for s in checklist.sections.all()] == [
        "Rationale for the partnership", "Added value from the partnership", "Governance arrangements",
        "Performance management", "Financial management", "Risk management",
        "Termination arrangements", "Serving the public",
    ]
    # The seed's checklist has 29 lettered questions (4+4+6+2+4+3+3+3).
    assert [s.questions.count() for s in checklist.sections.all()] == [4, 4, 6, 2, 4, 3, 3, 3]
    first, last = questions(checklist).first(), questions(checklist).last()
    assert (first.letter, first.text) == ("a", "Why does the partnership exist?")
    assert (last.letter, last.text) == ("c", "Is there a complaints and suggestions process the public can use")


def test_the_migration_loads_the_fourteen_areas_of_the_improvement_template():
    improvement = current(Template.Kind.IMPROVEMENT)
    assert improvement.name == "Partnership Improvement Template"
    areas = list(questions(improvement))
    assert len(areas) == 14
    assert areas[0].text.startswith("Whether there is a 'Lead Officer' or 'Project Sponsor'")
    assert areas[8].text == "Are decision making arrangements effective?"
    assert areas[13].text == "The effectiveness of governance arrangements."


def test_the_accountability_area_keeps_its_three_bullet_points():
    area = questions(current(Template.Kind.IMPROVEMENT))[11]
    assert area.text == "How the partnership is held to account including:"
    assert area.points == [
        "Accountability between members of the partnership",
        "Accountability back to the organisations involved, including to the Council "
        "(Overview and Scrutiny, Cabinet, Area Forums, Senior Management Team)",
        "Accountability to local people and other stakeholders.",
    ]


@pytest.mark.skipif(not SEED.exists(), reason=f"the seed documents are not beside this clone ({SEED})")
def test_every_question_is_word_for_word_from_the_seed():
    seed = SEED.read_text(encoding="utf-8")
    for question in Question.objects.all():
        assert question.text in seed, question.text
        for point in question.points:
            assert point in seed, point
    for section in current(Template.Kind.CHECKLIST).sections.all():
        assert f"{section.number}. {section.title}" in seed


def test_only_one_version_of_each_kind_is_current():
    with pytest.raises(IntegrityError), transaction.atomic():
        Template.objects.create(name="Another", kind=Template.Kind.CHECKLIST, version=2, is_current=True)


def test_a_version_number_is_used_once_per_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        Template.objects.create(name="Copy", kind=Template.Kind.CHECKLIST, version=1)


def test_a_new_version_copies_the_wording_and_leaves_the_old_one_alone():
    old = current(Template.Kind.CHECKLIST)
    new = services.template_new_version(template=old)
    assert (new.version, new.is_current) == (2, False)
    assert [q.text for q in questions(new)] == [q.text for q in questions(old)]

    changed = questions(new).first()
    changed.text = "Why does the partnership exist, and who agreed it?"
    changed.save()
    assert questions(old).first().text == "Why does the partnership exist?"


def test_publishing_a_version_retires_the_previous_one():
    old = current(Template.Kind.IMPROVEMENT)
    new = services.template_new_version(template=old)
    services.template_publish(template=new)
    old.refresh_from_db()
    assert current(Template.Kind.IMPROVEMENT) == new
    assert old.is_current is False
    assert current(Template.Kind.CHECKLIST).version == 1


def test_only_administrators_may_change_templates():
    assert Group.objects.get(name="Administrator").permissions.filter(codename="change_question").exists()
    for role in ["Officer", "Lead member", "Scrutiny"]:
        perms = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert "view_question" in perms
        assert "change_question" not in perms
