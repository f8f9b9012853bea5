"""Risks in the PDFs: a partnership's profile lists its risks, a scrutiny pack its partnerships'
open risks; whatever was typed is printed as text, never read as markup."""

import pytest
from django.urls import reverse

from register import packs
from register.models import ScrutinyPack
from tests.factories import PartnershipFactory, RiskFactory
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

TYPED = "Data <b>sharing</b> & <img src='file:///etc/hostname'> stalls"


def squashed(text: str) -> str:
    """Without whitespace: a line may break inside what was typed."""
    return "".join(text.split())


@pytest.fixture
def partnership(lead):
    partnership = PartnershipFactory(name="Coastal Flood Partnership", lead_officer=lead)
    RiskFactory(partnership=partnership, likelihood=4, impact=4, mitigation="Quarterly meetings of chief officers")
    RiskFactory(partnership=partnership, standard="", description=TYPED, likelihood=2, impact=3,
                mitigation="Protocol <renewed> yearly")
    RiskFactory(partnership=partnership, standard="priorities", description="Priorities change", likelihood=5,
                impact=5, status="closed")
    return partnership


def test_the_profile_lists_open_risks_highest_first_and_closed_ones_apart(client, partnership, scrutiny):
    client.force_login(scrutiny)
    response = client.get(reverse("partnerships:pdf", args=[partnership.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    risks = text[text.index("Risks A risk’s score"):]
    assert "banded high 15–25, medium 8–14 and low 1–7" in risks
    assert risks.index("Trust breaks down") < risks.index("Data <b>sharing</b> &") < risks.index("Closed risks")
    assert "Likely (4) Major (4) High 16 Lena Lead" in risks
    assert "Mitigation: Quarterly meetings of chief officers" in risks
    assert squashed(TYPED) in squashed(risks) and "Protocol <renewed> yearly" in risks
    assert "Low 6" in risks
    assert risks.index("Closed risks") < risks.index("Priorities change") and "High 25" in risks


def test_a_profile_without_risks_says_so(client, scrutiny):
    client.force_login(scrutiny)
    response = client.get(reverse("partnerships:pdf", args=[PartnershipFactory().pk]))
    assert "No open risks." in pdf_text(response.content)


def test_a_pack_shows_each_partnerships_highest_open_risk_and_lists_its_open_risks(partnership, scrutiny):
    quiet = PartnershipFactory(name="Quiet Partnership")
    pack = packs.build(ScrutinyPack.objects.create(
        title="Risks pack", partnership_ids=[partnership.pk, quiet.pk], total=2, requested_by=scrutiny).pk)
    with pack.file.open("rb") as file:
        text = pdf_text(file.read())
    summary = text[text.index("Partnerships in this pack"):text.index("Open risks Each")]
    assert "Highest open risk" in summary and "High 16" in summary and "None" in summary
    risks = text[text.index("Open risks Each"):text.index("Contents")]
    assert "Partnerships not listed here have no open risks." in risks
    assert f"Coastal Flood Partnership ({partnership.reference})" in risks
    assert risks.index("Trust breaks down") < risks.index("Data <b>sharing</b> &")
    assert squashed(TYPED) in squashed(risks)
    assert "Priorities change" not in risks  # closed
    assert "Quiet Partnership" not in risks
