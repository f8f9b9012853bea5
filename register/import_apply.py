"""Writing an import's plan (issue 16) through the register's services, in the caller's
transaction, so every rule of the register holds and every change is in the history."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from partnerships import services
from partnerships.models import Organisation, Partnership, Theme, council_ids_of
from partnerships.roles import LEAD_MEMBER, OFFICER
from register.import_cells import BY_FIELD
from register.import_plan import ImportRefused, New, Plan, Problem, RowPlan, plain_message

# New organisations need a sector, which the export does not carry: they are added as public
# bodies, and the preview says so, for an administrator to correct on the organisation.
NEW_ORGANISATION_SECTOR = Organisation.Sector.PUBLIC


def apply_plan(plan: Plan, *, user, reason: str) -> None:
    """Write `plan` (which has no problems) through the register's services, in the caller's
    transaction: new organisations, themes and people first, then new partnerships (each
    after its parent), then the updates. A row the services refuse (someone changed the
    register meanwhile) is a problem; with any, ImportRefused, so the caller's transaction
    writes nothing."""
    made = _make_new_things(plan, user)
    created: dict[RowPlan, Partnership] = {}
    problems = []

    def real(value):
        if isinstance(value, New):
            return made[value.key]
        if isinstance(value, RowPlan):
            return created[value]
        if isinstance(value, list):
            return [real(item) for item in value]
        return value

    for row in _parents_first(plan.of("create")) + plan.of("update"):
        data = {name: real(value) for name, value in row.data.items()}
        if user is not None and not user.is_superuser:
            own = council_ids_of(user)
            data["councils"] = [council for council in data["councils"] if council.pk in own]
        try:
            with transaction.atomic():
                if row.action == "create":
                    partnership = services.partnership_register(data=data, user=user, reason=reason,
                                                                reference=row.reference or None)
                    created[row] = partnership
                else:
                    partnership = Partnership.objects.get(pk=row.partnership.pk)
                    services.partnership_update(partnership=partnership, data=data, version=row.partnership.version,
                                                user=user, reason=reason)
                services.partners_set(partnership=partnership, user=user, reason=reason,
                                      partners={real(o): role for o, role in row.partners})
        except ValidationError as error:
            problems += [Problem(row.number, BY_FIELD[name].heading if name in BY_FIELD else None,
                                 plain_message(message))
                         for name, messages in error.message_dict.items() for message in messages]
        except services.RegisterError as error:
            problems.append(Problem(row.number, None, str(error)))
        except IntegrityError:  # someone registered the same reference, or a name the import adds, meanwhile
            problems.append(Problem(row.number, None, "someone else changed the register while this file was "
                                                      "being imported: upload it again to see the register as it "
                                                      "is now"))
    if problems:
        raise ImportRefused(problems)
    # A partnership given its number as its key (a reference kept): the database's next
    # number must come after it. (PostgreSQL; SQLite's AUTOINCREMENT follows by itself.)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Partnership]):
            cursor.execute(sql)


def _parents_first(rows: list[RowPlan]) -> list[RowPlan]:
    ordered, placed = [], set()

    def place(row):
        if row in placed:
            return
        parent = row.data.get("parent")
        if isinstance(parent, RowPlan):
            place(parent)
        placed.add(row)
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def _make_new_things(plan: Plan, user) -> dict:
    """The organisations, themes and people the plan names that the register lacks, made now.
    A new person joins the councils of the partnerships they are named in (those of the
    importer's councils), so they can see them; they sign in once an administrator sets a
    password for them."""
    councils_of = defaultdict(set)
    own = None if user is None or user.is_superuser else council_ids_of(user)
    for row in plan.rows:
        for name in ("lead_officer", "lead_member_account"):
            if isinstance(row.data.get(name), New):
                councils_of[row.data[name].key] |= {c for c in row.data["councils"] if own is None or c.pk in own}
    made = {}
    User = get_user_model()
    groups = {"officer": Group.objects.get(name=OFFICER), "lead member": Group.objects.get(name=LEAD_MEMBER)}
    taken = set(User.objects.values_list("username", flat=True))
    for key, new in plan.new.items():
        if new.kind == "organisation":
            made[key] = Organisation.objects.create(name=new.name, sector=NEW_ORGANISATION_SECTOR)
        elif new.kind == "theme":
            made[key] = Theme.objects.create(name=new.name)
        else:
            first, _space, last = new.name.partition(" ")
            username = base = (slugify(new.name).replace("-", ".") or "person")[:140]
            suffix = 1
            while username in taken:
                suffix += 1
                username = f"{base}{suffix}"
            taken.add(username)
            person = User.objects.create_user(username=username, first_name=first[:150], last_name=last[:150])
            person.groups.add(groups[new.kind])
            person.councils.set(councils_of[key])
            made[key] = person
    return made
