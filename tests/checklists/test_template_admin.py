import pytest

from checklists.models import Template

pytestmark = pytest.mark.django_db


def test_a_superuser_copies_a_template_as_a_new_version_in_the_admin(client, superuser):
    client.force_login(superuser)
    checklist = Template.objects.get(kind=Template.Kind.CHECKLIST, is_current=True)
    response = client.post(
        "/admin/checklists/template/",
        {"action": "make_new_version", "_selected_action": [checklist.pk]},
    )
    assert response.status_code == 302
    assert Template.objects.filter(kind=Template.Kind.CHECKLIST, version=2, is_current=False).exists()


def test_a_superuser_publishes_a_version_in_the_admin(client, superuser):
    client.force_login(superuser)
    old = Template.objects.get(kind=Template.Kind.IMPROVEMENT, is_current=True)
    client.post("/admin/checklists/template/", {"action": "make_new_version", "_selected_action": [old.pk]})
    new = Template.objects.get(kind=Template.Kind.IMPROVEMENT, version=2)
    client.post("/admin/checklists/template/", {"action": "publish", "_selected_action": [new.pk]})
    assert Template.objects.get(kind=Template.Kind.IMPROVEMENT, is_current=True) == new


def test_two_versions_of_one_kind_cannot_be_published_together(client, superuser):
    client.force_login(superuser)
    old = Template.objects.get(kind=Template.Kind.IMPROVEMENT, is_current=True)
    client.post("/admin/checklists/template/", {"action": "make_new_version", "_selected_action": [old.pk]})
    new = Template.objects.get(kind=Template.Kind.IMPROVEMENT, version=2)
    client.post("/admin/checklists/template/", {"action": "publish", "_selected_action": [old.pk, new.pk]})
    assert Template.objects.get(kind=Template.Kind.IMPROVEMENT, is_current=True) == old


def test_an_officer_cannot_reach_the_template_admin(client, officer):
    client.force_login(officer)
    assert client.get("/admin/checklists/template/").status_code == 403


def test_a_version_in_use_cannot_be_reworded_in_place(client, superuser, officer):
    from checklists import services
    from tests.factories import PartnershipFactory

    checklist = Template.objects.get(kind=Template.Kind.CHECKLIST, is_current=True)
    services.assessment_start(partnership=PartnershipFactory(), kind="checklist", title="In use", user=officer)
    section = checklist.sections.get(number=1)
    question = section.questions.first()
    client.force_login(superuser)
    data = {
        "template": checklist.pk, "number": 1, "title": "Changed title",
        "questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "1",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
        "questions-0-id": question.pk, "questions-0-section": section.pk, "questions-0-position": 1,
        "questions-0-letter": "a", "questions-0-text": "Reworded", "questions-0-points": "[]",
    }
    response = client.post(f"/admin/checklists/section/{section.pk}/change/", data)
    assert response.status_code == 403
    question.refresh_from_db()
    section.refresh_from_db()
    assert question.text == "Why does the partnership exist?"
    assert section.title == "Rationale for the partnership"
    # It can still be read, and copied as a new version.
    assert client.get(f"/admin/checklists/section/{section.pk}/change/").status_code == 200


def test_a_version_not_yet_in_use_can_be_reworded(client, superuser):
    from checklists import services

    old = Template.objects.get(kind=Template.Kind.CHECKLIST, is_current=True)
    new = services.template_new_version(template=old)
    section = new.sections.get(number=1)
    client.force_login(superuser)
    assert client.get(f"/admin/checklists/section/{section.pk}/change/").status_code == 200
    assert b'name="questions-0-text"' in client.get(f"/admin/checklists/section/{section.pk}/change/").content
