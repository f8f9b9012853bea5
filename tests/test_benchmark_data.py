"""The benchmarks build their data through the services, so a domain rule added later (the next
review date, say) must not break `make bench` unnoticed: each builder is run here, once."""

import pytest

from benchmarks.pdf_worst_case import limit, worst_assessment, worst_partnership
from checklists.models import Assessment, Template
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_the_worst_case_partnership_and_assessments_can_still_be_made(officer, administrator):
    partnership = worst_partnership("word", officer)
    assert len(partnership.name) == limit(Partnership, "name")
    assert partnership.children.exists() and partnership.memberships.count() == 3
    approved = worst_assessment(partnership, Template.Kind.CHECKLIST, "prose", author=officer,
                                approver=administrator, end="approved")
    assert approved.status == Assessment.Status.APPROVED
