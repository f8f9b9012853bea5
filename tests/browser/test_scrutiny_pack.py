import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import OperationalError
from playwright.sync_api import expect

from register.models import ScrutinyPack
from tests.browser.conftest import log_in
from tests.pdfs import pdf_text


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def test_scrutiny_builds_a_pack_from_the_filtered_register_and_downloads_it(page, demo, axe, tmp_path):
    log_in(page, demo.url, "scrutiny")
    page.get_by_label("Statutory or voluntary").select_option("statutory")
    page.get_by_role("button", name="Apply filters").click()
    count = int(re.search(r"(\d+) partnerships", page.locator("#match-count").inner_text()).group(1))

    page.get_by_role("link", name=f"Build a scrutiny pack of these {count} partnerships").click()
    expect(page.get_by_role("heading", name="Build a scrutiny pack")).to_be_visible()
    expect(page.locator("#pack-count")).to_have_text(str(count))
    expect(page.locator("#pack-contents")).to_contain_text("Statutory or voluntary: Statutory")
    axe(page)

    page.get_by_label("Title of the pack").fill("")
    page.get_by_role("button", name="Build the pack").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the pack")
    axe(page)
    page.get_by_label("Title of the pack").fill("Audit Committee, 3 February 2027")
    page.get_by_role("button", name="Build the pack").click()

    expect(page.get_by_role("heading", name="Audit Committee, 3 February 2027")).to_be_visible()
    expect(page.locator("#pack-status-text")).to_contain_text("Waiting to start")
    axe(page)
    pack_url = page.url

    page.get_by_role("link", name="Scrutiny packs").first.click()
    expect(page.locator("#packs")).to_contain_text("Audit Committee, 3 February 2027")
    expect(page.locator("#packs tbody tr").first).to_contain_text("Sam Hughes")
    axe(page)

    run_worker()  # what `make run`'s background worker does

    page.goto(pack_url)
    expect(page.get_by_role("heading", name="The pack is ready")).to_be_visible()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the pack (PDF)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert re.fullmatch(r"audit-committee-3-february-2027-\d{4}-\d\d-\d\d\.pdf", path.name)
    text = pdf_text(path.read_bytes())
    assert "Audit Committee, 3 February 2027" in text
    assert f"{count} partnerships" in text or f"{count}, of which" in text


def test_the_pack_page_follows_progress_and_shows_the_download_when_ready(page, demo, axe):
    log_in(page, demo.url, "member")
    pack = ScrutinyPack.objects.create(title="Watched pack", partnership_ids=[1, 2, 3], total=3,
                                       requested_by=ScrutinyPack._meta.get_field("requested_by")
                                       .related_model.objects.get(username="member"))
    page.goto(f"{demo.url}{pack.get_absolute_url()}")
    expect(page.locator("#pack-status-text")).to_contain_text("Waiting to start")

    ScrutinyPack.objects.filter(pk=pack.pk).update(status="building", done=2)
    expect(page.locator("#pack-status-text")).to_have_text("Being built: 2 of 3 partnerships done.")
    expect(page.locator("#pack-progress-bar")).to_have_attribute("value", "2")
    axe(page)

    name = default_storage.save("scrutiny-packs/watched.pdf", ContentFile(b"%PDF-1.7"))
    ScrutinyPack.objects.filter(pk=pack.pk).update(status="ready", done=3, file=name, page_count=1, size=8)
    expect(page.get_by_role("heading", name="The pack is ready")).to_be_visible()
    expect(page.get_by_role("button", name="Download the pack (PDF)")).to_be_visible()


def test_the_requester_cancels_a_pack_that_is_waiting(page, demo, axe):
    log_in(page, demo.url, "member")
    pack = ScrutinyPack.objects.create(title="Not needed after all", partnership_ids=[1, 2], total=2,
                                       requested_by=ScrutinyPack._meta.get_field("requested_by")
                                       .related_model.objects.get(username="member"))
    page.goto(f"{demo.url}{pack.get_absolute_url()}")
    page.get_by_role("button", name="Cancel this pack").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been cancelled")
    expect(page.locator("#pack-details")).to_contain_text("Cancelled")
    axe(page)
    page.get_by_role("button", name="Delete this pack").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been deleted")


def test_a_busy_database_is_a_clear_page(page, demo, axe, monkeypatch):
    log_in(page, demo.url, "member")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("register.views.register_partnerships", locked)
    response = page.goto(f"{demo.url}/register/")
    assert response.status == 503
    expect(page.get_by_role("heading", name="Sorry, the service is busy")).to_be_visible()
    axe(page)
