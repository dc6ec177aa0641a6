"""Warnings about free text that looks identifying (issue 10 point 5): never a refusal.

Every free text people type (an encounter's note, a reason for voiding, an adjustment or stock
note, a count's note, an imported note) is checked with the same rule: what `identifying` finds
(a name, a phone number, an e-mail, a date) plus a street address. The services return these
warnings with their result; the command line prints them on stderr, the app shows them before
saving.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from outreach_app.domain.identifying import identifying_hints
from outreach_app.i18n import N_, _

_STREET_TYPES = (
    "street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|"
    "crescent|cres|terrace|parkway|highway|hwy"
)
_FRENCH_SPANISH = "rue|chemin|ch|boul|bd|avenida|av|calle|camino|paseo|plaza"
# "123 Main Street", "45 rue Saint-Denis", "Calle Mayor 12", "apt 4B", "H2X 1Y4".
_ADDRESS = re.compile(
    rf"(?<![\w-])\d{{1,5}}[a-z]?,?\s+(?:[\w'.-]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?"
    rf"|(?<![\w-])\d{{1,5}}[a-z]?,?\s+(?:{_FRENCH_SPANISH})\s+[\w'-]+"
    rf"|(?<![\w-])(?:{_FRENCH_SPANISH})\s+(?:[\w'-]+\s+){{1,3}}\d{{1,5}}(?![\w-])"
    r"|(?<![\w-])(?:apt|apartment|unit|suite|appt|app)\.?\s*#?\s*\d+[a-z]?(?![\w-])"
    r"|(?<![\w-])[abceghj-nprstvxy]\d[abceghj-nprstv-z]\s?\d[abceghj-nprstv-z]\d(?![\w-])",
    re.IGNORECASE,
)
ADDRESS_HINT = N_("what looks like an address")


def text_hints(text: str) -> list[str]:
    """What in `text` looks identifying, in plain English words (message ids: show them with
    `hints_in_words`); empty when nothing does."""
    if not text.strip():
        return []
    hints = identifying_hints(text)
    if _ADDRESS.search(text):
        hints.append(ADDRESS_HINT)
    return hints


def hints_in_words(hints: Sequence[str]) -> str:
    """The hints in the current language, joined with "and"."""
    return _(" and ").join(_(hint) for hint in hints)


@dataclass(frozen=True, slots=True)
class TextWarning:
    """One free text that looks identifying: which one (`field`, e.g. "the note") and why."""

    field: str  # a message id ("the note"), translated where shown
    hints: tuple[str, ...]

    def describe(self) -> str:
        """For after saving (the command line): what was found, and that it was saved."""
        return _(
            "Saved, but {field} seems to hold {what}. Participants trust us not to write down "
            "who they are: leave such details out.",
            field=_(self.field),
            what=hints_in_words(self.hints),
        )


def check_text(field: str, text: str) -> TextWarning | None:
    hints = text_hints(text)
    return TextWarning(field, tuple(hints)) if hints else None
