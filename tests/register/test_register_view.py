from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from partnerships.models import Partnership
from tests.factories import (
    CouncilFactory,
    OrganisationFactory,
    PartnershipFactory,
    ThemeFactory,
    UserFactory,
    default_council,
)

pytestmark = pytest.mark.django_db


def names(response):
    return [p.name for p in response.context["page"].object_list]


@pytest.fixture
def register(lead_member, officer):
    """A small register with one partnership at each end of every filter, of two councils
    that the lead member and the officer both belong to."""
    today = timezone.localdate()
    harbourside, vale = CouncilFactory(name="Harbourside"), CouncilFactory(name="Wessex Vale")
    for reader in (lead_member, officer):
        reader.councils.add(harbourside, vale)
    safety, housing = ThemeFactory(name="Community safety"), ThemeFactory(name="Housing")
    dev = UserFactory(username="dev", first_name="Dev", last_name="Sharma", role="Officer")
    claire = UserFactory(username="claire", first_name="Claire", last_name="Morgan", role="Officer")
    return {
        "safety": PartnershipFactory(
            name="Community Safety Partnership", scope="strategic", basis="statutory", membership="multi",
            level="local", status="active", councils=[harbourside, vale], themes=[safety], lead_officer=dev,
            annual_contribution=Decimal("32000"), next_review_due=today - timedelta(days=10),
            partners=[OrganisationFactory(name="Wessex Police")],
        ),
        "resilience": PartnershipFactory(
            name="Local Resilience Forum", scope="strategic", basis="statutory", membership="multi",
            level="regional", status="active", councils=[vale], themes=[safety], lead_officer=dev,
            annual_contribution=Decimal("4000"), next_review_due=today + timedelta(days=90),
        ),
        "housing": PartnershipFactory(
            name="Affordable Housing Partnership", scope="strategic", basis="voluntary", membership="single",
            level="local", status="proposed", councils=[vale], themes=[housing], lead_officer=claire,
            annual_contribution=Decimal("0"), next_review_due=today + timedelta(days=200),
            purpose="Build affordable homes on council land.",
        ),
        "leisure": PartnershipFactory(
            name="Leisure Partnership", scope="operational", basis="voluntary", membership="single",
            level="national", status="under_review", councils=[harbourside], lead_officer=claire,
            annual_contribution=Decimal("80000"), next_review_due=today - timedelta(days=1),
        ),
        "closed": PartnershipFactory(
            name="Neighbourhood Renewal Partnership", scope="operational", basis="voluntary",
            membership="multi", level="local", status="closed", councils=[harbourside], lead_officer=claire,
            annual_contribution=Decimal("0"), next_review_due=today - timedelta(days=400),
        ),
    }


def test_it_lists_every_partnership_by_name(member_client, register):
    response = member_client.get("/register/")
    assert response.status_code == 200
    assert names(response) == sorted(p.name for p in register.values())
    assert "5 partnerships" in response.content.decode()


def test_the_home_page_is_your_work(member_client):
    response = member_client.get("/")
    assert response.status_code == 302
    assert response.url == "/register/work/"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("scope=strategic", {"safety", "resilience", "housing"}),
        ("scope=operational", {"leisure", "closed"}),
        ("basis=statutory", {"safety", "resilience"}),
        ("basis=voluntary", {"housing", "leisure", "closed"}),
        ("membership=single", {"housing", "leisure"}),
        ("membership=multi", {"safety", "resilience", "closed"}),
        ("level=national", {"leisure"}),
        ("level=regional", {"resilience"}),
        ("level=local", {"safety", "housing", "closed"}),
        ("status=active", {"safety", "resilience"}),
        ("status=proposed", {"housing"}),
        ("status=under_review", {"leisure"}),
        ("status=closed", {"closed"}),
        ("overdue=yes", {"safety", "leisure"}),
        ("overdue=no", {"safety", "resilience", "housing", "leisure", "closed"}),
        ("scope=strategic&basis=statutory", {"safety", "resilience"}),
        ("scope=strategic&basis=statutory&level=local", {"safety"}),
        ("basis=voluntary&overdue=yes", {"leisure"}),
        ("status=active&membership=single", set()),
    ],
)
def test_it_filters_by_each_spectrum_status_and_overdue(member_client, register, query, expected):
    response = member_client.get(f"/register/?{query}")
    assert set(names(response)) == {register[key].name for key in expected}


def test_it_filters_by_council(member_client, register):
    harbourside = register["leisure"].councils.get()
    response = member_client.get(f"/register/?council={harbourside.pk}")
    assert set(names(response)) == {"Community Safety Partnership", "Leisure Partnership",
                                     "Neighbourhood Renewal Partnership"}


