"""The pages added for a record scrutiny can trust, and for everyday journeys, pass axe-core at
a phone's width and a desktop's, and read without sideways panning."""

import re

import pytest
from playwright.sync_api import expect

from checklists.models import Action, Assessment
from partnerships.models import Partnership
from tests.browser.conftest import log_in


def no_sideways_panning(page):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [390, 1280])
def test_new_pages_pass_axe(browser, demo, axe, width):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    submitted = Assessment.objects.get(partnership__name="Community Safety Partnership", status="submitted")
    draft_review = Assessment.objects.get(partnership__name="Health and Wellbeing Partnership", status="draft")
    waste = Partnership.objects.get(name="Wessex Waste Partnership")
    approved = waste.assessments.get(status="approved")
    action = Action.objects.order_by("pk").first()

    log_in(page, demo.url, "dsharma", next_url=None)  # leads the Community Safety Partnership
    expect(page.locator("#awaiting")).to_contain_text("Waiting for your approval (1)")
    expect(page.get_by_role("link", name="Community Safety Partnership: Partnership Improvement Template, "
                                         "2026-27 annual review")).to_be_visible()
    axe(page)
    no_sideways_panning(page)
    page.goto(f"{demo.url}/assessments/{submitted.pk}/approve/?version={submitted.version}")
    expect(page.get_by_role("heading", name="Approve the assessment")).to_be_visible()
    axe(page)
    no_sideways_panning(page)
    page.goto(f"{demo.url}/assessments/{submitted.pk}/approve/?version={submitted.version - 1}")
    expect(page.locator("#stale")).to_be_visible()
    axe(page)

    log_in(page, demo.url, "cmorgan")  # wrote the draft review
    page.goto(f"{demo.url}/assessments/{draft_review.pk}/sections/1/")
    expect(page.get_by_text("If the answer is No: the action").first).to_be_visible()
    axe(page)
    no_sideways_panning(page)
    page.goto(f"{demo.url}/actions/{action.pk}/edit/")
    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    axe(page)
    page.goto(f"{demo.url}/partnerships/{waste.pk}/partners/new-organisation/")
    axe(page)
    page.get_by_label("Organisation name").fill("Wessex County Council.")
    page.get_by_role("button", name="Add the organisation as a partner").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("similar name")
    axe(page)

    log_in(page, demo.url, "member")
    page.goto(f"{demo.url}/partnerships/{waste.pk}/history/")
    expect(page.locator("#history")).to_contain_text("Tom Fielding")
    axe(page)
    no_sideways_panning(page)
    page.goto(f"{demo.url}/assessments/{approved.pk}/")
    expect(page.locator("#entry-changed")).to_contain_text("lead officer")
    axe(page)
    page.goto(f"{demo.url}/actions/?owner={action.owner_id}")
    axe(page)
    page.goto(f"{demo.url}/risks/?show=all")  # every risk the member may see (issue 16)
    expect(page.locator("#risks")).to_be_visible()
    expect(page.get_by_role("link", name="Download as CSV")).to_be_visible()
    axe(page)
    no_sideways_panning(page)
    page.get_by_label("Band").select_option("high")
    page.get_by_role("button", name="Show risks").click()
    expect(page).to_have_url(re.compile(r"band=high"))
    expect(page.locator("#risks")).to_contain_text("High")
    page.goto(f"{demo.url}/risks/?band=extreme")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a band from the list")
    axe(page)
    no_sideways_panning(page)
    page.context.close()


def test_the_locked_out_sign_in_page_passes_axe(browser, demo, axe):
    page = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    for _ in range(5):
        page.goto(f"{demo.url}/accounts/login/")
        page.get_by_label("Username").fill("no-such-person")  # no demo login gets locked
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("signing in as this user is locked for 15 minutes")
    expect(page).to_have_title("Error: Sign in – Partnership Register")
    axe(page)
    no_sideways_panning(page)
    page.context.close()
