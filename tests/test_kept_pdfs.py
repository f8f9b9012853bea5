"""A PDF that shows what an earlier one showed is that one, not laid out again
(common.pdf.kept_pdf); whatever changes what it shows makes a new one."""

import re
from datetime import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import Action
from common import pdf
from tests.checklists.factories import submitted, tracked_action
from tests.factories import OrganisationFactory, PartnershipFactory
from tests.pdfs import pdf_text


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(name="Coastal Flood Partnership", lead_officer=lead, partners=[OrganisationFactory()])


@pytest.fixture
def layouts(monkeypatch):
    """How many PDFs WeasyPrint has been asked to lay out."""
    made = []
    real = pdf.render_document

    def counted(template_name, context):
        made.append(template_name)
        return real(template_name, context)

    monkeypatch.setattr(pdf, "render_document", counted)
    return made


def assessment_pdf(client, assessment):
    response = client.get(reverse("checklists:pdf", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content


def test_the_same_assessment_downloaded_again_is_the_pdf_already_made(client, partnership, officer, layouts):
    assessment = submitted(partnership, officer)
    client.force_login(officer)

    first = assessment_pdf(client, assessment)
    again = assessment_pdf(client, assessment)

    assert again == first
    assert layouts == ["pdf/assessment.html"]


def test_another_reader_who_sees_the_same_is_given_the_same_pdf(client, partnership, officer, lead, layouts):
    assessment = submitted(partnership, officer)
    client.force_login(officer)
    first = assessment_pdf(client, assessment)
    client.force_login(lead)

    assert assessment_pdf(client, assessment) == first
    assert len(layouts) == 1


def test_an_assessment_that_moves_on_is_laid_out_again(client, partnership, officer, lead, layouts):
    assessment = submitted(partnership, officer)
    client.force_login(lead)
    before = pdf_text(assessment_pdf(client, assessment))
    assessment.refresh_from_db()
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")

    after = pdf_text(assessment_pdf(client, assessment))

    assert "by Lena Lead" not in before and "by Lena Lead" in after
    assert len(layouts) == 2


def test_an_action_whose_status_changes_is_laid_out_again(client, partnership, officer, lead, layouts):
    assessment, action = tracked_action(partnership, officer, action="Agree a flood plan")
    client.force_login(officer)
    assert "In progress" not in pdf_text(assessment_pdf(client, assessment))

    services.action_update(action=action, owner=action.owner, due_date=action.due_date,
                           status=Action.Status.IN_PROGRESS, version=action.version, user=officer)

    assert "In progress" in pdf_text(assessment_pdf(client, assessment))
    assert len(layouts) == 2


def test_a_register_entry_that_changes_gives_a_new_profile_pdf(client, partnership, officer, layouts):
    client.force_login(officer)
    url = reverse("partnerships:pdf", args=[partnership.pk])
    assert "Coastal Flood Partnership" in pdf_text(client.get(url).content)
    assert client.get(url).status_code == 200
    assert len(layouts) == 1

    partnership.name = "Coastal and Estuary Flood Partnership"
    partnership.save()

    assert "Coastal and Estuary Flood Partnership" in pdf_text(client.get(url).content)
    assert len(layouts) == 2


def test_a_kept_pdf_says_when_it_was_made(client, partnership, officer, monkeypatch):
    assessment = submitted(partnership, officer)
    client.force_login(officer)
    at = lambda moment: SimpleNamespace(localtime=lambda: datetime.fromisoformat(moment))  # noqa: E731
    monkeypatch.setattr(pdf, "timezone", at("2026-03-02 09:15:00+00:00"))
    first = pdf_text(assessment_pdf(client, assessment))
    monkeypatch.setattr(pdf, "timezone", at("2026-03-02 10:40:00+00:00"))

    again = pdf_text(assessment_pdf(client, assessment))

    assert re.findall(r"Generated 2 March 2026, 09:15", again)
    assert "10:40" not in again
    assert again == first


def test_writing_to_a_file_keeps_nothing(tmp_path, kept_pdfs, partnership, officer):
    from checklists.pdf import assessment_for_pdf
    from checklists.pdf import assessment_pdf as render

    assessment = assessment_for_pdf(pk=submitted(partnership, officer).pk, user=officer)
    render(assessment, target=tmp_path / "report.pdf")

    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "pdfs").exists() or not any((tmp_path / "pdfs").iterdir())


def test_a_folder_that_cannot_be_written_or_read_still_gives_the_pdf(client, partnership, officer, monkeypatch,
                                                                     kept_pdfs, caplog):
    assessment = submitted(partnership, officer)
    client.force_login(officer)

    def refused(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(kept_pdfs, "get", refused)
    monkeypatch.setattr(kept_pdfs, "set", refused)

    assert "Coastal Flood Partnership" in pdf_text(assessment_pdf(client, assessment))
    assert "Kept PDFs could not be read" in caplog.text and "A PDF could not be kept" in caplog.text


def test_readers_who_see_different_registers_are_given_different_dashboards(client, officer, administrator,
                                                                            layouts):
    from tests.factories import CouncilFactory

    ours, theirs = CouncilFactory(name="Wessex Vale"), CouncilFactory(name="Harbourside")
    ours.members.add(officer)
    theirs.members.add(administrator)
    ours.members.add(administrator)
    PartnershipFactory(name="Vale Partnership", councils=[ours])
    PartnershipFactory(name="Harbour Partnership", councils=[theirs])
    url = reverse("register:dashboard_pdf")

    client.force_login(administrator)
    both = pdf_text(client.get(url).content)
    client.force_login(officer)
    one = pdf_text(client.get(url).content)

    assert "2 partnerships" in both and "1 partnership " in one
    assert len(layouts) == 2


def test_a_pdf_kept_before_a_new_stylesheet_is_not_served_after_it(client, partnership, officer, layouts,
                                                                   monkeypatch):
    assessment = submitted(partnership, officer)
    client.force_login(officer)
    assessment_pdf(client, assessment)
    monkeypatch.setattr(pdf, "layout_version", lambda: "a later release")

    assessment_pdf(client, assessment)

    assert len(layouts) == 2


def test_a_damaged_kept_pdf_is_made_again(client, partnership, officer, kept_pdfs, tmp_path):
    assessment = submitted(partnership, officer)
    client.force_login(officer)
    first = assessment_pdf(client, assessment)
    for kept in (tmp_path / "pdfs").glob("*.djcache"):
        kept.write_bytes(kept.read_bytes()[:40] + b"not what was kept")

    assert assessment_pdf(client, assessment)[:5] == first[:5] == b"%PDF-"
