"""Every URL × anonymous and every role, with the exact status code expected.

A new URL pattern without a row here fails `test_every_url_has_a_rule`.
"""

import pytest
from axes.models import AccessAttempt
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from checklists import services
from checklists.models import Assessment
from partnerships.models import Partnership, Risk
from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER, SCRUTINY
from register.models import ScrutinyPack
from tests.checklists.factories import complete, tracked_action
from tests.factories import (
    CouncilFactory,
    OrganisationFactory,
    PartnershipFactory,
    RiskFactory,
    ThemeFactory,
    UserFactory,
)

ANON, NONE = "anonymous", "no role"
ROLES = [ANON, NONE, LEAD_MEMBER, SCRUTINY, OFFICER, ADMINISTRATOR]
LOGIN = "login"  # a redirect to the login page

READ = {ANON: LOGIN, NONE: 403, LEAD_MEMBER: 200, SCRUTINY: 200, OFFICER: 200, ADMINISTRATOR: 200}


def edit(ok):
    return {ANON: LOGIN, NONE: 403, LEAD_MEMBER: 403, SCRUTINY: 403, OFFICER: ok, ADMINISTRATOR: ok}


def hidden(ok):
    """An object outside what readers may see (a draft, an action a draft raised): 404 for
    them, as if it did not exist (`visible_to`); 403 still for an account with no role."""
    return {ANON: LOGIN, NONE: 403, LEAD_MEMBER: 404, SCRUTINY: 404, OFFICER: ok, ADMINISTRATOR: ok}


def administer(ok):
    """Administrators only (issue 16's import)."""
    return {ANON: LOGIN, NONE: 403, LEAD_MEMBER: 403, SCRUTINY: 403, OFFICER: 403, ADMINISTRATOR: ok}


