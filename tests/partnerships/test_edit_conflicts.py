"""No lost edits: two people saving the same partnership or action, the same form sent twice."""

import pytest
from django.urls import reverse

from checklists.models import Action
from partnerships import services
from partnerships.models import Partnership, PartnershipMember
from tests.checklists.factories import tracked_action
from tests.factories import OrganisationFactory, PartnershipFactory, ThemeFactory, default_council
from tests.partnerships.helpers import valid_partnership_data

pytestmark = pytest.mark.django_db


def edit_url(partnership):
    return reverse("partnerships:edit", args=[partnership.pk])


def test_the_second_of_two_edits_from_the_same_version_is_refused_and_keeps_what_was_typed(client, officer):
    partnership = PartnershipFactory(name="Original name", lead_officer=officer)
    council = partnership.councils.get()
    client.force_login(officer)
    first = valid_partnership_data(council=council, lead_officer=officer, name="First officer's name")
    second = valid_partnership_data(council=council, lead_officer=officer, name="Second officer's name",
                                    purpose="A purpose typed with care")
    assert client.post(edit_url(partnership), first).status_code == 302

    response = client.post(edit_url(partnership), second)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this partnership after you opened it" in body
    assert 'value="Second officer&#x27;s name"' in body
    assert "A purpose typed with care" in body
    partnership.refresh_from_db()
    assert partnership.name == "First officer's name"
    assert partnership.version == 2


def test_councils_and_themes_are_covered_by_the_same_lock(client, officer):
    health = ThemeFactory(name="Health")
    partnership = PartnershipFactory(lead_officer=officer, themes=[health])
    council, other = partnership.councils.get(), default_council()
    client.force_login(officer)
    client.post(edit_url(partnership), valid_partnership_data(
        council=council, lead_officer=officer, councils=[str(council.pk), str(other.pk)], themes=[str(health.pk)]))
    stale = valid_partnership_data(council=council, lead_officer=officer, themes=[])
    assert client.post(edit_url(partnership), stale).status_code == 200
    partnership.refresh_from_db()
    assert set(partnership.councils.all()) == {council, other}
    assert [theme.name for theme in partnership.themes.all()] == ["Health"]


def test_a_missing_or_huge_version_is_refused_with_a_message_not_a_500(client, officer):
    partnership = PartnershipFactory(name="Kept", lead_officer=officer)
    client.force_login(officer)
    for version in ("", "99999999999999999999999", "-1", "abc"):
        data = valid_partnership_data(council=partnership.councils.get(), lead_officer=officer, name="Changed",
                                      version=version)
        response = client.post(edit_url(partnership), data)
        assert response.status_code == 200
        assert "This page is out of date" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.name == "Kept"


def test_the_same_partner_added_twice_is_added_once_with_a_message(officer_client):
    partnership, organisation = PartnershipFactory(), OrganisationFactory(name="Wessex Police")
    url = reverse("partnerships:partners", args=[partnership.pk])
    assert officer_client.post(url, {"organisation": organisation.pk, "role": "chair"}).status_code == 302
    response = officer_client.post(url, {"organisation": organisation.pk, "role": "member"})
    assert response.status_code == 200
    assert PartnershipMember.objects.filter(partnership=partnership).count() == 1


def test_removing_a_partner_twice_says_it_was_already_removed(officer_client):
    partnership = PartnershipFactory(partners=[OrganisationFactory(name="Wessex Police")])
    member = partnership.memberships.get()
    url = reverse("partnerships:partner_remove", args=[partnership.pk, member.pk])
    officer_client.post(url)
    response = officer_client.post(url, follow=True)
    assert response.status_code == 200
    assert "That partner had already been removed." in response.content.decode()


@pytest.fixture
def action(lead, officer):
    return tracked_action(PartnershipFactory(lead_officer=lead), officer)[1]


def test_an_action_marked_done_is_not_set_back_to_open_by_a_stale_page(client, action, officer, lead):
    url = reverse("actions:edit", args=[action.pk])
    client.force_login(lead)
    opened = {"owner": lead.pk, "due_date_0": "31", "due_date_1": "3", "due_date_2": "2027",
              "version": action.version}
    assert client.post(url, {**opened, "status": "done"}).status_code == 302
    client.force_login(officer)
    response = client.post(url, {**opened, "status": "open"})
    assert response.status_code == 200
    assert "Someone else saved this action after you opened it" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_every_edit_form_carries_its_version(officer_client, action):
    partnership = Partnership.objects.get()
    page = officer_client.get(edit_url(partnership)).content.decode()
    assert f'name="version" value="{partnership.version}"' in page
    page = officer_client.get(reverse("actions:edit", args=[action.pk])).content.decode()
    assert f'name="version" value="{action.version}"' in page



def test_an_edit_in_the_administration_site_makes_an_open_register_page_out_of_date(client, superuser, officer):
    partnership = PartnershipFactory(name="Before", lead_officer=officer)
    opened_at = partnership.version
    client.force_login(superuser)
    data = admin_form_data(client, partnership, name="Changed in the admin")
    assert client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data).status_code == 302
    client.force_login(officer)
    stale = valid_partnership_data(council=partnership.councils.get(), lead_officer=officer, name="From an old page",
                                   version=str(opened_at))
    assert client.post(edit_url(partnership), stale).status_code == 200
    partnership.refresh_from_db()
    assert partnership.name == "Changed in the admin"


def admin_form_data(client, partnership, **changes):
    page = client.get(reverse("admin:partnerships_partnership_change", args=[partnership.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"councils": [c.pk for c in partnership.councils.all()],
                 "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    for name in ("start_date", "end_date", "next_review_due"):
        value = getattr(partnership, name)
        data[name] = value.isoformat() if value else ""
    data.update(changes)
    return data


def test_an_admin_page_opened_before_a_register_edit_is_refused(client, superuser, officer):
    partnership = PartnershipFactory(name="Before", lead_officer=officer)
    client.force_login(superuser)
    stale = admin_form_data(client, partnership, name="From the admin")
    services.partnership_update(partnership=partnership, data={"name": "From the register"},
                                version=partnership.version, user=officer)
    response = client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), stale)
    assert response.status_code == 200
    assert "Someone else saved this partnership after you opened it" in response.content.decode()
    assert Partnership.objects.get(pk=partnership.pk).name == "From the register"


def test_the_admin_history_cannot_revert(client, superuser, officer):
    partnership = PartnershipFactory(name="First", lead_officer=officer)
    services.partnership_update(partnership=partnership, data={"name": "Second"}, version=partnership.version,
                                user=officer)
    first = partnership.history.order_by("history_id").first()
    client.force_login(superuser)
    url = reverse("admin:partnerships_partnership_simple_history", args=[partnership.pk, first.history_id])
    assert client.post(url, {"name": "First"}).status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).name == "Second"


def test_an_officer_made_staff_cannot_reach_the_admin_at_all(client, officer, lead):
    """Staff status is not a role: the Django admin is for superusers only."""
    from django.contrib.auth.models import Permission

    partnership = PartnershipFactory(lead_officer=lead)
    officer.is_staff = True
    officer.save()
    officer.user_permissions.add(Permission.objects.get(codename="change_partnership"))
    client.force_login(officer)
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"lead_officer": officer.pk}).status_code == 403
    partnership.refresh_from_db()
    assert partnership.lead_officer == lead