def test_it_filters_by_theme(member_client, register):
    safety = register["safety"].themes.get()
    response = member_client.get(f"/register/?theme={safety.pk}")
    assert set(names(response)) == {"Community Safety Partnership", "Local Resilience Forum"}


def test_it_filters_by_lead_officer(member_client, register):
    claire = register["housing"].lead_officer
    response = member_client.get(f"/register/?lead_officer={claire.pk}")
    assert set(names(response)) == {"Affordable Housing Partnership", "Leisure Partnership",
                                     "Neighbourhood Renewal Partnership"}


def test_it_combines_council_theme_and_spectrum_filters(member_client, register):
    vale = register["resilience"].councils.get()
    safety = register["safety"].themes.get()
    response = member_client.get(f"/register/?council={vale.pk}&theme={safety.pk}&level=regional")
    assert names(response) == ["Local Resilience Forum"]


def test_a_council_filter_lists_a_two_council_partnership_once(member_client, register):
    harbourside = register["leisure"].councils.get()
    response = member_client.get(f"/register/?council={harbourside.pk}&scope=strategic")
    assert names(response) == ["Community Safety Partnership"]


@pytest.mark.parametrize(
    "q, expected",
    [
        ("resilience", ["Local Resilience Forum"]),
        ("RESILIENCE", ["Local Resilience Forum"]),
        ("affordable homes", ["Affordable Housing Partnership"]),
        ("Wessex Police", ["Community Safety Partnership"]),
        ("  leisure  ", ["Leisure Partnership"]),
        ("no such thing", []),
    ],
)
def test_it_searches_names_purposes_and_partners(member_client, register, q, expected):
    assert names(member_client.get("/register/", {"q": q})) == expected


def test_it_finds_a_partnership_by_reference(member_client, register):
    reference = register["housing"].reference
    assert names(member_client.get("/register/", {"q": reference})) == ["Affordable Housing Partnership"]


@pytest.mark.parametrize(
    "sort, expected_first, expected_last",
    [
        ("name", "Affordable Housing Partnership", "Neighbourhood Renewal Partnership"),
        ("-name", "Neighbourhood Renewal Partnership", "Affordable Housing Partnership"),
        ("-contribution", "Leisure Partnership", None),
        ("next_review", "Neighbourhood Renewal Partnership", "Affordable Housing Partnership"),
        ("-next_review", "Affordable Housing Partnership", "Neighbourhood Renewal Partnership"),
        ("reference", "Community Safety Partnership", "Neighbourhood Renewal Partnership"),
        ("-reference", "Neighbourhood Renewal Partnership", "Community Safety Partnership"),
        ("status", "Community Safety Partnership", None),
    ],
)
def test_it_sorts_by_a_column(member_client, register, sort, expected_first, expected_last):
    result = names(member_client.get(f"/register/?sort={sort}"))
    assert result[0] == expected_first
    if expected_last:
        assert result[-1] == expected_last


def test_it_sorts_by_lead_officer(member_client, register):
    result = names(member_client.get("/register/?sort=lead_officer"))
    officers = [Partnership.objects.get(name=n).lead_officer.first_name for n in result]
    assert officers == sorted(officers)


def test_sort_links_keep_filters_and_mark_the_sorted_column(member_client, register):
    response = member_client.get("/register/?scope=strategic&sort=name")
    columns = {c["label"]: c for c in response.context["columns"]}
    assert columns["Partnership"]["aria_sort"] == "ascending"
    assert columns["Partnership"]["sort_url"] == "?scope=strategic&sort=-name"
    assert columns["Annual contribution"]["aria_sort"] == "none"
    assert 'aria-sort="ascending"' in response.content.decode()


def test_it_paginates_fifty_to_a_page(member_client, settings):
    lead = UserFactory(role="Officer")
    council = default_council()
    for i in range(120):
        PartnershipFactory(name=f"Partnership {i:03d}", lead_officer=lead, councils=[council])
    first = member_client.get("/register/?scope=strategic")
    assert len(first.context["page"].object_list) == 50
    assert "120 partnerships match your filters" in first.content.decode()
    assert first.context["next_url"] == "?scope=strategic&page=2"
    third = member_client.get("/register/?scope=strategic&page=3")
    assert names(third) == [f"Partnership {i:03d}" for i in range(100, 120)]
    assert third.context["next_url"] is None


@pytest.mark.parametrize("page", ["999", "abc", "-1"])
def test_it_shows_a_real_page_for_a_bad_page_number(member_client, register, page):
    response = member_client.get(f"/register/?page={page}")
    assert response.status_code == 200
    assert len(names(response)) == 5


def test_it_says_what_to_do_when_nothing_matches(member_client, register):
    response = member_client.get("/register/?q=zzz")
    body = response.content.decode()
    assert "No partnerships match your filters" in body
    assert "clear all filters" in body


