"""Council administration: the people of an administrator's councils and their sign-in lockouts.

Every page starts from `people_visible_to` (a person of another council is a 404) and asks
`change_refusal` before changing anyone (a person shared with a council the administrator
does not administer is shown, read-only, with who can change them: 403 to a change).
"""

import logging
import smtplib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.emails import send_set_password_email
from administration import services
from administration.forms import NewPersonForm, PeopleFilters, PersonForm
from administration.models import ChangeRecord
from administration.people import (
    change_refusal,
    councils_administered_by,
    locked_attempts,
    lockouts_visible_to,
    people_visible_to,
    person_state,
    person_version,
    role_of,
    who_can_change,
)
from common.access import user_passes
from common.people import display_name
from common.querystrings import url_with
from partnerships.models import Council
from partnerships.permissions import is_administrator
from partnerships.roles import ROLES

logger = logging.getLogger(__name__)

NEW_PERSON = "administration_new_person"  # the session key of a person being added, before they are checked


@user_passes(is_administrator)
def index(request):
    return render(request, "administration/index.html", {
        "people": people_visible_to(request.user).count(),
        "lockouts": lockouts_visible_to(request.user).count(),
        # A superuser administers every council: the first few here (a national register has hundreds).
        "councils": councils_administered_by(request.user)[:12],
    })


def listed_people(params, *, user):
    """The filters and the people they list, by name."""
    filters = PeopleFilters(params, by=user)
    people = people_visible_to(user)
    if not filters.is_valid():
        return filters, people.none()
    data = filters.cleaned_data
    if words := data["name"].strip():
        people = people.filter(Q(first_name__icontains=words) | Q(last_name__icontains=words)
                               | Q(username__icontains=words) | Q(email__icontains=words))
    if data["role"] == "none":
        people = people.exclude(groups__name__in=ROLES)
    elif data["role"]:
        people = people.filter(groups__name=data["role"])
    if data["council"]:
        people = people.filter(councils=data["council"])
    if data["active"]:
        people = people.filter(is_active=data["active"] == "yes")
    locked = Exists(locked_attempts().filter(username=OuterRef("username")))
    people = people.annotate(locked_out=locked)
    if data["locked"]:
        people = people.filter(locked_out=True)
    return filters, people.prefetch_related("groups", Prefetch("councils", queryset=Council.objects.order_by("name")))


