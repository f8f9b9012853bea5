"""Importing the register (issue 16): upload a file, check its preview, confirm.

Nothing is written until the administrator confirms. The upload is kept (`RegisterImport`)
under their session between the preview and the confirm; confirming reads it again,
writes only if the plan is still the one they saw, and claims the upload in the same
transaction, so confirming twice (two tabs, a double click) imports once.
"""

from datetime import timedelta

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.access import user_passes
from common.spreadsheets import xlsx_response
from register.import_files import MAX_BYTES, PAGE_MAX_ROWS, megabytes
from register.import_template import template_sheets
from register.imports import can_import_register, import_register
from register.models import RegisterImport

SESSION_KEY = "register_import"
ABANDONED = timedelta(days=1)  # an upload not confirmed after this long is let go
SHOWN = 500  # rows of each kind, and problems, listed on the preview; the counts say how many in all


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the register file",
        help_text=f"A CSV or XLSX file in the layout of the register's download, smaller than "
                  f"{megabytes(MAX_BYTES)}, with at most {PAGE_MAX_ROWS:,} partnerships.",
        error_messages={"required": "Choose a CSV or XLSX file to upload",
                        "empty": "The file is empty", "invalid": "Choose a CSV or XLSX file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("file"), Submit("upload", "Upload and check"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # said before it is read
            raise forms.ValidationError(f"The file must be smaller than {megabytes(MAX_BYTES)}: it is "
                                        f"{megabytes(upload.size)}.")
        return upload


def _pending(request) -> RegisterImport | None:
    """The upload this person's session is previewing, if it is still waiting."""
    pk = request.session.get(SESSION_KEY)
    return RegisterImport.objects.filter(pk=pk, uploaded_by=request.user,
                                         status=RegisterImport.Status.PREVIEWED).first() if pk else None


@user_passes(can_import_register)
def start(request):
    """Upload a file; the preview follows. A file nobody can read is refused here, in words."""
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(MAX_BYTES + 1)
        filename = upload.name[-255:]
        plan, _written = import_register(filename=filename, content=content, user=request.user, dry_run=True,
                                         max_rows=PAGE_MAX_ROWS)
        if any(problem.row is None for problem in plan.problems):  # the file as a whole: nothing to preview
            for problem in plan.problems:
                form.add_error("file", str(problem))
        else:
            # An earlier upload of theirs that was never confirmed goes (one waits at a time), and
            # anyone's left unconfirmed for a day: the files are not kept longer than they are needed.
            waiting = RegisterImport.objects.filter(status=RegisterImport.Status.PREVIEWED)
            waiting.filter(Q(uploaded_by=request.user) | Q(uploaded_at__lt=timezone.now() - ABANDONED)).delete()
            pending = RegisterImport.objects.create(uploaded_by=request.user, filename=filename, content=content,
                                                    fingerprint=plan.fingerprint, summary=plan.summary())
            request.session[SESSION_KEY] = pending.pk
            return redirect("register:import_preview")
    return render(request, "register/import.html", {"form": form, "back_url": reverse("register:index")})


@user_passes(can_import_register)
def preview(request):
    """What the import would do, and every problem with the file, before anything is written."""
    pending = _pending(request)
    if pending is None:
        messages.info(request, "Upload a file to import: there is no import waiting to be checked.")
        return redirect("register:import")
    summary = pending.summary
    context = {
        "pending": pending, "summary": summary, "shown": SHOWN,
        "counts": {kind: len(summary[kind]) for kind in ("create", "update", "unchanged", "problems")},
        "lists": {kind: summary[kind][:SHOWN] for kind in ("create", "update", "unchanged", "problems")},
        "new": [(label, summary["new"][kind]) for kind, label in (
            ("organisation", "New partner organisations"), ("theme", "New themes"), ("officer", "New officers"),
            ("lead member", "New lead members’ accounts")) if summary["new"][kind]],
    }
    return render(request, "register/import_preview.html", context)


@user_passes(can_import_register)
@require_POST
def confirm(request):
    """Write the previewed import: all its rows or none; never the same upload twice."""
    pk = request.session.get(SESSION_KEY)
    with transaction.atomic():
        claimed = RegisterImport.objects.filter(pk=pk, uploaded_by=request.user,
                                                status=RegisterImport.Status.PREVIEWED).update(
            status=RegisterImport.Status.IMPORTED, imported_at=timezone.now()) if pk else 0
        if not claimed:
            messages.info(request, "That import has already been done, or was replaced by another upload: "
                                   "nothing more has been written. Upload a file to import it.")
            return redirect("register:import")
        pending = RegisterImport.objects.get(pk=pk)
        plan, written = import_register(filename=pending.filename, content=bytes(pending.content),
                                        user=request.user, expected=pending.fingerprint, max_rows=PAGE_MAX_ROWS)
        if not written:
            transaction.set_rollback(True)
    if not written:
        RegisterImport.objects.filter(pk=pk).update(fingerprint=plan.fingerprint, summary=plan.summary())
        messages.info(request, "The register has changed since you checked this file, so nothing has been "
                               "written. Check the import again below." if not plan.problems else
                      "Nothing has been written: the file has problems to correct.")
        return redirect("register:import_preview")
    RegisterImport.objects.filter(pk=pk).update(content=b"", summary=plan.summary())
    del request.session[SESSION_KEY]
    created, updated = len(plan.of("create")), len(plan.of("update"))
    messages.success(request, f"Imported {pending.filename}: {created} partnership{'s' if created != 1 else ''} "
                              f"registered, {updated} updated, {len(plan.of('unchanged'))} unchanged.")
    return redirect(reverse("register:index"))


@user_passes(can_import_register)
def template(request):
    """An empty register file with a sheet of notes on every column and its allowed values."""
    return xlsx_response(filename="partnership-register-import-template.xlsx", sheets=template_sheets())
