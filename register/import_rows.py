"""Planning an import, row by row (issue 16): the file's columns found by their headings, each
row's cells read (register.import_cells), then each row resolved against the register as
it stands — names matched to councils, organisations, themes, people and partnerships, or
to New ones — and checked by the register's own rules, as its services would ask them.
What it reads, it reads once for all the rows."""

from collections import defaultdict
from copy import copy

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from common.people import display_name
from partnerships import services
from partnerships.models import Council, Organisation, Partnership, PartnershipMember, Theme, council_ids_of
from partnerships.permissions import can_edit_partnership
from register.import_cells import (
    BY_FIELD,
    IMPORT_COLUMNS,
    IMPORTED_HEADINGS,
    WORKED_OUT_HEADINGS,
    CellProblem,
    folded,
    normal_heading,
    parent_name_and_reference,
    parse_cell,
    shown,
)
from register.import_plan import New, Plan, Problem, RowPlan, plain_message

MANY = ("councils", "themes")


def positions_of(headings: list[str], plan: Plan) -> dict[str, int]:
    """Where each imported column is in the file; a problem for each missing, unknown or repeated one."""
    known = {normal_heading(h): h for h in IMPORTED_HEADINGS + WORKED_OUT_HEADINGS}
    positions, seen = {}, set()
    for index, heading in enumerate(headings):
        normal = normal_heading(heading)
        if not normal:
            if index < len(headings) - 1:
                plan.problems.append(Problem(None, None, f"Column {index + 1} has no heading: every column "
                                                         "needs the heading the register's export gives it."))
            continue
        if normal in seen:
            plan.problems.append(Problem(None, None, f"The column “{shown(heading)}” appears more than once."))
        elif normal not in known:
            plan.problems.append(Problem(None, None, f"The column “{shown(heading)}” is not one of the register's. "
                                                     "Use the headings of the register's export or template."))
        seen.add(normal)
        if known.get(normal) in IMPORTED_HEADINGS:
            positions[known[normal]] = index
    missing = [heading for heading in IMPORTED_HEADINGS if heading not in positions]
    if missing:
        plan.problems.append(Problem(None, None, "The file does not have the column"
                                     f"{'s' if len(missing) > 1 else ''} {', '.join(f'“{shown(m)}”' for m in missing)}. "
                                     "Use the headings of the register's export or template."))
    return positions


def parse_row(number: int, cells: list, positions: dict, plan: Plan) -> dict:
    values = {"_row": number}
    for column in IMPORT_COLUMNS:
        index = positions[column.heading]
        cell = cells[index] if index < len(cells) else None
        try:
            values[column.field] = parse_cell(column, cell)
        except CellProblem as problem:
            plan.problems.append(Problem(number, column.heading, str(problem)))
            values[column.field] = _UNREADABLE
    return values


_UNREADABLE = object()  # a cell with a problem of its own: not checked further


def _person_name(user) -> str:
    return display_name(user)