@user_passes(is_administrator)
def people(request):
    filters, listed = listed_people(request.GET, user=request.user)
    page = Paginator(listed.order_by("first_name", "last_name", "username"), 50).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.role = role_of(person)
    return render(request, "administration/people.html", {
        "filters": filters, "page": page,
        "previous_url": url_with(request.GET, page=page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_with(request.GET, page=page.next_page_number()) if page.has_next() else None,
    })


def _person(request, pk, *, change=False):
    """The person `pk` if the administrator may see them (else 404), and may change them when
    `change` (else 403)."""
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    if change and (refusal := change_refusal(request.user, person)):
        raise PermissionDenied(refusal)
    return person


@user_passes(is_administrator)
def person(request, pk):
    person = _person(request, pk)
    refusal = change_refusal(request.user, person)
    return render(request, "administration/person.html", {
        "person": person,
        "state": person_state(person),
        "version": person_version(person),
        "refusal": refusal,
        "who_can_change": who_can_change(person) if refusal and not person.is_superuser else [],
        "lockouts": lockouts_visible_to(request.user).filter(username=person.username),
        "changes": ChangeRecord.objects.filter(person=person)[:100],
        "has_password": person.has_usable_password(),
    })


@user_passes(is_administrator)
def person_new(request):
    """Step one of adding a person: their details; then they are checked before saving."""
    if request.method == "POST":
        form = NewPersonForm(request.POST, by=request.user)
        if form.is_valid():
            data = form.cleaned_data
            request.session[NEW_PERSON] = {**{key: data[key] for key in (
                "first_name", "last_name", "email", "username", "role")},
                "councils": [council.pk for council in data["councils"]]}
            return redirect("manage:person_check")
    else:
        form = NewPersonForm(initial=request.session.get(NEW_PERSON) or _default_councils(request.user),
                             by=request.user)
    return render(request, "administration/person_form.html", {"form": form, "title": "Add a person"})


def _default_councils(user) -> dict:
    councils = list(councils_administered_by(user)[:2])
    return {"councils": [councils[0].pk]} if len(councils) == 1 else {}


@user_passes(is_administrator)
def person_check(request):
    """Check the new person's details, then add them and send them a link to set their password."""
    stored = request.session.get(NEW_PERSON)
    if not stored:
        messages.info(request, "Enter the person’s details first.")
        return redirect("manage:person_new")
    form = NewPersonForm(stored, by=request.user)
    if not form.is_valid():  # a council taken away or a username taken meanwhile
        return render(request, "administration/person_form.html", {"form": form, "title": "Add a person"})
    if request.method == "POST":
        data = form.cleaned_data
        try:
            person = services.person_add(by=request.user, username=data["username"], first_name=data["first_name"],
                                         last_name=data["last_name"], email=data["email"], role=data["role"],
                                         councils=data["councils"])
        except services.AdministrationError as error:
            form.add_error(None, str(error))
            return render(request, "administration/person_form.html", {"form": form, "title": "Add a person"})
        del request.session[NEW_PERSON]
        _invite(request, person)
        return redirect("manage:person_added", pk=person.pk)
    data = form.cleaned_data
    return render(request, "administration/person_check.html", {"data": data, "rows": [
        ("Name", f"{data['first_name']} {data['last_name']}"),
        ("Email address", data["email"]),
        ("Username", data["username"]),
        ("Role", data["role"]),
        ("Councils", ", ".join(council.name for council in data["councils"])),
    ]})


@user_passes(is_administrator)
def person_added(request, pk):
    person = _person(request, pk)
    return render(request, "administration/person_added.html", {
        "person": person, "reset_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        "invited": ChangeRecord.objects.filter(person=person, kind=ChangeRecord.Kind.INVITATION_SENT).exists()})


@user_passes(is_administrator)
def person_change(request, pk):
    person = _person(request, pk, change=True)
    if request.method == "POST":
        form = PersonForm(request.POST, by=request.user, person=person)
        if form.is_valid():
            data = form.cleaned_data
            try:
                records = services.person_change(
                    by=request.user, person=person, version=request.POST.get("version", ""),
                    first_name=data["first_name"], last_name=data["last_name"], email=data["email"],
                    role=data["role"], councils=data["councils"])
            except services.AdministrationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The changes have been saved." if records else "Nothing was changed.")
                return redirect("manage:person", pk=person.pk)
        version = request.POST.get("version", "")
    else:
        state = person_state(person)
        form = PersonForm(initial={**state, "councils": list(person.councils.all())}, by=request.user, person=person)
        version = person_version(person)
    return render(request, "administration/person_form.html", {
        "form": form, "person": person, "version": version,
        "title": f"Change {display_name(person)}"})


@user_passes(is_administrator)
def person_deactivate(request, pk):
    """Confirm, then deactivate: they can no longer sign in; their work and history stay."""
    person = _person(request, pk, change=True)
    if request.method == "POST":
        return _set_active(request, person, active=False)
    return render(request, "administration/person_deactivate.html",
                  {"person": person, "version": person_version(person)})


@require_POST
@user_passes(is_administrator)
def person_reactivate(request, pk):
    return _set_active(request, _person(request, pk, change=True), active=True)


def _set_active(request, person, *, active):
    try:
        changed = services.person_set_active(by=request.user, person=person, version=request.POST.get("version", ""),
                                             active=active)
    except services.AdministrationError as error:
        messages.error(request, str(error))
    else:
        name = display_name(person)
        if changed is None:
            messages.info(request, f"{name} was already {'active' if active else 'deactivated'}.")
        elif active:
            messages.success(request, f"{name} can sign in again.")
        else:
            messages.success(request, f"{name} has been deactivated: they can no longer sign in. "
                                      "Their work and its history stay on the register.")
    return redirect("manage:person", pk=person.pk)


@require_POST
@user_passes(is_administrator)
def person_invite(request, pk):
    """Send the person a link to set their password again (their first one expired, say)."""
    person = _person(request, pk, change=True)
    if not person.is_active or not person.email:
        messages.error(request, "Only an active person with an email address can be sent a link.")
    elif _invite(request, person):
        messages.success(request, f"A link to set their password has been sent to {person.email}.")
    return redirect("manage:person", pk=person.pk)


def _invite(request, person) -> bool:
    """Email `person` a link to set their password, and record it; if the mail server
    cannot take it, say so (the person stays added; the link can be sent again)."""
    try:
        send_set_password_email(user=person, request=request)
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not send a set-password email to person %s", person.pk)
        messages.error(request, "The email with the link to set a password could not be sent: the mail server "
                                "did not take it. Try again from the person’s page in a few minutes.")
        return False
    services.person_invited(by=request.user, person=person)
    return True


@user_passes(is_administrator)
def lockouts(request):
    attempts = list(lockouts_visible_to(request.user).order_by("-attempt_time")[:200])
    people = {person.username: person for person in people_visible_to(request.user).filter(
        username__in=[attempt.username for attempt in attempts]).prefetch_related("councils")}
    for attempt in attempts:
        attempt.person = people.get(attempt.username)
        attempt.may_lift = attempt.person is None or change_refusal(request.user, attempt.person) is None
    return render(request, "administration/lockouts.html", {
        "attempts": attempts, "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)})


@require_POST
@user_passes(is_administrator)
def lockout_lift(request, pk):
    """Lift a lockout of one of the administrator's people (another council's: 404)."""
    attempt = get_object_or_404(lockouts_visible_to(request.user), pk=pk)
    person = people_visible_to(request.user).filter(username=attempt.username).first()
    if person is not None and (refusal := change_refusal(request.user, person)):
        raise PermissionDenied(refusal)
    try:
        services.lockout_lift(by=request.user, attempt=attempt, person=person)
    except services.AdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{attempt.username} can try to sign in again.")
    if person is not None and request.POST.get("from") == "person":
        return redirect("manage:person", pk=person.pk)
    return redirect("manage:lockouts")
