from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from partnerships.models import Council, Organisation, Partnership, PartnershipMember, Risk, Theme

PASSWORD = "a-test-password-123"


def default_council() -> Council:
    """The council that users and partnerships belong to unless a test says otherwise."""
    return CouncilFactory(name="Harbourside Borough Council", short_name="Harbourside")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(Group.objects.get(name=extracted))
        user.save()

    @factory.post_generation
    def councils(user, create, extracted, **kwargs):
        """`councils=[...]` for others than the default council; `councils=[]` for none."""
        user.councils.set(extracted if extracted is not None else [default_council()])


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Council {n}")
    short_name = factory.Sequence(lambda n: f"C{n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Theme {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Organisation.Sector.PUBLIC


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnership {n:03d}")
    purpose = "To work together on shared objectives."
    status = Partnership.Status.ACTIVE
    scope = Partnership.Scope.STRATEGIC
    basis = Partnership.Basis.VOLUNTARY
    membership = Partnership.Membership.MULTI
    level = Partnership.Level.LOCAL
    council_role = Partnership.CouncilRole.LEADING
    lead_officer = factory.SubFactory(UserFactory, role="Officer")
    legal_status = Partnership.LegalStatus.MEMORANDUM
    annual_contribution = Decimal("1000.00")
    officer_days = Decimal("5.0")
    performance_method = Partnership.PerformanceMethod.ANNUAL_REPORT
    review_frequency = 12
    next_review_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))

    @factory.post_generation
    def councils(partnership, create, extracted, **kwargs):
        partnership.councils.set(extracted if extracted is not None else [default_council()])

    @factory.post_generation
    def themes(partnership, create, extracted, **kwargs):
        if extracted:
            partnership.themes.set(extracted)

    @factory.post_generation
    def partners(partnership, create, extracted, **kwargs):
        for organisation in extracted or []:
            PartnershipMember.objects.create(partnership=partnership, organisation=organisation)


class RiskFactory(factory.django.DjangoModelFactory):
    """One of the strategy's risks (trust breaks down), medium (3 × 3), owned by the lead officer."""

    class Meta:
        model = Risk

    partnership = factory.SubFactory(PartnershipFactory)
    standard = Risk.Standard.TRUST
    description = factory.LazyAttribute(lambda risk: Risk.Standard(risk.standard).label if risk.standard else "A risk")
    likelihood = 3
    impact = 3
    mitigation = "The chief officers meet every quarter."
    owner = factory.LazyAttribute(lambda risk: risk.partnership.lead_officer)
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