# (url name, method, expected status per role)
MATRIX = [
    ("home", "get", {role: 302 for role in ROLES}),
    ("favicon", "get", {role: 302 for role in ROLES}),  # to the static file, for anyone
    ("login", "get", {role: 200 for role in ROLES}),
    ("logout", "post", {role: 302 for role in ROLES}),
    # How long the session has left / stay signed in: anyone may ask; it answers
    # "not signed in" to the anonymous, and extends only a signed-in session.
    ("accounts:session", "get", {role: 200 for role in ROLES}),
    ("accounts:session", "post", {role: 200 for role in ROLES}),
    # Forgot your password? and the emailed link to set one: open to everyone, signed in or not.
    ("password_reset", "get", {role: 200 for role in ROLES}),
    ("password_reset", "post", {role: 200 for role in ROLES}),  # nothing filled in: the form again, with the error
    ("password_reset_done", "get", {role: 200 for role in ROLES}),
    # A made-up link: the page saying it has expired or has been used.
    ("password_reset_confirm", "get", {role: 200 for role in ROLES}),
    ("password_reset_confirm", "post", {role: 200 for role in ROLES}),
    ("password_reset_complete", "get", {role: 200 for role in ROLES}),
    ("register:index", "get", READ),
    ("register:work", "get", READ),
    ("register:dashboard", "get", READ),
    ("register:dashboard_pdf", "get", READ),
    ("partnerships:tree", "get", READ),
    ("partnerships:detail", "get", READ),
    ("partnerships:pdf", "get", READ),
    ("partnerships:history", "get", READ),
    ("partnerships:screening", "get", edit(200)),
    ("partnerships:screening", "post", edit(200)),
    ("partnerships:create", "get", edit(302)),
    ("partnerships:edit", "get", edit(200)),
    ("partnerships:edit", "post", edit(200)),
    ("partnerships:partners", "get", edit(200)),
    ("partnerships:partners", "post", edit(200)),
    ("partnerships:organisation_new", "get", edit(200)),
    ("partnerships:organisation_new", "post", edit(200)),  # nothing filled in: the form again
    ("partnerships:partner_remove", "get", edit(405)),
    ("partnerships:partner_remove", "post", edit(302)),
    ("partnerships:risk_new", "get", edit(200)),
    ("partnerships:risk_new", "post", edit(200)),  # nothing filled in: the form again
    ("partnerships:risk_edit", "get", edit(200)),
    ("partnerships:risk_edit", "post", edit(200)),  # nothing filled in: the form again
    ("checklists:start", "get", edit(200)),
    ("checklists:start", "post", edit(200)),
    ("checklists:detail", "get", hidden(200)),  # a draft: officers only
    ("checklists:detail", "get", READ, "submitted"),
    ("checklists:pdf", "get", hidden(200)),  # a draft: officers only
    ("checklists:pdf", "get", READ, "submitted"),
    ("checklists:section", "get", hidden(200)),
    ("checklists:section", "post", hidden(200)),
    # Submitted: readers see it but may not change it; officers are sent to it with a message.
    ("checklists:section", "get", edit(302), "submitted"),
    ("checklists:section", "post", edit(302), "submitted"),
    ("checklists:check", "get", hidden(200)),
    ("checklists:check", "post", hidden(200)),  # incomplete: refused with a message
    ("checklists:check", "get", edit(302), "submitted"),
    # Approving (the link carries the version read): a confirmation page for an
    # administrator; this officer is not the lead officer, so is sent back with the reason.
    ("checklists:approve", "get", {**edit(302), ADMINISTRATOR: 200}, "submitted"),
    # Posted without the version read: sent back to read the assessment first.
    ("checklists:approve", "post", edit(302), "submitted"),
    # Only the lead officer (not this officer) or an administrator may return it.
    ("checklists:return", "get", {**edit(403), ADMINISTRATOR: 200}, "submitted"),
    # Exports (issue 16): whoever may read the register, the actions or the assessment.
    ("checklists:export_csv", "get", hidden(200)),  # a draft: officers only
    ("checklists:export_csv", "get", READ, "submitted"),
    ("checklists:export_xlsx", "get", hidden(200)),
    ("checklists:export_xlsx", "get", READ, "submitted"),
    ("register:export_csv", "get", READ),
    ("register:export_xlsx", "get", READ),
    ("actions:export_csv", "get", READ),
    ("actions:export_xlsx", "get", READ),
    ("risks:export_csv", "get", READ),
    ("risks:export_xlsx", "get", READ),
    # Importing the register (issue 16): administrators only, into their own councils' partnerships.
    ("register:import", "get", administer(200)),
    ("register:import", "post", administer(200)),  # no file: the form again, with the error
    ("register:import_preview", "get", administer(302)),  # nothing uploaded: back to the upload
    ("register:import_confirm", "get", administer(405)),
    ("register:import_confirm", "post", administer(302)),  # nothing uploaded: back to the upload
    ("register:import_template", "get", administer(200)),
    ("register:packs", "get", READ),
    ("register:pack_new", "get", READ),
    ("register:pack_new", "post", READ),  # no title: the form again, with the error
    ("register:pack", "get", READ),
    ("register:pack_progress", "get", READ),
    ("register:pack_download", "get", READ),
    # Only the requester (someone else here) or an administrator may cancel a pack; this one
    # is finished, so the administrator is sent back to it with a message.
    ("register:pack_cancel", "get", {**READ, LEAD_MEMBER: 405, SCRUTINY: 405, OFFICER: 405, ADMINISTRATOR: 405}),
    ("register:pack_cancel", "post", {**READ, LEAD_MEMBER: 403, SCRUTINY: 403, OFFICER: 403, ADMINISTRATOR: 302}),
    # Only the requester (someone else here) or an administrator may delete a pack.
    ("register:pack_delete", "get", {**READ, LEAD_MEMBER: 405, SCRUTINY: 405, OFFICER: 405, ADMINISTRATOR: 405}),
    ("register:pack_delete", "post", {**READ, LEAD_MEMBER: 403, SCRUTINY: 403, OFFICER: 403, ADMINISTRATOR: 302}),
    ("actions:index", "get", READ),
    ("risks:index", "get", READ),
    ("actions:edit", "get", edit(200)),
    ("actions:edit", "post", edit(200)),
    # An action raised by a review since returned to draft: readers do not see it.
    ("actions:edit", "get", hidden(200), "draft"),
    ("actions:edit", "post", hidden(200), "draft"),
    # Council administration (administration/): administrators only, of their own councils' people.
    ("manage:index", "get", administer(200)),
    ("manage:people", "get", administer(200)),
    ("manage:person_new", "get", administer(200)),
    ("manage:person_new", "post", administer(200)),  # nothing filled in: the form again, with the errors
    ("manage:person_check", "get", administer(302)),  # nothing entered yet: back to the form
    ("manage:person_check", "post", administer(302)),
    ("manage:person", "get", administer(200)),
    ("manage:person_added", "get", administer(200)),
    ("manage:person_change", "get", administer(200)),
    ("manage:person_change", "post", administer(200)),  # nothing filled in: the form again
    ("manage:person_deactivate", "get", administer(200)),
    ("manage:person_deactivate", "post", administer(302)),  # without the version read: back, with why
    ("manage:person_reactivate", "get", {role: 405 for role in ROLES}),
    ("manage:person_reactivate", "post", administer(302)),
    ("manage:person_invite", "get", {role: 405 for role in ROLES}),
    ("manage:person_invite", "post", administer(302)),
    ("manage:lockouts", "get", administer(200)),
    ("manage:lockout_lift", "get", {role: 405 for role in ROLES}),
    ("manage:lockout_lift", "post", administer(302)),
    ("manage:council_assurance", "get", administer(200)),
    ("manage:council_assurance", "post", administer(200)),  # nothing filled in: the form again
    # Councils: an administrator reads their own; adding and renaming are a superuser's (403 to all here).
    ("manage:councils", "get", administer(200)),
    ("manage:council_new", "get", administer(403)),
    ("manage:council_new", "post", administer(403)),
    ("manage:council", "get", administer(200)),
    ("manage:council_rename", "get", administer(403)),
    ("manage:council_rename", "post", administer(403)),
    # The register's shared lists: administrators merge duplicates (posted with nothing chosen:
    # the form again, with the error; the check is linked with the one to keep chosen).
    ("manage:organisations", "get", administer(200)),
    ("manage:organisation_merge", "get", administer(200)),
    ("manage:organisation_merge", "post", administer(200)),
    ("manage:organisation_merge_check", "get", administer(200)),
    ("manage:organisation_merge_check", "post", administer(200)),
    ("manage:themes", "get", administer(200)),
    ("manage:theme_merge", "get", administer(200)),
    ("manage:theme_merge", "post", administer(200)),
    ("manage:theme_merge_check", "get", administer(200)),
    ("manage:theme_merge_check", "post", administer(200)),
    # The Django admin is the operator's: superusers only (tests/test_admin_is_for_superusers.py).
    ("admin:index", "get", {ANON: 302, NONE: 403, LEAD_MEMBER: 403, SCRUTINY: 403, OFFICER: 403,
                            ADMINISTRATOR: 403}),
]


