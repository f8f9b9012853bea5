"""The register, exactly as filtered and sorted on its page, as a CSV file or a spreadsheet (issue 16)."""

from django.conf import settings

from common.access import user_passes
from common.spreadsheets import list_download
from partnerships.permissions import can_view_register
from register.exports import COLUMNS, register_rows
from register.packs import pack_selection


def _register(request, extension: str):
    """The partnerships the register page shows for this query string (all its pages), in its order."""
    _filterset, partnerships, _summary = pack_selection(request.GET, user=request.user)
    rows = (register_rows(partnerships, user=request.user, chunk_size=settings.EXPORT_CHUNK_SIZE)
            if partnerships is not None else None)
    return list_download(request, extension, name="register", page="register:index", columns=COLUMNS, rows=rows)


@user_passes(can_view_register)
def register_csv(request):
    return _register(request, "csv")


@user_passes(can_view_register)
def register_xlsx(request):
    return _register(request, "xlsx")
