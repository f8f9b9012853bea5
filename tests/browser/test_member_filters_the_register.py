import re

from playwright.sync_api import expect

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
        expect(rows.nth(i).locator("td").nth(2)).to_contain_text("Strategic, statutory")
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
