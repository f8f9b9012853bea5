"""The partnership tree (issue 16): partnerships and their sub-partnerships, drawn and listed,
as each person may see them; a partnership's page shows its own branch."""

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from partnerships.roles import LEAD_MEMBER
from partnerships.tree import branch, drawing, forest, walk
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trees():
    lsp = PartnershipFactory(name="Local Strategic Partnership")
    made = {"lsp": lsp}
    made["safety"] = PartnershipFactory(name="Community Safety", parent=lsp)
    made["health"] = PartnershipFactory(name="Health and Wellbeing", parent=lsp)
    made["youth"] = PartnershipFactory(name="Youth Offending", parent=made["safety"])
    made["alone"] = PartnershipFactory(name="Leisure Trust")  # in no tree
    elsewhere = CouncilFactory(name="Wessex Vale District Council")
    made["hidden"] = PartnershipFactory(name="Wessex Vale Board", councils=[elsewhere], parent=lsp)
    return made


def names(nodes):
    return [(node.name, node.depth) for node in walk(nodes)]


def test_the_forest_is_each_tree_the_person_may_see_sorted_by_name(trees):
    reader = UserFactory(role=LEAD_MEMBER)
    assert names(forest(user=reader)) == [
        ("Local Strategic Partnership", 0), ("Community Safety", 1), ("Youth Offending", 2),
        ("Health and Wellbeing", 1),
    ]  # not the partnership in no tree, nor another council's


def test_a_sub_partnership_whose_parent_is_hidden_stands_at_the_top_of_its_own_tree(trees):
    elsewhere = trees["hidden"].councils.get()
    child = PartnershipFactory(name="Wessex Youth Panel", councils=[elsewhere], parent=trees["hidden"])
    other = UserFactory(role=LEAD_MEMBER, councils=[elsewhere])
    assert names(forest(user=other)) == [("Wessex Vale Board", 0), ("Wessex Youth Panel", 1)]
    assert child.parent.councils.get() == elsewhere


def test_a_partnerships_branch_is_the_way_down_to_it_and_all_under_it(trees):
    reader = UserFactory(role=LEAD_MEMBER)
    assert names(branch(partnership=trees["safety"], user=reader)) == [
        ("Local Strategic Partnership", 0), ("Community Safety", 1), ("Youth Offending", 2)]
    assert [node.current for node in walk(branch(partnership=trees["safety"], user=reader))] == [False, True, False]
    assert branch(partnership=trees["alone"], user=reader) == []


def test_a_loop_in_the_data_never_hangs_the_page(trees, client):
    """The model refuses a loop; one written past it (a raw update) must still not hang."""
    Partnership.objects.filter(pk=trees["lsp"].pk).update(parent=trees["youth"])
    client.force_login(UserFactory(role=LEAD_MEMBER))
    assert client.get(reverse("partnerships:tree")).status_code == 200
    assert client.get(reverse("partnerships:detail", args=[trees["safety"].pk])).status_code == 200


def test_the_drawing_joins_each_partnership_to_its_parent(trees):
    picture = drawing(forest(user=UserFactory(role=LEAD_MEMBER)))
    assert [row["node"].name for row in picture["rows"]] == [
        "Local Strategic Partnership", "Community Safety", "Youth Offending", "Health and Wellbeing"]
    assert len(picture["lines"]) == 2 * 3  # down and across, for each of the three children
    assert picture["rows"][2]["x"] > picture["rows"][1]["x"] > picture["rows"][0]["x"]


def test_the_tree_page_draws_and_lists_with_links(client, trees):
    client.force_login(UserFactory(role=LEAD_MEMBER))
    page = client.get(reverse("partnerships:tree")).content.decode()
    assert 'aria-hidden="true"' in page and "<line " in page
    for key in ("lsp", "safety", "youth", "health"):
        assert f'href="{trees[key].get_absolute_url()}"' in page
    assert "Wessex Vale Board" not in page and "Leisure Trust" not in page
    assert "4 partnerships in 1 tree" in page


def test_the_tree_page_takes_the_same_queries_however_big_the_tree(client, trees, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory(role=LEAD_MEMBER))
    client.get(reverse("partnerships:tree"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("partnerships:tree"))
    for n in range(15):
        PartnershipFactory(name=f"Theme {n}", parent=trees["health"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "19 partnerships" in client.get(reverse("partnerships:tree")).content.decode()


def test_a_partnership_page_shows_its_branch(client, trees):
    client.force_login(UserFactory(role=LEAD_MEMBER))
    page = client.get(reverse("partnerships:detail", args=[trees["safety"].pk])).content.decode()
    assert 'id="branch"' in page and '<strong aria-current="page">Community Safety</strong>' in page
    assert f'href="{trees["youth"].get_absolute_url()}"' in page and "Health and Wellbeing" not in page.split('id="branch"')[1]
    alone = client.get(reverse("partnerships:detail", args=[trees["alone"].pk])).content.decode()
    assert 'id="branch"' not in alone


def test_names_are_escaped_in_the_drawing_and_the_list(client, trees):
    PartnershipFactory(name="<script>alert(1)</script> Board", parent=trees["lsp"])
    client.force_login(UserFactory(role=LEAD_MEMBER))
    page = client.get(reverse("partnerships:tree")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Board" in page


def test_a_branch_reads_its_own_family_alone_in_one_query(trees, monkeypatch, django_assert_num_queries):
    """Not every tree in the register (a national one holds thousands): the partnership, those
    above it and those under it."""
    import partnerships.tree

    for n in range(5):
        top = PartnershipFactory(name=f"Other tree {n}")
        PartnershipFactory(name=f"Other branch {n}", parent=top)
    read = []
    trees_of = partnerships.tree._trees

    def recording(partnerships_read):
        read.extend(partnerships_read.values_list("name", flat=True))
        return trees_of(partnerships_read)

    reader = UserFactory(role=LEAD_MEMBER)
    reader.has_perm("partnerships.view_partnership")  # roles read before counting
    with django_assert_num_queries(1):
        shown = branch(partnership=trees["safety"], user=reader)
    monkeypatch.setattr(partnerships.tree, "_trees", recording)
    assert names(branch(partnership=trees["safety"], user=reader)) == names(shown)
    assert sorted(read) == ["Community Safety", "Local Strategic Partnership", "Youth Offending"]
