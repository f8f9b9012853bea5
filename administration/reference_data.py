"""The register's shared lists of partner organisations and themes, and merging a duplicate
into the one to keep ("Harbourside Trust" and "Harbourside Trust Ltd").

Organisations and themes belong to the whole register, not to one council: every council's
officers choose from the same lists. So an administrator may merge any of them, including
one used by partnerships of councils they do not administer: a merge changes no
partnership's meaning, only which of two names for the same body the shared list keeps,
and leaving a duplicate because another council also used it would leave it for ever.
What an administrator must never learn this way is another council's partnerships: every
count and list here is of the partnerships they can see (`Partnership.objects.visible_to`),
and those of other councils are only counted ("also used by 3 partnerships of other
councils"), never named. The change record keeps every reference moved, for the operator;
the pages show each person only the references they can see (`merges_visible_to`).

A merge moves each partnership's use over to the one kept, recorded in that partnership's
history (its partners' history for an organisation, its themes for a theme) with the
reason "Merged … into …", then deletes the duplicate and records a ChangeRecord.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from administration.models import ChangeRecord
from administration.services import AdministrationError, record
from partnerships.models import Organisation, Partnership, PartnershipMember, Theme
from partnerships.permissions import is_administrator


@dataclass(frozen=True)
class Kind:
    """What the pages and the merge need to know of one shared list."""

    key: str  # a change record's before and after name the merged item under this key
    model: type
    singular: str
    plural: str
    used_by: str  # the lookup from an item to the partnerships that use it
    counted: str  # the lookup from an item to those partnerships, to count them

    def partnerships_using(self, item) -> QuerySet:
        return Partnership.objects.filter(**{self.used_by: item})


ORGANISATIONS = Kind("organisation", Organisation, "organisation", "organisations",
                     used_by="memberships__organisation", counted="memberships__partnership")
THEMES = Kind("theme", Theme, "theme", "themes", used_by="themes", counted="partnerships")


def _visible(user) -> QuerySet:
    return Partnership.objects.visible_to(user)


def reference_list(*, kind: Kind, user, search: str = "") -> QuerySet:
    """The organisations or themes, by name, whose name holds `search`, each with `used`: how
    many of the partnerships `user` can see use it."""
    items = kind.model.objects.all()
    if words := " ".join(search.split()):
        items = items.filter(name__icontains=words)
    return items.annotate(used=Count(kind.counted, filter=Q(**{f"{kind.counted}__in": _visible(user)}), distinct=True))


@dataclass
class MergePlan:
    """What merging `duplicate` into `kept` does, as `user` may know it."""

    duplicate: object
    kept: object
    moved: list  # the partnerships `user` sees that use the duplicate and not the one kept
    both: list  # those `user` sees that use both: the duplicate's place is removed
    hidden: int  # how many partnerships of other councils use the duplicate, unnamed


def merge_plan(*, kind: Kind, duplicate, kept, user) -> MergePlan:
    """What the check page shows before a merge: the partnerships `user` sees that move (for an
    organisation, with each one's roles), and only a count of the others."""
    using = kind.partnerships_using(duplicate)
    visible = list(using.filter(pk__in=_visible(user).values("pk")).prefetch_related("memberships"))
    with_kept = set(kind.partnerships_using(kept).filter(pk__in=[p.pk for p in visible]).values_list("pk", flat=True))
    if kind is ORGANISATIONS:
        for partnership in visible:
            roles = {m.organisation_id: m.get_role_display() for m in partnership.memberships.all()}
            partnership.duplicate_role, partnership.kept_role = roles.get(duplicate.pk), roles.get(kept.pk)
    return MergePlan(duplicate=duplicate, kept=kept,
                     moved=[p for p in visible if p.pk not in with_kept],
                     both=[p for p in visible if p.pk in with_kept],
                     hidden=using.count() - len(visible))


GONE = "That {singular} is no longer on the register: it has already been merged into another, or deleted."


def gone(kind: Kind, pk) -> str:
    """Why the item `pk` cannot be merged now it is gone, naming the merge that took it if there was one."""
    merge = ChangeRecord.objects.filter(kind=ChangeRecord.Kind.MERGED, **{f"before__{kind.key}_id": pk}).first()
    if merge is None:
        return GONE.format(singular=kind.singular)
    return (f"{merge.before[kind.key]} has already been merged into {merge.after[kind.key]} "
            f"(by {merge.made_by_name}, {timezone.localtime(merge.made_at):%-d %B %Y at %H:%M}).")


@transaction.atomic
def reference_merge(*, by, kind: Kind, duplicate_pk: int, kept_pk: int) -> ChangeRecord:
    """Merge the organisation or theme `duplicate_pk` into `kept_pk`: every partnership that
    used the duplicate uses the one kept, the duplicate is deleted, and the merge recorded.

    For an organisation, a partnership that already has the one kept as a partner keeps that
    place and its role; the duplicate's place there is removed (a partnership has each
    partner once: `partner_once_per_partnership`), and the change record names those
    partnerships with the role removed. The same merge sent twice is told the duplicate is
    gone, naming the merge that took it.
    """
    if not is_administrator(by):
        raise AdministrationError(f"Only an administrator can merge {kind.plural}.")
    if str(duplicate_pk) == str(kept_pk):
        raise AdministrationError(f"An {kind.singular} cannot be merged into itself: choose another to keep.",
                                  field="into")
    # Both rows locked, in the order of their keys so two merges of the same pair wait, not deadlock.
    locked = {item.pk: item for item in kind.model.objects.select_for_update().filter(
        pk__in=[duplicate_pk, kept_pk]).order_by("pk")}
    if int(duplicate_pk) not in locked:
        raise AdministrationError(gone(kind, duplicate_pk))
    if int(kept_pk) not in locked:
        raise AdministrationError(f"The {kind.singular} to keep is no longer on the register: choose another.",
                                  field="into")
    duplicate, kept = locked[int(duplicate_pk)], locked[int(kept_pk)]
    reason = f"Merged the {kind.singular} {duplicate.name} into {kept.name}"
    moved, removed = (_move_partners if kind is ORGANISATIONS else _move_themes)(duplicate, kept, by, reason)
    before = {kind.key: duplicate.name, f"{kind.key}_id": duplicate.pk}
    duplicate.delete()
    after = {kind.key: kept.name, f"{kind.key}_id": kept.pk, "partnerships": moved}
    if removed:
        after["already_partners"] = removed
    return record(by=by, kind=ChangeRecord.Kind.MERGED, before=before, after=after, summary=reason)


def _move_partners(duplicate, kept, by, reason) -> tuple[list, list]:
    """Each partnership's place for `duplicate` given to `kept`, or removed where `kept` has one
    already; recorded in the partners' history. The references moved, and those removed
    (with the role that went)."""
    has_kept = set(PartnershipMember.objects.filter(organisation=kept).values_list("partnership_id", flat=True))
    moved, removed = [], []
    for member in PartnershipMember.objects.filter(organisation=duplicate).select_related("partnership").order_by(
            "partnership__reference"):
        member._history_user, member._change_reason = by, reason
        if member.partnership_id not in has_kept:
            member.organisation = kept
            try:
                with transaction.atomic():  # unless someone has just made `kept` a partner of it too
                    member.save(update_fields=["organisation"])
                moved.append(member.partnership.reference)
                continue
            except IntegrityError:
                member.organisation = duplicate
        removed.append(f"{member.partnership.reference} (was {member.get_role_display()})")
        member.delete()
    return moved, removed


def _move_themes(duplicate, kept, by, reason) -> tuple[list, list]:
    """Each partnership's `duplicate` theme replaced by `kept` in two statements, then one
    history record each (the themes as they were and are), as the register's own edits record
    them: a few milliseconds a partnership, so a theme on thousands of partnerships takes
    seconds, in one transaction."""
    Through = Partnership.themes.through
    affected = list(Partnership.objects.filter(themes=duplicate).order_by("reference"))
    Through.objects.filter(theme=duplicate, partnership__themes=kept).delete()
    Through.objects.filter(theme=duplicate).update(theme=kept)
    for partnership in affected:
        partnership._history_user, partnership._change_reason = by, reason
        partnership.save(update_fields=["updated_at"])
    return [partnership.reference for partnership in affected], []


def merges_visible_to(user, kind: Kind) -> list[ChangeRecord]:
    """The recent merges of `kind`, each with the references of partnerships `user` cannot see
    taken out of its after and counted instead (the records themselves are not changed)."""
    merges = list(ChangeRecord.objects.filter(kind=ChangeRecord.Kind.MERGED, **{
        "before__has_key": f"{kind.key}_id"})[:50])
    named = {ref for merge in merges for key in ("partnerships", "already_partners")
             for ref in merge.after.get(key, [])}
    references = {ref.split(" ")[0] for ref in named}
    seen = set(_visible(user).filter(reference__in=references).values_list("reference", flat=True))
    for merge in merges:
        after = {kind.key: merge.after.get(kind.key)}
        hidden = 0
        for key, label in (("partnerships", "partnerships moved"), ("already_partners", "already partners of both")):
            refs = merge.after.get(key, [])
            shown = [ref for ref in refs if ref.split(" ")[0] in seen]
            hidden += len(refs) - len(shown)
            if refs:
                after[label] = shown
        if hidden:
            after["of other councils"] = f"{hidden} partnership{'s' if hidden != 1 else ''}"
        merge.before = {kind.key: merge.before.get(kind.key)}
        merge.after = after
    return merges
