"""The assessment PDF: what it says, who may have it, and that nothing typed into it can reach out."""

import re

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import Assessment, Template
from checklists.pdf import assessment_filename, assessment_for_pdf, assessment_pdf
from tests.checklists.factories import questions_of, start, submitted
from tests.factories import OrganisationFactory, PartnershipFactory
from tests.pdfs import page_texts, pdf_text, reader, squash


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(name="Coastal Flood Partnership", lead_officer=lead, partners=[OrganisationFactory()])


def answer_all(assessment, user, answers):
    services.assessment_save_answers(assessment=assessment, answers=answers, version=assessment.version, user=user)
    assessment.refresh_from_db()


def download(client, assessment):
    response = client.get(reverse("checklists:pdf", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


def test_a_checklist_pdf_carries_every_question_and_every_answer(client, partnership, officer, lead):
    assessment = start(partnership, officer)
    questions = questions_of(assessment)
    answers = {
        q: {"narrative": f"Answer {i}: the board meets quarterly & minutes are “published”.",
            "rating": ["assured", "partly", "not_assured"][i % 3]}
        for i, q in enumerate(questions)
    }
    answer_all(assessment, officer, answers)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    client.force_login(lead)

    text = pdf_text(download(client, assessment).content)

    assert "Coastal Flood Partnership" in text
    assert partnership.reference in text
    assert "Partnership checklist, version 1" in text
    for question in questions:
        assert squash(f"{question.letter}. {question.text}") in text
        for point in question.points:
            assert squash(point) in text
    for i in range(len(questions)):
        assert f"Answer {i}: the board meets quarterly & minutes are “published”." in text
    assert text.count("Assurance: Assured") == len(range(0, len(questions), 3))
    assert text.count("Assurance: Partly assured") == len(range(1, len(questions), 3))
    assert "Approved" in text and "by Lena Lead" in text
    assert "DRAFT" not in text


def test_an_improvement_review_pdf_has_yes_no_actions_and_the_actions_table(client, partnership, officer, lead):
    assessment = start(partnership, officer, kind=Template.Kind.IMPROVEMENT)
    areas = questions_of(assessment)
    answers = {area: {"meets": "yes"} for area in areas}
    answers[areas[2]] = {"meets": "no", "action": "Agree the council’s bottom line with the portfolio holder"}
    answer_all(assessment, officer, answers)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    client.force_login(officer)

    text = pdf_text(download(client, assessment).content)

    for area in areas:
        assert squash(area.text) in text
    assert text.count("Answer: Yes") == len(areas) - 1
    assert text.count("Answer: No") == 1
    assert "Action: Agree the council’s bottom line with the portfolio holder" in text
    action = assessment.actions.get()
    # The tracked action, with its owner, due date and status.
    assert re.search(
        r"Action Owner Due Status Agree the council’s bottom line with the portfolio holder Lena Lead "
        + action.due_date.strftime("%-d %b %Y") + " Open", text)


def test_the_footer_numbers_every_page_and_dates_the_pdf(client, partnership, officer):
    assessment = submitted(partnership, officer)
    client.force_login(officer)
    pages = page_texts(download(client, assessment).content)
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert re.search(r"Generated \d{1,2} \w+ \d{4}, \d\d:\d\d", page)


def test_a_draft_is_marked_draft_on_every_page_and_in_its_name(client, partnership, officer):
    assessment = start(partnership, officer)
    client.force_login(officer)
    response = download(client, assessment)
    pages = page_texts(response.content)
    assert all("DRAFT" in page for page in pages)
    assert "This assessment has not been submitted" in pages[0]
    assert "-DRAFT.pdf" in response["Content-Disposition"]


def test_a_returned_draft_says_why_it_was_returned(client, partnership, officer, lead):
    assessment = submitted(partnership, officer)
    services.assessment_return(assessment=assessment, version=assessment.version, user=lead, reason="Section 3 needs <evidence>")
    client.force_login(officer)
    text = pdf_text(download(client, assessment).content)
    assert "DRAFT" in text
    assert "by Lena Lead. Reason: Section 3 needs <evidence>" in text


def test_the_file_name_says_what_it_is(partnership, officer):
    review = start(partnership, officer, kind=Template.Kind.IMPROVEMENT)
    Assessment.objects.filter(pk=review.pk).update(status="submitted", submitted_by=officer,
                                                  submitted_at="2026-02-10T10:00:00Z")
    review.refresh_from_db()
    assert assessment_filename(review) == f"{partnership.reference}-improvement-review-2025-26.pdf"
    checklist = start(partnership, officer)
    Assessment.objects.filter(pk=checklist.pk).update(started_at="2026-04-01T10:00:00+01:00")
    checklist.refresh_from_db()
    assert assessment_filename(checklist) == f"{partnership.reference}-partnership-checklist-2026-27-DRAFT.pdf"


def test_the_download_is_named_and_not_cached(client, partnership, officer):
    assessment = submitted(partnership, officer)
    client.force_login(officer)
    response = download(client, assessment)
    assert response["Content-Disposition"] == f'attachment; filename="{assessment_filename(assessment)}"'
    assert "no-store" in response["Cache-Control"]


def test_the_pdf_is_tagged_titled_and_in_english(partnership, officer):
    assessment = submitted(partnership, officer)
    pdf = reader(assessment_pdf(assessment_for_pdf(pk=assessment.pk, user=officer)))
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pdf.metadata.title == f"Partnership checklist: Coastal Flood Partnership ({partnership.reference})"
    assert "pdfuaid" in pdf.xmp_metadata.rdf_root.toxml()


def test_a_very_long_answer_breaks_across_pages_and_loses_nothing(partnership, officer):
    assessment = start(partnership, officer)
    first, *rest = questions_of(assessment)
    long_answer = " ".join(f"word{i}" for i in range(3000))
    answer_all(assessment, officer, {first: {"narrative": long_answer, "rating": "partly"}})
    content = assessment_pdf(assessment_for_pdf(pk=assessment.pk, user=officer))
    pages = page_texts(content)
    assert len(pages) >= 4
    # Every word, in order, with only the running headers and footers between pages.
    assert re.findall(r"word\d+", pdf_text(content)) == long_answer.split()


def test_a_pdf_takes_the_same_queries_however_many_actions(client, partnership, officer, django_assert_max_num_queries):
    assessment = start(partnership, officer, kind=Template.Kind.IMPROVEMENT)
    answer_all(assessment, officer, {area: {"meets": "no", "action": f"Fix {area.position}"}
                                     for area in questions_of(assessment)})
    services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    assert assessment.actions.count() == 14
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        download(client, assessment)


def test_lead_members_and_scrutiny_cannot_download_a_draft(client, partnership, officer, lead_member, scrutiny):
    draft = start(partnership, officer)
    for user in (lead_member, scrutiny):
        client.force_login(user)
        # Outside what they may see (Assessment.objects.visible_to): as if it did not exist.
        assert client.get(reverse("checklists:pdf", args=[draft.pk])).status_code == 404


def test_the_assessment_pages_offer_the_pdf(client, partnership, officer, scrutiny):
    draft = start(partnership, officer)
    client.force_login(officer)
    page = client.get(reverse("checklists:detail", args=[draft.pk])).content.decode()
    assert reverse("checklists:pdf", args=[draft.pk]) in page
    assert "(marked DRAFT)" in page
    done = submitted(partnership, officer)
    client.force_login(scrutiny)
    page = client.get(reverse("checklists:detail", args=[done.pk])).content.decode()
    assert reverse("checklists:pdf", args=[done.pk]) in page
    assert "(marked DRAFT)" not in page


def test_a_missing_assessment_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("checklists:pdf", args=[999999])).status_code == 404
