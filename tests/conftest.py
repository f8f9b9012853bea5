import pytest

from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER, SCRUTINY
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests make many users; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # What a page keeps a while (the register's choice lists) is kept under ids that a later
    # test's rolled-back database gives out again: each test starts with nothing kept.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def kept_pdfs(settings, tmp_path):
    # PDFs made for downloads are kept (common.pdf.kept_pdf): each test keeps its own.
    settings.CACHES = {**settings.CACHES, "pdfs": {**settings.CACHES["pdfs"], "LOCATION": tmp_path / "pdfs"}}
    from django.core.cache import caches

    return caches["pdfs"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Finished scrutiny packs are files: each test writes its own, in a folder of its own.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer(db):
    return UserFactory(username="olivia", first_name="Olivia", last_name="Okafor", role=OFFICER)


@pytest.fixture
def lead_member(db):
    return UserFactory(username="peter", first_name="Peter", last_name="Bennett", role=LEAD_MEMBER)


@pytest.fixture
def scrutiny(db):
    return UserFactory(username="sam", first_name="Sam", last_name="Hughes", role=SCRUTINY)


@pytest.fixture
def administrator(db):
    return UserFactory(username="ada", first_name="Ada", last_name="Patel", role=ADMINISTRATOR)


@pytest.fixture
def lead(db):
    """An officer who leads the partnership under test, and so may approve its assessments."""
    return UserFactory(username="lead", first_name="Lena", last_name="Lead", role="Officer")


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="norole")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def member_client(client, lead_member):
    client.force_login(lead_member)
    return client


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture
def superuser(db):
    """The operator: the only kind of account that reaches the Django admin."""
    return UserFactory(username="root", first_name="Rita", last_name="Root", is_superuser=True, is_staff=True)