def url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_rule():
    ours = {name for name in url_names() if not name.startswith("admin:")}
    assert ours == {row[0] for row in MATRIX if not row[0].startswith("admin:")}


@pytest.fixture
def objects(db):
    partnership = PartnershipFactory(partners=[OrganisationFactory()], themes=[ThemeFactory()])
    author = UserFactory(username="author", role=OFFICER)
    draft = services.assessment_start(partnership=partnership, kind="checklist", title="Draft", user=author)
    submitted = services.assessment_start(partnership=partnership, kind="improvement", title="Done", user=author)
    complete(submitted, author)
    services.assessment_submit(assessment=submitted, version=submitted.version, user=author)
    area = submitted.answers.order_by("question__position").first()
    services.assessment_return(assessment=submitted, version=submitted.version, user=UserFactory(role=ADMINISTRATOR), reason="Add an action")
    services.assessment_save_answers(assessment=submitted, answers={area.question: {"meets": "no", "action": "Fix it"}},
                                     version=Assessment.objects.get(pk=submitted.pk).version, user=author)
    submitted.refresh_from_db()
    services.assessment_submit(assessment=submitted, version=submitted.version, user=author)
    # On a partnership of its own: on the first, its action would carry on the open one above.
    returned, _action = tracked_action(PartnershipFactory(), author, action="Raised, then returned")
    services.assessment_return(assessment=returned, version=returned.version, user=UserFactory(role=ADMINISTRATOR),
                               reason="Not yet")
    pack = ScrutinyPack.objects.create(title="Pack", partnership_ids=[partnership.pk], total=1, requested_by=author,
                                       status="ready", file=ContentFile(b"%PDF-1.7 pack", name="pack.pdf"), done=1)
    risk = RiskFactory(partnership=partnership)
    person = UserFactory(username="a-person", role=OFFICER, email="a-person@example.org")
    attempt = AccessAttempt.objects.create(username="a-person", ip_address="10.0.0.9", user_agent="x",
                                           failures_since_start=9, get_data="", post_data="", http_accept="",
                                           path_info="/")
    return {"person": person.pk, "attempt": attempt.pk, "council": partnership.councils.get().pk,
            "organisation": partnership.memberships.get().organisation_id,
            "other_organisation": OrganisationFactory().pk,
            "theme": partnership.themes.get().pk, "other_theme": ThemeFactory().pk,
            "pk": partnership.pk, "member_pk": partnership.memberships.get().pk, "pack": pack.pk, "risk": risk.pk,
            "draft": draft.pk, "submitted": submitted.pk, "action": submitted.actions.get().pk,
            "draft_action": _action.pk}


