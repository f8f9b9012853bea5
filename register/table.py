"""The register table's cells, worked out once in Python (issue 15).

At 50 rows a page the template engine spent most of the register's time on a row's
filters and method calls (labels, money and date formats, the overdue check, links):
about 0.4 ms a row. Here each is one plain value the template prints.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import dateformat

from checklists.models import Assessment
from partnerships.models import Assurance, Partnership, Risk, is_review_overdue

_LABELS = {field: dict(Partnership._meta.get_field(field).flatchoices)
           for field in ("scope", "basis", "membership", "level", "status")}
_ASSESSMENT_STATUS = dict(Assessment.Status.choices)
_ASSURANCE = dict(Assurance.choices)
_PK = 2_147_483_647  # stands for the id in a link reversed once a page, not once a row


def add_cells(rows) -> None:
    """Give each (partnership, latest assessment) row's partnership its `cells`."""
    links = {name: reverse(name, args=[_PK]).replace(str(_PK), "{}")
             for name in ("partnerships:detail", "checklists:detail")}
    for partnership, latest in rows:
        partnership.cells = cells(partnership, latest, links)


def cells(p, latest, links) -> dict:
    lead = p.lead_officer
    review = p.next_review_due
    band = Risk.band_of(p.highest_risk) if p.highest_risk else None
    return {
        "url": links["partnerships:detail"].format(p.pk),  # p.get_absolute_url()
        "classification": f"{_LABELS['scope'][p.scope]}, {_LABELS['basis'][p.basis].lower()}, "
                          f"{_LABELS['membership'][p.membership].lower()}, {_LABELS['level'][p.level].lower()}",
        "status": _LABELS["status"][p.status],
        "status_class": p.status_tag_class,
        "lead_officer": lead.get_full_name() or lead.username,
        "councils": ", ".join(c.short_name for c in p.councils.all()),
        # As floatformat:"0g" shows it: whole pounds, halves rounded up, thousands grouped.
        "contribution": f"{p.annual_contribution.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}",
        "next_review": dateformat.format(review, "j M Y") if review else "",
        "overdue": is_review_overdue(review, p.status),
        "risk": f"{band.label} {p.highest_risk}" if band else "",
        "risk_class": Risk.BAND_TAG_CLASSES[band] if band else "",
        "latest_url": links["checklists:detail"].format(latest.pk) if latest else "",
        "latest_kind": ("Checklist" if latest.template.kind == "checklist" else "Review") if latest else "",
        "latest_status": _ASSESSMENT_STATUS[latest.status] if latest else "",
        "assurance": _ASSURANCE.get(p.latest_assurance, ""),
        "latest_class": latest.status_tag_class if latest else "",
    }
