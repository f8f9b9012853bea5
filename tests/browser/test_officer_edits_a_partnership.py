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


def test_the_history_shows_an_edit_to_a_reader(page, demo, axe, browser):
    log_in(page, demo.url, "officer")
    page.get_by_label("Search").fill("Harbourside CCTV")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Harbourside CCTV Partnership").click()
    detail_url = page.url
    page.get_by_role("button", name="Edit partnership").click()
    # officer does not lead this partnership: the lead officer is shown, fixed.
    expect(page.get_by_label("Lead officer")).to_be_disabled()
    page.get_by_label("Officer time (days a year)").fill("21")
    page.get_by_role("button", name="Save partnership").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your changes have been saved.")

    reader = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(reader, demo.url, "member")
    reader.goto(detail_url)
    reader.get_by_role("link", name="See the history of this entry").click()
    expect(reader.get_by_role("heading", name="History of the register entry")).to_be_visible()
    first = reader.locator("#history tbody tr").first
    expect(first).to_contain_text("Olivia Okafor")
    expect(first).to_contain_text("Officer time (days a year)")
    expect(first).to_contain_text("21")
    expect(reader.locator("#history")).to_contain_text("Registered the partnership")
    axe(reader)
    reader.context.close()


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(page, demo, axe, browser):
    log_in(page, demo.url, "admin")
    page.get_by_label("Search").fill("Harbourside CCTV")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Harbourside CCTV Partnership").click()
    page.get_by_role("button", name="Edit partnership").click()
    edit_url = page.url

    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(other, demo.url, "officer")
    other.goto(edit_url)
    other.get_by_label("Partnership name").fill("Harbourside CCTV and Safety Partnership")
    other.get_by_role("button", name="Save partnership").click()
    expect(other.locator(".govuk-notification-banner")).to_contain_text("Your changes have been saved.")
    other.context.close()

    page.get_by_label("Officer time (days a year)").fill("33")
    page.get_by_role("button", name="Save partnership").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Someone else saved this partnership")
    expect(page.get_by_label("Officer time (days a year)")).to_have_value("33")
    axe(page)
