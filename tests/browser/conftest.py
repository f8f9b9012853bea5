"""Browser tests: Playwright driving Debian's Chromium, headless, with axe-core checks."""

import importlib
import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps as django_apps
from django.core.management import call_command

from checklists.models import Template

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DEMO_PASSWORD = "register-demo"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Sync Playwright keeps an event loop in this thread; Django's async-safety
    # check would refuse the database calls the tests make beside it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Reports every Content Security Policy violation on every page to the test (an
# init script and a binding are the browser's own, so the policy does not block them).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
                            + `in ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Every browser test fails if the Content Security Policy blocked anything.
    page.csp_violations = []
    context.expose_function("reportCspViolation", lambda report: page.csp_violations.append(report))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("console", lambda message: "Content Security Policy" in message.text
            and page.csp_violations.append(message.text))
    yield page
    context.close()
    assert page.csp_violations == [], "the Content Security Policy blocked something"


@pytest.fixture
def demo(live_server, monkeypatch):
    # live_server tests empty every table afterwards, including the checklist
    # templates a data migration loaded; load them again when they are gone.
    if not Template.objects.exists():
        importlib.import_module("checklists.migrations.0002_load_templates").load(django_apps, None)
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("load_demo", packs=False, stdout=open(os.devnull, "w"))
    return live_server


class AccessibilityChecker:
    """Runs axe-core on a page; every page a test visits must have zero violations."""

    def __init__(self):
        self.axe = Axe()
        self.checked = []

    def __call__(self, page):
        results = self.axe.run(page)
        self.checked.append(page.url)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def axe():
    return AccessibilityChecker()


def log_in(page, base_url, username, next_url="/register/"):
    """Sign in, then go on to `next_url` (the register, where most journeys start); with
    None, land where signing in leads, Your work."""
    page.goto(f"{base_url}/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
