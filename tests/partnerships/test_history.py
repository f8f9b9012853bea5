"""The history of a register entry: every change to a partnership, its councils, themes, partners
and actions, with who, when and each field before and after; shown to signed-in readers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services as checklist_services
from partnerships import services
from partnerships.history import partnership_history
from partnerships.models import Partnership
from tests.checklists.factories import tracked_action
from tests.factories import CouncilFactory, OrganisationFactory, PartnershipFactory, ThemeFactory, default_council

pytestmark = pytest.mark.django_db


def history_url(partnership):
    return reverse("partnerships:history", args=[partnership.pk])


@pytest.fixture
def partnership(officer):
    return services.partnership_register(user=officer, data={
        "name": "Coastal Flood Partnership", "purpose": "Keep the coast safe.", "status": "active",
        "scope": "strategic", "basis": "statutory", "membership": "multi", "level": "local",
        "councils": [CouncilFactory(name="Harbourside Borough Council")], "council_role": "leading",
        "lead_officer": officer, "legal_status": "memorandum", "performance_method": "annual_report",
        "next_review_due": timezone.localdate() + timedelta(days=30), "themes": [],
    })


def test_registering_records_one_entry_with_the_reference_and_councils(partnership, officer):
    records = list(partnership.history.all())
    assert len(records) == 1
    assert records[0].reference == partnership.reference
    assert records[0].history_user == officer
    assert [row.council.name for row in records[0].councils.all()] == ["Harbourside Borough Council"]


def test_an_edit_records_who_when_and_each_field_before_and_after(partnership, officer):
    flood = ThemeFactory(name="Flooding")
    wessex = CouncilFactory(name="Wessex Vale District Council")
    officer.councils.add(wessex)  # an officer gives a partnership only their own councils
    services.partnership_update(partnership=partnership, version=partnership.version, user=officer, data={
        "name": "Coastal Resilience Partnership", "themes": [flood],
        "councils": [*partnership.councils.all(), wessex],
        "status": "under_review",
    })
    change = partnership_history(partnership, user=officer)[0]
    assert change.who == "Olivia Okafor"
    assert change.what == "Changed the register entry"
    assert change.fields == [
        ("Name", "Coastal Flood Partnership", "Coastal Resilience Partnership"),
        ("Status", "Active", "Under review"),
        ("Councils taking part", "Harbourside Borough Council",
         "Harbourside Borough Council, Wessex Vale District Council"),
        ("Themes", "None", "Flooding"),
    ]
    # One edit is one record, however many tables it touched.
    assert partnership.history.count() == 2


def test_partners_added_changed_and_removed_are_in_the_history(partnership, officer):
    police = OrganisationFactory(name="Wessex Police")
    member = services.partner_add(partnership=partnership, organisation=police, role="chair", user=officer)
    services.partner_remove(membership=member, user=officer)
    whats = [change.what for change in partnership_history(partnership, user=officer)]
    assert whats[:2] == ["Removed the partner Wessex Police", "Added the partner Wessex Police (Chair)"]




def test_action_changes_record_their_values(partnership, officer, lead):
    _assessment, action = tracked_action(partnership, officer)
    checklist_services.action_update(action=action, owner=lead, due_date=action.due_date, status="done",
                                     version=action.version, user=lead)
    change = partnership_history(partnership, user=officer)[0]
    assert change.what == "Changed the action “Agree a plan”"
    assert change.who == "Lena Lead"
    assert change.fields == [("Owner", "Olivia Okafor", "Lena Lead"), ("Status", "Open", "Done")]


def test_readers_do_not_see_the_actions_of_a_draft(partnership, officer, lead, lead_member, administrator):
    assessment, _action = tracked_action(partnership, officer)
    assessment.refresh_from_db()
    checklist_services.assessment_return(assessment=assessment, version=assessment.version, user=administrator,
                                         reason="Redo")
    assert any("Agree a plan" in change.what for change in partnership_history(partnership, user=officer))
    assert not any("Agree a plan" in change.what for change in partnership_history(partnership, user=lead_member))


def test_the_history_page_shows_changes_to_a_reader_and_escapes_them(client, partnership, officer, lead_member):
    services.partnership_update(partnership=partnership, version=partnership.version, user=officer,
                                data={"name": "<script>alert(1)</script>"})
    client.force_login(lead_member)
    response = client.get(history_url(partnership))
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    assert "Coastal Flood Partnership" in body and "Olivia Okafor" in body
    assert "Registered the partnership" in body
    detail = client.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert history_url(partnership) in detail and "last changed" in detail


def test_the_history_page_needs_a_signed_in_reader(client, partnership, no_role_user):
    assert client.get(history_url(partnership)).status_code == 302
    client.force_login(no_role_user)
    assert client.get(history_url(partnership)).status_code == 403
    assert client.get(reverse("partnerships:history", args=[999999])).status_code in (403, 404)


def test_the_history_page_reads_a_fixed_number_of_queries(client, partnership, officer, lead_member,
                                                         django_assert_max_num_queries):
    for number in range(20):
        partnership.refresh_from_db()
        services.partnership_update(partnership=partnership, version=partnership.version, user=officer,
                                    data={"name": f"Name {number}", "themes": [ThemeFactory(name=f"T{number}")]})
        services.partner_add(partnership=partnership, organisation=OrganisationFactory(), role="member",
                             user=officer)
    client.force_login(lead_member)
    with django_assert_max_num_queries(16):
        assert client.get(history_url(partnership)).status_code == 200


def test_an_administrator_cannot_delete_a_partnership_in_the_admin_but_a_superuser_can(client, administrator,
                                                                                      django_user_model):
    partnership = PartnershipFactory(name="Closed, not deleted")
    url = reverse("admin:partnerships_partnership_delete", args=[partnership.pk])
    client.force_login(administrator)
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Partnership.objects.filter(pk=partnership.pk).exists()
    client.force_login(django_user_model.objects.create_superuser("rootuser", "root@example.invalid", "x-long-pass-1"))
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Partnership.objects.filter(pk=partnership.pk).exists()
    # The history is kept, with the deletion recorded.
    assert Partnership.history.filter(id=partnership.pk).first().history_type == "-"


def test_councils_set_just_after_creating_are_part_of_the_registration(officer):
    partnership = PartnershipFactory(councils=[default_council()], themes=[ThemeFactory()])
    assert partnership.history.count() > 1  # the row, then each many-to-many field
    assert [change.what for change in partnership_history(partnership, user=officer)] == ["Registered the partnership"]


def test_records_from_when_history_began_say_so(partnership, officer):
    partnership.history.update(history_change_reason="Recorded when history began", history_user=None)
    changes = partnership_history(partnership, user=officer)
    assert changes[-1].what == "As the entry stood when the register began keeping its history"
    assert changes[-1].who == "Not recorded"
