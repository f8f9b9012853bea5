"""Long text in the PDFs: whatever a form accepts wraps inside the page, and costs WeasyPrint
work in proportion to its length. Before, a 6,000-character Purpose typed as one word took
minutes: tables sized to their content measured it once per character.

No test here is timed. They check what made it slow is gone (every table laid out fixed,
the text handed to Pango bounded by the text on the pages) and what the reader sees
(all the text, on lines inside the page)."""

import string

import pytest
import weasyprint
from django.template import Context, Template
from django.urls import reverse
from weasyprint.formatting_structure import boxes
from weasyprint.text import line_break

from checklists import services
from checklists.models import Answer, Assessment
from checklists.models import Template as Tool
from common import pdf
from common.templatetags.pdf_text import LONG_RUN, ZERO_WIDTH_SPACE, breakable
from partnerships.models import Partnership, Risk
from register import packs
from register.models import ScrutinyPack
from tests.checklists.factories import complete, questions_of, start
from tests.factories import OrganisationFactory, PartnershipFactory, RiskFactory
from tests.pdfs import page_texts, pdf_text, text_lines

MM = 72 / 25.4  # points
MARGIN, TOP, BOTTOM = 18 * MM, 22 * MM, 24 * MM  # the page's margins (report.css)
SENTENCE = "The board reviews its delivery plan every quarter and reports to scrutiny once a year. "


def limit(model, field: str) -> int:
    """The longest text the field accepts (the benchmarks fill fields the same way)."""
    return model._meta.get_field(field).max_length or 10_000


