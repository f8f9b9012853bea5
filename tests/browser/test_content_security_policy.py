"""The main pages work under the Content Security Policy: every script and stylesheet
loads, GOV.UK Frontend starts, and the browser blocks nothing (the `page` fixture fails
any browser test that sees a violation)."""

from playwright.sync_api import expect

from checklists.models import Assessment
from partnerships.models import Partnership
from tests.browser.conftest import log_in


def visit(page, url):
    response = page.goto(url)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    page.wait_for_load_state("networkidle")
    return response


def test_the_main_pages_run_under_the_policy_with_nothing_blocked(page, demo, axe):
    visit(page, f"{demo.url}/accounts/login/")
    log_in(page, demo.url, "admin")
    partnership = Partnership.objects.order_by("pk").first()
    draft = Assessment.objects.filter(status=Assessment.Status.DRAFT).order_by("pk").first()
    for path in ["/register/", f"/partnerships/{partnership.pk}/", f"/partnerships/{partnership.pk}/edit/",
                 f"/partnerships/{partnership.pk}/history/", "/partnerships/new/", f"/assessments/{draft.pk}/",
                 f"/assessments/{draft.pk}/sections/1/", "/actions/", "/register/packs/", "/register/packs/new/"]:
        visit(page, f"{demo.url}{path}")
        # The scripts ran: GOV.UK Frontend's classes are on <body> and its components started.
        assert page.evaluate("document.body.classList.contains('js-enabled')"), path
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), path
        expect(page.locator("[data-govuk-service-navigation-init]")).to_have_count(1)
        # And the stylesheet applied (GOV.UK's masthead border is from app.css).
        assert page.evaluate("getComputedStyle(document.querySelector('.app-masthead')).borderTopWidth") == "10px"
    axe(page)
    for path in ["/admin/", "/admin/axes/accessattempt/", "/admin/auth/user/"]:
        visit(page, f"{demo.url}{path}")
    assert page.csp_violations == []


def test_a_violation_would_be_caught(page, demo):
    visit(page, f"{demo.url}/accounts/login/")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "1";
                             document.body.append(s); }""")
    page.wait_for_timeout(200)
    assert page.csp_violations, "an inline script should have been blocked and reported"
    page.csp_violations.clear()
