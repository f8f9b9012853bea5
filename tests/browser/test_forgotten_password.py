"""A person who has forgotten their password asks for a link, follows it from the email,
chooses a new password and signs in with it; the link then no longer works. Every page
passes axe-core at a phone's width and a desktop's."""

import re

from django.core import mail
from playwright.sync_api import expect

from partnerships.roles import OFFICER
from tests.factories import UserFactory

NEW_PASSWORD = "harbour-lights-2027"


def check_at_both_widths(page, axe):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        axe(page)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_person_resets_a_forgotten_password_and_signs_in(page, live_server, axe):
    UserFactory(username="olivia", first_name="Olivia", last_name="Okafor", email="olivia.okafor@harbourside.gov.uk",
                role=OFFICER)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    check_at_both_widths(page, axe)

    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    check_at_both_widths(page, axe)

    page.get_by_label("Email address").fill("olivia.okafor@harbourside.gov.uk")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check_at_both_widths(page, axe)

    [message] = mail.outbox
    assert message.to == ["olivia.okafor@harbourside.gov.uk"]
    link = re.search(r"http://\S+", message.body).group()
    assert link.startswith(live_server.url)

    page.goto(link)
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    expect(page.locator("#username")).to_have_text("olivia")
    check_at_both_widths(page, axe)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Your password is set")).to_be_visible()
    check_at_both_widths(page, axe)

    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/register/work/")

    page.goto(link)
    expect(page.get_by_role("heading", name="This link has expired or has been used")).to_be_visible()
    check_at_both_widths(page, axe)
