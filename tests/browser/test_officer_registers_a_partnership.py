from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.browser.conftest import log_in

SCREENING = [
    "Does the council have direct control",
    "Is it an informal group",
    "Is it an appointment or financial commitment",
    "Is it a commercial agreement?",
    "Is it a contract for the delivery of a service?",
]


def answer_screening(page, yes_to=None):
    for question in SCREENING:
        group = page.get_by_role("group", name=question)
        group.get_by_label("Yes" if question == yes_to else "No", exact=True).check()
    page.get_by_role("button", name="Continue").click()


def choose(page, legend, label):
    page.get_by_role("group", name=legend).get_by_label(label, exact=True).check()


def test_an_officer_is_refused_then_registers_a_partnership(page, demo, axe):
    log_in(page, demo.url, "officer")
    page.get_by_role("link", name="Register a partnership").first.click()
    expect(page.get_by_role("heading", name="Check it is a partnership")).to_be_visible()
    axe(page)

    # A commercial agreement is refused, with the reason.
    answer_screening(page, yes_to="Is it a commercial agreement?")
    expect(page.get_by_role("heading", name="This is not a partnership for the register")).to_be_visible()
    expect(page.locator("#refusal-reasons")).to_contain_text("Commercial agreements are not partnerships.")
    axe(page)

    # Changing the answers brings back what was chosen.
    page.get_by_role("button", name="Change your answers").click()
    expect(
        page.get_by_role("group", name="Is it a commercial agreement?").get_by_label("Yes", exact=True)
    ).to_be_checked()
    answer_screening(page)
    expect(page.get_by_role("heading", name="Register a partnership")).to_be_visible()
    axe(page)

    # Saving with gaps shows an error summary and keeps what was typed.
    page.get_by_label("Partnership name").fill("Harbourside Food Partnership")
    page.get_by_label("Annual council contribution (£)").fill("lots")
    page.get_by_role("button", name="Save partnership").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter the partnership’s purpose and aims")
    expect(summary).to_contain_text("Enter the annual contribution as an amount in pounds")
    expect(page.get_by_label("Partnership name")).to_have_value("Harbourside Food Partnership")
    expect(page.get_by_label("Annual council contribution (£)")).to_have_value("lots")
    axe(page)

    page.get_by_label("Purpose and aims").fill("Reduce food poverty and food waste.")
    choose(page, "Status", "Proposed")
    choose(page, "Strategic or operational", "Operational")
    choose(page, "Statutory or voluntary", "Voluntary")
    choose(page, "Single or multi organisation", "Multi organisation")
    choose(page, "National, regional or local", "Local")
    page.get_by_label("Harbourside Borough Council").check()
    choose(page, "Council’s role", "Supporting")
    page.get_by_label("Lead officer").select_option(label="Olivia Okafor")
    page.get_by_label("Legal status").select_option(label="Memorandum of understanding or partnership agreement")
    page.get_by_label("Annual council contribution (£)").fill("2500.50")
    page.get_by_label("Officer time (days a year)").fill("6")
    choose(page, "Performance management method", "Light touch: annual self-assessment")
    next_review = page.get_by_role("group", name="Next review due")
    next_review.get_by_label("Day").fill("31")
    next_review.get_by_label("Month").fill("3")
    next_review.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save partnership").click()

    partnership = Partnership.objects.get(name="Harbourside Food Partnership")
    expect(page.get_by_role("heading", name="Partner organisations")).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"registered as {partnership.reference}")
    axe(page)

    page.get_by_label("Partner organisation").select_option(label="Citizens Advice Harbourside")
    choose(page, "Their role in the partnership", "Chair")
    page.get_by_role("button", name="Add partner").click()
    expect(page.locator("#partner-list")).to_contain_text("Citizens Advice Harbourside")

    page.get_by_role("link", name="Finish and view the partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbourside Food Partnership")
    expect(page.locator("#classification")).to_contain_text("Operational")
    expect(page.locator("#resources")).to_contain_text("£2,500.50")
    expect(page.locator("#partners")).to_be_visible()
    axe(page)
    assert partnership.councils.get().short_name == "Harbourside"
