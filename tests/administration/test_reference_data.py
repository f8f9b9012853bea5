"""Partner organisations and themes: the shared lists, and merging a duplicate into the one to
keep without showing an administrator another council's partnerships."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from administration.models import ChangeRecord
from administration.reference_data import ORGANISATIONS, THEMES, reference_merge
from administration.services import AdministrationError
from partnerships.history import partnership_history
from partnerships.models import Organisation, PartnershipMember, Theme
from partnerships.roles import OFFICER
from tests.factories import OrganisationFactory, PartnershipFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations(wessex, harbourside):
    """A duplicate ("Harbour Trust") used by two of Wessex Vale's partnerships (one of which has
    the one to keep too) and by one of Harbourside's, kept secret from Wessex Vale."""
    duplicate = OrganisationFactory(name="Harbour Trust")
    kept = OrganisationFactory(name="Harbourside Trust")
    only = PartnershipFactory(name="Wessex Coastal Forum", councils=[wessex])
    both = PartnershipFactory(name="Wessex Health Board", councils=[wessex])
    secret = PartnershipFactory(name="Harbourside Secret Project", councils=[harbourside])
    PartnershipMember.objects.create(partnership=only, organisation=duplicate, role="chair")
    PartnershipMember.objects.create(partnership=both, organisation=duplicate, role="member")
    PartnershipMember.objects.create(partnership=both, organisation=kept, role="accountable_body")
    PartnershipMember.objects.create(partnership=secret, organisation=duplicate, role="funder")
    return {"duplicate": duplicate, "kept": kept, "only": only, "both": both, "secret": secret}


@pytest.fixture
def themes(wessex, harbourside):
    duplicate, kept = ThemeFactory(name="Community saftey"), ThemeFactory(name="Community safety")
    only = PartnershipFactory(name="Wessex Safer Streets", councils=[wessex], themes=[duplicate])
    both = PartnershipFactory(name="Wessex Night Watch", councils=[wessex], themes=[duplicate, kept])
    secret = PartnershipFactory(name="Harbourside Secret Project", councils=[harbourside], themes=[duplicate])
    return {"duplicate": duplicate, "kept": kept, "only": only, "both": both, "secret": secret}


def merge_check_url(kind, item, into=None):
    url = reverse(f"manage:{kind}_merge_check", args=[item.pk])
    return f"{url}?into={into.pk}" if into is not None else url


