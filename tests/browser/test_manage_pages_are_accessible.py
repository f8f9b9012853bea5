"""Every Manage page passes axe-core at a phone's width and a desktop's and reads without
sideways panning: as a council's administrator, and as the operator for what only a
superuser does (adding and renaming councils)."""

import os

import pytest
from playwright.sync_api import expect

from partnerships.models import Council, Organisation, Theme
from tests.browser.conftest import log_in

SHOTS = os.environ.get("MANAGE_SCREENSHOTS")


def check(page, name, width):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), page.url
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_every_manage_page_passes_axe(browser, demo, axe, width):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    wessex = Council.objects.get(short_name="Wessex Vale")
    organisation, other = Organisation.objects.order_by("name")[:2]
    theme, other_theme = Theme.objects.order_by("name")[:2]
    log_in(page, demo.url, "wvadmin", next_url="/manage/")
    pages = [
        ("manage", "/manage/", "Manage"),
        ("people-deactivated", "/manage/people/?active=no", "People"),
        ("lockouts", "/manage/lockouts/", "Sign-in lockouts"),
        ("councils", "/manage/councils/", "Councils"),
        ("council", f"/manage/councils/{wessex.pk}/", wessex.name),
        ("assurance", f"/manage/councils/{wessex.pk}/assurance/", "Assurance policy"),
        ("organisations", "/manage/organisations/", None),
        ("organisation-merge", f"/manage/organisations/{organisation.pk}/merge/", None),
        ("organisation-merge-check", f"/manage/organisations/{organisation.pk}/merge/check/?into={other.pk}", None),
        ("themes", "/manage/themes/", None),
        ("theme-merge-check", f"/manage/themes/{theme.pk}/merge/check/?into={other_theme.pk}", None),
    ]
    for name, url, heading in pages:
        page.goto(f"{demo.url}{url}")
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        axe(page)
        check(page, name, width)
    # A setting refused in words, on the page.
    page.goto(f"{demo.url}/manage/councils/{wessex.pk}/assurance/")
    page.get_by_label("Review again within (months)").fill("99")
    page.get_by_role("button", name="Save the policy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("from 1 to 36")
    axe(page)
    check(page, "assurance-error", width)

    log_in(page, demo.url, "operator", next_url="/manage/councils/new/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)
    check(page, "council-new", width)
    page.goto(f"{demo.url}/manage/councils/{wessex.pk}/rename/")
    axe(page)
    check(page, "council-rename", width)
