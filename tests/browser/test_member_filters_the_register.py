import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from register.models import ScrutinyPack
from tests.browser.conftest import log_in


def test_a_lead_member_filters_to_strategic_statutory_partnerships_and_opens_one(page, demo, axe):
    page.goto(f"{demo.url}/register/")
    expect(page).to_have_url(f"{demo.url}/accounts/login/?next=/register/")
    axe(page)

    log_in(page, demo.url, "member", next_url=None)
    # Signing in lands on Your work: the councillor's portfolio and the newest approvals.
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.get_by_role("heading", name="Partnership register")).to_be_visible()
    expect(page.locator("#match-count")).to_contain_text("40 partnerships")
    axe(page)

    page.get_by_label("Strategic or operational").select_option("strategic")
    page.get_by_label("Statutory or voluntary").select_option("statutory")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/register/\?.*scope=strategic&basis=statutory"))
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    count = rows.count()
    assert count > 0
    for i in range(count):
        expect(rows.nth(i).locator("td[data-label=Classification]")).to_contain_text("Strategic, statutory")
    expect(page.locator(".app-filter-tags")).to_contain_text("Strategic")
    axe(page)

    link = rows.first.locator("td a").first  # the partnership's name (a later cell links its assessment)
    name = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    classification = page.locator("#classification")
    expect(classification).to_contain_text("Strategic or operational")
    expect(classification.locator(".govuk-summary-list__row").nth(0)).to_contain_text("Strategic")
    expect(classification.locator(".govuk-summary-list__row").nth(1)).to_contain_text("Statutory")
    expect(page.get_by_role("link", name="Edit partnership")).to_have_count(0)
    axe(page)


def test_a_filtered_register_can_be_bookmarked(page, demo, axe):
    log_in(page, demo.url, "member")
    page.goto(f"{demo.url}/register/?level=national&sort=-contribution")
    expect(page.get_by_label("National, regional or local")).to_have_value("national")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Annual contribution")
    axe(page)


def test_a_lead_member_reviews_actions_and_an_approved_review(page, demo, axe):
    log_in(page, demo.url, "member")
    page.get_by_role("link", name="Actions").click()
    expect(page.get_by_role("heading", name="Actions")).to_be_visible()
    expect(page.locator("#actions")).to_contain_text("Overdue")
    expect(page.get_by_role("link", name="Change", exact=False)).to_have_count(0)
    axe(page)
    page.get_by_role("link", name="Wessex Waste Partnership").first.click()
    expect(page.locator("#open-actions")).to_be_visible()
    page.get_by_role("link", name="2025-26 annual review").click()
    expect(page.locator("#workflow")).to_contain_text("Approved")
    expect(page.locator("main")).to_contain_text("Whether there is a 'Lead Officer'")
    axe(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_register_and_the_actions_read_without_sideways_panning(browser, demo, axe, width):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, demo.url, "member")
    expect(page.locator("#match-count")).to_contain_text("40 partnerships")
    fits = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert page.evaluate(fits)
    last_column = page.locator("#register-table td[data-label='Latest assessment']").first
    expect(last_column).to_be_in_viewport()
    filters = page.locator("#filters")
    if width == 390:
        # Folded on a phone, so the results come first; one tap opens them.
        assert not filters.evaluate("el => el.open")
        page.get_by_text("Filter", exact=True).click()
        expect(page.get_by_label("Strategic or operational")).to_be_visible()
    else:
        assert filters.evaluate("el => el.open")
    axe(page)
    page.goto(f"{demo.url}/actions/?show=all")
    assert page.evaluate(fits)
    axe(page)
    ScrutinyPack.objects.get_or_create(
        title="Overview and Scrutiny Committee, 12 March: every strategic partnership with a review due",
        defaults={"partnership_ids": [1, 2, 3], "total": 3,
                  "requested_by": get_user_model().objects.get(username="member")})
    page.goto(f"{demo.url}/register/packs/")
    expect(page.locator("#packs")).to_contain_text("Overview and Scrutiny Committee")
    assert page.evaluate(fits)
    axe(page)
    page.context.close()
