"""The register table's cells, worked out once in Python (issue 15).

At 50 rows a page the template engine spent most of the register's time on a row's
filters and method calls (labels, money and date formats, the overdue check, links):
about 0.4 ms a row. Here each is one plain value the template prints.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import dateformat

from partnerships.models import is_review_overdue


def add_cells(rows) -> None:
    """Give each (partnership, latest assessment) row's partnership its `cells`."""
    for partnership, latest in rows:
        partnership.cells = cells(partnership, latest)


def cells(p, latest) -> dict:
    lead = p.lead_officer
    review = p.next_review_due
    return {
        "url": p.get_absolute_url(),
        "classification": f"{p.get_scope_display()}, {p.get_basis_display().lower()}, "
                          f"{p.get_membership_display().lower()}, {p.get_level_display().lower()}",
        "status": p.get_status_display(),
        "status_class": p.status_tag_class,
        "lead_officer": lead.get_full_name() or lead.username,
        "councils": ", ".join(c.short_name for c in p.councils.all()),
        # As floatformat:"0g" shows it: whole pounds, halves rounded up, thousands grouped.
        "contribution": f"{p.annual_contribution.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}",
        "next_review": dateformat.format(review, "j M Y") if review else "",
        "overdue": is_review_overdue(review, p.status),
        "latest_url": reverse("checklists:detail", args=[latest.pk]) if latest else "",
        "latest_kind": ("Checklist" if latest.template.kind == "checklist" else "Review") if latest else "",
        "latest_status": latest.get_status_display() if latest else "",
        "latest_class": latest.status_tag_class if latest else "",
    }