def test_it_says_how_to_start_when_the_register_is_empty(client, officer, lead_member):
    client.force_login(officer)
    assert "Register the first partnership" in client.get("/register/").content.decode()
    client.force_login(lead_member)
    assert "Partnerships appear here once an officer registers them." in client.get("/register/").content.decode()


def test_it_explains_an_unknown_filter_value_without_failing(member_client, register):
    response = member_client.get("/register/?scope=sideways&council=999999&lead_officer=abc")
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Select a valid choice" in body
    assert len(names(response)) == 5


def test_it_shows_removable_tags_for_filters_in_use(member_client, register):
    response = member_client.get("/register/?scope=strategic&q=partnership")
    tags = {t["label"]: t for t in response.context["active_filters"]}
    assert tags["Strategic or operational"]["text"] == "Strategic"
    assert tags["Strategic or operational"]["remove_url"] == "?q=partnership"
    assert tags["Search"]["text"] == "“partnership”"


def test_it_marks_overdue_reviews(member_client, register):
    body = member_client.get("/register/?overdue=yes").content.decode()
    assert body.count('govuk-tag--red">Overdue</strong>') == 2


def test_it_shows_contribution_and_councils(member_client, register):
    body = member_client.get("/register/?q=Community Safety").content.decode()
    assert "£32,000" in body
    assert register["safety"].reference in body


@pytest.mark.parametrize("rows", [5, 200])
def test_it_uses_a_constant_number_of_queries(member_client, django_assert_max_num_queries, rows):
    lead, council = UserFactory(role="Officer"), default_council()
    theme = ThemeFactory()
    for i in range(rows):
        PartnershipFactory(lead_officer=lead, councils=[council], themes=[theme])
    # session, user, groups/permissions, the register's version and the filter choices
    # (council, theme, lead officer), count, page, councils and latest assessments for the page
    with django_assert_max_num_queries(13):
        response = member_client.get(f"/register/?scope=strategic&council={council.pk}&sort=-contribution")
    assert response.status_code == 200
    assert theme.name in response.content.decode()


@pytest.mark.parametrize("value", ["no", "0", "false", "xyz"])
def test_only_a_yes_switches_on_the_overdue_filter(member_client, register, value):
    response = member_client.get(f"/register/?overdue={value}")
    assert len(names(response)) == 5
    assert response.context["active_filters"] == []


def test_an_empty_sort_still_pages_in_name_order(member_client, register):
    response = member_client.get("/register/?sort=,,,")
    assert response.status_code == 200
    assert names(response) == sorted(p.name for p in register.values())


def _assessment(partnership, status, kind="checklist"):
    from checklists import services
    from tests.checklists.factories import start, submitted

    author = UserFactory(role="Officer")
    make = start if status == "draft" else submitted
    assessment = make(partnership, author, kind, title=f"{kind} {status}")
    if status == "approved":
        services.assessment_approve(assessment=assessment, version=assessment.version, user=UserFactory(role="Administrator"), assurance="substantial")
    return assessment


def test_it_filters_to_partnerships_with_an_approved_checklist(member_client, register):
    _assessment(register["safety"], "approved")
    _assessment(register["housing"], "submitted")
    _assessment(register["leisure"], "approved", kind="improvement")
    response = member_client.get("/register/?approved_checklist=yes")
    assert names(response) == ["Community Safety Partnership"]
    assert member_client.get("/register/?approved_checklist=yes&overdue=yes").context["page"].paginator.count == 1
    assert len(names(member_client.get("/register/?approved_checklist=no"))) == 5


def test_it_shows_each_partnerships_latest_assessment_readers_may_see(client, register, lead_member, officer):
    _assessment(register["safety"], "approved")
    _assessment(register["safety"], "draft", kind="improvement")
    client.force_login(lead_member)
    rows = dict(client.get("/register/").context["rows"])
    assert rows[register["safety"]].status == "approved"
    assert rows[register["housing"]] is None
    client.force_login(officer)
    rows = dict(client.get("/register/").context["rows"])
    assert rows[register["safety"]].status == "draft"


def test_a_pack_is_not_offered_above_the_pack_limit_and_the_page_says_why(member_client, settings):
    settings.SCRUTINY_PACK_LIMIT = 2
    for name in ("Quayside Arts", "Quayside Sport", "Heathland"):
        PartnershipFactory(name=name)
    body = member_client.get("/register/").content.decode()
    assert 'id="build-pack"' not in body
    assert "A scrutiny pack can hold at most 2 partnerships" in body
    body = member_client.get("/register/", {"q": "quayside"}).content.decode()
    assert "pack-too-big" not in body and 'id="build-pack"' in body


