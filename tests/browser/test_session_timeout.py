"""The timeout warning (GOV.UK / HMRC pattern): a modal dialog shortly before an idle
session ends; staying signed in keeps the session and everything typed on the page;
ignoring it signs out and the sign-in page says why. Sessions are shortened to 10 s."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.browser.conftest import DEMO_PASSWORD, log_in

DIALOG_NAME = "You’re about to be signed out"


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_COOKIE_AGE = 10
    settings.SESSION_TIMEOUT_WARNING = 5  # the dialog opens 5 s after a page loads


def session_status(page):
    return page.evaluate("fetch('/accounts/session/').then((response) => response.json())")


def test_staying_signed_in_keeps_the_session_and_what_was_typed(page, demo, axe, short_sessions):
    log_in(page, demo.url, "officer")
    partnership = Partnership.objects.get(name="Harbourside CCTV Partnership")
    page.goto(f"{demo.url}/partnerships/{partnership.pk}/edit/")
    page.get_by_label("Officer time (days a year)").fill("20.5")

    dialog = page.get_by_role("dialog", name=DIALOG_NAME)
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("For your security, we will sign you out in")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    axe(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    assert session_status(page)["expires_in"] > 5

    # It comes back before the extended session ends; Escape also stays signed in.
    expect(dialog).to_be_visible(timeout=10_000)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert session_status(page)["signed_in"] is True

    expect(page.get_by_label("Officer time (days a year)")).to_have_value("20.5")
    page.get_by_role("button", name="Save partnership").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your changes have been saved.")


def test_ignoring_the_warning_signs_out_and_says_why(page, demo, axe, short_sessions):
    log_in(page, demo.url, "member")
    page.goto(f"{demo.url}/actions/")
    expect(page.get_by_role("dialog", name=DIALOG_NAME)).to_be_visible(timeout=10_000)
    page.wait_for_url("**/accounts/login/?timed_out=1&next=%2Factions%2F", timeout=15_000)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("For your security, we signed you out")
    axe(page)
    assert session_status(page)["signed_in"] is False

    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{demo.url}/actions/")


def test_signing_out_from_the_warning(page, demo, short_sessions):
    log_in(page, demo.url, "member")
    dialog = page.get_by_role("dialog", name=DIALOG_NAME)
    expect(dialog).to_be_visible(timeout=10_000)
    dialog.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{demo.url}/accounts/login/")
    assert session_status(page)["signed_in"] is False