def word(length: int) -> str:
    """One unbroken run of letters, as if typed with no spaces."""
    return (string.ascii_letters * (length // len(string.ascii_letters) + 1))[:length]


def prose(length: int) -> str:
    return (SENTENCE * (length // len(SENTENCE) + 1))[:length].strip()


def squashed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def pango_characters(monkeypatch):
    """Counts the characters WeasyPrint hands to Pango to lay out: the work a PDF costs."""
    counted = {"characters": 0}
    set_text = line_break.Layout.set_text

    def counting_set_text(layout, text, *args, **kwargs):
        newline = text.find("\n")  # Layout.set_text keeps only up to the first line break
        counted["characters"] += len(text) if newline == -1 else newline + 2
        return set_text(layout, text, *args, **kwargs)

    monkeypatch.setattr(line_break.Layout, "set_text", counting_set_text)
    return counted


@pytest.fixture
def documents(monkeypatch):
    """Every WeasyPrint document laid out while the test runs."""
    laid_out = []
    html_document = pdf.html_document

    def recording(*args, **kwargs):
        laid_out.append(html_document(*args, **kwargs))
        return laid_out[-1]

    monkeypatch.setattr(pdf, "html_document", recording)
    return laid_out


def submit(assessment, user):
    assessment.refresh_from_db()
    services.assessment_submit(assessment=assessment, version=assessment.version, user=user)
    assessment.refresh_from_db()


def approve(assessment, user):
    services.assessment_approve(assessment=assessment, version=assessment.version, user=user, assurance="substantial")


def get_pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def profile(client, partnership) -> bytes:
    return get_pdf(client, reverse("partnerships:pdf", args=[partnership.pk]))


def assessment_pdf(client, assessment) -> bytes:
    return get_pdf(client, reverse("checklists:pdf", args=[assessment.pk]))


def assert_inside_the_pages(content: bytes) -> list[dict]:
    lines = [line for line in text_lines(content) if not watermark(line)]
    for line in lines:
        assert line["xMin"] >= MARGIN - 1 and line["xMax"] <= line["width"] - MARGIN + 1, line
        assert line["yMin"] >= 0 and line["yMax"] <= line["height"], line
    return lines


def watermark(line: dict) -> bool:
    """A letter of a draft's DRAFT watermark: 110 pt, turned, drawn across the page on purpose."""
    return line["yMax"] - line["yMin"] > 40


def assert_wrapped(content: bytes, text: str) -> None:
    """`text` is in the PDF in full, split over lines that each fit inside the page."""
    lines = assert_inside_the_pages(content)
    # The pages' bodies, read in order, without the running headers and footers between them.
    body = [line["text"] for line in lines if line["yMin"] > TOP and line["yMax"] < line["height"] - BOTTOM]
    assert squashed(text) in squashed(" ".join(body))
    holding = [line for line in body if line and squashed(line) in text]
    assert len(holding) >= len(text) // 150  # about 100 letters fit on a line at most


# The filter that gives long runs break opportunities.

def test_it_leaves_ordinary_text_as_it_is():
    text = "Cut youth offending,\nwith the police and the youth offending service. " + "x" * LONG_RUN
    assert breakable(text) == text


def test_it_gives_a_long_run_a_break_opportunity_between_its_characters():
    run = word(LONG_RUN + 1)
    assert breakable(f"Before {run} after") == f"Before {ZERO_WIDTH_SPACE.join(run)} after"


def test_it_never_splits_a_letter_from_its_accent_nor_an_emoji_sequence():
    accented = "e\u0301" * 40  # e and a combining acute accent
    family = "\U0001F468\u200D\U0001F469\u200D\U0001F467" * 30  # joined by zero-width joiners
    flags = "\U0001F1EC\U0001F1E7" * 40  # regional indicators: the Union flag
    for run in (accented, family, flags):
        broken = breakable(run)
        assert broken.replace(ZERO_WIDTH_SPACE, "") == run
        for piece in broken.split(ZERO_WIDTH_SPACE)[1:]:
            assert piece[0] not in "\u0301\u200D" and not (piece[0] == "\U0001F1E7")


def test_what_it_returns_is_escaped_like_any_text():
    value = "<script>" + "x" * 100 + "</script>"
    rendered = Template("{% load pdf_text %}{{ value|breakable }}").render(Context({"value": value}))
    assert "<" not in rendered and rendered.replace(ZERO_WIDTH_SPACE, "").startswith("&lt;script&gt;xxx")


# What made long text slow is gone.

@pytest.mark.django_db
def test_every_table_in_every_pdf_is_laid_out_fixed(client, officer, administrator, documents):
    """Automatic table layout measures each cell's text one break opportunity at a time."""
    partnership = PartnershipFactory(lead_officer=officer, partners=[OrganisationFactory()])
    PartnershipFactory(parent=partnership)
    RiskFactory(partnership=partnership)
    review = start(partnership, officer, kind=Tool.Kind.IMPROVEMENT)
    services.assessment_save_answers(
        assessment=review, answers={area: {"meets": "no", "action": "Agree a plan."} for area in questions_of(review)},
        version=review.version, user=officer)
    client.force_login(administrator)
    assessment_pdf(client, review)  # a draft: its actions proposed, in a table
    submit(review, officer)
    approve(review, administrator)
    assessment_pdf(client, review)  # approved: its tracked actions
    profile(client, partnership)  # partners, sub-partnerships, assessments, open actions, risks
    packs.build(ScrutinyPack.objects.create(title="Pack", partnership_ids=[partnership.pk], requested_by=officer,
                                            total=1).pk)

    tables = [box for document in documents for page in document.pages for box in descendants(page._page_box)
              if isinstance(box, boxes.TableBox)]
    classes = {box.element.get("class") for box in tables}
    assert {"facts", "data actions", "data partners", "data sub-partnerships", "data assessments",
            "data proposed-actions", "data summary", "data risks"} <= classes
    assert all(box.style["table_layout"] == "fixed" for box in tables)


def descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from descendants(child)


@pytest.mark.django_db
def test_a_long_word_costs_pango_work_in_proportion_to_its_length(client, officer, pango_characters):
    """Before, each line of a long run (and in a table, each character) laid out the rest of it again."""
    client.force_login(officer)
    partnership = PartnershipFactory(purpose=word(2000), performance_notes=word(2000))
    assessment = start(partnership, officer)
    services.assessment_save_answers(
        assessment=assessment, answers={q: {"narrative": word(2000)} for q in questions_of(assessment)[:2]},
        version=assessment.version, user=officer)

    for url in (reverse("partnerships:pdf", args=[partnership.pk]), reverse("checklists:pdf", args=[assessment.pk])):
        pango_characters["characters"] = 0
        drawn = len(squashed(pdf_text(get_pdf(client, url))))
        assert pango_characters["characters"] < 30 * drawn, (url, pango_characters, drawn)  # 1,500 times before


def test_laying_out_a_word_ten_times_longer_is_about_ten_times_the_work(pango_characters):
    work = []
    for length in (2_000, 20_000):
        html = f'<p><span class="pre-wrap">{breakable(word(length))}</span></p>'
        pages = weasyprint.HTML(string=html).render(stylesheets=[pdf.stylesheet()], font_config=pdf.fonts()).pages
        assert pages
        work.append(pango_characters["characters"])
        pango_characters["characters"] = 0
    assert work[1] < 15 * work[0], work


# What the reader sees.

@pytest.mark.django_db
def test_a_purpose_typed_as_one_word_is_all_there_on_lines_inside_the_page(client, officer):
    purpose, notes = word(limit(Partnership, "purpose")), word(limit(Partnership, "performance_notes"))
    partnership = PartnershipFactory(purpose=purpose, performance_notes=notes, lead_member=word(150))
    client.force_login(officer)
    content = profile(client, partnership)
    assert_wrapped(content, purpose)
    assert_wrapped(content, notes)


@pytest.mark.django_db
def test_a_risk_typed_as_one_word_is_all_there_on_lines_inside_the_page(client, officer):
    description, mitigation = word(limit(Risk, "description")), word(limit(Risk, "mitigation"))
    partnership = PartnershipFactory(lead_officer=officer)
    risk = RiskFactory(partnership=partnership, standard="", description=description, mitigation=mitigation)
    client.force_login(officer)
    content = profile(client, partnership)
    pack = ScrutinyPack.objects.create(title="Risks", partnership_ids=[partnership.pk], requested_by=officer, total=1)
    with packs.build(pack.pk).file.open("rb") as file:
        pack_content = file.read()
    for pdf_content in (content, pack_content):
        lines = assert_inside_the_pages(pdf_content)
        body = squashed(" ".join(line["text"] for line in lines if TOP < line["yMin"] < line["height"] - BOTTOM))
        # The row's other cells are read in among the risk's first line, and a row longer than a
        # page goes on under the table's headings, repeated on the next page.
        for cell in ("Risk and mitigation", "Likelihood", "Impact", "Score", "Owner", "Next review",
                     "Possible (3)", "Moderate (3)", "Medium 9", "Olivia Okafor", f"{risk.review_date:%-d %b %Y}"):
            body = body.replace(squashed(cell), "")
        assert f"{description}Mitigation:{mitigation}" in body


@pytest.mark.django_db
def test_a_long_purpose_starts_on_the_first_page(client, officer):
    """Kept whole, a purpose longer than a page was pushed on, leaving pages all but empty."""
    partnership = PartnershipFactory(purpose=prose(limit(Partnership, "purpose")))
    client.force_login(officer)
    first_page = page_texts(profile(client, partnership))[0]
    assert "About the partnership Purpose and aims The board reviews" in first_page


@pytest.mark.django_db
def test_answers_and_actions_typed_as_one_word_wrap_inside_the_page(client, officer, administrator):
    partnership = PartnershipFactory(lead_officer=officer)
    checklist, review = start(partnership, officer), start(partnership, officer, kind=Tool.Kind.IMPROVEMENT)
    narrative, action = word(limit(Answer, "narrative")), word(limit(Answer, "action"))
    complete(checklist, officer)
    services.assessment_save_answers(
        assessment=checklist, answers={questions_of(checklist)[0]: {"narrative": narrative, "rating": "assured"}},
        version=checklist.version, user=officer)
    services.assessment_save_answers(
        assessment=review, answers={questions_of(review)[0]: {"meets": "no", "action": action}},
        version=review.version, user=officer)
    client.force_login(administrator)
    assert_wrapped(assessment_pdf(client, checklist), narrative)
    assert_wrapped(assessment_pdf(client, review), action)  # twice: the answer and the proposed action

    submit(checklist, officer)
    reason = word(limit(Assessment, "return_reason"))
    services.assessment_return(assessment=checklist, version=checklist.version, user=administrator, reason=reason)
    assert_wrapped(assessment_pdf(client, checklist), reason)


@pytest.mark.django_db
def test_a_long_unbroken_name_and_title_stay_inside_the_page(client, officer):
    """Running headers repeat the name on every page: it used to run over the edge."""
    partnership = PartnershipFactory(name=word(limit(Partnership, "name")))
    draft = start(partnership, officer, title=word(limit(Assessment, "title")))
    client.force_login(officer)
    assert_inside_the_pages(profile(client, partnership))
    assert_inside_the_pages(assessment_pdf(client, draft))  # a draft's header is narrower, with DRAFT


@pytest.mark.django_db
def test_a_pack_with_a_long_title_and_long_answers_stays_inside_the_page(officer, administrator):
    partnership = PartnershipFactory(name=word(limit(Partnership, "name")), lead_officer=administrator)
    checklist = start(partnership, officer)
    narrative = word(limit(Answer, "narrative"))
    complete(checklist, officer)
    services.assessment_save_answers(
        assessment=checklist, version=checklist.version, user=officer,
        answers={q: {"narrative": narrative, "rating": "assured"} for q in questions_of(checklist)[:3]})
    submit(checklist, officer)
    approve(checklist, administrator)
    pack = ScrutinyPack.objects.create(title=word(limit(ScrutinyPack, "title")), partnership_ids=[partnership.pk],
                                       requested_by=officer, total=1)
    with packs.build(pack.pk).file.open("rb") as file:
        content = file.read()
    assert_wrapped(content, narrative)
