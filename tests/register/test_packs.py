"""Scrutiny packs: asked for from the register, built by the worker, kept for re-download."""

import re
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from checklists import services
from checklists.models import Template
from partnerships.models import Partnership
from register import packs
from register.models import ScrutinyPack
from tests.checklists.factories import questions_of, start, submitted
from tests.factories import PartnershipFactory, UserFactory
from tests.pdfs import outline_titles, page_texts, pdf_text, reader


def read(pack) -> bytes:
    with pack.file.open("rb") as file:
        return file.read()


def approved(partnership, officer, approver, kind=Template.Kind.CHECKLIST, title="2025-26 review"):
    assessment = submitted(partnership, officer, kind=kind, title=title)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=approver, assurance="substantial")
    return assessment


@pytest.fixture
def run_worker(monkeypatch):
    """`manage.py db_worker --batch`: run what is queued, then stop.

    The worker closes database connections between tasks, as a long-running process
    should; here the test's connection holds the test's transaction, so it stays open.
    """
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return lambda: call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.fixture
def register(officer, administrator):
    """Three strategic partnerships (two with approved assessments) and one operational."""
    flood = PartnershipFactory(name="Coastal <Flood> & Drainage Board", scope="strategic")
    safety = PartnershipFactory(name="Community Safety Partnership", scope="strategic")
    youth = PartnershipFactory(name="Youth Forum", scope="strategic")
    PartnershipFactory(name="Leisure Trust", scope="operational")
    approved(flood, officer, administrator)
    approved(safety, officer, administrator, kind=Template.Kind.IMPROVEMENT)
    submitted(youth, officer, title="Not yet approved")  # submitted only: not in the pack
    start(flood, officer, title="A newer draft")  # a draft: not in the pack
    return {"flood": flood, "safety": safety, "youth": youth}


def ask_for_pack(client, query="scope=strategic&sort=name", title="Overview and Scrutiny, 12 January 2027"):
    page = client.get(f"{reverse('register:pack_new')}?{query}")
    assert page.status_code == 200
    response = client.post(reverse("register:pack_new"), {"title": title, "filters": query})
    assert response.status_code == 302
    return ScrutinyPack.objects.get(title=title), page


def test_a_pack_goes_from_queued_through_progress_to_download(
        client, scrutiny, register, run_worker):
    client.force_login(scrutiny)
    pack, page = ask_for_pack(client)
    assert "3" in page.content.decode()
    assert "Strategic or operational: Strategic" in page.content.decode()

    # Queued: a task waits in the database for the worker.
    task = DBTaskResult.objects.get(id=pack.task_id)
    assert task.status == "READY" and task.args_kwargs["args"] == [pack.pk]
    progress = client.get(reverse("register:pack_progress", args=[pack.pk])).json()
    assert progress == {"status": "queued", "status_label": "Waiting to start", "done": 0, "total": 3,
                        "error": "", "download_url": None}
    assert "Waiting to start" in client.get(pack.get_absolute_url()).content.decode()

    run_worker()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    progress = client.get(reverse("register:pack_progress", args=[pack.pk])).json()
    assert progress["status"] == "ready" and progress["done"] == progress["total"] == 3
    assert progress["download_url"] == reverse("register:pack_download", args=[pack.pk])
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "The pack is ready" in page and progress["download_url"] in page

    response = client.get(progress["download_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.fullmatch(r'attachment; filename="overview-and-scrutiny-12-january-2027-\d{4}-\d\d-\d\d\.pdf"',
                        response["Content-Disposition"])
    assert response["Cache-Control"] == "private, no-store"
    assert response.streaming  # from the file, not read into memory first
    content = b"".join(response.streaming_content)
    pack.refresh_from_db()
    assert task.return_value == pack.page_count == len(reader(content).pages)
    assert int(response["Content-Length"]) == pack.size == len(content) == pack.file.size


def test_the_pack_has_a_summary_contents_and_each_latest_approved_assessment(
        officer, administrator, register):
    flood, safety, youth = register["flood"], register["safety"], register["youth"]
    ids = [flood.pk, safety.pk, youth.pk]
    pack = ScrutinyPack.objects.create(title="Committee pack", partnership_ids=ids, requested_by=officer,
                                       total=3, filter_summary="Strategic or operational: Strategic")
    pack = packs.build(pack.pk)
    content = read(pack)
    text = pdf_text(content)
    pages = page_texts(content)

    assert "Committee pack" in text and "Strategic or operational: Strategic" in text
    # The summary: classification, status, lead officer, contribution, next review, latest assessment.
    assert "Coastal <Flood> & Drainage Board" in text
    # A long name wraps in its cell, and pdftotext then reads the row's lines in turn, so the
    # row's cells are checked as words within it rather than as one run of text.
    row = re.search(r"Youth Forum P-\d{4} Strategic, voluntary, multi organisation, local Active .{0,400}", text)[0]
    for word in [*youth.lead_officer.get_full_name().split(), "£1,000", "Partnership", "checklist:", "submitted",
                 f"{youth.next_review_due:%Y}"]:
        assert word in row
    # Every question of each approved assessment, with its answers.
    checklist = flood.assessments.get(status="approved")
    for question in questions_of(checklist):
        assert " ".join(f"{question.letter}. {question.text}".split()) in text
    improvement = safety.assessments.get(status="approved")
    for area in questions_of(improvement):
        assert " ".join(area.text.split()) in text
    assert "Not yet approved" not in text and "A newer draft" not in text
    assert "DRAFT" not in text
    # Contents: each assessed partnership's first page, as printed on that page.
    contents = next(page for page in pages if page.startswith("Committee pack") and "Contents" in page)
    assert "Youth Forum" in contents and "No approved assessment" in contents
    for partnership in (flood, safety):
        number = int(re.search(re.escape(partnership.reference) + r"\) .*? approved \d+ \w+ \d{4} (\d+)",
                               contents).group(1))
        assert partnership.name in pages[number - 1]
        assert f"Page {number}" in pages[number - 1]
    # Page numbers run through the whole pack, each with the pack's length.
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"Page {number} of {len(pages)}")
    assert pack.page_count == len(pages)


