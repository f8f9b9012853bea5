"""Filters for the PDF templates (templates/pdf/)."""

import re
import unicodedata

from django import template

register = template.Library()

# WeasyPrint finds each line of a run of text with no break opportunity by laying out the
# whole rest of the run again, so the time grows with the square of the run's length: one
# "word" of 50,000 characters took 15 s even outside a table. A zero-width space between
# the characters of a long run gives the line breaker somewhere to stop; it is not drawn,
# and not in the PDF's text (pdftotext and copying give the run as typed).
LONG_RUN = 60  # longer than any real word, so ordinary text is left exactly as it is
ZERO_WIDTH_SPACE = "\u200b"
_LONG_RUN = re.compile(r"[^ \t\r\n]{%d,}" % (LONG_RUN + 1))


@register.filter
def breakable(value):
    """The text with a break opportunity between the characters of every run longer than LONG_RUN.

    The result is plain text, so it is escaped like the value itself.
    """
    if not isinstance(value, str):
        return value
    return _LONG_RUN.sub(lambda match: _between_characters(match.group()), value)


def _between_characters(run: str) -> str:
    if run.isascii():  # nothing to keep together
        return ZERO_WIDTH_SPACE.join(run)
    pieces = [run[0]]
    for previous, character in zip(run, run[1:]):
        if not (_joins(character) or _joins(previous)):
            pieces.append(ZERO_WIDTH_SPACE)
        pieces.append(character)
    return "".join(pieces)


def _joins(character: str) -> bool:
    """Never split from its neighbour: combining marks and variation selectors (M*), joiners (Cf),
    modifiers such as skin tones (Sk), and the regional indicators that pair into flags."""
    regional_indicator = "\U0001F1E6" <= character <= "\U0001F1FF"
    return regional_indicator or unicodedata.category(character) in {"Mn", "Mc", "Me", "Cf", "Sk"}
