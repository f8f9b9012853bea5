import pytest

from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER
from tests.factories import CouncilFactory, UserFactory


@pytest.fixture
def harbourside(db):
    return CouncilFactory(name="Harbourside Borough Council", short_name="Harbourside")


@pytest.fixture
def wessex(db):
    return CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale")


@pytest.fixture
def wvadmin(wessex):
    return UserFactory(username="wvadmin", first_name="Wendy", last_name="Vale", role=ADMINISTRATOR,
                       councils=[wessex], email="wvadmin@example.org")


@pytest.fixture
def hbadmin(harbourside):
    return UserFactory(username="hbadmin", first_name="Hari", last_name="Bose", role=ADMINISTRATOR,
                       councils=[harbourside], email="hbadmin@example.org")


@pytest.fixture
def both_admin(harbourside, wessex):
    return UserFactory(username="bothadmin", first_name="Bo", last_name="Th", role=ADMINISTRATOR,
                       councils=[harbourside, wessex], email="both@example.org")


@pytest.fixture
def wv_officer(wessex):
    return UserFactory(username="wvofficer", first_name="Wyn", last_name="Officer", role=OFFICER,
                       councils=[wessex], email="wvofficer@example.org")


@pytest.fixture
def hb_member(harbourside):
    return UserFactory(username="hbmember", first_name="Hazel", last_name="Member", role=LEAD_MEMBER,
                       councils=[harbourside], email="hbmember@example.org")


@pytest.fixture
def shared_officer(harbourside, wessex):
    """An officer of both councils: Wessex Vale's administrator alone may not change them."""
    return UserFactory(username="shared", first_name="Sasha", last_name="Both", role=OFFICER,
                       councils=[harbourside, wessex], email="shared@example.org")
