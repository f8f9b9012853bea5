import pytest

from tests.factories import UserFactory


@pytest.fixture
def lead(db):
    """An officer who leads the partnership under test, and so may approve its assessments."""
    return UserFactory(username="lead", first_name="Lena", last_name="Lead", role="Officer")
