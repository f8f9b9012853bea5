"""Every kind of PDF passes the machine-checkable part of PDF/UA-1, as the `pdfua` package checks it.

Above all, table header cells carry their scope (UA-15-003): WeasyPrint ties data cells to
their headers but leaves the headers' /Scope out, so common.pdf adds it.
"""

import io

import pytest
from django.urls import reverse
from pdfua import validate
from pypdf import PdfReader

from checklists import services
from checklists.models import Template
from register import packs
from register.models import ScrutinyPack
from tests.checklists.factories import start, submitted, tracked_action
from tests.factories import PartnershipFactory, RiskFactory


def findings(content: bytes) -> list[str]:
    report = validate(io.BytesIO(content))
    return [f"{finding.rule_id} {finding.severity.name}: {finding.message}" for finding in report.findings]


def header_scopes(content: bytes) -> list[str]:
    """The /Scope of every table header cell in the structure tree."""
    scopes = []

    def walk(element):
        element = element.get_object()
        if not hasattr(element, "get"):
            return
        if element.get("/S") == "/TH":
            scopes.append(str(element.get("/A", {}).get("/Scope")))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(PdfReader(io.BytesIO(content)).trailer["/Root"]["/StructTreeRoot"])
    return scopes


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(name="Youth Justice Board", lead_officer=lead)


def assessment_pdf(client, assessment) -> bytes:
    response = client.get(reverse("checklists:pdf", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content


def test_the_partnership_profile_passes(client, officer, partnership):
    tracked_action(partnership, officer)
    RiskFactory(partnership=partnership)
    RiskFactory(partnership=partnership, likelihood=5, impact=5, status="closed")
    client.force_login(officer)
    content = client.get(reverse("partnerships:pdf", args=[partnership.pk])).content
    assert findings(content) == []
    assert set(header_scopes(content)) == {"/Row", "/Column"}  # fact tables by row, actions and risks by column


@pytest.mark.parametrize("kind", [Template.Kind.CHECKLIST, Template.Kind.IMPROVEMENT])
def test_an_approved_assessment_passes(client, officer, lead, partnership, kind):
    assessment = submitted(partnership, officer, kind=kind)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    client.force_login(officer)
    content = assessment_pdf(client, assessment)
    assert findings(content) == []
    assert header_scopes(content) and "None" not in header_scopes(content)


def test_a_draft_with_actions_passes(client, officer, partnership):
    review, _action = tracked_action(partnership, officer)
    draft = start(partnership, officer, Template.Kind.IMPROVEMENT, "2027")
    client.force_login(officer)
    assert findings(assessment_pdf(client, draft)) == []
    content = assessment_pdf(client, review)
    assert findings(content) == []
    assert "/Column" in header_scopes(content)  # the actions table's headings head columns


def test_a_scrutiny_pack_passes(officer, lead, partnership):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    other = PartnershipFactory(name="Not yet assessed")
    RiskFactory(partnership=partnership)
    pack = ScrutinyPack.objects.create(title="Audit Committee", partnership_ids=[partnership.pk, other.pk],
                                       requested_by=officer, total=2)
    pack = packs.build(pack.pk)
    with pack.file.open("rb") as file:
        content = file.read()
    assert findings(content) == []
    assert {"/Row", "/Column"} <= set(header_scopes(content))


def test_the_dashboard_passes_with_its_charts(client, officer, lead, partnership):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="limited")
    client.force_login(officer)
    content = client.get(reverse("register:dashboard_pdf")).content
    assert findings(content) == []
    assert set(header_scopes(content)) == {"/Row", "/Column"}
