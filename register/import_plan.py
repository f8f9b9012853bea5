"""What an import of the register would do (issue 16), as plain data: each row's plan
(create, update with its changes, unchanged, or a row with problems), the things it would
add, and every problem by row and column. `register.imports` makes and writes it."""

import hashlib
import json
from dataclasses import dataclass, field

from partnerships.models import Partnership
from register.import_cells import EMPTY, folded


@dataclass(frozen=True)
class Problem:
    row: int | None  # the row's number in the file (the headings are row 1); None for the file
    column: str | None
    message: str

    def __str__(self):
        where = ", ".join(part for part in (f"Row {self.row}" if self.row else "", self.column or "") if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class New:
    """Something the import adds on confirm, as the file names it: an organisation, a theme,
    an officer or a lead member."""

    kind: str
    name: str

    @property
    def key(self):
        return self.kind, folded(self.name)


@dataclass(eq=False)
class RowPlan:
    number: int
    reference: str
    name: str
    action: str = ""  # "create", "update", "unchanged", or "problem" for a row with problems
    partnership: Partnership | None = None  # the entry it updates
    data: dict = field(default_factory=dict)  # field → value, as the services take it (New for what is to come)
    partners: list = field(default_factory=list)  # (Organisation or New, role)
    changes: list = field(default_factory=list)  # (heading, before, after)


@dataclass
class Plan:
    filename: str
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new: dict = field(default_factory=dict)  # New.key → New
    new_councils: dict = field(default_factory=dict)  # New.key → the councils a new person joins

    def of(self, action: str) -> list[RowPlan]:
        return [row for row in self.rows if row.action == action]

    def new_of(self, kind: str) -> list[str]:
        return sorted((new.name for new in self.new.values() if new.kind == kind), key=str.casefold)

    @property
    def fingerprint(self) -> str:
        """What the plan would do, as a hash: a confirm writes only the plan that was previewed."""
        described = [[row.number, row.action, row.reference, row.changes] for row in self.rows]
        described.append(sorted(f"{new.kind}:{new.name}" for new in self.new.values()))
        return hashlib.sha256(json.dumps(described, default=str).encode()).hexdigest()

    def summary(self) -> dict:
        """The plan as plain data (JSON), for the preview page and the command."""
        def rows(action):
            return [{"row": r.number, "reference": r.reference, "name": r.name, "changes": r.changes}
                    for r in self.of(action)]
        return {
            "filename": self.filename, "fingerprint": self.fingerprint,
            "create": rows("create"), "update": rows("update"), "unchanged": rows("unchanged"),
            "with_problems": len({p.row for p in self.problems if p.row}),
            "problems": [{"row": p.row, "column": p.column, "message": p.message, "text": str(p)}
                         for p in self.problems],
            "new": {kind: self.new_of(kind) for kind in ("organisation", "theme", "officer", "lead member")},
        }


class ImportRefused(Exception):
    """Rows the services refused while writing: the transaction writes nothing."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def plain_message(message: str) -> str:
    """Django's words for an empty field, in the import's."""
    if message in ("This field cannot be blank.", "This field cannot be null."):
        return EMPTY
    return message
