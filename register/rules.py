"""Who may do what to one object: every object rule of the register, in one place (issue 15).

What a person may *see* is decided by the querysets' `visible_to(user)` (Partnership,
Assessment, Action, ScrutinyPack); pages fetch through them, so an object outside is a 404.
These rules answer what they may *do* to an object they can see, as named permissions of
the `rules` package, registered here and loaded by its autodiscovery. They live in
`register`, the app that reads the other two, so one module can name them all.

Ask them with `rules.has_perm(name, user, obj)`. `user.has_perm(name, obj)` (and the
`{% has_perm %}` tag) reach the same rules through `ObjectPermissionBackend`, but Django
answers yes to every permission for an active superuser whatever the object, and some of
these rules must hold for a superuser too: an approved assessment is read-only, and nobody
approves what they submitted (four eyes).

Each rule that names a partnership starts from `Partnership.is_visible_to`, the one-object
twin of `Partnership.objects.visible_to`, so council scope added there reaches every rule.
"""

import rules

from checklists.models import Assessment, may_work_on_assessments
from checklists.services import approval_refusal
from partnerships.permissions import is_administrator
from register.models import ScrutinyPack

# --- About the person -------------------------------------------------------------------

@rules.predicate
def edits_partnerships(user) -> bool:
    return user.has_perm("partnerships.change_partnership")


@rules.predicate
def registers_partnerships(user) -> bool:
    return user.has_perm("partnerships.add_partnership")


@rules.predicate
def adds_organisations(user) -> bool:
    return user.has_perm("partnerships.add_organisation")


@rules.predicate
def works_on_assessments(user) -> bool:
    return may_work_on_assessments(user)


@rules.predicate
def administers(user) -> bool:
    return is_administrator(user)


@rules.predicate
def reads_packs(user) -> bool:
    return user.has_perm("register.view_scrutinypack")


@rules.predicate
def builds_packs(user) -> bool:
    return user.has_perm("register.add_scrutinypack")


@rules.predicate
def deletes_any_pack(user) -> bool:
    """Administrators."""
    return user.has_perm("register.delete_scrutinypack")


# --- About the object (asked without one, each says no) -----------------------------------

@rules.predicate
def sees_partnership(user, partnership) -> bool:
    return partnership is not None and partnership.is_visible_to(user)


@rules.predicate
def is_unsaved(user, partnership) -> bool:
    return partnership is not None and partnership.pk is None


@rules.predicate
def leads_partnership(user, partnership) -> bool:
    return partnership is not None and partnership.lead_officer_id == user.pk


@rules.predicate
def sees_its_partnership(user, obj) -> bool:
    """For an assessment or an action: its partnership is one the person may see."""
    return obj is not None and obj.partnership.is_visible_to(user)


@rules.predicate
def is_draft(user, assessment) -> bool:
    return assessment is not None and assessment.status == Assessment.Status.DRAFT


@rules.predicate
def is_submitted(user, assessment) -> bool:
    return assessment is not None and assessment.status == Assessment.Status.SUBMITTED


@rules.predicate
def passes_four_eyes(user, assessment) -> bool:
    """`checklists.services.approval_refusal`, which the approving services ask too: never
    whoever submitted it or wrote its answers; only the lead officer or an administrator."""
    return assessment is not None and approval_refusal(user, assessment) is None


@rules.predicate
def requested_pack(user, pack) -> bool:
    return pack is not None and pack.requested_by_id == user.pk


@rules.predicate
def pack_is_waiting(user, pack) -> bool:
    return pack is not None and pack.is_waiting


@rules.predicate
def pack_is_building(user, pack) -> bool:
    return pack is not None and pack.status == ScrutinyPack.Status.BUILDING


# --- The rules ------------------------------------------------------------------------

edit_partnership = edits_partnerships & sees_partnership
# Handing over is for the current lead officer or an administrator, or anyone registering
# a new one: otherwise any officer could make themselves lead officer to approve.
change_lead_officer = (is_unsaved & registers_partnerships) | (
    ~is_unsaved & edit_partnership & (leads_partnership | administers)
)
approve_assessment = works_on_assessments & sees_its_partnership & is_submitted & passes_four_eyes
manage_pack = reads_packs & (deletes_any_pack | (builds_packs & requested_pack))

rules.add_perm("partnerships.edit_partnership", edit_partnership)
rules.add_perm("partnerships.change_lead_officer", change_lead_officer)
# A partner not on the list of organisations yet, added from the partnership's partners page.
rules.add_perm("partnerships.add_organisation_as_partner", edit_partnership & adds_organisations)

rules.add_perm("checklists.start_assessment", works_on_assessments & sees_partnership)
rules.add_perm("checklists.edit_assessment", works_on_assessments & sees_its_partnership & is_draft)
rules.add_perm("checklists.approve_assessment", approve_assessment)
rules.add_perm("checklists.return_assessment", approve_assessment)  # whoever may approve may return instead
rules.add_perm("checklists.update_action", works_on_assessments & sees_its_partnership)

rules.add_perm("register.view_pack", reads_packs)  # as ScrutinyPack.objects.visible_to
# Cancelling and deleting are for the requester or an administrator (`manage_pack`); the
# buttons show only while the pack's state allows it (a finished pack cannot be cancelled,
# one being built cannot be deleted), and the services say so if it moved on meanwhile.
rules.add_perm("register.manage_pack", manage_pack)
rules.add_perm("register.cancel_pack", manage_pack & pack_is_waiting)
rules.add_perm("register.delete_pack", manage_pack & ~pack_is_building)