def test_a_pack_with_no_approved_assessment_is_numbered_too(officer, register):
    pack = ScrutinyPack.objects.create(title="Nothing approved", partnership_ids=[register["youth"].pk],
                                       requested_by=officer, total=1)
    pages = page_texts(read(packs.build(pack.pk)))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"Page {number} of {len(pages)}")


@pytest.mark.parametrize("title, name", [
    ("Audit Committee: statutory partnerships", "audit-committee-statutory-partnerships"),
    ("Pwyllgor Craffu: Dŵr Cymru & Ŷ", "pwyllgor-craffu-dwr-cymru-y"),
    ("word " * 40, "-".join(["word"] * 16)),  # cut at a word, within 80 characters
    ("«»!?", "scrutiny-pack-7"),  # nothing to name it by
])
def test_the_file_is_named_from_the_pack_title(title, name):
    pack = ScrutinyPack(pk=7, title=title, requested_at=datetime(2027, 1, 12, 9, 30, tzinfo=UTC))
    assert pack.filename == f"{name}-2027-01-12.pdf"


def test_the_pack_keeps_a_bookmark_per_partnership_and_its_tags(officer, administrator, register):
    flood, safety = register["flood"], register["safety"]
    pack = ScrutinyPack.objects.create(title="Tagged pack", partnership_ids=[flood.pk, safety.pk],
                                       requested_by=officer, total=2)
    content = read(packs.build(pack.pk))
    titles = outline_titles(content)
    top = [title for title in titles if isinstance(title, str)]
    assert top == ["Tagged pack", "Summary", "Open risks", "Contents", flood.name, safety.name]
    assert titles[titles.index(flood.name) + 1][:2] == ["Overall assurance: Substantial assurance",
                                                       "1. Rationale for the partnership"]
    pdf = reader(content)
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en-GB" and bool(root["/MarkInfo"]["/Marked"])
    assert pdf.metadata.title == "Tagged pack"
    assert "pdfuaid" in pdf.xmp_metadata.rdf_root.toxml()
    tree = root["/StructTreeRoot"]
    assert tree["/K"][0]["/S"] == "/Document"
    keys = [int(key) for key in tree["/ParentTree"]["/Nums"][::2]]
    assert sorted(page["/StructParents"] for page in pdf.pages) == keys == list(range(len(pdf.pages)))
    assert tree["/ParentTreeNextKey"] == len(pdf.pages)


