from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in


def no_sideways_panning(page):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_an_officer_adds_a_risk_of_their_own_and_sees_it_on_the_partnership_page(page, demo, axe, browser):
    log_in(page, demo.url, "officer")
    page.get_by_label("Search").fill("Harbour Management")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Harbour Management Partnership").click()
    expect(page.locator("#risks + p")).to_contain_text("No open risks have been recorded.")
    page.get_by_role("link", name="Add a risk").click()
    expect(page.get_by_role("heading", name="Add a risk")).to_be_visible()
    axe(page)
    add_url = page.url

    page.get_by_role("button", name="Add the risk").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select one of the strategy’s risks, or Another risk")
    axe(page)

    page.get_by_role("radio", name="Another risk").check()
    page.get_by_label("If it is another risk, describe it").fill(
        "The harbour master retires before a successor is found")
    page.get_by_role("group", name="How likely is it to happen?").get_by_label("Likely (4)").check()
    page.get_by_role("group", name="How great would its impact be?").get_by_label("Major (4)").check()
    page.get_by_label("How is it being managed?").fill("The deputy harbour master shadows the role from April.")
    page.get_by_label("Owner").select_option(label="Tom Fielding")
    review = timezone.localdate() + timedelta(days=40)
    page.get_by_label("Day").fill(str(review.day))
    page.get_by_label("Month").fill(str(review.month))
    page.get_by_label("Year").fill(str(review.year))
    page.get_by_role("button", name="Add the risk").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("The risk has been added.")
    row = page.locator("#open-risks tbody tr").first
    expect(row).to_contain_text("The harbour master retires before a successor is found")
    expect(row).to_contain_text("High 16")
    expect(row).to_contain_text("Tom Fielding")
    expect(row.get_by_role("link", name="Change")).to_be_visible()
    axe(page)

    # On a phone: the add-risk page and the partnership's risks read without sideways panning.
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, demo.url, "officer", next_url=add_url)
    expect(phone.get_by_role("heading", name="Add a risk")).to_be_visible()
    axe(phone)
    no_sideways_panning(phone)
    phone.get_by_role("link", name="Back").click()
    expect(phone.locator("#open-risks")).to_contain_text("High 16")
    axe(phone)
    no_sideways_panning(phone)
    phone.context.close()