def test_it_lists_organisations_counting_only_the_partnerships_the_administrator_sees(client, wvadmin,
                                                                                       organisations):
    client.force_login(wvadmin)
    response = client.get(reverse("manage:organisations"), {"q": "harbour trust"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Harbour Trust" in body and "Harbourside Trust" not in body
    assert 'data-label="Your partnerships using it">2</td>' in body  # not 3: one is Harbourside's


def test_it_lists_themes_with_a_search(client, wvadmin, themes):
    client.force_login(wvadmin)
    body = client.get(reverse("manage:themes"), {"q": "saftey"}).content.decode()
    assert "Community saftey" in body and "Community safety" not in body


def test_a_megabyte_of_search_is_not_a_500(client, wvadmin, organisations):
    client.force_login(wvadmin)
    assert client.get(reverse("manage:organisations"), {"q": "x" * 1_000_000}).status_code == 200


def test_choosing_the_one_to_keep_leads_to_the_check(client, wvadmin, organisations):
    client.force_login(wvadmin)
    duplicate, kept = organisations["duplicate"], organisations["kept"]
    response = client.post(reverse("manage:organisation_merge", args=[duplicate.pk]), {"into": kept.pk})
    assert response.status_code == 302
    assert response.url == merge_check_url("organisation", duplicate, kept)
    assert Organisation.objects.filter(pk=duplicate.pk).exists()  # not until checked


def test_the_check_names_only_the_administrators_partnerships(client, wvadmin, organisations):
    client.force_login(wvadmin)
    response = client.get(merge_check_url("organisation", organisations["duplicate"], organisations["kept"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Wessex Coastal Forum" in body and "Wessex Health Board" in body
    assert "Harbourside Secret Project" not in body
    assert organisations["secret"].reference not in body
    assert "also used by 1 partnership of other councils" in body
    assert "Harbourside Trust stays Accountable body" in body


def test_merging_an_organisation_moves_its_partnerships_and_records_it(client, wvadmin, organisations):
    duplicate, kept = organisations["duplicate"], organisations["kept"]
    client.force_login(wvadmin)
    response = client.post(merge_check_url("organisation", duplicate, kept), {"into": kept.pk})
    assert response.status_code == 302 and response.url == reverse("manage:organisations")
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    roles = {(m.partnership_id, m.role) for m in PartnershipMember.objects.filter(organisation=kept)}
    assert roles == {(organisations["only"].pk, "chair"), (organisations["both"].pk, "accountable_body"),
                     (organisations["secret"].pk, "funder")}
    assert organisations["both"].memberships.count() == 1  # the duplicate's place removed, not duplicated
    merge = ChangeRecord.objects.get(kind=ChangeRecord.Kind.MERGED)
    assert merge.made_by == wvadmin
    assert merge.before == {"organisation": "Harbour Trust", "organisation_id": duplicate.pk}
    assert merge.after["organisation"] == "Harbourside Trust"
    assert sorted(merge.after["partnerships"]) == sorted([organisations["only"].reference,
                                                          organisations["secret"].reference])
    assert merge.after["already_partners"] == [f"{organisations['both'].reference} (was Member)"]


def test_the_merge_is_in_each_partnerships_history(client, wvadmin, organisations):
    client.force_login(wvadmin)
    client.post(merge_check_url("organisation", organisations["duplicate"], organisations["kept"]),
                {"into": organisations["kept"].pk})
    for name in ("only", "both"):
        whats = [change.what for change in partnership_history(organisations[name], user=wvadmin)]
        assert whats[0] == "Merged the organisation Harbour Trust into Harbourside Trust"


def test_the_list_of_merges_hides_other_councils_references(client, wvadmin, organisations):
    client.force_login(wvadmin)
    client.post(merge_check_url("organisation", organisations["duplicate"], organisations["kept"]),
                {"into": organisations["kept"].pk})
    body = client.get(reverse("manage:organisations")).content.decode()
    assert "Merged the organisation Harbour Trust into Harbourside Trust" in body
    assert organisations["only"].reference in body
    assert organisations["secret"].reference not in body
    assert "Of other councils: 1 partnership" in body


def test_merging_a_theme_moves_its_partnerships_with_history(client, wvadmin, themes):
    duplicate, kept = themes["duplicate"], themes["kept"]
    client.force_login(wvadmin)
    check = client.get(merge_check_url("theme", duplicate, kept)).content.decode()
    assert "Wessex Safer Streets" in check and "Harbourside Secret Project" not in check
    response = client.post(merge_check_url("theme", duplicate, kept), {"into": kept.pk})
    assert response.status_code == 302 and response.url == reverse("manage:themes")
    assert not Theme.objects.filter(pk=duplicate.pk).exists()
    for name in ("only", "both", "secret"):
        assert list(themes[name].themes.all()) == [kept]
    change = partnership_history(themes["only"], user=wvadmin)[0]
    assert change.what == "Merged the theme Community saftey into Community safety"
    assert change.fields == [("Themes", "(deleted)", "Community safety")]
    merge = ChangeRecord.objects.get(kind=ChangeRecord.Kind.MERGED)
    assert merge.before == {"theme": "Community saftey", "theme_id": duplicate.pk}
    assert len(merge.after["partnerships"]) == 3


def test_the_same_merge_posted_twice_is_a_message_not_a_500(client, wvadmin, organisations):
    duplicate, kept = organisations["duplicate"], organisations["kept"]
    client.force_login(wvadmin)
    client.post(merge_check_url("organisation", duplicate, kept), {"into": kept.pk})
    response = client.post(merge_check_url("organisation", duplicate, kept), {"into": kept.pk}, follow=True)
    assert response.status_code == 200
    assert "Harbour Trust has already been merged into Harbourside Trust (by Wendy Vale" in response.content.decode()
    assert ChangeRecord.objects.filter(kind=ChangeRecord.Kind.MERGED).count() == 1
    assert client.get(reverse("manage:organisation_merge", args=[duplicate.pk])).status_code == 302


def test_the_service_refuses_a_merge_of_what_is_gone(wvadmin, organisations):
    duplicate, kept = organisations["duplicate"], organisations["kept"]
    reference_merge(by=wvadmin, kind=ORGANISATIONS, duplicate_pk=duplicate.pk, kept_pk=kept.pk)
    with pytest.raises(AdministrationError, match="already been merged"):
        reference_merge(by=wvadmin, kind=ORGANISATIONS, duplicate_pk=duplicate.pk, kept_pk=kept.pk)


def test_merging_into_itself_is_refused(client, wvadmin, organisations):
    duplicate = organisations["duplicate"]
    client.force_login(wvadmin)
    response = client.post(merge_check_url("organisation", duplicate, duplicate), {"into": duplicate.pk})
    assert response.status_code == 200
    assert "one cannot be merged into itself" in response.content.decode()
    response = client.post(reverse("manage:organisation_merge", args=[duplicate.pk]), {"into": duplicate.pk})
    assert "one cannot be merged into itself" in response.content.decode()
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    with pytest.raises(AdministrationError, match="into itself"):
        reference_merge(by=wvadmin, kind=THEMES, duplicate_pk=duplicate.pk, kept_pk=duplicate.pk)
    assert not ChangeRecord.objects.exists()


@pytest.mark.parametrize("into", ["", "x" * 1_000_000, "999999", "-1"])
def test_a_choice_it_cannot_read_is_a_message(client, wvadmin, organisations, into):
    client.force_login(wvadmin)
    response = client.post(reverse("manage:organisation_merge", args=[organisations["duplicate"].pk]),
                           {"into": into})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_an_officer_cannot_merge(client, wessex, organisations):
    client.force_login(UserFactory(username="officer", role=OFFICER, councils=[wessex]))
    response = client.post(merge_check_url("organisation", organisations["duplicate"], organisations["kept"]),
                           {"into": organisations["kept"].pk})
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=organisations["duplicate"].pk).exists()


def test_names_are_escaped(client, wvadmin, organisations):
    OrganisationFactory(name="<script>alert(1)</script>")
    client.force_login(wvadmin)
    body = client.get(reverse("manage:organisations")).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    evil = Organisation.objects.get(name="<script>alert(1)</script>")
    body = client.get(merge_check_url("organisation", organisations["duplicate"], evil)).content.decode()
    assert "<script>alert(1)</script>" not in body


def test_the_manage_page_links_to_the_lists(client, wvadmin):
    client.force_login(wvadmin)
    body = client.get(reverse("manage:index")).content.decode()
    assert reverse("manage:organisations") in body and reverse("manage:themes") in body


def test_the_list_takes_the_same_few_queries_however_many_are_listed(client, wvadmin, wessex):
    client.force_login(wvadmin)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("manage:organisations")).status_code == 200
        return len(captured)

    PartnershipFactory(councils=[wessex], partners=[OrganisationFactory(name="Trust")])
    queries()  # the first page of a session also counts the navigation's waiting work and saves it
    few = queries()
    for number in range(40):
        PartnershipFactory(councils=[wessex], partners=[OrganisationFactory(name=f"Trust {number}")])
    assert queries() == few


def test_a_partner_added_while_merging_is_not_duplicated(wvadmin, organisations, monkeypatch):
    """`kept` made a partner of a partnership after the merge read who has it: its place is kept
    and the duplicate's removed, rather than the merge failing on the constraint."""
    duplicate, kept, only = organisations["duplicate"], organisations["kept"], organisations["only"]
    real = PartnershipMember.objects.filter

    def filter_then_add(*args, **kwargs):
        if kwargs == {"organisation": kept}:  # who has `kept`, read as if before any had it ...
            PartnershipMember.objects.create(partnership=only, organisation=kept, role="adviser")  # ... then one
            return real(pk__in=[])
        return real(*args, **kwargs)

    monkeypatch.setattr(PartnershipMember.objects, "filter", filter_then_add)
    merge = reference_merge(by=wvadmin, kind=ORGANISATIONS, duplicate_pk=duplicate.pk, kept_pk=kept.pk)
    monkeypatch.undo()
    assert list(only.memberships.values_list("organisation", "role")) == [(kept.pk, "adviser")]
    assert organisations["both"].memberships.get().organisation == kept
    assert sorted(merge.after["already_partners"]) == sorted([f"{only.reference} (was Chair)",
                                                              f"{organisations['both'].reference} (was Member)"])
