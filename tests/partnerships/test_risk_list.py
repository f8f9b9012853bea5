"""Every risk the reader may see, in one list (issue 16): highest score first, filtered by
status, band, owner and partnership, a page at a time, with its downloads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CouncilFactory, PartnershipFactory, RiskFactory, UserFactory

pytestmark = pytest.mark.django_db


def listed(client, query: str = "") -> list[str]:
    return [risk.description for risk in client.get(f"/risks/?{query}").context["page"].object_list]


@pytest.fixture
def risks(officer, lead):
    """Risks of every band on two partnerships, owned by two officers: one closed, one overdue."""
    today = timezone.localdate()
    flood = PartnershipFactory(name="Coastal Flood Partnership", lead_officer=officer)
    safety = PartnershipFactory(name="Community Safety Partnership", lead_officer=lead)
    return {
        "high": RiskFactory(partnership=flood, standard="", description="Sea wall fails", likelihood=4, impact=5),
        "medium": RiskFactory(partnership=safety, standard="", description="Funding falls", likelihood=3, impact=3,
                              review_date=today - timedelta(days=1)),
        "low": RiskFactory(partnership=flood, standard="", description="Minutes late", likelihood=1, impact=2),
        "edge": RiskFactory(partnership=safety, standard="", description="Partners fall out", likelihood=5,
                            impact=3),
        "closed": RiskFactory(partnership=safety, standard="", description="Old risk", likelihood=5, impact=5,
                              status="closed"),
    }


def test_it_lists_open_risks_highest_score_first(member_client, risks):
    response = member_client.get("/risks/")
    assert response.status_code == 200
    assert listed(member_client) == ["Sea wall fails", "Partners fall out", "Funding falls", "Minutes late"]
    page = response.content.decode()
    assert "4 risks" in page and "High 20" in page and "Almost certain (5)" in page


@pytest.mark.parametrize("query, expected", [
    ("band=high", ["Sea wall fails", "Partners fall out"]),  # 20 and 15: the band is 15–25
    ("band=medium", ["Funding falls"]),
    ("band=low", ["Minutes late"]),
    ("show=closed", ["Old risk"]),
    ("show=all&band=high", ["Old risk", "Sea wall fails", "Partners fall out"]),
    ("show=overdue", ["Funding falls"]),
    ("partnership=coastal", ["Sea wall fails", "Minutes late"]),
])
def test_it_filters_by_status_band_and_partnership(member_client, risks, query, expected):
    assert listed(member_client, query) == expected


def test_it_filters_by_owner(member_client, risks, lead):
    assert listed(member_client, f"owner={lead.pk}") == ["Partners fall out", "Funding falls"]


def test_a_filter_it_cannot_read_is_explained_and_lists_nothing(member_client, risks):
    response = member_client.get("/risks/?band=extreme&owner=abc")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Select a band from the list" in page
    assert "Select an owner from the list" in page
    assert response.context["page"].paginator.count == 0 and "Correct the filters to see the risks." in page
    assert "risk-downloads" not in page


def test_it_lists_a_page_at_a_time_keeping_its_filters(member_client, officer, settings):
    settings.REGISTER_PAGE_SIZE = 3
    partnership = PartnershipFactory(lead_officer=officer)
    for n in range(7):
        RiskFactory(partnership=partnership, standard="", description=f"Risk {n}", likelihood=1 + n % 5)
    first = member_client.get("/risks/?show=open")
    assert len(first.context["page"].object_list) == 3
    assert 'href="?show=open&amp;page=2" rel="next"' in first.content.decode()
    assert len(listed(member_client, "show=open&page=3")) == 1


def test_it_links_to_its_downloads_with_its_filters_but_not_its_page(member_client, risks, lead):
    page = member_client.get(f"/risks/?band=high&owner={lead.pk}&page=1").content.decode()
    assert f'href="/risks/export.csv?band=high&amp;owner={lead.pk}">Download as CSV</a>' in page
    assert f'href="/risks/export.xlsx?band=high&amp;owner={lead.pk}">Download as spreadsheet (XLSX)</a>' in page


def test_no_risks_offers_no_download(member_client):
    page = member_client.get("/risks/").content.decode()
    assert "There are no risks to show here." in page and "risk-downloads" not in page


def test_another_councils_risks_and_their_owners_are_never_listed(member_client, risks):
    dorset = CouncilFactory(name="Dorset Council")
    owner = UserFactory(first_name="Dora", last_name="Elsewhere", role="Officer", councils=[dorset])
    RiskFactory(partnership=PartnershipFactory(councils=[dorset], lead_officer=owner), standard="",
                description="Dorset's own risk", likelihood=5, impact=5)
    page = member_client.get("/risks/?show=all").content.decode()
    assert "Dorset's own risk" not in page and "Dora Elsewhere" not in page
    assert listed(member_client, f"show=all&owner={owner.pk}") == []  # not one of the owners offered


def test_the_menu_links_to_the_risks(member_client):
    page = member_client.get("/actions/").content.decode()
    assert 'href="/risks/">Risks</a>' in page
    assert 'href="/risks/" aria-current="true">Risks</a>' in member_client.get("/risks/").content.decode()


def test_the_list_takes_the_same_queries_however_many_risks(member_client, officer, django_assert_max_num_queries):
    partnership = PartnershipFactory(lead_officer=officer)
    RiskFactory(partnership=partnership)
    member_client.get("/risks/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        member_client.get("/risks/")
    for _ in range(10):
        RiskFactory(partnership=PartnershipFactory(lead_officer=UserFactory(role="Officer")))
    with django_assert_max_num_queries(len(one)):
        member_client.get("/risks/")
