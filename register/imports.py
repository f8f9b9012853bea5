"""Importing the register from a file in its own export's layout (issue 16).

Three steps, each a plain function:

- `plan_import` reads the file (register.import_files), each cell (register.import_cells)
  and each row against the register as it stands, and says what an import would do: the
  partnerships to create, those to update (matched by reference, with each field's value
  before and after), those unchanged, the organisations, themes and people it would add,
  and every problem, by row and column, in words. It writes nothing.
- `apply_plan` writes a plan with no problems through the register's services
  (`partnership_register`, `partnership_update`, `partners_set`), so every rule of the
  register holds, each change is in the partnership's history with who imported it.
- `import_register` does both in one transaction: all the rows go in, or none do.

Who may import what: the page and the command are for administrators; a person imports
only into partnerships their councils take part in (a superuser, any). A row naming a
council not theirs, or a reference of a partnership they may not change, is a problem of
that row, and so nothing is written.
"""

from django.db import transaction

from common.people import display_name
from register.import_apply import apply_plan
from register.import_cells import IMPORTED_HEADINGS
from register.import_files import MAX_ROWS, FileProblem, read_table, too_many
from register.import_plan import ImportRefused, Plan, Problem
from register.import_rows import Resolver, parse_row, positions_of

__all__ = ["Plan", "Problem", "can_import_register", "import_reason", "import_register", "plan_import"]


def can_import_register(user) -> bool:
    """Importing is for administrators (and superusers), through their role's permission (read
    with the others a page asks, so the register page takes no query more for its link);
    what each may change is their councils'."""
    return user.has_perm("register.add_registerimport")


def import_reason(filename: str, user) -> str:
    """The change reason the history shows: “Imported from register.xlsx by Ada Patel”."""
    return f"Imported from {filename} by {display_name(user)}"


def import_register(*, filename: str, content: bytes, user, dry_run: bool = False,
                    expected: str | None = None, max_rows: int = MAX_ROWS) -> tuple[Plan, bool]:
    """Plan the import of `content` and, unless `dry_run`, there are problems or the plan is no
    longer the one previewed (its fingerprint not `expected`), write it: all of it or none.
    Returns the plan and whether it was written."""
    with transaction.atomic():
        plan = plan_import(filename=filename, content=content, user=user, max_rows=max_rows)
        if dry_run or plan.problems or (expected is not None and plan.fingerprint != expected):
            return plan, False
        try:
            with transaction.atomic():
                apply_plan(plan, user=user, reason=import_reason(filename, user))
        except ImportRefused as refused:
            plan.problems = refused.problems
            return plan, False
    return plan, True


# --- Planning --------------------------------------------------------------------------

def plan_import(*, filename: str, content: bytes, user, max_rows: int = MAX_ROWS) -> Plan:
    """What importing `content` would do, and every problem with it; writes nothing."""
    plan = Plan(filename)
    try:
        table = read_table(filename, content, max_rows=max_rows)
    except FileProblem as problem:
        plan.problems.append(Problem(None, None, str(problem)))
        return plan
    positions = positions_of(table.headings, plan)
    if plan.problems:
        return plan
    if table.too_many:
        plan.problems.append(Problem(None, None, too_many(max_rows)))
        return plan
    if not table.rows:
        plan.problems.append(Problem(None, None, "The file has the register's headings but no partnerships "
                                                 "under them."))
        return plan
    parsed = [parse_row(number, cells, positions, plan) for number, cells in table.rows]
    Resolver(plan, parsed, user).resolve()
    plan.problems.sort(key=lambda p: (p.row or 0, IMPORTED_HEADINGS.index(p.column)
                                      if p.column in IMPORTED_HEADINGS else -1))
    return plan


