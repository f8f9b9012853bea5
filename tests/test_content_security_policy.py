"""A Content-Security-Policy of our own files only, and pages that need nothing else:
no inline script, no inline style (the browser tests check that nothing is blocked)."""

import re

import pytest
from django.template.loader import render_to_string

from checklists import services
from tests.checklists.factories import complete
from tests.factories import OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


def policy(response):
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def assert_nothing_inline(body, url=""):
    assert not INLINE_SCRIPT.search(body), f"inline script on {url}: {INLINE_SCRIPT.search(body).group()}"
    assert not INLINE_STYLE.search(body), f"inline style on {url}"


def test_every_page_sends_a_policy_of_our_own_files_only(client):
    directives = policy(client.get("/accounts/login/"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in " ".join(directives.values())


def test_the_main_pages_have_no_inline_script_or_style(officer_client, officer):
    partnership = PartnershipFactory(partners=[OrganisationFactory()])
    assessment = services.assessment_start(partnership=partnership, kind="improvement", title="Review", user=officer)
    complete(assessment, officer)
    urls = ["/register/", f"/partnerships/{partnership.pk}/", f"/partnerships/{partnership.pk}/edit/",
            "/partnerships/new/", f"/assessments/{assessment.pk}/", f"/assessments/{assessment.pk}/sections/1/",
            f"/assessments/{assessment.pk}/check/", "/actions/", "/register/packs/", "/missing/"]
    for url in urls:
        response = officer_client.get(url)
        assert response.status_code in (200, 404), url
        assert "Content-Security-Policy" in response, url
        assert_nothing_inline(response.content.decode(), url)
    officer_client.post("/accounts/logout/")
    assert_nothing_inline(officer_client.get("/accounts/login/").content.decode(), "/accounts/login/")


def test_the_error_page_has_no_inline_style():
    assert_nothing_inline(render_to_string("500.html"), "500.html")
