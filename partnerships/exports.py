"""Risks as a spreadsheet (issue 16): the risks the risks page lists, as filtered there, in its
order (highest score first), read a chunk at a time in the formats of common.spreadsheets.

Each risk comes with its partnership and owner in the same query (`select_related`), so a
download takes the same queries however many risks it holds.
"""

from typing import Iterator

from django.db.models import QuerySet

from common.people import display_name
from common.spreadsheets import DATE, NUMBER, Column, in_chunks
from partnerships.models import Risk

_STATUS = dict(Risk.Status.choices)
# A level's word alone (“Almost certain”), its number being a column of its own: the labels
# end in it (“Almost certain (5)”).
_LIKELIHOOD = {value: label.rsplit(" (", 1)[0] for value, label in Risk.Likelihood.choices}
_IMPACT = {value: label.rsplit(" (", 1)[0] for value, label in Risk.Impact.choices}

RISK_COLUMNS = [
    Column("Partnership reference", width=12),
    Column("Partnership", width=36),
    Column("Risk", width=60),
    Column("Likelihood", NUMBER, width=10),
    Column("Likelihood in words", width=14),
    Column("Impact", NUMBER, width=8),
    Column("Impact in words", width=14),
    Column("Score", NUMBER, width=8),
    Column("Band", width=9),
    Column("Mitigation", width=60),
    Column("Owner", width=22),
    Column("Next review", DATE, width=12),
    Column("Status", width=9),
    Column("Review overdue", width=10),
]


def risk_rows(risks: QuerySet, *, chunk_size: int) -> Iterator[tuple]:
    """Each risk of `risks` (the risks page's queryset, with its partnership and owner), in
    their order, reading `chunk_size` at a time."""
    for risk in (risk for chunk in in_chunks(risks, chunk_size=chunk_size) for risk in chunk):
        yield (
            risk.partnership.reference,
            risk.partnership.name,
            risk.description,
            risk.likelihood,
            _LIKELIHOOD[risk.likelihood],
            risk.impact,
            _IMPACT[risk.impact],
            risk.score,
            risk.band.label,
            risk.mitigation,
            display_name(risk.owner),
            risk.review_date,
            _STATUS[risk.status],
            risk.is_review_overdue,
        )
