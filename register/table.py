"""The register table's rows, worked out and written in Python (issue 15).

At 50 rows a page the template engine spent most of the register's time on a row's
filters and method calls (labels, money and date formats, the overdue check, links):
about 0.4 ms a row. Each is worked out here once (`cells`); then the rows are written out
here too (`rows_html`), as the template engine took another 4-10 ms a page (as fast as
the host ran) to print 50 rows of plain values, twice the time this takes. Every value
goes through format_html, so whatever users typed is escaped as the template would
escape it.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from checklists.models import Assessment
from common.people import display_name
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
        "lead_officer": display_name(lead),
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


# One row of templates/register/index.html's table; the column headings are the template's.
ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{name}</a><br>'
    '<span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-0">{reference}</span></td>'
    '<td class="govuk-table__cell" data-label="Classification">{classification}</td>'
    '<td class="govuk-table__cell" data-label="Status"><strong class="govuk-tag {status_class}">{status}</strong></td>'
    '<td class="govuk-table__cell" data-label="Lead officer">{lead_officer}</td>'
    '<td class="govuk-table__cell" data-label="Councils">{councils}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Annual contribution">£{contribution}</td>'
    '<td class="govuk-table__cell" data-label="Next review">{next_review}</td>'
    '<td class="govuk-table__cell" data-label="Highest open risk">{risk}</td>'
    '<td class="govuk-table__cell" data-label="Latest assessment">{latest}{assurance}</td>'
    "</tr>\n"
)
NONE = mark_safe('<span class="govuk-hint govuk-!-margin-0">None</span>')
NOT_SET = mark_safe('<span class="govuk-hint govuk-!-margin-0">Not set</span>')


def rows_html(rows) -> SafeString:
    """The table body's rows for (partnership, latest assessment) pairs whose partnerships
    have their `cells` (`add_cells`)."""
    return mark_safe("".join(_row_html(partnership, latest) for partnership, latest in rows))


def _row_html(p, latest) -> SafeString:
    c = p.cells
    if not c["next_review"]:
        review = NOT_SET
    elif c["overdue"]:
        review = format_html('<span class="app-overdue">{}</span><br>'
                             '<strong class="govuk-tag govuk-tag--red">Overdue</strong>', c["next_review"])
    else:
        review = c["next_review"]
    return format_html(
        ROW, url=c["url"], name=p.name, reference=p.reference, classification=c["classification"],
        status_class=c["status_class"], status=c["status"], lead_officer=c["lead_officer"], councils=c["councils"],
        contribution=c["contribution"], next_review=review,
        risk=format_html('<strong class="govuk-tag {}">{}</strong>', c["risk_class"], c["risk"]) if c["risk"] else NONE,
        latest=format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a><br>'
            '<strong class="govuk-tag {}">{}</strong>',
            c["latest_url"], c["latest_kind"], latest.title, c["latest_class"], c["latest_status"],
        ) if latest else NONE,
        assurance=format_html('<br><span class="app-assurance">{}</span>', c["assurance"]) if c["assurance"] else "",
    )
