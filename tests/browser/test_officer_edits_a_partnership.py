from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_an_officer_edits_a_partnership(page, demo, axe):
    log_in(page, demo.url, "officer")
    page.get_by_label("Search").fill("Harbourside CCTV")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Harbourside CCTV Partnership").click()
    page.get_by_role("button", name="Edit partnership").click()
    expect(page.get_by_role("heading", name="Edit Harbourside CCTV Partnership")).to_be_visible()
    axe(page)

    page.get_by_label("Officer time (days a year)").fill("20.5")
    page.get_by_role("button", name="Save partnership").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your changes have been saved.")
    expect(page.locator("#resources")).to_contain_text("20.5 days a year")
    axe(page)


def test_scrutiny_is_refused_registering_and_sees_why(page, demo, axe):
    log_in(page, demo.url, "scrutiny")
    expect(page.get_by_role("link", name="Register a partnership")).to_have_count(0)
    response = page.goto(f"{demo.url}/partnerships/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    axe(page)
    page.goto(f"{demo.url}/register/?q=nothing-matches-this")
    expect(page.locator("#empty-state")).to_contain_text("No partnerships match your filters")
    axe(page)