def test_progress_is_recorded_partnership_by_partnership(officer, administrator, register, monkeypatch):
    ids = [register["flood"].pk, register["safety"].pk, register["youth"].pk]
    pack = ScrutinyPack.objects.create(title="Watched", partnership_ids=ids, requested_by=officer, total=3)
    seen = []
    real = packs.render_document

    def watching(template_name, context):
        seen.append((template_name, ScrutinyPack.objects.get(pk=pack.pk).done))
        return real(template_name, context)

    monkeypatch.setattr(packs, "render_document", watching)
    packs.build(pack.pk)
    # Front matter measured, then one section per approved assessment, then the front matter again.
    assert seen == [("pdf/pack_front.html", 0), ("pdf/pack_section.html", 0), ("pdf/pack_section.html", 1),
                    ("pdf/pack_front.html", 3)]


def test_a_failed_build_is_reported_on_the_page(client, scrutiny, register, monkeypatch,
                                                run_worker):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(packs, "render_document", broken)
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client)
    run_worker()
    pack.refresh_from_db()
    assert pack.status == "failed" and not pack.file
    assert DBTaskResult.objects.get(id=pack.task_id).status == "FAILED"
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "The pack could not be built" in page and "Ask for it again" in page
    assert client.get(reverse("register:pack_download", args=[pack.pk])).status_code == 404


def test_the_register_offers_a_pack_of_what_it_shows(client, scrutiny, register):
    client.force_login(scrutiny)
    page = client.get(reverse("register:index"), {"scope": "strategic", "page": "1"}).content.decode()
    assert f'href="{reverse("register:pack_new")}?scope=strategic"' in page
    assert "Build a scrutiny pack of these 3 partnerships" in page


def test_no_matches_means_no_pack(client, scrutiny, register):
    client.force_login(scrutiny)
    page = client.get(reverse("register:pack_new"), {"q": "nothing matches this"}).content.decode()
    assert "nothing to put in a pack" in page
    assert "Build the pack" not in page
    response = client.post(reverse("register:pack_new"), {"title": "Empty", "filters": "q=nothing+matches+this"})
    assert "nothing to put in a pack" in response.content.decode()
    assert not ScrutinyPack.objects.exists()


def test_a_pack_over_the_limit_is_refused_with_a_reason(client, scrutiny, register, settings):
    settings.SCRUTINY_PACK_LIMIT = 2
    client.force_login(scrutiny)
    response = client.post(reverse("register:pack_new"), {"title": "Too big", "filters": "scope=strategic"})
    assert "A pack can hold at most 2 partnerships; these filters match 3" in response.content.decode()
    assert not ScrutinyPack.objects.exists()