def _shown(value) -> str:
    """A planned value as the preview and the export show it."""
    if value is None or value == []:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "; ".join(sorted((_shown(item) for item in value), key=str.casefold))
    if isinstance(value, New):
        return value.name
    if isinstance(value, RowPlan):
        return f"{value.name} ({value.reference})" if value.reference else value.name
    if isinstance(value, get_user_model()):
        return _person_name(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class Resolver:
    """Turns the rows' names into the register's things (or New ones) and checks each row
    against the register's rules as the services would, with what it reads once for all rows."""

    def __init__(self, plan: Plan, parsed: list[dict], user):
        self.plan, self.parsed, self.user = plan, parsed, user
        self.own = None if user.is_superuser else council_ids_of(user)
        self.councils = {}
        for council in Council.objects.all():
            self.councils.setdefault(folded(council.name), council)
            self.councils.setdefault(folded(council.short_name), council)
        self.organisations = {folded(o.name): o for o in Organisation.objects.all()}
        self.themes = {folded(t.name): t for t in Theme.objects.all()}
        self.by_username, self.by_name = {}, defaultdict(list)
        for person in get_user_model().objects.all():
            self.by_username[folded(person.username)] = person
            self.by_name[folded(person.get_full_name())].append(person)
        references = {row["reference"] for row in parsed if isinstance(row["reference"], str)}
        references |= {parent_name_and_reference(row["parent"])[1] for row in parsed if isinstance(row["parent"], str)}
        references.discard(None)
        self.existing = {}
        for batch in _batches(sorted(references), 2000):
            self.existing.update({p.reference: p for p in Partnership.objects.filter(reference__in=batch)
                                  .select_related("lead_officer", "lead_member_account", "parent")
                                  .prefetch_related("councils", "themes", "memberships__organisation")})
        self.rows_by_reference = {}

    def problem(self, row: int, name: str | None, message: str):
        self.plan.problems.append(Problem(row, BY_FIELD[name].heading if name in BY_FIELD else None, message))

    def resolve(self):
        for values in self.parsed:
            self._row(values)
        self._check_new_numbers()
        for row, values in zip(self.plan.rows, self.parsed):
            self._parent(row, values)
        self._check_parent_loops()
        troubled = defaultdict(set)
        for problem in self.plan.problems:
            troubled[problem.row].add(problem.column)
        for row in self.plan.rows:
            self._check_and_compare(row, troubled.get(row.number))
        # A row with a problem is neither created nor updated: the preview lists it by its problems.
        with_problems = {problem.row for problem in self.plan.problems}
        for row in self.plan.rows:
            if row.number in with_problems:
                row.action = "problem"

    # Each row alone ---------------------------------------------------------------------

    def _row(self, values: dict):
        number = values["_row"]
        reference = values["reference"] if isinstance(values["reference"], str) else ""
        row = RowPlan(number, reference, values["name"] if isinstance(values["name"], str) else "")
        self.plan.rows.append(row)
        if reference:
            if reference in self.rows_by_reference:
                self.problem(number, "reference", f"{reference} is also on row "
                                                  f"{self.rows_by_reference[reference].number}: a partnership "
                                                  "can be in the file once")
            else:
                self.rows_by_reference[reference] = row
            row.partnership = self.existing.get(reference)
            if row.partnership is not None and not can_edit_partnership(self.user, row.partnership):
                self.problem(number, "reference", f"{reference} is a partnership you cannot change: none of "
                                                  "your councils takes part in it")
            elif row.partnership is None and services.reference_number(reference) is None:
                self.problem(number, "reference", f"“{shown(reference)}” is not a reference this register gives (like "
                                                  "P-0012): leave it empty to register a new partnership")
        row.action = "update" if row.partnership is not None else "create"
        data = row.data
        for column in IMPORT_COLUMNS:
            value = values[column.field]
            if value is _UNREADABLE or column.field in ("reference", "partners", "parent"):
                continue
            if column.kind == "person":
                value = self._person(number, column.field, value, row.partnership)
            elif column.field == "councils":
                value = self._councils(number, value, row.partnership)
            elif column.field == "themes":
                value = self._named(number, "themes", value, self.themes, "theme")
            elif value is None and column.kind == "text":
                value = ""
            if value is not _UNREADABLE:
                data[column.field] = value
        if values["partners"] is not _UNREADABLE:
            organisations = self._named(number, "partners", [name for name, _ in values["partners"]],
                                        self.organisations, "organisation")
            if organisations is not _UNREADABLE:
                row.partners = list(zip(organisations, (role for _, role in values["partners"])))

    def _person(self, number: int, name: str, text: str | None, partnership):
        if text is None:
            return None
        current = getattr(partnership, name) if partnership is not None else None
        if current is not None and folded(_person_name(current)) == folded(text):
            return current  # as they are now, whoever else shares the name
        if folded(text) in self.by_username:
            return self.by_username[folded(text)]
        found = self.by_name.get(folded(text), [])
        if len(found) > 1:
            usernames = ", ".join(sorted(person.username for person in found))
            self.problem(number, name, f"more than one person is called “{shown(text)}” ({usernames}): write the "
                                       "username of the one you mean")
            return _UNREADABLE
        if found:
            return found[0]
        new = New("officer" if name == "lead_officer" else "lead member", text)
        return self.plan.new.setdefault(new.key, new)

    def _councils(self, number: int, names: list[str], partnership):
        chosen, stored, refused = [], set(partnership.councils.all()) if partnership is not None else set(), False
        for name in names:
            council = self.councils.get(folded(name))
            if council is None:
                self.problem(number, "councils", f"“{shown(name)}” is not one of the register's councils")
                refused = True
            elif self.own is not None and council.pk not in self.own and council not in stored:
                self.problem(number, "councils", f"“{council.name}” is not one of your councils: you can only "
                                                 "import partnerships of the councils you belong to")
                refused = True
            elif council not in chosen:
                chosen.append(council)
        return _UNREADABLE if refused else chosen

    def _named(self, number: int, name: str, names: list[str], existing: dict, kind: str):
        found, seen = [], set()
        for text in names:
            if folded(text) in seen:
                self.problem(number, name, f"“{shown(text)}” is named twice")
                return _UNREADABLE
            seen.add(folded(text))
            thing = existing.get(folded(text))
            if thing is None:
                new = New(kind, text)
                thing = self.plan.new.setdefault(new.key, new)
            found.append(thing)
        return found

    def _parent(self, row: RowPlan, values: dict):
        text = values["parent"]
        if text is _UNREADABLE:
            return
        if text is None:
            row.data["parent"] = None
            return
        name, reference = parent_name_and_reference(text)
        in_file = self.rows_by_reference.get(reference) if reference else None
        if in_file is not None and in_file.action == "create":
            row.data["parent"] = in_file
            return
        parent = self.existing.get(reference) if reference else None
        if parent is None and not reference:
            matches = [p for p in Partnership.objects.visible_to(self.user).filter(name__iexact=name)[:2]]
            parent = matches[0] if len(matches) == 1 else None
        if parent is None or not parent.is_visible_to(self.user):
            self.problem(row.number, "parent", f"“{shown(text)}” is not a partnership in the register or in this file "
                                               "that you can see")
            return
        row.data["parent"] = parent

    def _check_new_numbers(self):
        """A new row keeps its reference only if the register never used that number (see
        `partnership_register`): a partnership registered or deleted since would clash."""
        wanted = {services.reference_number(row.reference): row for row in self.plan.rows
                  if row.action == "create" and row.reference and services.reference_number(row.reference)}
        used = set()
        for batch in _batches(sorted(wanted), 2000):
            used |= set(Partnership.objects.filter(pk__in=batch).values_list("pk", flat=True))
            used |= set(Partnership.history.filter(id__in=batch).values_list("id", flat=True))
        for number in sorted(used):
            row = wanted[number]
            self.problem(row.number, "reference", f"{row.reference} has been used by another partnership in this "
                                                  "register: leave Reference empty to register this one as new")

    def _check_parent_loops(self):
        for row in self.plan.rows:
            seen, parent = {row}, row.data.get("parent")
            while isinstance(parent, RowPlan):
                if parent in seen:
                    self.problem(row.number, "parent", "the parent partnerships in the file go round in a "
                                                       "circle: a partnership cannot sit inside itself")
                    break
                seen.add(parent)
                parent = parent.data.get("parent")

    # The register's rules, and what would change -----------------------------------------

    def _check_and_compare(self, row: RowPlan, troubled: set | None):
        """The register's own rules for the row's entry, as the services ask them; for a row
        without problems, what would change. In a row with problems already, the rules are
        asked of the rest of it, and say nothing more of a column that has one."""
        stored = row.partnership
        # A copy to try the row's values on (Django's copy has its own cache of related objects).
        entry = copy(stored) if stored is not None else Partnership()
        excluded = []
        for name, value in row.data.items():
            if name in MANY:
                continue
            if isinstance(value, (New, RowPlan)):
                excluded.append(name)  # made on confirm, as its rules require
                value = None
            setattr(entry, name, value)
        excluded += [column.field for column in IMPORT_COLUMNS if column.field not in row.data]
        councils = list(row.data.get("councils", []))
        if stored is not None and self.own is not None:
            councils += [c for c in stored.councils.all() if c.pk not in self.own and c not in councils]
        try:
            entry.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
            if "councils" in row.data:  # as the services will set them; a person still to be made joins them
                entry.check_people_take_part(councils)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                heading = BY_FIELD[name].heading if name in BY_FIELD else None
                if troubled is None or (heading not in troubled and name not in excluded):
                    for message in messages:
                        self.problem(row.number, name, plain_message(message))
            return
        if stored is None or troubled is not None:
            return
        row.changes = self._changes(stored, row, councils)
        row.action = "update" if row.changes else "unchanged"

    def _changes(self, stored: Partnership, row: RowPlan, councils: list) -> list[tuple[str, str, str]]:
        before = {name: getattr(stored, name) for name in row.data if name not in MANY}
        before["councils"] = list(stored.councils.all())
        before["themes"] = list(stored.themes.all())
        after = {**row.data, "councils": councils}
        changes = []
        for column in IMPORT_COLUMNS:
            name = column.field
            if name in ("reference", "partners"):
                continue
            old, new = before.get(name), after.get(name)
            if column.kind in ("money", "number"):
                if old == new:
                    continue
                places = Partnership._meta.get_field(name).decimal_places
                old, new = (f"{value:.{places}f}" if value is not None else None for value in (old, new))
            elif column.kind == "choice":
                labels = column.choices
                old, new = labels.get(old, old), labels.get(new, new)
            if _shown(old) != _shown(new):
                changes.append((column.heading, _shown(old), _shown(new)))
        roles = dict(PartnershipMember.Role.choices)
        old_partners = {(folded(m.organisation.name), m.role): f"{m.organisation.name} ({roles[m.role]})"
                        for m in stored.memberships.all()}
        new_partners = {(folded(_shown(o)), r): f"{_shown(o)} ({roles[r]})" for o, r in row.partners}
        if set(old_partners) != set(new_partners):
            changes.append((BY_FIELD["partners"].heading, _shown(list(old_partners.values())),
                            _shown(list(new_partners.values()))))
        changes.sort(key=lambda change: IMPORTED_HEADINGS.index(change[0]))
        return changes



def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