def url_for(name, objects, target=None):
    assessment = objects[target or "draft"]
    kwargs = {
        "checklists:start": {"partnership_pk": objects["pk"]},
        "actions:edit": {"pk": objects["draft_action" if target == "draft" else "action"]},
        "checklists:detail": {"pk": assessment},
        "checklists:pdf": {"pk": assessment},
        "checklists:section": {"pk": assessment, "number": 1},
        "checklists:check": {"pk": assessment},
        "checklists:approve": {"pk": assessment},
        "checklists:return": {"pk": assessment},
        "checklists:export_csv": {"pk": assessment},
        "checklists:export_xlsx": {"pk": assessment},
        "partnerships:detail": {"pk": objects["pk"]},
        **{name: {"pk": objects["pack"]} for name in (
            "register:pack", "register:pack_progress", "register:pack_download", "register:pack_cancel",
            "register:pack_delete")},
        "partnerships:pdf": {"pk": objects["pk"]},
        "partnerships:history": {"pk": objects["pk"]},
        "partnerships:edit": {"pk": objects["pk"]},
        "partnerships:partners": {"pk": objects["pk"]},
        "partnerships:organisation_new": {"pk": objects["pk"]},
        "partnerships:partner_remove": {"pk": objects["pk"], "member_pk": objects["member_pk"]},
        "partnerships:risk_new": {"pk": objects["pk"]},
        "partnerships:risk_edit": {"pk": objects["pk"], "risk_pk": objects["risk"]},
        **{name: {"pk": objects["person"]} for name in (
            "manage:person", "manage:person_added", "manage:person_change", "manage:person_deactivate",
            "manage:person_reactivate", "manage:person_invite")},
        "manage:lockout_lift": {"pk": objects["attempt"]},
        "manage:council_assurance": {"pk": objects["council"]},
        "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        **{name: {"pk": objects["council"]} for name in ("manage:council", "manage:council_rename")},
        **{f"manage:{kind}_merge{step}": {"pk": objects[kind]}
           for kind in ("organisation", "theme") for step in ("", "_check")},
    }.get(name, {})
    url = reverse(name, kwargs=kwargs)
    if name in ("manage:organisation_merge_check", "manage:theme_merge_check"):  # as the choice leads to it
        url += f"?into={objects['other_' + name.split(':')[1].split('_')[0]]}"
    if name in ("checklists:approve", "checklists:return"):  # as the assessment page links to them
        url += f"?version={Assessment.objects.get(pk=assessment).version}"
    return url


def login_as(client, role, councils=None):
    """Sign in with `role`, in the council of the matrix's objects unless `councils` says otherwise."""
    if role == ANON:
        return
    user = UserFactory(username=f"matrix-{role.replace(' ', '-').lower()}", role=None if role == NONE else role,
                       councils=councils)
    client.force_login(user)


CASES = [
    (row[0], row[1], role, row[2][role], row[3] if len(row) > 3 else None) for row in MATRIX for role in ROLES
]


@pytest.mark.parametrize("name, method, role, expected, target", CASES,
                         ids=[f"{n}-{m}-{t or ''}-{r}" for n, m, r, _e, t in CASES])