def test_a_missing_title_is_an_error_and_keeps_the_filters(client, scrutiny, register):
    client.force_login(scrutiny)
    response = client.post(reverse("register:pack_new"), {"title": "", "filters": "scope=strategic"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter a title for the pack" in content
    assert 'value="scope=strategic"' in content
    assert "<dd class=\"govuk-summary-list__value\" id=\"pack-count\">3</dd>" in content


def test_invalid_filters_go_back_to_the_register(client, scrutiny, register):
    client.force_login(scrutiny)
    response = client.get(reverse("register:pack_new"), {"scope": "nonsense"})
    assert response.status_code == 302
    assert response.url == f"{reverse('register:index')}?scope=nonsense"


def test_packs_are_listed_with_who_asked_and_when(client, scrutiny, lead_member, officer, register,
                                                   django_assert_max_num_queries):
    for n in range(6):
        ScrutinyPack.objects.create(title=f"Pack {n}", partnership_ids=[register["flood"].pk], total=1,
                                    requested_by=officer, filter_summary="Status: Active")
    built = packs.build(ScrutinyPack.objects.get(title="Pack 0").pk)
    client.force_login(lead_member)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("register:packs")).content.decode()
    assert "Olivia Okafor" in page and "Status: Active" in page
    assert page.count("Waiting to start") == 5
    assert reverse("register:pack_download", args=[built.pk]) in page
    assert f"{built.page_count} pages" in page


def test_the_requester_or_an_administrator_may_delete_a_pack(client, scrutiny, lead_member, administrator, register):
    mine = ScrutinyPack.objects.create(title="Mine", partnership_ids=[1], total=1, requested_by=scrutiny)
    theirs = ScrutinyPack.objects.create(title="Theirs", partnership_ids=[1], total=1, requested_by=lead_member)
    client.force_login(scrutiny)
    assert "Delete this pack" in client.get(mine.get_absolute_url()).content.decode()
    assert "Delete this pack" not in client.get(theirs.get_absolute_url()).content.decode()
    assert client.post(reverse("register:pack_delete", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("register:pack_delete", args=[mine.pk])).status_code == 302
    client.force_login(administrator)
    assert client.post(reverse("register:pack_delete", args=[theirs.pk])).status_code == 302
    assert not ScrutinyPack.objects.exists()


def test_a_partnership_deleted_after_asking_is_left_out(officer, administrator, register):
    flood, gone = register["flood"], PartnershipFactory(name="Wound-up Board")
    pack = ScrutinyPack.objects.create(title="Shrunk", partnership_ids=[flood.pk, gone.pk], requested_by=officer,
                                       total=2)
    Partnership.objects.filter(pk=gone.pk).delete()
    text = pdf_text(read(packs.build(pack.pk)))
    assert flood.name in text and "Wound-up Board" not in text


def test_a_pack_of_one_user_is_escaped_throughout(officer, administrator):
    partnership = PartnershipFactory(name="<script>alert(1)</script> Board")
    approved(partnership, officer, administrator)
    pack = ScrutinyPack.objects.create(title="<b>Pack</b> & co", partnership_ids=[partnership.pk],
                                       requested_by=UserFactory(first_name="<i>Eve</i>"), total=1)
    text = pdf_text(read(packs.build(pack.pk)))
    assert "<script>alert(1)</script> Board" in text
    assert "<b>Pack</b> & co" in text
    assert "<i>Eve</i>" in text


def test_a_worker_stopped_mid_build_fails_the_pack(officer, register, monkeypatch):
    pack = ScrutinyPack.objects.create(title="Interrupted", partnership_ids=[register["flood"].pk], total=1,
                                       requested_by=officer)

    def stopped(*args, **kwargs):
        raise SystemExit(1)  # what db_worker does on a second Ctrl-C

    monkeypatch.setattr(packs, "render_document", stopped)
    with pytest.raises(SystemExit):
        packs.build(pack.pk)
    pack.refresh_from_db()
    assert pack.status == "failed"


def test_a_pack_is_built_once_however_often_its_task_runs(officer, register, monkeypatch):
    pack = ScrutinyPack.objects.create(title="Once", partnership_ids=[register["flood"].pk], total=1,
                                       requested_by=officer)
    packs.build(pack.pk)
    calls = []
    monkeypatch.setattr(packs, "_build", lambda pack: calls.append(pack))
    assert packs.build(pack.pk).status == "ready"
    ScrutinyPack.objects.filter(pk=pack.pk).update(status="building")
    packs.build(pack.pk)
    assert calls == []


def test_control_characters_are_taken_out_of_the_title(client, scrutiny, register):
    client.force_login(scrutiny)
    client.post(reverse("register:pack_new"), {"title": "Audit\x0b Committee\x00", "filters": "scope=strategic"})
    # NUL is refused outright by Django's form field; others are stripped.
    client.post(reverse("register:pack_new"), {"title": "Audit\x0b Committee", "filters": "scope=strategic"})
    assert list(ScrutinyPack.objects.values_list("title", flat=True)) == ["Audit Committee"]
    response = client.post(reverse("register:pack_new"), {"title": "\x0b\x07", "filters": "scope=strategic"})
    assert "Enter a title for the pack" in response.content.decode()


def test_a_pack_outlives_its_requester(client, scrutiny, register):
    leaver = UserFactory(username="leaver")
    pack = ScrutinyPack.objects.create(title="Left behind", partnership_ids=[1], total=1, requested_by=leaver)
    leaver.delete()
    client.force_login(scrutiny)
    assert "A former user" in client.get(pack.get_absolute_url()).content.decode()
