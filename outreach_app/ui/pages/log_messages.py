"""What the Log encounter page says after a save, a refusal or a repeat, in the language shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from outreach_app.domain.values import EncounterSummary, Shortfall
from outreach_app.i18n import _, _l, ngettext

from outreach_app.ui.widgets.shortfall import below_zero_note, shortfall_lines

NOTHING_TO_SAVE = _l(
    "Nothing to save yet: type a code, supplies or a referral first. (A contact with nothing "
    "given can be counted on the Tally counter.)"
)
NO_CODE_TO_REPEAT = _l("Type a participant code first to repeat their last visit.")


def saved_text(saved: EncounterSummary, name_of: Callable[[str], str]) -> str:
    """ "Saved #7KQ2MD: 20 Syringe; 3 used syringes returned." and what went below zero."""
    given = ", ".join(f"{qty} {name_of(code)}" for code, qty in saved.items)
    who = saved.participant_code or _("anonymous contact")
    text = _("Saved {who}: {given}", who=who, given=given or _("no supplies"))
    if saved.syringes_returned:
        n = saved.syringes_returned
        text += "; " + ngettext("{n} used syringe returned", "{n} used syringes returned", n)
    return text + "." + below_zero_note(saved.negative_recorded)


def not_saved_text(shortfalls: Sequence[Shortfall]) -> str:
    return _(
        "Not saved yet — not enough on hand: {shortfalls}. Change the quantities, or save again "
        "to record it anyway.",
        shortfalls=shortfall_lines(shortfalls),
    )


def filled_text(day: date) -> str:
    return _("Filled from the visit of {day}: check, edit, then save.", day=day.isoformat())
