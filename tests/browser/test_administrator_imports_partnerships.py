"""An administrator imports partnerships from a file (issue 16): a file with problems is
previewed with every problem by row and column and nothing written; the corrected file is
previewed, confirmed and in the register. Every page passes axe-core, at a desktop's width
and a phone's."""

import os

from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.browser.conftest import log_in
from tests.register.test_imports import a_row, csv_file

SHOTS = os.environ.get("IMPORT_SCREENSHOTS")  # a folder to keep screenshots in, to look at them


def no_sideways_panning(page):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def a_file(name: str, *rows: dict) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": csv_file(*rows)}


def test_an_administrator_previews_a_file_with_problems_then_imports_a_clean_one(page, demo, axe):
    harbour = Partnership.objects.get(name="Harbour Management Partnership")
    rows = [
        a_row(Name="Coastal Path Forum", **{"Lead officer": "Olivia Okafor", "Partners": "Coastguard (Chair)"}),
        a_row(Reference=harbour.reference, Name="Harbour Management Partnership",
              **{"Start date": "31/02/2024", "Status": "Actve"}),
    ]
    log_in(page, demo.url, "admin")
    page.get_by_role("link", name="Import partnerships from a file").click()
    expect(page.get_by_role("heading", name="Import partnerships")).to_be_visible()
    axe(page)
    shot(page, "1-upload")

    # A file that is not a register at all: refused on the upload page, in words.
    page.get_by_label("Upload the register file").set_input_files(
        {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 minutes"})
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file must be a CSV or XLSX file")
    axe(page)
    shot(page, "1b-upload-refused")

    page.get_by_label("Upload the register file").set_input_files(a_file("register.csv", *rows))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There are problems with the file")
    problems = page.locator("#import-problems-table tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("Status")
    expect(problems.nth(0)).to_contain_text("“Actve” is not one of the choices")
    expect(problems.nth(1)).to_contain_text("“31/02/2024” is not a date: there is no such day")
    expect(page.locator("#import-confirm")).to_have_count(0)
    expect(page.locator("#count-create")).to_have_text("1")
    expect(page.locator("#count-update")).to_have_text("0")
    expect(page.locator("#count-problem-rows")).to_have_text("1")
    axe(page)
    shot(page, "2-preview-with-problems")
    # On a phone (the preview belongs to this session, so the same page, narrowed).
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#import-problems-table")).to_be_visible()
    axe(page)
    no_sideways_panning(page)
    shot(page, "3-preview-with-problems-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not Partnership.objects.filter(name="Coastal Path Forum").exists()

    page.get_by_role("link", name="Upload a different file").first.click()
    rows[1] = a_row(Reference=harbour.reference, Name="Harbour Management Partnership", **{
        "Councils taking part": "Harbourside Borough Council", "Lead officer": harbour.lead_officer.get_full_name(),
        "Partners": "", "Themes": ""})
    page.get_by_label("Upload the register file").set_input_files(a_file("register-corrected.csv", *rows))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#count-create")).to_have_text("1")
    expect(page.locator("#count-update")).to_have_text("1")
    expect(page.locator("#import-update-table")).to_contain_text("Purpose and aims")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Coastguard")
    axe(page)
    shot(page, "4-clean-preview")

    page.get_by_role("button", name="Import the file").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Imported register-corrected.csv: 1 partnership registered, 1 updated, 0 unchanged.")
    axe(page)
    shot(page, "5-imported")
    created = Partnership.objects.get(name="Coastal Path Forum")
    assert created.history.first().history_change_reason == "Imported from register-corrected.csv by Ada Patel"
    assert Partnership.objects.get(pk=harbour.pk).purpose == "Keep the coast open."
