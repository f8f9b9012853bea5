"""Scrutiny packs: ask for one from the register's filters, watch it build, download it."""

import rules
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.access import user_passes
from register import packs
from register.models import ScrutinyPack


def can_build_packs(user) -> bool:
    return user.has_perm("register.add_scrutinypack")


def can_view_packs(user) -> bool:
    return user.has_perm("register.view_scrutinypack")


def _pack(request, pk, *, may: str) -> ScrutinyPack:
    """The pack `pk` if the person may see it (`ScrutinyPack.objects.visible_to`, else 404)
    and may do `may` to it (else 403)."""
    pack = get_object_or_404(ScrutinyPack.objects.visible_to(request.user), pk=pk)
    if not rules.has_perm(may, request.user, pack):
        raise PermissionDenied
    return pack


class PackForm(forms.Form):
    title = forms.CharField(
        label="Title of the pack", max_length=200,
        help_text="For example, the committee and meeting it is for. It is printed on the cover.",
        error_messages={"required": "Enter a title for the pack",
                        "max_length": "Title must be 200 characters or fewer"},
    )
    filters = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_title(self):
        # Printed on the cover and in the PDF's metadata (XML): no control characters.
        title = "".join(ch for ch in self.cleaned_data["title"] if ch.isprintable()).strip()
        if not title:
            raise forms.ValidationError("Enter a title for the pack")
        return title

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.text("title"), "filters", Submit("build", "Build the pack"))


@user_passes(can_build_packs)
def new(request):
    """Confirm what goes in the pack, give it a title, and queue it."""
    source = request.POST.get("filters", "") if request.method == "POST" else request.GET.urlencode()
    params = QueryDict(source, mutable=True)
    params.pop("page", None)
    _filterset, rows, summary = packs.pack_selection(params, user=request.user)
    if rows is None:
        messages.info(request, "Correct the filters before building a pack.")
        return redirect(f"{reverse('register:index')}?{params.urlencode()}")
    default_title = f"Scrutiny pack, {timezone.localdate():%-d %B %Y}"
    form = PackForm(request.POST if request.method == "POST" else None, initial={"title": default_title, "filters": params.urlencode()})
    count = rows.count()
    error = None
    # Said before a title is typed; a POST regardless is refused by pack_request with the same words.
    queue_full = (packs.queue_full_message() if request.method == "GET"
                  and packs.waiting_for(request.user).count() >= settings.SCRUTINY_PACK_QUEUE_LIMIT else None)
    if request.method == "POST" and form.is_valid():
        try:
            pack = packs.pack_request(
                partnership_ids=list(rows.values_list("pk", flat=True)), title=form.cleaned_data["title"],
                filters=params.urlencode(), filter_summary=summary, user=request.user,
            )
        except packs.PackError as exc:
            error = str(exc)
        else:
            return redirect(pack)
    return render(request, "register/pack_new.html", {
        "form": form, "count": count, "summary": summary, "filters": params.urlencode(), "error": error,
        "queue_full": queue_full,
        "limit": settings.SCRUTINY_PACK_LIMIT, "back_url": f"{reverse('register:index')}?{params.urlencode()}",
    })


@user_passes(can_view_packs)
def index(request):
    """Every pack asked for, newest first, for re-download."""
    rows = ScrutinyPack.objects.visible_to(request.user).select_related("requested_by")
    return render(request, "register/packs.html", {
        "packs": [(pack, rules.has_perm("register.delete_pack", request.user, pack)) for pack in rows],
    })


@user_passes(can_view_packs)
def detail(request, pk):
    pack = get_object_or_404(ScrutinyPack.objects.visible_to(request.user).select_related("requested_by"), pk=pk)
    return render(request, "register/pack.html", {
        "pack": pack, "can_delete": rules.has_perm("register.delete_pack", request.user, pack),
        "can_cancel": rules.has_perm("register.cancel_pack", request.user, pack),
    })


@user_passes(can_view_packs)
def progress(request, pk):
    """The pack's progress as JSON, for the page to follow while it builds. Reads only."""
    pack = get_object_or_404(
        ScrutinyPack.objects.visible_to(request.user).only("status", "done", "total", "error"), pk=pk
    )
    return JsonResponse({
        "status": pack.status, "status_label": pack.get_status_display(),
        "done": pack.done, "total": pack.total, "error": pack.error,
        "download_url": reverse("register:pack_download", args=[pk]) if pack.status == pack.Status.READY else None,
    }, headers={"Cache-Control": "no-store"})


@user_passes(can_view_packs)
def download(request, pk):
    """The pack's PDF, streamed from storage with the headers every PDF download has."""
    pack = get_object_or_404(
        ScrutinyPack.objects.visible_to(request.user).exclude(file=""), pk=pk, status=ScrutinyPack.Status.READY
    )
    try:
        file = pack.file.open("rb")
    except FileNotFoundError:
        raise Http404("The pack's file has gone") from None
    response = FileResponse(file, as_attachment=True, filename=pack.filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"  # as common.pdf.pdf_response
    return response


@user_passes(can_view_packs)
@require_POST
def cancel(request, pk):
    """Stop a pack that is waiting or being built; sent twice, the second says it is done already."""
    pack = _pack(request, pk, may="register.manage_pack")
    if packs.pack_cancel(pack=pack, user=request.user):
        messages.success(request, f"The pack “{pack.title}” has been cancelled.")
    else:
        messages.info(request, f"The pack “{pack.title}” is {pack.get_status_display().lower()}: "
                               "there is nothing to cancel.")
    return redirect(pack)


@user_passes(can_view_packs)
@require_POST
def delete(request, pk):
    pack = _pack(request, pk, may="register.manage_pack")
    try:
        packs.pack_delete(pack=pack)
    except packs.PackError as exc:
        messages.error(request, str(exc))
        return redirect(pack)
    messages.success(request, f"The pack “{pack.title}” has been deleted.")
    return redirect("register:packs")
