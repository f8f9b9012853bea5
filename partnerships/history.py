"""The history of a partnership's register entry, in words, from django-simple-history's records.

Four histories make it: the partnership itself (with its councils and themes),
its partners, its tracked actions and its risks. Each change says who made it, when, and
every field before and after, with names and labels rather than ids.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from common.people import display_name
from partnerships.models import Council, Organisation, Partnership, PartnershipMember, Risk, Theme

# Kept out of the story: bookkeeping, not the register entry.
HIDDEN = {"id", "created_at", "created_by", "screening_confirmed_at"}


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    # (label, before, after); before is None for a value set when the thing was made
    fields: list[tuple[str, str | None, str]] = field(default_factory=list)


# The reason the migrations gave the first record of everything that existed before history.
HISTORY_BEGAN = "Recorded when history began"
# Writes by one person this close to a registration are the registration (its councils, themes).
SAME_CHANGE = timedelta(seconds=60)


def _person(user) -> str:
    # None: made by a command or a migration, or by an account since deleted
    return display_name(user, "Not recorded")


class _Names:
    """Names for the ids a history mentions, read once per kind of thing."""

    def __init__(self, *, user_ids, partnership_ids, council_ids, theme_ids, organisation_ids):
        self.users = {u.pk: _person(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
        self.partnerships = dict(Partnership.objects.filter(pk__in=partnership_ids).values_list("pk", "name"))
        self.councils = dict(Council.objects.filter(pk__in=council_ids).values_list("pk", "name"))
        self.themes = dict(Theme.objects.filter(pk__in=theme_ids).values_list("pk", "name"))
        self.organisations = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))

    def of(self, model_field, value) -> str:
        if value is None or value == "" or value == []:
            return "Not set"
        if isinstance(model_field, models.ForeignKey):
            lookup = {
                Partnership: self.partnerships, Organisation: self.organisations,
            }.get(model_field.related_model, self.users)
            return lookup.get(value, "(deleted)")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, date):
            return f"{value:%-d %B %Y}"
        return str(value)


def _label(model_field) -> str:
    return str(model_field.verbose_name)[:1].upper() + str(model_field.verbose_name)[1:]


def _field_changes(new, old, model, names, fields) -> list[tuple[str, str, str]]:
    """(label, before, after) for each of `fields` that differs between two records, in order."""
    rows = []
    for name in fields:
        model_field = model._meta.get_field(name)
        before, after = getattr(old, model_field.attname), getattr(new, model_field.attname)
        if before != after:
            rows.append((_label(model_field), names.of(model_field, before), names.of(model_field, after)))
    return rows


def _tracked(model) -> list[str]:
    history_model = model.history.model
    return [
        f.name for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many) and not f.auto_created and f.name not in HIDDEN
        and (f.many_to_many or any(h.name == f.name for h in history_model._meta.fields))
    ]


def partnership_history(partnership: Partnership, *, user) -> list[Change]:
    """Every recorded change to the partnership, its partners, its risks and the actions `user`
    may see (those of the assessments `Assessment.objects.visible_to(user)` holds), newest first."""
    Assessment, Action = apps.get_model("checklists", "Assessment"), apps.get_model("checklists", "Action")
    entry = list(partnership.history.select_related("history_user").order_by("history_date", "history_id"))
    members = list(
        PartnershipMember.history.filter(partnership_id=partnership.pk).select_related("history_user")
        .order_by("history_date", "history_id")
    )
    actions = list(
        Action.history.filter(partnership_id=partnership.pk, assessment__in=Assessment.objects.visible_to(user))
        .select_related("history_user").order_by("history_date", "history_id")
    )

    risks = list(
        Risk.history.filter(partnership_id=partnership.pk).select_related("history_user")
        .order_by("history_date", "history_id")
    )

    held = {name: _many(entry, name) for name in ("councils", "themes")}
    names = _Names(
        user_ids={r.lead_officer_id for r in entry} | {r.owner_id for r in actions} | {r.owner_id for r in risks},
        partnership_ids={r.parent_id for r in entry if r.parent_id},
        council_ids=set().union(*held["councils"].values()),
        theme_ids=set().union(*held["themes"].values()),
        organisation_ids={r.organisation_id for r in members},
    )
    changes = (_entry_changes(entry, held, names) + _member_changes(members, names)
               + _action_changes(actions, names) + _risk_changes(risks, names))
    return sorted(changes, key=lambda change: change.when, reverse=True)


def _many(records, name: str) -> dict[int, frozenset]:
    """history_id → the ids the many-to-many field `name` held then, in one query for all records."""
    model_field = Partnership._meta.get_field(name)
    # django-simple-history keeps each many-to-many field's rows in HistoricalPartnership_<name>.
    rows = apps.get_model("partnerships", f"HistoricalPartnership_{name}").objects.filter(
        history_id__in=[r.history_id for r in records]
    ).values_list("history_id", model_field.m2m_reverse_field_name())
    held: dict[int, set] = {r.history_id: set() for r in records}
    for history_id, related_id in rows:
        held[history_id].add(related_id)
    return {history_id: frozenset(ids) for history_id, ids in held.items()}


def _entry_changes(records, held, names) -> list[Change]:
    many = list(held)  # councils and themes; partners have their own history (PartnershipMember's)
    fields = [name for name in _tracked(Partnership) if not Partnership._meta.get_field(name).many_to_many]
    lookups = {"councils": names.councils, "themes": names.themes}
    changes, previous, first = [], None, None
    for record in records:
        who = _person(record.history_user)
        if previous is None:
            began = record.history_change_reason == HISTORY_BEGAN
            changes.append(Change(record.history_date, who,
                                  "As the entry stood when the register began keeping its history" if began
                                  else "Registered the partnership"))
            first = record
        elif (record.history_user_id == first.history_user_id and record.history_date - first.history_date < SAME_CHANGE
              and not _field_changes(record, previous, Partnership, names, fields)
              and first.history_change_reason != HISTORY_BEGAN):
            pass  # councils and themes set just after registering (by the admin site, say): part of it
        elif record.history_type == "-":
            changes.append(Change(record.history_date, who, "Deleted the partnership"))
        else:
            rows = _field_changes(record, previous, Partnership, names, fields)
            for name in many:
                before, after = held[name][previous.history_id], held[name][record.history_id]
                if before != after:
                    shown = [", ".join(sorted(lookups[name].get(pk, "(deleted)") for pk in ids)) or "None"
                             for ids in (before, after)]
                    rows.append((_label(Partnership._meta.get_field(name)), *shown))
            if rows:
                what = record.history_change_reason or "Changed the register entry"
                changes.append(Change(record.history_date, who, what, rows))
        previous = record
    return changes


def _member_changes(records, names) -> list[Change]:
    changes, previous_by_member = [], {}
    role_field = PartnershipMember._meta.get_field("role")
    for record in records:
        organisation = names.organisations.get(record.organisation_id, "(deleted)")
        role = names.of(role_field, record.role)
        before = previous_by_member.get(record.id)
        who = _person(record.history_user)
        if record.history_type == "-":
            # An organisation no longer on the register was merged into another: the reason
            # recorded then names both, where its own name is gone.
            gone = record.organisation_id not in names.organisations and record.history_change_reason
            changes.append(Change(record.history_date, who,
                                  record.history_change_reason if gone else f"Removed the partner {organisation}"))
        elif before is None and record.history_change_reason == HISTORY_BEGAN:
            changes.append(Change(record.history_date, who,
                                  f"{organisation} ({role}) was a partner when the register began keeping history"))
        elif before is None:
            changes.append(Change(record.history_date, who, f"Added the partner {organisation} ({role})"))
        elif before.organisation_id != record.organisation_id:  # a duplicate merged into this one
            changes.append(Change(record.history_date, who,
                                  record.history_change_reason or f"Changed the partner to {organisation}"))
        elif before.role != record.role:
            changes.append(Change(record.history_date, who, f"Changed the role of {organisation}",
                                  [("Role", names.of(role_field, before.role), role)]))
        previous_by_member[record.id] = record
    return changes


def _short(text: str) -> str:
    """An action's or a risk's words as a change names them: 80 characters at most."""
    return text if len(text) <= 80 else text[:79] + "…"


def _action_changes(records, names) -> list[Change]:
    Action = apps.get_model("checklists", "Action")
    fields = ["description", "owner", "due_date", "status"]
    changes, previous_by_action = [], {}
    for record in records:
        before = previous_by_action.get(record.id)
        who = _person(record.history_user)
        short = _short(record.description)
        if record.history_type == "-":
            changes.append(Change(record.history_date, who, f"Deleted the action “{short}”"))
        elif before is None:
            due = names.of(Action._meta.get_field("due_date"), record.due_date)
            owner = names.users.get(record.owner_id, "(deleted)")
            what = (f"The action “{short}” as it stood when the register began keeping history"
                    if record.history_change_reason == HISTORY_BEGAN else f"Tracked the action “{short}”")
            changes.append(Change(record.history_date, who, what,
                                  [("Owner", None, owner), ("Due date", None, due)]))
        else:
            rows = _field_changes(record, before, Action, names, fields)
            if rows:
                changes.append(Change(record.history_date, who, f"Changed the action “{short}”", rows))
        previous_by_action[record.id] = record
    return changes


def _risk_changes(records, names) -> list[Change]:
    """Each risk added, changed (its words, scores, mitigation, owner, review or status) or deleted,
    with its score and band whenever its likelihood or impact moves."""
    fields = ["description", "likelihood", "impact", "mitigation", "owner", "review_date", "status"]
    changes, previous_by_risk = [], {}
    for record in records:
        before = previous_by_risk.get(record.id)
        who = _person(record.history_user)
        short = _short(record.description)
        if record.history_type == "-":
            changes.append(Change(record.history_date, who, f"Deleted the risk “{short}”"))
        elif before is None:
            rows = [(_label(model_field), None, names.of(model_field, getattr(record, model_field.attname)))
                    for model_field in map(Risk._meta.get_field, fields[1:])]
            rows.insert(2, ("Score", None, _score(record)))
            changes.append(Change(record.history_date, who, f"Added the risk “{short}”", rows))
        else:
            rows = _field_changes(record, before, Risk, names, fields)
            if _score(record) != _score(before):
                rows.append(("Score", _score(before), _score(record)))
            if rows:
                changes.append(Change(record.history_date, who, f"Changed the risk “{short}”", rows))
        previous_by_risk[record.id] = record
    return changes


def _score(record) -> str:
    """A risk's score as its page shows it, for example "High 16"."""
    score = record.likelihood * record.impact
    return f"{Risk.band_of(score).label} {score}"
