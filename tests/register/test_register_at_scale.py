"""The register at national scale (issue 15): what a page reads does not grow with the
register, its choice lists offer what occurs, and deep pages hold the right rows.
Times are measured by `make bench` (benchmarks/national_bench.py), not here."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from partnerships.models import Partnership
from tests.checklists.factories import start, submitted
from tests.factories import CouncilFactory, OrganisationFactory, PartnershipFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

URLS = ["/register/", "/register/?q=partnership", "/register/?scope=strategic&sort=-contribution",
        "/register/?approved_checklist=yes&overdue=yes", "/register/?page=2", "/register/?sort=lead_officer"]


def grow(*, councils: int, officers: int, partnerships: int, reader=None):
    """Add councils (with `reader` a member of each), officers and partnerships (some joint,
    some assessed) to the register."""
    places = [CouncilFactory() for _ in range(councils)]
    for place in places:
        if reader is not None:
            place.members.add(reader)
    people = [UserFactory(role="Officer") for _ in range(officers)]
    theme, partner = ThemeFactory(), OrganisationFactory()
    for n in range(partnerships):
        joint = places[n % councils: n % councils + 1 + n % 2]
        partnership = PartnershipFactory(lead_officer=people[n % officers], councils=joint, themes=[theme],
                                         partners=[partner])
        if n % 10 == 0:
            submitted(partnership, people[(n + 1) % officers], "checklist")
        elif n % 10 == 1:
            start(partnership, people[(n + 1) % officers], "improvement")


def queries(client, url: str) -> int:
    """The queries of one request for `url`, the navigation's Your-work count among them (it is
    otherwise kept in the session for a minute: register.work.remembered_waiting_count)."""
    session = client.session
    session.pop("_waiting", None)
    session.save()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["lead_member", "administrator"])
def test_a_page_reads_as_many_queries_for_317_councils_as_for_two(client, request, role):
    reader = request.getfixturevalue(role)
    client.force_login(reader)
    grow(councils=2, officers=2, partnerships=60, reader=reader)
    small = {url: queries(client, url) for url in URLS}
    grow(councils=40, officers=60, partnerships=150, reader=reader)
    assert {url: queries(client, url) for url in URLS} == small


def test_the_choice_lists_offer_the_councils_and_officers_that_occur(member_client, lead_member):
    grow(councils=3, officers=3, partnerships=6, reader=lead_member)
    idle_council, idle_officer = CouncilFactory(name="Nowhere Council"), UserFactory(
        role="Officer", first_name="Idle", last_name="Officer")
    body = member_client.get("/register/").content.decode()
    assert "Nowhere Council" not in body and "Idle Officer" not in body
    # A filter by someone who leads nothing (a bookmark from before a handover) still works, and shows them.
    response = member_client.get(f"/register/?lead_officer={idle_officer.pk}&council={idle_council.pk}")
    body = response.content.decode()
    assert response.context["page"].paginator.count == 0
    assert f'<option value="{idle_officer.pk}" selected>Idle Officer</option>' in body
    assert f'<option value="{idle_council.pk}" selected>Nowhere Council</option>' in body


def test_an_option_label_is_escaped(member_client):
    PartnershipFactory(lead_officer=UserFactory(role="Officer", first_name="<b>Bold</b>", last_name="O'Neil"))
    body = member_client.get("/register/").content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; O&#x27;Neil" in body and "<b>Bold" not in body


@pytest.mark.parametrize("query", ["", "sort=-contribution", "q=partnership"])
def test_every_page_holds_the_rows_of_its_place_in_the_order(member_client, lead_member, query):
    grow(councils=3, officers=3, partnerships=120, reader=lead_member)
    pages = [member_client.get(f"/register/?{query}&page={n}").context["page"] for n in (1, 2, 3)]
    shown = [p.pk for page in pages for p in page.object_list]
    sort = {"": ["name"], "sort=-contribution": ["-annual_contribution"], "q=partnership": ["name"]}[query]
    from django.db.models.functions import Lower

    order = [Lower(key) if key == "name" else key for key in sort]
    assert shown == list(Partnership.objects.order_by(*order, "id").values_list("pk", flat=True))
    assert [len(page.object_list) for page in pages] == [50, 50, 20]


def test_money_and_dates_read_as_the_templates_filters_gave_them(member_client):
    from datetime import date
    from decimal import Decimal

    PartnershipFactory(annual_contribution=Decimal("1234567.50"), next_review_due=date(2099, 3, 5))
    PartnershipFactory(annual_contribution=Decimal("12.49"), next_review_due=None)
    body = member_client.get("/register/").content.decode()
    assert "£1,234,568" in body and "5 Mar 2099" in body
    assert "£12<" in body and "Not set" in body


@pytest.mark.parametrize(("query", "test"), [
    ("q=partnership", '"search_text"'),
    ("scope=strategic&sort=-contribution", "'strategic'"),
    ("council={council}", '."council_id" = '),
])
def test_a_pages_rows_are_read_by_id_without_finding_the_matches_again(client, lead_member, query, test):
    """The page's ids are found once (visible, filtered, sorted); its rows are then read by those
    ids alone: filtering them again made PostgreSQL find a common word's 39,000 matches twice."""
    client.force_login(lead_member)
    grow(councils=2, officers=2, partnerships=60, reader=lead_member)
    council = Partnership.objects.order_by("pk").first().councils.first()
    url = "/register/?" + query.format(council=council.pk)
    client.get(url)  # the count and the choice lists are kept after this

    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).context["page"]

    reading_rows = [q["sql"] for q in captured.captured_queries if '"partnerships_partnership"."annual_contribution"' in q["sql"]]
    assert len(reading_rows) == 1
    # The filter and whom the reader may see are tested inside the page's ids alone (on PostgreSQL a
    # search tests visibility in each of its parts: register.filters.RegisterFilter.search), never again.
    finding_ids = reading_rows[0].split(" IN (SELECT ", 1)[1]
    assert reading_rows[0].count(test) == finding_ids.count(test) >= 1
    visibility = '"partnerships_council_members"'
    assert reading_rows[0].count(visibility) == finding_ids.count(visibility) >= 1
    assert len(page.object_list) == min(50, page.paginator.count) > 0


@pytest.mark.parametrize("query", ["sort=-contribution&page=2", "sort=lead_officer&page=2", "q=partnership&page=2",
                                   "sort=-next_review&scope=strategic"])
def test_a_page_read_by_id_keeps_the_order_it_was_found_in(member_client, lead_member, query):
    from register.selectors import in_register_order, register_partnerships

    grow(councils=3, officers=5, partnerships=130, reader=lead_member)
    Partnership.objects.filter(pk__in=Partnership.objects.order_by("pk").values("pk")[:40]).update(
        scope="strategic")
    page = member_client.get(f"/register/?{query}").context["page"]
    params = QueryDict(query)
    number = int(params.get("page", 1))
    expected = in_register_order(register_partnerships(filters=params, user=lead_member).qs)
    expected = list(expected.values_list("pk", flat=True)[(number - 1) * 50: number * 50])

    assert [p.pk for p in page.object_list] == expected
    assert all(hasattr(p, "highest_risk") for p in page.object_list)
