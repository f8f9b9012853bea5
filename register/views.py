from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from checklists.models import may_work_on_assessments
from common.access import user_passes
from common.pdf import pdf_response, render_pdf
from common.querystrings import url_with
from partnerships.permissions import can_register_partnership, can_view_register
from register import work as work_lists
from register.dashboard import dashboard_figures
from register.filters import active_filters
from register.imports import can_import_register
from register.paging import RegisterPaginator
from register.selectors import in_register_order, latest_assessments, register_partnerships, table_rows
from register.table import add_cells, rows_html

# (label, sort key or None, numeric column)
# The reference sits under the name, so every column fits at 1280 px (`sort=reference` still works).
COLUMNS = [
    ("Partnership", "name", False),
    ("Classification", None, False),
    ("Status", "status", False),
    ("Lead officer", "lead_officer", False),
    ("Councils", None, False),
    ("Annual contribution", "contribution", True),
    ("Next review", "next_review", False),
    ("Highest open risk", None, False),
    ("Latest assessment", None, False),
]


def _columns(params, current_sort: str):
    columns = []
    for label, key, numeric in COLUMNS:
        column = {"label": label, "numeric": numeric, "sort_url": None, "aria_sort": None}
        if key:
            if current_sort == key:
                column["aria_sort"], next_sort = "ascending", f"-{key}"
            elif current_sort == f"-{key}":
                column["aria_sort"], next_sort = "descending", key
            else:
                column["aria_sort"], next_sort = "none", key
            column["sort_url"] = url_with(params, sort=next_sort, page=None)
        columns.append(column)
    return columns


@user_passes(can_view_register)
def index(request):
    params = request.GET.copy()
    # The filter form sends every field, most of them empty; a register link is shared
    # and bookmarked, so it is read back as ?scope=strategic&basis=statutory.
    empty = [name for name, values in params.lists() if not any(value.strip() for value in values)]
    if empty:
        for name in empty:
            del params[name]
        return redirect(f"{request.path}?{params.urlencode()}" if params else request.path)
    filterset = register_partnerships(filters=params, user=request.user)
    paginator = RegisterPaginator(in_register_order(filterset.qs), settings.REGISTER_PAGE_SIZE, rows=table_rows,
                                  count_key=filterset.count_key() if filterset.form.is_valid() else None)
    page = paginator.get_page(params.get("page"))
    current_sort = params.get("sort", "") if filterset.form.is_valid() else ""
    latest = latest_assessments(partnerships=page.object_list, user=request.user)
    shown = [(partnership, latest.get(partnership.pk)) for partnership in page.object_list]
    add_cells(shown)
    context = {
        "filterset": filterset,
        "page": page,
        "rows": shown,
        "rows_html": rows_html(shown),
        "columns": _columns(params, current_sort),
        "active_filters": active_filters(filterset, params),
        "clear_url": request.path,
        "previous_url": url_with(params, page=page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_with(params, page=page.next_page_number()) if page.has_next() else None,
        "page_links": [
            {"number": n, "url": url_with(params, page=n) if n != paginator.ELLIPSIS else None}
            for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ],
        "can_register": can_register_partnership(request.user),
        "can_import": can_import_register(request.user),
        "export_query": url_with(params, page=None),  # the downloads: every page, as filtered and sorted
        "pack_url": (
            f"{reverse('register:pack_new')}{url_with(params, page=None)}"
            if request.user.has_perm("register.add_scrutinypack")
            and 0 < page.paginator.count <= settings.SCRUTINY_PACK_LIMIT else None
        ),
        "pack_too_big": request.user.has_perm("register.add_scrutinypack")
        and page.paginator.count > settings.SCRUTINY_PACK_LIMIT,
        "pack_limit": settings.SCRUTINY_PACK_LIMIT,
        "dashboard_url": f"{reverse('register:dashboard')}{url_with(params, page=None, sort=None)}",
    }
    return render(request, "register/index.html", context)


@user_passes(can_view_register)
def work(request):
    """Your work: what is waiting for the person signed in, each list saying so when it is empty."""
    user = request.user
    officer = may_work_on_assessments(user)
    work_lists.forget_waiting_count(request)  # the lists are counted afresh: so is the navigation's count
    return render(request, "register/work.html", {
        "officer": officer,
        "awaiting": work_lists.awaiting_approval(user),
        "drafts": work_lists.my_drafts(user),
        "actions": work_lists.my_actions(user),
        "reviews": work_lists.reviews_due(user),
        "portfolio": work_lists.portfolio(user),
        "approved": work_lists.newest_approved(user),
        "today": timezone.localdate(),
    })


def _dashboard_context(request):
    filterset, figures = dashboard_figures(filters=request.GET, user=request.user)
    params = request.GET.copy()
    for name in ("page", "sort"):
        params.pop(name, None)
    return filterset, {
        "filterset": filterset,
        "figures": figures,
        "active_filters": active_filters(filterset, params) if figures is not None else [],
        "register_url": f"{reverse('register:index')}{url_with(params)}",
        "pdf_url": f"{reverse('register:dashboard_pdf')}{url_with(params)}",
        "clear_url": reverse("register:dashboard"),
        "today": timezone.localdate(),
    }


@user_passes(can_view_register)
def dashboard(request):
    """The register, or any filter of it, at a glance: the register's filters, carried both ways."""
    _filterset, context = _dashboard_context(request)
    return render(request, "register/dashboard.html", context)


@user_passes(can_view_register)
def dashboard_pdf(request):
    """The dashboard on one or two A4 pages, for a committee agenda."""
    filterset, context = _dashboard_context(request)
    if context["figures"] is None:
        messages.info(request, "Correct the filters before downloading the dashboard.")
        return redirect(f"{reverse('register:dashboard')}{url_with(request.GET)}")
    content = render_pdf("pdf/dashboard.html", context)
    return pdf_response(content, f"partnership-dashboard-{timezone.localdate():%Y-%m-%d}.pdf")