def test_role_gets_the_expected_status(client, objects, name, method, role, expected, target):
    login_as(client, role)
    url = url_for(name, objects, target)
    response = getattr(client, method)(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(f"{reverse('login')}?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", [NONE, LEAD_MEMBER, SCRUTINY])
def test_a_refused_user_changes_nothing(client, objects, role):
    login_as(client, role)
    client.post(url_for("partnerships:partner_remove", objects))
    client.post(url_for("partnerships:edit", objects), {"name": "Hijacked"})
    client.post(url_for("partnerships:partners", objects), {"organisation": OrganisationFactory().pk, "role": "chair"})
    client.post(url_for("checklists:approve", objects, "submitted"))
    client.post(url_for("checklists:return", objects, "submitted"), {"reason": "No"})
    client.post(url_for("checklists:start", objects), {"kind": "checklist", "title": "Sneaky"})
    client.post(url_for("checklists:section", objects), {"version": "1"})
    client.post(url_for("actions:edit", objects), {"status": "done"})
    client.post(url_for("register:pack_cancel", objects))
    client.post(url_for("register:pack_delete", objects))
    client.post(url_for("partnerships:risk_new", objects), {"standard": "trust", "likelihood": "5", "impact": "5"})
    client.post(url_for("partnerships:risk_edit", objects), {"status": "closed", "version": "1"})
    partnership = Partnership.objects.get(pk=objects["pk"])
    assert partnership.memberships.count() == 1
    assert Assessment.objects.get(pk=objects["submitted"]).status == Assessment.Status.SUBMITTED
    assert not Assessment.objects.filter(title="Sneaky").exists()
    assert Assessment.objects.get(pk=objects["draft"]).events.count() == 1
    assert Assessment.objects.get(pk=objects["submitted"]).actions.get().status == "open"
    assert partnership.name != "Hijacked"
    assert ScrutinyPack.objects.get(pk=objects["pack"]).status == ScrutinyPack.Status.READY
    assert list(Risk.objects.values_list("pk", "status", "version")) == [(objects["risk"], "open", 1)]


def test_a_refusal_page_leaks_nothing(client, objects):
    login_as(client, NONE)
    response = client.get(url_for("partnerships:detail", objects))
    assert Partnership.objects.get(pk=objects["pk"]).name not in response.content.decode()
    assert "You cannot see this page" in response.content.decode()



# URLs that name an object: with the object outside what the person may see, each is a 404.
OBJECT_URLS = {"partnerships:detail", "partnerships:pdf", "partnerships:history", "partnerships:edit",
               "partnerships:partners", "partnerships:organisation_new", "partnerships:partner_remove",
               "partnerships:risk_new", "partnerships:risk_edit",
               "checklists:start", "checklists:detail", "checklists:pdf", "checklists:section", "checklists:check",
               "checklists:approve", "checklists:return", "actions:edit",
               "checklists:export_csv", "checklists:export_xlsx",
               "register:pack", "register:pack_progress", "register:pack_download", "register:pack_cancel",
               "register:pack_delete",
               "manage:person", "manage:person_added", "manage:person_change", "manage:person_deactivate",
               "manage:person_reactivate", "manage:person_invite", "manage:lockout_lift",
               "manage:council_assurance",
               "manage:council", "manage:council_rename",
               "manage:organisation_merge", "manage:organisation_merge_check",
               "manage:theme_merge", "manage:theme_merge_check"}
# A superuser's pages: refused to every role here, whatever the object, before it is read.
SUPERUSERS_ONLY = {"manage:council_rename"}
# Partner organisations and themes are the whole register's, not a council's: an administrator
# of another council merges them too (administration.reference_data says why), so gets the page,
# but never the name of a partnership of this council that uses them (checked below).
REGISTER_WIDE = {"manage:organisation_merge", "manage:organisation_merge_check",
                 "manage:theme_merge", "manage:theme_merge_check"}
HIDDEN_CASES = [
    (row[0], row[1], role, row[3] if len(row) > 3 else None, row[2][role])
    for row in MATRIX if row[0] in OBJECT_URLS for role in (LEAD_MEMBER, SCRUTINY, OFFICER, ADMINISTRATOR)
]


def named_by_an_id(patterns=None, namespace=""):
    """The names of the URL patterns whose path takes an id (`<int:pk>`), outside the admin."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace != "admin":
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_by_an_id(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and any(
                isinstance(converter, IntConverter) for converter in pattern.pattern.converters.values()):
            yield f"{namespace}{pattern.name}"


def test_every_url_that_takes_an_id_is_checked_for_a_404():
    assert set(named_by_an_id()) == OBJECT_URLS


@pytest.mark.parametrize("name, method, role, target, usual", HIDDEN_CASES,
                         ids=[f"{n}-{m}-{t or ''}-{r}" for n, m, r, t, _u in HIDDEN_CASES])
def test_a_person_of_another_council_gets_a_404_never_the_data(client, objects, name, method, role, target, usual):
    """The council dimension of the matrix (issue 15): every partnership here is another
    council's, so every assessment, action and pack of it is a 404 to this person."""
    login_as(client, role, councils=[CouncilFactory(name="Another Borough Council")])
    response = getattr(client, method)(url_for(name, objects, target))
    # A GET of a URL that only takes a POST is refused for its method, before any object is read.
    if usual == 405 and name.startswith(("register:", "manage:")):
        assert response.status_code == 405
    elif name in SUPERUSERS_ONLY:
        assert response.status_code == 403
    elif name in REGISTER_WIDE:
        assert response.status_code == (usual if role == ADMINISTRATOR else 403)
    elif name.startswith("manage:"):  # the administration pages refuse other roles before reading anything
        assert response.status_code == (404 if role == ADMINISTRATOR else 403)
    else:
        assert response.status_code == 404
    assert Partnership.objects.get(pk=objects["pk"]).name not in response.content.decode()
    assert "a-person@example.org" not in response.content.decode()
