"""Partner organisations and themes: the shared lists, each item with how many of the
partnerships the administrator sees use it, and merging a duplicate into the one to keep
(choose, check, merge). Why an administrator may merge what other councils use, and what
they are shown of those councils' partnerships: administration.reference_data.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from administration import reference_data
from administration.forms import MergeForm
from administration.services import AdministrationError
from common.access import user_passes
from common.querystrings import url_with
from partnerships.permissions import is_administrator


def _list_url(kind) -> str:
    return reverse(f"manage:{kind.plural}")


@user_passes(is_administrator)
def reference_list(request, kind):
    search = request.GET.get("q", "")[:200]
    items = reference_data.reference_list(kind=kind, user=request.user, search=search)
    page = Paginator(items.order_by("name", "pk"), 100).get_page(request.GET.get("page"))
    return render(request, "administration/reference_list.html", {
        "kind": kind, "search": search, "page": page,
        "merges": reference_data.merges_visible_to(request.user, kind),
        "previous_url": url_with(request.GET, page=page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_with(request.GET, page=page.next_page_number()) if page.has_next() else None,
    })


def _item_or_message(request, kind, pk):
    """The item `pk`, or None with a message saying it is gone (merged already, say): the
    lists are the whole register's, so there is nothing here to hide."""
    item = kind.model.objects.filter(pk=pk).first()
    if item is None:
        messages.info(request, reference_data.gone(kind, pk))
    return item


@user_passes(is_administrator)
def merge(request, kind, pk):
    """Step one: choose the organisation or theme to keep."""
    duplicate = _item_or_message(request, kind, pk)
    if duplicate is None:
        return redirect(_list_url(kind))
    form = MergeForm(request.POST or None, kind=kind, duplicate=duplicate,
                     initial={"into": request.GET.get("into")})
    if request.method == "POST" and form.is_valid():
        return redirect(f"{reverse(f'manage:{kind.singular}_merge_check', args=[pk])}"
                        f"?into={form.cleaned_data['into'].pk}")
    return render(request, "administration/merge_form.html", {"kind": kind, "duplicate": duplicate, "form": form})


@user_passes(is_administrator)
def merge_check(request, kind, pk):
    """Step two: check what the merge does to the partnerships the administrator sees, then merge."""
    duplicate = _item_or_message(request, kind, pk)
    if duplicate is None:
        return redirect(_list_url(kind))
    chosen = request.POST.get("into") if request.method == "POST" else request.GET.get("into")
    if not chosen and request.method == "GET":
        return redirect(f"manage:{kind.singular}_merge", pk=pk)
    form = MergeForm({"into": chosen}, kind=kind, duplicate=duplicate)
    if not form.is_valid():  # nothing chosen, itself, or the one to keep gone meanwhile: choose again
        return render(request, "administration/merge_form.html",
                      {"kind": kind, "duplicate": duplicate, "form": form})
    kept = form.cleaned_data["into"]
    if request.method == "POST":
        try:
            reference_data.reference_merge(by=request.user, kind=kind, duplicate_pk=duplicate.pk, kept_pk=kept.pk)
        except AdministrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{duplicate.name} has been merged into {kept.name}.")
        return redirect(_list_url(kind))
    return render(request, "administration/merge_check.html", {
        "kind": kind, "plan": reference_data.merge_plan(kind=kind, duplicate=duplicate, kept=kept, user=request.user),
    })
