"""The risks, as the risks page lists them, as a CSV file or a spreadsheet (issue 16)."""

from django.conf import settings

from common.access import user_passes
from common.spreadsheets import list_download
from partnerships.exports import RISK_COLUMNS, risk_rows
from partnerships.permissions import can_view_register
from partnerships.risk_views import listed_risks


def _risks(request, extension: str):
    """The risks the risks page lists for this query string (all its pages), in its order."""
    filters, risks = listed_risks(request.GET, user=request.user)
    rows = risk_rows(risks, chunk_size=settings.EXPORT_CHUNK_SIZE) if filters.is_valid() else None
    return list_download(request, extension, name="risks", page="risks:index", columns=RISK_COLUMNS, rows=rows)


@user_passes(can_view_register)
def risks_csv(request):
    return _risks(request, "csv")


@user_passes(can_view_register)
def risks_xlsx(request):
    return _risks(request, "xlsx")
