"""The register's export, imported into an empty register, gives back exactly the same register
(issue 16): every field, the references, the partners and their roles, the parents, the
people, in CSV and in XLSX; and the export's neutralising quote is undone on the way in."""

from datetime import date
from decimal import Decimal

import pytest

from partnerships.models import Organisation, Partnership, PartnershipMember, Theme
from register.imports import import_register
from tests.factories import CouncilFactory, OrganisationFactory, PartnershipFactory, ThemeFactory, UserFactory
from tests.spreadsheets import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    return (CouncilFactory(name="Harbourside Borough Council", short_name="Harbourside"),
            CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale"))


@pytest.fixture
def importer(councils):
    return UserFactory(username="ada", first_name="Ada", last_name="Patel", role="Administrator",
                       councils=list(councils))


@pytest.fixture
def register(councils, importer):
    """A register with every field filled in somewhere: a parent and its children, joint
    partnerships, partners in each role, themes, amounts and dates, text a spreadsheet would
    run as a formula, and a partnership closed without a next review."""
    harbourside, vale = councils
    lead = UserFactory(username="dsharma", first_name="Dev", last_name="Sharma", role="Officer",
                       councils=[harbourside, vale])
    other = UserFactory(username="cmorgan", first_name="Claire", last_name="Morgan", role="Officer",
                        councils=[harbourside])
    member = UserFactory(username="peter", first_name="Peter", last_name="Bennett", role="Lead member",
                         councils=[harbourside])
    parent = PartnershipFactory(name="Local Strategic Partnership", councils=[harbourside, vale], lead_officer=lead,
                                themes=[ThemeFactory(name="Health and wellbeing")])
    safety = PartnershipFactory(
        name="Community Safety Partnership", purpose="Reduce crime and disorder.\nAcross both districts.",
        status="under_review", scope="strategic", basis="statutory", membership="multi", level="local",
        council_role="leading", legal_status="joint_committee", councils=[harbourside, vale], lead_officer=lead,
        parent=parent, lead_member="Cllr P Bennett", lead_member_account=member,
        council_representative="Chief Inspector",
        themes=[ThemeFactory(name="Community safety"), ThemeFactory(name="Young people")],
        annual_contribution=Decimal("32000.50"), officer_days=Decimal("12.5"), total_budget=Decimal("250000"),
        performance_method="quarterly", performance_notes="=Quarterly indicators, to the board.",
        start_date=date(2019, 4, 1), end_date=date(2029, 3, 31), review_frequency=6,
        next_review_due=date(2020, 1, 31),
    )
    PartnershipMember.objects.create(partnership=safety, organisation=OrganisationFactory(name="Wessex Police"),
                                     role="chair")
    PartnershipMember.objects.create(partnership=safety, organisation=OrganisationFactory(name="Dorset NHS (East)"),
                                     role="funder")
    PartnershipFactory(name="@Harbour Management Partnership", purpose="-2+3 and '=quoted already",
                       councils=[harbourside], lead_officer=other, scope="operational", level="regional",
                       council_role="funding_only", legal_status="company", total_budget=None,
                       annual_contribution=Decimal("0"), officer_days=Decimal("0"), parent=parent,
                       partners=[OrganisationFactory(name="+Harbour Commissioners")])
    PartnershipFactory(name="Closed arts forum", status="closed", next_review_due=None, councils=[vale],
                       lead_officer=lead, membership="single", basis="statutory", performance_method="light_touch",
                       review_frequency=36, legal_status="unincorporated")


def exported(client, fmt: str) -> bytes:
    return body(client.get(f"/register/export.{fmt}"))


def register_as_exported(client) -> list[list[str]]:
    return exported(client, "csv").decode("utf-8").splitlines()


def empty_the_register():
    """As a fresh database would be: no partnerships (nor their history), organisations,
    themes, nor the people who led them."""
    for partnership in Partnership.objects.filter(parent__isnull=False):
        partnership.delete()
    Partnership.objects.all().delete()
    Partnership.history.all().delete()
    PartnershipMember.history.all().delete()
    Organisation.objects.all().delete()
    Theme.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.exclude(username="ada").delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_into_an_empty_register_gives_back_the_same_register(client, importer, register, fmt):
    client.force_login(importer)
    before = register_as_exported(client)
    content = exported(client, fmt)
    empty_the_register()
    assert Partnership.objects.count() == 0

    plan, written = import_register(filename=f"register.{fmt}", content=content, user=importer)

    assert [str(problem) for problem in plan.problems] == []
    assert written
    assert len(plan.of("create")) == 4
    assert plan.new_of("officer") == ["Claire Morgan", "Dev Sharma"]
    assert plan.new_of("lead member") == ["Peter Bennett"]
    assert plan.new_of("organisation") == ["+Harbour Commissioners", "Dorset NHS (East)", "Wessex Police"]
    assert register_as_exported(client) == before
    # The kept references' numbers are taken: the next partnership registered comes after them.
    assert PartnershipFactory(name="Registered after the import").pk > max(
        Partnership.objects.exclude(name="Registered after the import").values_list("pk", flat=True))
    records = Partnership.history.filter(history_change_reason="Imported from register.%s by Ada Patel" % fmt)
    assert records.count() == 4 and {r.history_user for r in records} == {importer}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_the_register_over_itself_changes_nothing(client, importer, register, fmt):
    client.force_login(importer)
    content = exported(client, fmt)
    history = Partnership.history.count()

    plan, written = import_register(filename=f"register.{fmt}", content=content, user=importer)

    assert plan.problems == [] and written
    assert len(plan.of("unchanged")) == 4 and not plan.of("create") and not plan.of("update") and not plan.new
    assert Partnership.history.count() == history
