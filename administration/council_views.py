"""The councils the register serves: an administrator reads their own councils' pages; a
superuser adds councils and renames any (an administrator asking to is refused, 403).

Every page starts from `councils_administered_by` (another council's page is a 404 to an
administrator), as the people pages start from `people_visible_to`.
"""

from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render

from administration import services
from administration.forms import CouncilForm
from administration.models import ChangeRecord
from administration.people import councils_administered_by
from checklists.models import AssurancePolicy
from common.access import user_passes
from partnerships.models import Council
from partnerships.permissions import is_administrator


def is_superuser(user) -> bool:
    return user.is_superuser


def _count(through) -> Coalesce:
    """How many rows of a council's many-to-many table (its people, its partnerships) name it."""
    rows = through.objects.filter(council=OuterRef("pk")).order_by().values("council")
    return Coalesce(Subquery(rows.annotate(count=Count("pk")).values("count"), output_field=IntegerField()), 0)


@user_passes(is_administrator)
def councils(request):
    # Two counting subqueries, not two joins: joined, a council's people times its partnerships
    # are rows to count (a hundred officers and a thousand partnerships, 100,000 of them).
    listed = councils_administered_by(request.user).annotate(
        people=_count(Council.members.through), partnership_count=_count(Council.partnerships.through))
    return render(request, "administration/councils.html", {"councils": listed})


@user_passes(is_superuser)
def council_new(request):
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_add(by=request.user, **form.cleaned_data)
        except services.AdministrationError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"{council.name} has been added.")
            return redirect("manage:council", pk=council.pk)
    return render(request, "administration/council_form.html", {
        "form": form, "title": "Add a council", "first": not Council.objects.exists()})


@user_passes(is_administrator)
def council(request, pk):
    council = get_object_or_404(councils_administered_by(request.user), pk=pk)
    return render(request, "administration/council.html", {
        "council": council,
        "people": council.members.count(),
        "partnerships": council.partnerships.count(),
        "policy": AssurancePolicy.of(council),
        "changes": ChangeRecord.objects.filter(council=council)[:100],
    })


@user_passes(is_superuser)
def council_rename(request, pk):
    council = get_object_or_404(councils_administered_by(request.user), pk=pk)
    if request.method == "POST":
        form = CouncilForm(request.POST, submit_label="Save changes")
        version = request.POST.get("version", "")
        if form.is_valid():
            try:
                changed = services.council_rename(by=request.user, council=council, version=version,
                                                  **form.cleaned_data)
            except services.AdministrationError as error:
                form.add_error(error.field, str(error))
            else:
                messages.success(request, "The council has been renamed." if changed else "Nothing was changed.")
                return redirect("manage:council", pk=council.pk)
    else:
        form = CouncilForm(initial=services.council_state(council), submit_label="Save changes")
        version = services.council_version(council)
    return render(request, "administration/council_form.html", {
        "form": form, "council": council, "version": version, "title": f"Rename {council.name}"})
