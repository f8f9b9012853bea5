"""The register shows each partnership's highest open risk and filters by its band
(`risk=high|medium|low`: high 15–25, medium 8–14, low 1–7), in the same number of queries."""

import pytest
from django.http import QueryDict

from register.packs import pack_selection
from tests.factories import PartnershipFactory, RiskFactory, ThemeFactory, UserFactory, default_council

pytestmark = pytest.mark.django_db


def names(response):
    return [p.name for p in response.context["page"].object_list]


@pytest.fixture
def register():
    """A partnership whose highest open risk is in each band, and one with none open."""
    high = PartnershipFactory(name="High Partnership")
    RiskFactory(partnership=high, likelihood=4, impact=4)  # 16
    RiskFactory(partnership=high, likelihood=1, impact=1)
    medium = PartnershipFactory(name="Medium Partnership")
    RiskFactory(partnership=medium, likelihood=2, impact=4)  # 8, the lowest medium
    RiskFactory(partnership=medium, likelihood=5, impact=5, status="closed")  # closed: not counted
    RiskFactory(partnership=medium, likelihood=2, impact=3)  # 6
    low = PartnershipFactory(name="Low Partnership")
    RiskFactory(partnership=low, likelihood=2, impact=3)  # 6, the highest a low can be from a 5×5 matrix
    edge = PartnershipFactory(name="Edge Partnership")
    RiskFactory(partnership=edge, likelihood=5, impact=3)  # 15, the lowest high
    closed_only = PartnershipFactory(name="Closed Risks Partnership")
    RiskFactory(partnership=closed_only, likelihood=5, impact=5, status="closed")
    PartnershipFactory(name="No Risks Partnership")


@pytest.mark.parametrize("band, expected", [
    ("high", ["Edge Partnership", "High Partnership"]),
    ("medium", ["Medium Partnership"]),
    ("low", ["Low Partnership"]),
])
def test_it_filters_by_the_band_of_the_highest_open_risk(member_client, register, band, expected):
    response = member_client.get(f"/register/?risk={band}")
    assert response.status_code == 200
    assert names(response) == expected


def test_it_shows_the_highest_open_risk_as_a_column(member_client, register):
    response = member_client.get("/register/")
    body = response.content.decode()
    assert "Highest open risk" in body[body.index("<thead"):body.index("</thead>")]
    cells = {p.name: p.cells["risk"] for p in response.context["page"].object_list}
    assert cells == {"Closed Risks Partnership": "", "Edge Partnership": "High 15", "High Partnership": "High 16",
                     "Low Partnership": "Low 6", "Medium Partnership": "Medium 8", "No Risks Partnership": ""}
    assert 'govuk-tag govuk-tag--red">High 16</strong>' in body
    assert 'govuk-tag govuk-tag--orange">Medium 8</strong>' in body
    assert 'govuk-tag govuk-tag--green">Low 6</strong>' in body


def test_the_band_filter_shows_as_a_removable_tag(member_client, register):
    response = member_client.get("/register/?risk=medium&sort=name")
    tags = {t["label"]: t for t in response.context["active_filters"]}
    assert tags["Highest open risk"]["text"] == "Medium"
    assert tags["Highest open risk"]["remove_url"] == "?sort=name"


def test_an_unknown_band_is_explained_without_failing(member_client, register):
    response = member_client.get("/register/?risk=extreme")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(names(response)) == 6


def test_a_scrutiny_pack_of_a_band_takes_the_partnerships_the_register_shows(client, scrutiny, register):
    _filterset, rows, summary = pack_selection(QueryDict("risk=high"), user=scrutiny)
    assert [p.name for p in rows] == ["Edge Partnership", "High Partnership"]
    assert summary == "Highest open risk: High"


@pytest.mark.parametrize("rows", [5, 200])
def test_it_takes_the_same_queries_however_many_partnerships_have_risks(member_client, django_assert_max_num_queries,
                                                                        rows):
    lead, council, theme = UserFactory(role="Officer"), default_council(), ThemeFactory()
    for number in range(rows):
        partnership = PartnershipFactory(lead_officer=lead, councils=[council], themes=[theme])
        RiskFactory(partnership=partnership, likelihood=1 + number % 5, impact=5)
    # As without risks (tests/register/test_register_view.py): the highest open risk is part of
    # the page's own query, and the filter part of the count's.
    with django_assert_max_num_queries(13):
        response = member_client.get(f"/register/?risk=high&council={council.pk}&sort=-contribution")
    assert response.status_code == 200
    assert "High 25" in response.content.decode()
