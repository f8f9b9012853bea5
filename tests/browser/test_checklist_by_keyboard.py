"""An officer completes the whole Partnership checklist with the keyboard alone (Tab, Space,
Enter and typing), saving part-way; the lead officer approves it; scrutiny reads it."""

from playwright.sync_api import expect

from checklists.models import Assessment
from partnerships.models import Partnership
from tests.browser.conftest import DEMO_PASSWORD

PARTNERSHIP = "Community Safety Partnership"  # led by dsharma in the demo register


def tab_to(page, condition: str, limit: int = 80):
    """Press Tab until `condition` (JavaScript about `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({condition}); }})()"):
            return
    raise AssertionError(f"Tab never reached: {condition}")


def enter(page):
    """Press Enter on a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def keyboard_log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    tab_to(page, "el.name === 'username'")
    page.keyboard.type(username)
    tab_to(page, "el.name === 'password'")
    page.keyboard.type(DEMO_PASSWORD)
    enter(page)
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()


def answer_section(page, axe, check_accessibility):
    count = page.locator("textarea").count()
    for index in range(count):
        tab_to(page, f"el === document.querySelectorAll('textarea')[{index}]")
        page.keyboard.type(f"Our answer number {index + 1}, typed at the keyboard.")
        tab_to(page, f"el.type === 'radio' && el.name === document.querySelectorAll('textarea')[{index}].name.replace('-narrative', '-rating')")
        page.keyboard.press("Space")  # the first radio: Assured
    if check_accessibility:
        axe(page)


def save(page, button_name):
    tab_to(page, f"el.name === '{button_name}'")
    enter(page)


def test_an_officer_completes_the_checklist_by_keyboard_and_the_lead_officer_approves(page, demo, axe, browser):
    partnership = Partnership.objects.get(name=PARTNERSHIP)
    keyboard_log_in(page, demo.url, "officer")
    page.goto(f"{demo.url}{partnership.get_absolute_url()}")
    tab_to(page, f"el.getAttribute('href') === '/assessments/start/{partnership.pk}/'")
    enter(page)
    expect(page.get_by_role("heading", name="Start an assessment")).to_be_visible()
    axe(page)
    tab_to(page, "el.name === 'kind' && el.value === 'checklist'")
    page.keyboard.press("Space")
    tab_to(page, "el.name === 'title'")
    page.keyboard.type("Keyboard checklist 2026")
    enter(page)

    expect(page.locator("#task-list")).to_be_visible()
    axe(page)
    assessment = Assessment.objects.get(title="Keyboard checklist 2026")

    # Sections 1 to 4, then save and come back later.
    tab_to(page, "el.classList.contains('govuk-task-list__link')")
    enter(page)
    for number in range(1, 5):
        expect(page.locator("h1")).to_contain_text(f"{number}.")
        answer_section(page, axe, check_accessibility=number == 1)
        save(page, "later" if number == 4 else "continue")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your answers have been saved")
    statuses = page.locator(".govuk-task-list__status")
    for index in range(4):
        expect(statuses.nth(index)).to_have_text("Completed")
    expect(statuses.nth(4)).to_contain_text("Not started")

    # Come back later: from the register to the partnership and on to the assessment.
    page.goto(f"{demo.url}/register/")
    page.goto(f"{demo.url}{partnership.get_absolute_url()}")
    tab_to(page, f"el.getAttribute('href') === '/assessments/{assessment.pk}/'")
    enter(page)
    tab_to(page, f"el.getAttribute('href') === '/assessments/{assessment.pk}/sections/5/'")
    enter(page)
    for number in range(5, 9):
        expect(page.locator("h1")).to_contain_text(f"{number}.")
        answer_section(page, axe, check_accessibility=False)
        save(page, "continue")

    expect(page.get_by_role("heading", name="Check your answers before submitting")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Our answer number 1, typed at the keyboard.")
    axe(page)
    tab_to(page, "el.textContent.trim() === 'Submit for approval'")
    enter(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted for approval")
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert assessment.answers.count() == 29

    # The lead officer, a second officer, approves it.
    lead = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    keyboard_log_in(lead, demo.url, "dsharma")
    lead.goto(f"{demo.url}/assessments/{assessment.pk}/")
    axe(lead)
    tab_to(lead, "el.textContent.trim() === 'Approve'")
    enter(lead)
    # A confirmation page says what approval means, and asks for the overall assurance with
    # the section ratings that support it, before anything is approved.
    expect(lead.locator("main")).to_contain_text("read-only for ever")
    expect(lead.locator("#section-ratings")).to_be_visible()
    axe(lead)
    tab_to(lead, "el.value === 'Approve the assessment'")
    enter(lead)  # without an assurance: the page says what is missing
    expect(lead.locator(".govuk-error-summary")).to_contain_text("Select the overall assurance")
    axe(lead)
    tab_to(lead, "el.name === 'assurance'")  # the first radio; arrow keys move within the group
    lead.keyboard.press("ArrowDown")  # Reasonable assurance
    tab_to(lead, "el.value === 'Approve the assessment'")
    enter(lead)
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("approved")
    expect(lead.locator("#assurance")).to_contain_text("Reasonable assurance")
    axe(lead)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.approved_by.username, assessment.assurance) == (
        "approved", "dsharma", "reasonable")

    # Scrutiny reads it.
    reader = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    keyboard_log_in(reader, demo.url, "scrutiny")
    reader.goto(f"{demo.url}{partnership.get_absolute_url()}")
    reader.get_by_role("link", name="Keyboard checklist 2026").click()
    expect(reader.locator("#workflow")).to_contain_text("Approved")
    expect(reader.locator("main")).to_contain_text("Why does the partnership exist?")
    expect(reader.locator("main")).to_contain_text("Our answer number 1, typed at the keyboard.")
    expect(reader.get_by_role("button", name="Approve")).to_have_count(0)
    expect(reader.locator("#approved-entry")).to_contain_text(partnership.name)
    axe(reader)
    lead.context.close()
    reader.context.close()
