"""Actions (as the actions page lists them) and one assessment as CSV or XLSX (issue 16)."""

from django.conf import settings

from checklists.action_views import listed_actions
from checklists.exports import ACTION_COLUMNS, action_rows, assessment_columns, assessment_rows
from checklists.pdf import assessment_filename, assessment_for_pdf
from common.access import user_passes
from common.spreadsheets import list_download, spreadsheet_response
from partnerships.permissions import can_view_register


def _actions(request, extension: str):
    """The actions the actions page lists for this query string (all its pages), in its order."""
    _show, filters, actions = listed_actions(request.GET, user=request.user)
    rows = action_rows(actions, chunk_size=settings.EXPORT_CHUNK_SIZE) if filters.is_valid() else None
    return list_download(request, extension, name="actions", page="actions:index", columns=ACTION_COLUMNS, rows=rows)


@user_passes(can_view_register)
def actions_csv(request):
    return _actions(request, "csv")


@user_passes(can_view_register)
def actions_xlsx(request):
    return _actions(request, "xlsx")


def _assessment(request, pk: int, extension: str):
    """Anyone who may read the assessment may download it, as its PDF (`visible_to`: else 404)."""
    assessment = assessment_for_pdf(pk=pk, user=request.user)
    return spreadsheet_response(extension, filename=assessment_filename(assessment, extension=extension),
                                title="Assessment", columns=assessment_columns(assessment),
                                rows=assessment_rows(assessment))


@user_passes(can_view_register)
def assessment_csv(request, pk):
    return _assessment(request, pk, "csv")


@user_passes(can_view_register)
def assessment_xlsx(request, pk):
    return _assessment(request, pk, "xlsx")
