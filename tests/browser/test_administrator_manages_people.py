"""A council administrator manages their people on the register's own pages: adds a person
(checked, then sent a link that sets their password once), changes a role, lifts a lockout.
Every page passes axe-core at a desktop's width and a phone's, with no sideways panning."""

import os
import re

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from administration.models import ChangeRecord
from tests.browser.conftest import log_in

SHOTS = os.environ.get("MANAGE_SCREENSHOTS")  # a folder to keep screenshots in, to look at them


def check(page, axe, name):
    """axe-core at 1280 px and at 390 px, no sideways panning at either."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        axe(page)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), width
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_administrator_adds_a_person_who_sets_their_password(page, demo, axe, browser):
    log_in(page, demo.url, "wvadmin", next_url=None)
    page.get_by_role("link", name="Manage").click()
    check(page, axe, "1-manage")
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    expect(page.locator("#people")).not_to_contain_text("hbmember")
    check(page, axe, "2-people")

    page.get_by_role("link", name="Add a person").click()
    page.get_by_role("button", name="Continue").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person’s first name")
    check(page, axe, "3-new-person-errors")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("Email address").fill("nia.jones@example.org")
    page.get_by_label("Username").fill("njones")
    page.get_by_label("Officer").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check the person’s details before adding them")).to_be_visible()
    expect(page.locator("#check-answers")).to_contain_text("Wessex Vale District Council")
    check(page, axe, "4-check")
    page.get_by_role("button", name="Add the person and send the email").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Nia Jones has been added")
    check(page, axe, "5-added")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nia.jones@example.org"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    newcomer = browser.new_context().new_page()
    newcomer.goto(link)
    newcomer.locator("input[type=password]").nth(0).fill("a-brand-new-passphrase-71")
    newcomer.locator("input[type=password]").nth(1).fill("a-brand-new-passphrase-71")
    newcomer.locator("form button[type=submit], form input[type=submit]").last.click()
    assert get_user_model().objects.get(username="njones").check_password("a-brand-new-passphrase-71")
    newcomer.goto(link)  # the link works once
    expect(newcomer.locator("input[type=password]")).to_have_count(0)
    newcomer.context.close()


def test_an_administrator_changes_a_role_and_lifts_a_lockout(page, demo, axe):
    # Five wrong passwords, as django-axes records them (tests/accounts/ signs in wrongly for real).
    AccessAttempt.objects.create(username="wvofficer", ip_address="10.0.0.7", user_agent="Firefox",
                                 failures_since_start=5, get_data="", post_data="", http_accept="", path_info="/")
    log_in(page, demo.url, "wvadmin", next_url="/manage/people/")
    page.goto(f"{demo.url}/manage/people/?name=wvofficer")
    page.locator("#people a").first.click()
    expect(page.locator("#person-details")).to_contain_text("Wessex Vale District Council")
    expect(page.get_by_text("Locked out", exact=True).first).to_be_visible()
    check(page, axe, "6-person")

    page.get_by_role("button", name="Lift this lockout").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("can try to sign in again")
    assert not AccessAttempt.objects.filter(username="wvofficer").exists()

    page.get_by_role("link", name="Change details, role or councils").click()
    check(page, axe, "7-change")
    page.get_by_label("Lead member").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#changes")).to_be_visible()
    expect(page.locator("table")).to_contain_text("from Officer to Lead member")
    assert ChangeRecord.objects.filter(kind=ChangeRecord.Kind.LOCKOUT_LIFTED, person__username="wvofficer").exists()
    check(page, axe, "8-changed")
    page.goto(f"{demo.url}/manage/lockouts/")
    expect(page.locator("#lockouts")).not_to_contain_text("wvofficer")
    # The demo's lockout of cmorgan, who also works for Harbourside: for `admin` to lift.
    expect(page.locator("#lockouts")).to_contain_text("Another council’s administrator can lift it")
    check(page, axe, "9-lockouts")
