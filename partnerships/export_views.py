"""The risks, as the risks page lists them, as a CSV file or a spreadsheet (issue 16)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from common.access import user_passes
from common.querystrings import url_with
from common.spreadsheets import dated_filename, spreadsheet_response
from partnerships.exports import RISK_COLUMNS, risk_rows
from partnerships.permissions import can_view_register
from partnerships.risk_views import listed_risks


def _risks(request, extension: str):
    """The risks the risks page lists for this query string (all its pages), in its order;
    with filters it cannot read, the risks page, which says what to correct."""
    filters, risks = listed_risks(request.GET, user=request.user)
    if not filters.is_valid():
        messages.info(request, "Correct the filters before downloading the risks.")
        return redirect(f"{reverse('risks:index')}{url_with(request.GET, page=None)}")
    return spreadsheet_response(extension, filename=dated_filename("partnership-risks", extension),
                                title="Risks", columns=RISK_COLUMNS,
                                rows=risk_rows(risks, chunk_size=settings.EXPORT_CHUNK_SIZE))


@user_passes(can_view_register)
def risks_csv(request):
    return _risks(request, "csv")


@user_passes(can_view_register)
def risks_xlsx(request):
    return _risks(request, "xlsx")
