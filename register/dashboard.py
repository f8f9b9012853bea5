"""The register's picture at a glance (issue 16): the dashboard's figures for the register, or
any filter of it, each in a fixed number of queries however many partnerships there are.

Every figure starts from `register_partnerships` (so from `Partnership.objects.visible_to`),
with the register's own filters: the dashboard of a filter is the picture of exactly the
rows the register shows for it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from checklists.models import Action, Answer, SectionRatingCount, action_overdue_q
from common.querystrings import url_with
from partnerships.models import ASSURANCE_ORDER, Assurance, Partnership, Risk, review_overdue_q
from register.selectors import register_partnerships

SPECTRUMS = [
    ("scope", "Strategic or operational", Partnership.Scope),
    ("basis", "Statutory or voluntary", Partnership.Basis),
    ("membership", "Single or multi organisation", Partnership.Membership),
    ("level", "National, regional or local", Partnership.Level),
]
NOT_RECORDED = "not_recorded"


# The charts' geometry (SVG user units): a row per bar, its label, the bar, its figure.
ROW, BAR, LABEL_WIDTH, BAR_SPACE, CHART_WIDTH = 28, 18, 170, 170, 400


@dataclass
class Bar:
    label: str
    value: int | Decimal
    url: str | None = None  # the register filtered to this bar
    extra: list[str] = field(default_factory=list)  # further figures for the table (money, days)
    share: float = 0.0  # of the chart's total
    figure: str = ""  # the value as the chart and table show it
    # Where it is drawn: its row's text baseline, the bar's top, length and the figure's x.
    baseline: int = 0
    top: int = 0
    width: float = 0.0
    figure_x: float = 0.0


@dataclass
class Chart:
    """One figure: a title, its bars, and what the numbers are (a count, pounds, days), drawn as a
    horizontal bar chart (SVG) with its figures in a table beside it."""

    key: str
    title: str
    bars: list[Bar]
    unit: str = "partnerships"
    extra_columns: list[str] = field(default_factory=list)

    def __post_init__(self):
        largest = max((bar.value or 0 for bar in self.bars), default=0)
        total = sum(bar.value or 0 for bar in self.bars)
        for row, bar in enumerate(self.bars):
            bar.share = float(bar.value or 0) / float(total) if total else 0.0
            bar.width = round(BAR_SPACE * float(bar.value or 0) / float(largest), 1) if largest else 0.0
            bar.figure = _figure(bar.value, self.unit)
            bar.baseline, bar.top = row * ROW + 18, row * ROW + 5
            bar.figure_x = LABEL_WIDTH + bar.width + 6

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW

    geometry = {"bar": BAR, "label_width": LABEL_WIDTH, "width": CHART_WIDTH}


    @property
    def summary(self) -> str:
        """The chart in words: its text alternative."""
        return "; ".join(f"{bar.label}: {_figure(bar.value, self.unit)}" for bar in self.bars) or "None"


def _figure(value, unit: str) -> str:
    if unit == "pounds":
        return f"£{value or 0:,.0f}"
    if unit == "days":
        return f"{value or 0:,.0f} days"
    return f"{value or 0:,}"


def dashboard_figures(*, filters, user):
    """(the register's FilterSet, the figures) for `filters` (a QueryDict), or (FilterSet, None)
    when the filters are not valid (the page says why, as the register does)."""
    params = filters.copy()
    params.pop("page", None)
    params.pop("sort", None)
    filterset = register_partnerships(filters=params, user=user)
    if not filterset.form.is_valid():
        return filterset, None
    # The filtered rows as a set of ids, so a filter that joins (a council, a theme) never
    # counts a partnership twice; the whole register, for a superuser with no filter, as itself.
    filtered = any(value not in (None, "", False) for value in filterset.form.cleaned_data.values())
    if user.is_superuser and not filtered:
        chosen, everything = Partnership.objects.all(), None  # None: no need to say which
    else:
        chosen = Partnership.objects.filter(pk__in=filterset.qs.order_by().values("pk"))
        everything = chosen
    today = timezone.localdate()
    register = reverse("register:index")
    link = lambda **more: register + url_with(params, page=None, **more)  # noqa: E731 - the register, filtered further

    # One pass over the partnerships: every count and sum by classification, status and assurance.
    sums = {"total": Count("pk"), "overdue": Count("pk", filter=review_overdue_q(today)),
            "money": Sum("annual_contribution"), "days": Sum("officer_days")}
    for name, _label, choices in [*SPECTRUMS, ("status", "Status", Partnership.Status)]:
        for value in choices.values:
            where = Q(**{name: value})
            sums[f"{name}:{value}"] = Count("pk", filter=where)
            sums[f"money:{name}:{value}"] = Sum("annual_contribution", filter=where)
            sums[f"days:{name}:{value}"] = Sum("officer_days", filter=where)
    for level in [*ASSURANCE_ORDER, ""]:
        sums[f"assurance:{level or NOT_RECORDED}"] = Count("pk", filter=Q(latest_assurance=level))
    counted = chosen.aggregate(**sums)

    # Each classification spectrum: how many, with the council contribution and officer days.
    spectrums = [Chart(name, label, [
        Bar(choice_label, counted[f"{name}:{value}"], link(**{name: value}), extra=[
            _figure(counted[f"money:{name}:{value}"], "pounds"), _figure(counted[f"days:{name}:{value}"], "days")])
        for value, choice_label in choices.choices
    ], extra_columns=["Council contribution", "Officer days"]) for name, label, choices in SPECTRUMS]
    status = Chart("status", "Status", [
        Bar(choice_label, counted[f"status:{value}"], link(status=value))
        for value, choice_label in Partnership.Status.choices
    ])
    assurance = Chart("assurance", "Latest overall assurance", [
        *(Bar(Assurance(level).label, counted[f"assurance:{level}"], link(assurance=level)) for level in ASSURANCE_ORDER),
        Bar("Not recorded", counted[f"assurance:{NOT_RECORDED}"]),
    ])

    return filterset, {
        "total": counted["total"],
        "overdue": counted["overdue"],
        "overdue_url": link(overdue="yes"),
        "money": counted["money"] or Decimal(0),
        "days": counted["days"] or Decimal(0),
        "spectrums": spectrums,
        "status": status,
        "assurance": assurance,
        "actions": _actions(everything, user, today),
        "councils": _by_council(everything, link),
        "ratings": _ratings(everything),
        "heat_map": _heat_map(everything, user, link),
    }


def _actions(chosen, user, today) -> dict:
    """Open and overdue actions of the chosen partnerships (None: all), as the person may see them."""
    actions = Action.objects.visible_to(user)
    if chosen is not None:
        actions = actions.filter(partnership__in=chosen)
    return actions.open().aggregate(open=Count("pk"), overdue=Count("pk", filter=action_overdue_q(today)))


def _by_council(chosen, link) -> list[dict]:
    """Each council taking part in a chosen partnership (`chosen` None: every partnership): how
    many, their contribution and officer days. A joint partnership counts for each of its
    councils (its contribution is the figure recorded for the partnership, not split)."""
    taking_part = Partnership.councils.through.objects.all()
    if chosen is not None:
        taking_part = taking_part.filter(partnership__in=chosen)
    councils = taking_part.values("council_id", "council__name").annotate(
        count=Count("partnership_id"), money=Sum("partnership__annual_contribution"),
        days=Sum("partnership__officer_days"),
    ).order_by("council__name", "council_id")
    return [{"pk": row["council_id"], "name": row["council__name"], "count": row["count"], "money": row["money"],
             "days": row["days"], "url": link(council=row["council_id"])} for row in councils]


def _ratings(chosen) -> dict:
    """How the questions of each section were rated across each chosen partnership's (None: every
    partnership's) latest approved
    Partnership checklist: {"columns": [labels], "rows": [{"section": "1. …", "counts": [n, …]}],
    "checklists": n}. Summed from the counts kept at approval (SectionRatingCount), not from
    every answer: at national scale that is a million answers."""
    fields = list(SectionRatingCount.FIELDS.values())
    counted = (
        SectionRatingCount.objects.filter(is_latest=True, **({} if chosen is None else {"partnership__in": chosen}))
        .values("section__number", "section__title")
        .annotate(checklists=Count("assessment"), **{f"sum_{name}": Sum(name) for name in fields})
        .order_by("section__number", "section__title")
    )
    rows = [{"section": f"{row['section__number']}. {row['section__title']}",
             "counts": [row[f"sum_{name}"] for name in fields], "checklists": row["checklists"]} for row in counted]
    labels = dict(Answer.Rating.choices)
    return {"columns": [labels[value] for value in SectionRatingCount.FIELDS], "rows": rows,
            "checklists": max((row["checklists"] for row in rows), default=0)}


# The heat map's cells: a pale shade of each band's colour (GOV.UK red, orange, green tints).
BAND_FILLS = {Risk.Band.HIGH: "#f6d7d2", Risk.Band.MEDIUM: "#fbe4cc", Risk.Band.LOW: "#cce2d8"}
CELL, AXIS = 64, 150  # SVG user units: a cell's side, and the room for the impact labels


def _heat_map(chosen, user, link) -> dict:
    """The 5×5 risk matrix: how many of the chosen partnerships (None: all) have an open risk in
    each cell of likelihood × impact, each cell linking to the register filtered to it.
    {"rows": [{"impact": label, "cells": [{likelihood, count, url, band, fill, x, y}]}] (highest
    impact first), "columns": [likelihood labels], "summary": words, "width", "height"}."""
    risks = Risk.objects.visible_to(user).open()
    if chosen is not None:
        risks = risks.filter(partnership__in=chosen)
    counted = {(row["likelihood"], row["impact"]): row["n"] for row in risks.values("likelihood", "impact").annotate(
        n=Count("partnership", distinct=True)).order_by()}
    rows, words = [], []
    for row_index, (impact, impact_label) in enumerate(reversed(Risk.Impact.choices)):
        cells = []
        for column, (likelihood, likelihood_label) in enumerate(Risk.Likelihood.choices):
            count = counted.get((likelihood, impact), 0)
            band = Risk.band_of(likelihood * impact)
            cells.append({"likelihood": likelihood_label, "count": count, "band": band.label,
                          "url": link(risk_cell=f"{likelihood}-{impact}") if count else None,
                          "fill": BAND_FILLS[band], "x": AXIS + column * CELL, "y": row_index * CELL,
                          "text_x": AXIS + column * CELL + CELL // 2, "text_y": row_index * CELL + CELL // 2 + 6})
            if count:
                words.append(f"{likelihood_label} × {impact_label}: {count}")
        rows.append({"impact": impact_label, "cells": cells, "label_y": row_index * CELL + CELL // 2 + 5})
    columns = [{"label": label, "x": AXIS + index * CELL + CELL // 2}
               for index, (_value, label) in enumerate(Risk.Likelihood.choices)]
    return {"rows": rows, "columns": columns, "total": sum(counted.values()),
            "summary": "; ".join(words) or "No open risks",
            "width": AXIS + 5 * CELL, "height": 5 * CELL + 40, "axis_y": 5 * CELL + 22}
