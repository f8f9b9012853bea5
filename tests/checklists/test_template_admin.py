import pytest

from checklists.models import Template

pytestmark = pytest.mark.django_db


def test_an_administrator_copies_a_template_as_a_new_version_in_the_admin(client, administrator):
    client.force_login(administrator)
    checklist = Template.objects.get(kind=Template.Kind.CHECKLIST, is_current=True)
    response = client.post(
        "/admin/checklists/template/",
        {"action": "make_new_version", "_selected_action": [checklist.pk]},
    )
    assert response.status_code == 302
    assert Template.objects.filter(kind=Template.Kind.CHECKLIST, version=2, is_current=False).exists()


def test_an_administrator_publishes_a_version_in_the_admin(client, administrator):
    client.force_login(administrator)
    old = Template.objects.get(kind=Template.Kind.IMPROVEMENT, is_current=True)
    client.post("/admin/checklists/template/", {"action": "make_new_version", "_selected_action": [old.pk]})
    new = Template.objects.get(kind=Template.Kind.IMPROVEMENT, version=2)
    client.post("/admin/checklists/template/", {"action": "publish", "_selected_action": [new.pk]})
    assert Template.objects.get(kind=Template.Kind.IMPROVEMENT, is_current=True) == new


def test_two_versions_of_one_kind_cannot_be_published_together(client, administrator):
    client.force_login(administrator)
    old = Template.objects.get(kind=Template.Kind.IMPROVEMENT, is_current=True)
    client.post("/admin/checklists/template/", {"action": "make_new_version", "_selected_action": [old.pk]})
    new = Template.objects.get(kind=Template.Kind.IMPROVEMENT, version=2)
    client.post("/admin/checklists/template/", {"action": "publish", "_selected_action": [old.pk, new.pk]})
    assert Template.objects.get(kind=Template.Kind.IMPROVEMENT, is_current=True) == old


def test_an_officer_cannot_reach_the_template_admin(client, officer):
    client.force_login(officer)
    response = client.get("/admin/checklists/template/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
