"""The partnership tree (issue 16): partnerships and their sub-partnerships — a Local Strategic
Partnership and its themed partnerships, and deeper — as the person may see them.

`forest(user=...)` is every tree in what the person may see (partnerships with a parent or a
sub-partnership; one query); `branch(partnership=..., user=...)` the part of one tree a
partnership's page shows: the way down from its top to it, and everything under it (one
query of that family alone).
`drawing(roots)` lays a forest out for an SVG picture: one row per partnership, indented by
its depth, with the lines that join each to its parent.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.urls import reverse

from partnerships.models import Partnership

ROW, INDENT, WIDTH, LABEL_CHARS = 28, 24, 720, 72


@dataclass
class Node:
    pk: int
    name: str
    reference: str
    status: str
    parent_id: int | None
    children: list["Node"] = field(default_factory=list)
    depth: int = 0
    current: bool = False  # the partnership whose branch this is

    @property
    def url(self) -> str:
        return reverse("partnerships:detail", args=[self.pk])

    @property
    def label(self) -> str:
        text = f"{self.name} ({self.reference})" if self.reference else self.name
        return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def forest(*, user) -> list[Node]:
    """The trees among the partnerships `user` may see, each sorted by name. A partnership whose
    parent they may not see stands at the top of its own tree."""
    visible = Partnership.objects.visible_to(user)
    with_children = visible.filter(parent__isnull=False).values("parent_id")
    return _trees(visible.filter(Q(parent__isnull=False) | Q(pk__in=with_children)))


def _trees(partnerships) -> list[Node]:
    """`partnerships` as trees: one query, each level sorted by name."""
    rows = partnerships.order_by(Lower("name"), "pk").values_list("pk", "name", "reference", "status", "parent_id")
    status = dict(Partnership.Status.choices)
    nodes = {pk: Node(pk, name, reference or "", status[state], parent) for pk, name, reference, state, parent in rows}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.parent_id)
        (parent.children if parent is not None else roots).append(node)
    _set_depths(roots)
    return roots


def _set_depths(roots: list[Node]) -> None:
    stack = [(root, 0) for root in reversed(roots)]
    seen = set()
    while stack:
        node, depth = stack.pop()
        if node.pk in seen:  # never loops, however the data came to be
            continue
        seen.add(node.pk)
        node.depth = depth
        stack.extend((child, depth + 1) for child in reversed(node.children))


# The partnership, the partnerships above it (its parent, their parent…) and those under it
# (its sub-partnerships, theirs…), as ids: a recursive query SQLite and PostgreSQL both read.
# UNION, not UNION ALL, so a loop written past the model's rule still ends.
_FAMILY = """
    WITH RECURSIVE up(id, parent_id) AS (
        SELECT id, parent_id FROM {table} WHERE id = %s
        UNION SELECT p.id, p.parent_id FROM {table} p JOIN up ON p.id = up.parent_id
    ), down(id) AS (
        SELECT id FROM {table} WHERE id = %s
        UNION SELECT p.id FROM {table} p JOIN down ON p.parent_id = down.id
    )
    SELECT id FROM up UNION SELECT id FROM down
"""


def branch(*, partnership: Partnership, user) -> list[Node]:
    """The tree `partnership` belongs to, cut to the way down from its top to it and everything
    under it ([] if it is in no tree). Reads that family alone, in one query, not every tree:
    a national register holds thousands of them."""
    family = RawSQL(_FAMILY.format(table=Partnership._meta.db_table), [partnership.pk, partnership.pk])
    for root in _trees(Partnership.objects.visible_to(user).filter(pk__in=family)):
        path = _path_to(root, partnership.pk)
        if path:
            if len(path) == 1 and not path[0].children:
                return []  # in no tree: no parent it may see, no sub-partnership
            for upper, lower in zip(path, path[1:]):
                upper.children = [lower]  # only the way down, not the siblings
            path[-1].current = True
            return [path[0]]
    return []


def _path_to(node: Node, pk: int) -> list[Node]:
    if node.pk == pk:
        return [node]
    for child in node.children:
        path = _path_to(child, pk)
        if path:
            return [node, *path]
    return []


def walk(roots: list[Node]) -> list[Node]:
    """Every node, depth first, each before its children."""
    ordered, stack, seen = [], list(reversed(roots)), set()
    while stack:
        node = stack.pop()
        if node.pk in seen:
            continue
        seen.add(node.pk)
        ordered.append(node)
        stack.extend(reversed(node.children))
    return ordered


def drawing(roots: list[Node]) -> dict:
    """Where each node and line goes in the SVG (user units): {"rows": [{node, x, y}],
    "lines": [{x1, y1, x2, y2}], "width", "height"}."""
    rows, lines, at = [], [], {}
    for index, node in enumerate(walk(roots)):
        x, y = 10 + node.depth * INDENT, index * ROW + ROW // 2
        at[node.pk] = (x, y)
        rows.append({"node": node, "x": x, "y": y, "text_x": x + 12, "text_y": y + 5})
        if node.parent_id in at and node.depth > 0:
            px, py = at[node.parent_id]
            lines.append({"x1": px, "y1": py + 6, "x2": px, "y2": y})  # down from the parent
            lines.append({"x1": px, "y1": y, "x2": x - 6, "y2": y})  # across to the child
    return {"rows": rows, "lines": lines, "width": WIDTH, "height": max(1, len(rows)) * ROW}
