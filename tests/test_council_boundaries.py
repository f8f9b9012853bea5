"""Council boundaries: people see the partnerships their councils take part in, with their
assessments and actions, and nothing else; officers register, edit and assess only those.

Harbourside and Wessex Vale share this register. Each test's people belong to one council
or both (a joint scrutiny member); a superuser sees everything.
"""

import pytest
from django.urls import reverse

from checklists.models import Template
from partnerships.forms import EXCLUSIONS
from partnerships.models import Partnership, PartnershipMember
from partnerships.roles import LEAD_MEMBER, OFFICER, SCRUTINY
from register.models import ScrutinyPack
from tests.checklists.factories import submitted, tracked_action
from tests.factories import (
    CouncilFactory,
    OrganisationFactory,
    PartnershipFactory,
    RiskFactory,
    UserFactory,
    default_council,
)
from tests.partnerships.helpers import valid_partnership_data
from tests.spreadsheets import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

ALL_NO = {name: "no" for name, _question, _reason in EXCLUSIONS}


@pytest.fixture
def councils():
    return {"H": default_council(), "W": CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale")}


@pytest.fixture
def register(councils):
    """A partnership of each council alone and one they share, each with a submitted review and an open action."""
    writer = UserFactory(username="writer", role=OFFICER, councils=list(councils.values()))
    made = {}
    for key, name, taking_part in (("H", "Harbourside Harbour Board", ["H"]),
                                   ("W", "Wessex Vale Rural Forum", ["W"]),
                                   ("HW", "Shared Waste Partnership", ["H", "W"])):
        partnership = PartnershipFactory(name=name, councils=[councils[code] for code in taking_part],
                                         lead_officer=writer)
        review, action = tracked_action(partnership, writer, action=f"Action of {name}")
        risk = RiskFactory(partnership=partnership, standard="", description=f"Risk of {name}")
        made[key] = {"partnership": partnership, "review": review, "action": action, "risk": risk}
    return made


def person(role, *codes, councils, username=None):
    return UserFactory(username=username or f"{role.lower().replace(' ', '-')}-{''.join(codes)}", role=role,
                       councils=[councils[code] for code in codes])


def names_on(page: str, register) -> set[str]:
    return {key for key, made in register.items() if made["partnership"].name in page}


@pytest.mark.parametrize("role", [LEAD_MEMBER, SCRUTINY, OFFICER])
def test_a_reader_of_one_council_sees_its_partnerships_and_the_shared_ones_only(client, councils, register, role):
    client.force_login(person(role, "W", councils=councils))
    assert names_on(client.get(reverse("register:index")).content.decode(), register) == {"W", "HW"}
    assert names_on(client.get(reverse("actions:index")).content.decode(), register) == {"W", "HW"}
    assert names_on(client.get(reverse("risks:index") + "?show=all").content.decode(), register) == {"W", "HW"}
    for url in (reverse("register:index") + "?q=Harbour", reverse("register:index") + "?q=Waste"):
        assert "Harbourside Harbour Board" not in client.get(url).content.decode()


def test_a_joint_scrutiny_member_sees_both_councils_in_one_register(client, councils, register):
    client.force_login(person(SCRUTINY, "H", "W", councils=councils))
    assert names_on(client.get(reverse("register:index")).content.decode(), register) == {"H", "W", "HW"}


def test_a_superuser_sees_everything(client, councils, register, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert names_on(client.get(reverse("register:index")).content.decode(), register) == {"H", "W", "HW"}


def test_the_register_filters_offer_only_what_the_reader_sees_and_count_only_that(client, councils, register):
    dorset = CouncilFactory(name="Dorset Council", short_name="Dorset")
    PartnershipFactory(name="Dorset Coast Forum", councils=[dorset],
                       lead_officer=UserFactory(username="dorset-lead", role=OFFICER, first_name="Dora",
                                                last_name="Coastline", councils=[dorset]))
    client.force_login(person(LEAD_MEMBER, "W", councils=councils))
    response = client.get(reverse("register:index"))
    page = response.content.decode()
    # Wessex Vale's own, and Harbourside through the partnership they share; not Dorset, nor its officer.
    assert "Wessex Vale District Council" in page and "Harbourside Borough Council" in page
    assert "Dorset Council" not in page and "Dora Coastline" not in page
    assert "2 partnerships" in page
    # Asking for a council by its id finds only what the reader may see of it.
    page = client.get(reverse("register:index") + f"?council={councils['H'].pk}").content.decode()
    assert names_on(page, register) == {"HW"}
    page = client.get(reverse("register:index") + f"?council={dorset.pk}").content.decode()
    assert "Dorset Coast Forum" not in page


def other_councils_urls(register):
    made = register["H"]
    partnership, review, action = made["partnership"], made["review"], made["action"]
    return [
        reverse("partnerships:detail", args=[partnership.pk]),
        reverse("partnerships:pdf", args=[partnership.pk]),
        reverse("partnerships:history", args=[partnership.pk]),
        reverse("partnerships:edit", args=[partnership.pk]),
        reverse("partnerships:partners", args=[partnership.pk]),
        reverse("partnerships:organisation_new", args=[partnership.pk]),
        reverse("checklists:start", args=[partnership.pk]),
        reverse("checklists:detail", args=[review.pk]),
        reverse("checklists:pdf", args=[review.pk]),
        reverse("checklists:export_csv", args=[review.pk]),
        reverse("checklists:export_xlsx", args=[review.pk]),
        reverse("checklists:section", args=[review.pk, 1]),
        reverse("checklists:check", args=[review.pk]),
        reverse("checklists:approve", args=[review.pk]) + f"?version={review.version}",
        reverse("checklists:return", args=[review.pk]) + f"?version={review.version}",
        reverse("actions:edit", args=[action.pk]),
        reverse("partnerships:risk_new", args=[partnership.pk]),
        reverse("partnerships:risk_edit", args=[partnership.pk, register["H"]["risk"].pk]),
    ]


@pytest.mark.parametrize("role", [LEAD_MEMBER, SCRUTINY, OFFICER])
def test_another_councils_partnership_is_not_found(client, councils, register, role):
    client.force_login(person(role, "W", councils=councils))
    for url in other_councils_urls(register):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Harbourside Harbour Board" not in response.content.decode()


def test_an_officer_of_another_council_changes_nothing(client, councils, register):
    made = register["H"]
    client.force_login(person(OFFICER, "W", councils=councils))
    for url in other_councils_urls(register):
        assert client.post(url, {"name": "Hijacked", "status": "done", "reason": "No", "kind": "checklist",
                                 "title": "Sneaky"}).status_code in (403, 404), url
    made["partnership"].refresh_from_db()
    assert made["partnership"].name == "Harbourside Harbour Board"
    assert made["review"].__class__.objects.get(pk=made["review"].pk).status == "submitted"
    assert made["action"].__class__.objects.get(pk=made["action"].pk).status == "open"
    assert not made["partnership"].assessments.filter(title="Sneaky").exists()
    assert list(made["partnership"].risks.values_list("status", "version")) == [("open", 1)]


def test_an_officer_works_on_a_shared_partnership_and_keeps_the_other_councils_part(client, councils, register):
    shared = register["HW"]["partnership"]
    officer = person(OFFICER, "W", councils=councils)
    client.force_login(officer)
    assert client.get(reverse("partnerships:edit", args=[shared.pk])).status_code == 200
    data = valid_partnership_data(council=councils["W"], lead_officer=shared.lead_officer, name="Shared Waste Board",
                                  version=str(shared.version))
    response = client.post(reverse("partnerships:edit", args=[shared.pk]), data)
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.name == "Shared Waste Board"
    assert set(shared.councils.all()) == {councils["H"], councils["W"]}  # Harbourside's part is not theirs to drop


def test_an_officer_registers_partnerships_for_their_own_councils_only(client, councils):
    officer = person(OFFICER, "W", councils=councils)
    client.force_login(officer)
    client.post(reverse("partnerships:screening"), ALL_NO)
    page = client.get(reverse("partnerships:create")).content.decode()
    assert "Wessex Vale District Council" in page and "Harbourside Borough Council" not in page
    response = client.post(reverse("partnerships:create"),
                           valid_partnership_data(council=councils["H"], lead_officer=officer))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "council" in response.content.decode()
    assert not Partnership.objects.filter(name="Harbourside Food Partnership").exists()
    response = client.post(reverse("partnerships:create"),
                           valid_partnership_data(council=councils["W"], lead_officer=officer))
    assert response.status_code == 302
    assert list(Partnership.objects.get(name="Harbourside Food Partnership").councils.all()) == [councils["W"]]


def test_a_scrutiny_pack_of_another_councils_partnerships_is_not_theirs_to_read(client, councils, register):
    harbourside = person(SCRUTINY, "H", councils=councils)
    pack = ScrutinyPack.objects.create(title="Harbourside pack", partnership_ids=[register["H"]["partnership"].pk],
                                       total=1, requested_by=harbourside)
    client.force_login(person(SCRUTINY, "W", councils=councils))
    assert "Harbourside pack" not in client.get(reverse("register:packs")).content.decode()
    assert client.get(reverse("register:pack", args=[pack.pk])).status_code == 404
    client.force_login(harbourside)
    assert client.get(reverse("register:pack", args=[pack.pk])).status_code == 200


def test_your_work_lists_only_what_the_person_may_see(client, councils, register):
    register["H"]["partnership"].lead_member_account = member = person(LEAD_MEMBER, "W", councils=councils)
    register["H"]["partnership"].save()
    client.force_login(member)
    page = client.get(reverse("register:work")).content.decode()
    assert "Harbourside Harbour Board" not in page


def test_the_register_takes_the_same_queries_however_many_councils(client, councils, register,
                                                                   django_assert_max_num_queries):
    reader = person(LEAD_MEMBER, "W", councils=councils)
    client.force_login(reader)
    client.get(reverse("register:index"))
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # each measure reads the choice lists afresh (they are otherwise kept a minute)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("register:index"))
    for number in range(20):
        council = CouncilFactory(name=f"Council number {number}")
        reader.councils.add(council)
        PartnershipFactory(councils=[council])
        UserFactory(role=OFFICER, councils=[council])
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("register:index"))


def test_submitted_work_of_another_council_is_not_offered_for_approval(client, councils, register):
    other = submitted(register["H"]["partnership"], register["H"]["partnership"].lead_officer,
                      kind=Template.Kind.CHECKLIST, title="Harbourside checklist")
    admin_of_wessex = UserFactory(username="wv-admin", role="Administrator", councils=[councils["W"]])
    client.force_login(admin_of_wessex)
    assert "Harbourside checklist" not in client.get(reverse("register:work")).content.decode()
    assert client.get(reverse("checklists:approve", args=[other.pk]) + f"?version={other.version}").status_code == 404


def test_an_action_is_given_only_to_an_officer_who_can_see_its_partnership(client, councils, register):
    dorset_officer = UserFactory(username="dorset-officer", role=OFFICER, first_name="Dora", last_name="Elsewhere",
                                 councils=[CouncilFactory(name="Dorset Council")])
    wessex_officer = person(OFFICER, "W", councils=councils)
    client.force_login(wessex_officer)
    action = register["HW"]["action"]
    page = client.get(reverse("actions:edit", args=[action.pk])).content.decode()
    assert "Dora Elsewhere" not in page
    response = client.post(reverse("actions:edit", args=[action.pk]), {
        "owner": dorset_officer.pk, "due_date_0": "1", "due_date_1": "1", "due_date_2": "2030",
        "status": "open", "version": action.version})
    assert response.status_code == 200 and "Select who owns the action" in response.content.decode()
    action.refresh_from_db()
    assert action.owner_id != dorset_officer.pk


@pytest.mark.parametrize("term", ["Rural", "Coastal Trust", "Imogen Price"])  # its text, a partner, its lead officer
def test_a_search_finds_by_text_partner_and_lead_officer_only_within_the_readers_councils(
        client, councils, register, django_user_model, term):
    """A search within some councils' part of the register looks only there (register.filters),
    and finds the same things there as a search of the whole register."""
    partnership = register["W"]["partnership"]
    partnership.lead_officer = UserFactory(first_name="Imogen", last_name="Price", role=OFFICER,
                                           councils=[councils["W"]])
    partnership.save()
    PartnershipMember.objects.create(partnership=partnership, organisation=OrganisationFactory(name="Coastal Trust"))
    url = reverse("register:index") + f"?q={term}"
    client.force_login(person(LEAD_MEMBER, "W", councils=councils))
    assert names_on(client.get(url).content.decode(), register) == {"W"}
    client.force_login(person(LEAD_MEMBER, "H", councils=councils))
    assert names_on(client.get(url).content.decode(), register) == set()
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    assert names_on(client.get(url).content.decode(), register) == {"W"}


def test_a_risk_is_given_only_to_an_officer_who_can_see_its_partnership(client, councils, register):
    dorset_officer = UserFactory(username="dorset-officer", role=OFFICER, first_name="Dora", last_name="Elsewhere",
                                 councils=[CouncilFactory(name="Dorset Council")])
    harbourside_officer = person(OFFICER, "H", councils=councils)
    client.force_login(person(OFFICER, "W", councils=councils))
    risk = register["W"]["risk"]
    page = client.get(reverse("partnerships:risk_edit", args=[risk.partnership_id, risk.pk])).content.decode()
    assert "Dora Elsewhere" not in page and harbourside_officer.get_full_name() not in page
    for owner in (dorset_officer, harbourside_officer):
        response = client.post(reverse("partnerships:risk_edit", args=[risk.partnership_id, risk.pk]), {
            "standard": "another", "description": "Taken over", "likelihood": "2", "impact": "2",
            "mitigation": "None", "owner": owner.pk, "review_date_0": "1", "review_date_1": "1",
            "review_date_2": "2030", "status": "open", "version": risk.version})
        assert response.status_code == 200 and "Select who owns the risk" in response.content.decode()
    risk.refresh_from_db()
    assert risk.description == "Risk of Wessex Vale Rural Forum"


def test_a_reader_sees_the_risks_of_their_councils_partnerships_only_in_the_register(client, councils, register):
    from partnerships.models import Risk

    Risk.objects.filter(pk=register["H"]["risk"].pk).update(likelihood=5, impact=5)
    client.force_login(person(LEAD_MEMBER, "W", councils=councils))
    body = client.get(reverse("register:index") + "?risk=high").content.decode()
    assert "Harbourside Harbour Board" not in body and "No partnerships match your filters" in body


@pytest.mark.parametrize("name", ["register:export_csv", "register:export_xlsx", "actions:export_csv",
                                  "actions:export_xlsx", "risks:export_csv", "risks:export_xlsx"])
@pytest.mark.parametrize("role", [LEAD_MEMBER, SCRUTINY, OFFICER])
def test_an_export_holds_only_the_readers_councils_rows(client, councils, register, role, name):
    """The register, the actions and the risks as CSV and XLSX (issue 16) start from `visible_to`,
    as the pages do."""
    client.force_login(person(role, "W", councils=councils))
    read = csv_rows if name.endswith("csv") else xlsx_rows
    rows = read(client.get(reverse(name) + "?show=all"))
    assert {row.get("Name") or row["Partnership"] for row in rows} == {"Wessex Vale Rural Forum",
                                                                       "Shared Waste Partnership"}
    # A search for another council's partnership finds nothing (q= for the register, partnership= for
    # actions and risks).
    assert read(client.get(reverse(name) + "?show=all&q=harbour&partnership=harbour")) == []
