"""The register, exactly as filtered and sorted on its page, as a CSV file or a spreadsheet (issue 16)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from common.access import user_passes
from common.querystrings import url_with
from common.spreadsheets import dated_filename, spreadsheet_response
from partnerships.permissions import can_view_register
from register.exports import COLUMNS, register_rows
from register.packs import pack_selection


def _register(request, extension: str):
    """The partnerships the register page shows for this query string (all its pages), in its
    order; with filters it cannot read, the register page, which says what to correct."""
    _filterset, partnerships, _summary = pack_selection(request.GET, user=request.user)
    if partnerships is None:
        messages.info(request, "Correct the filters before downloading the register.")
        return redirect(f"{reverse('register:index')}{url_with(request.GET, page=None)}")
    rows = register_rows(partnerships, user=request.user, chunk_size=settings.EXPORT_CHUNK_SIZE)
    return spreadsheet_response(extension, filename=dated_filename("partnership-register", extension),
                                title="Register", columns=COLUMNS, rows=rows)


@user_passes(can_view_register)
def register_csv(request):
    return _register(request, "csv")


@user_passes(can_view_register)
def register_xlsx(request):
    return _register(request, "xlsx")