def test_empty_filters_are_left_out_of_the_address(member_client):
    response = member_client.get("/register/?q=&scope=strategic&basis=statutory&status=&council=&overdue=")
    assert response.status_code == 302
    assert response.url == "/register/?scope=strategic&basis=statutory"
    assert member_client.get("/register/?q=").url == "/register/"
    assert member_client.get("/register/?scope=strategic").status_code == 200


def test_the_choice_lists_are_kept_a_minute_while_the_register_is_unchanged(member_client, monkeypatch):
    """The council and lead officer lists are read once and kept (register.filters.OFFERED_FOR):
    a page then reads neither; a change to the register, or a minute, shows in them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PartnershipFactory(lead_officer=UserFactory(role="Officer", first_name="Ola", last_name="First"))
    assert "Ola First" in member_client.get("/register/").content.decode()
    with CaptureQueriesContext(connection) as kept:
        member_client.get("/register/")
    assert not [q for q in kept.captured_queries if 'FROM "auth_user"' in q["sql"] and "EXISTS" in q["sql"]]
    PartnershipFactory(lead_officer=UserFactory(role="Officer", first_name="Nia", last_name="Second"))
    assert "Nia Second" in member_client.get("/register/").content.decode()  # the register moved on
    renamed = UserFactory(role="Officer", first_name="Ray", last_name="Third")
    PartnershipFactory(lead_officer=renamed)
    assert "Ray Third" in member_client.get("/register/").content.decode()
    renamed.first_name = "Rae"
    renamed.save()  # not a change to the register: shown within the minute
    assert "Ray Third" in member_client.get("/register/").content.decode()
    from django.core.cache import cache

    cache.clear()  # as the minute runs out
    assert "Rae Third" in member_client.get("/register/").content.decode()


def test_a_kept_choice_list_is_one_readers_alone(member_client):
    """A reader of one council never sees another reader's kept list (the other council's officers)."""
    elsewhere = CouncilFactory(name="Elsewhere")
    PartnershipFactory(councils=[elsewhere], lead_officer=UserFactory(role="Officer", first_name="Far", last_name="Away"))
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "a-long-password-1")
    client = Client()
    client.force_login(root)
    assert "Far Away" in client.get("/register/").content.decode()
    assert "Far Away" not in member_client.get("/register/").content.decode()


def test_a_kept_choice_list_still_selects_the_filter_in_use(member_client):
    officer = UserFactory(role="Officer", first_name="Sel", last_name="Ected")
    PartnershipFactory(lead_officer=officer)
    member_client.get("/register/")  # kept
    body = member_client.get(f"/register/?lead_officer={officer.pk}").content.decode()
    assert f'<option value="{officer.pk}" selected>Sel Ected</option>' in body
    assert '<option value="" selected>' not in body.split('name="lead_officer"')[1].split("</select>")[0]


def test_a_filter_by_someone_who_leads_nothing_here_is_offered_first_without_reading_the_list_again(
        member_client):
    """A bookmark from before a handover: the kept list offers them too, first and selected,
    read by their id alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PartnershipFactory()
    idle = UserFactory(role="Officer", first_name="Idle", last_name="Since")
    url = f"/register/?lead_officer={idle.pk}"
    assert f'<option value="{idle.pk}" selected>Idle Since</option>' in member_client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        body = member_client.get(url).content.decode()
    assert f'<option value="{idle.pk}" selected>Idle Since</option>' in body
    assert not [q for q in kept.captured_queries if 'FROM "auth_user"' in q["sql"] and "EXISTS" in q["sql"]]
    options = body.split('name="lead_officer"')[1].split("</select>")[0]
    assert options.index("Idle Since") < options.index(PartnershipFactory._meta.model.objects.get().lead_officer
                                                         .get_full_name())
    assert "Idle Since" not in member_client.get("/register/").content.decode()  # not in the plain list


def test_every_value_a_row_shows_is_escaped(client, lead_member, officer):
    """The rows are written in Python (register.table.rows_html), not by the template engine:
    each typed value is escaped all the same."""
    from tests.checklists.factories import start

    council = CouncilFactory(name="Vale & Sons", short_name='V&S "North"')
    council.members.add(lead_member, officer)
    lead = UserFactory(username="x", first_name="<b>Bold</b>", last_name="O'Neil", role="Officer")
    partnership = PartnershipFactory(name="<script>alert(1)</script> Forum", councils=[council], lead_officer=lead,
                                     next_review_due=None)
    start(partnership, officer, title='<img src=x onerror="alert(2)">')
    client.force_login(officer)  # who sees the draft as the latest assessment

    body = client.get("/register/").content.decode()

    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt; Forum" in body
    assert "<b>Bold</b>" not in body and "&lt;b&gt;Bold&lt;/b&gt; O&#x27;Neil" in body
    assert 'V&amp;S &quot;North&quot;' in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in body
    assert 'data-label="Next review"><span class="govuk-hint govuk-!-margin-0">Not set</span>' in body
