"""The words a report prints for a figure whose CSV label is fixed English.

The CSV keeps its labels, codes and sections whatever the language (contracts §3); a PDF shows
the same figure in the reader's language. Catalog names (items, kits, referral types) are the
organisation's data and print as they are.
"""

from __future__ import annotations

from outreach_app.domain.codes import Gender
from outreach_app.domain.dashboard import WEEK_LABELS
from outreach_app.domain.figures import SUMMARY_LABELS, DisplayRow
from outreach_app.i18n import N_, _
from outreach_app.services.tally_rows import NOT_RECORDED, REASON_LABELS

# In English a PDF prints the CSV's own label ("Gender: trans-woman", "Age not-recorded"), so the
# two read alike; the other languages translate the code's words.
GENDER_WORDS: dict[str, str] = {
    Gender.WOMAN.value: N_("woman"),
    Gender.MAN.value: N_("man"),
    Gender.TRANS_WOMAN.value: N_("trans-woman"),
    Gender.TRANS_MAN.value: N_("trans-man"),
    Gender.NON_BINARY.value: N_("non-binary"),
    Gender.TWO_SPIRIT.value: N_("two-spirit"),
    Gender.OTHER.value: N_("other"),
    Gender.NOT_STATED.value: N_("not-stated"),
    NOT_RECORDED: N_("not-recorded"),
}


def figure_label(row: DisplayRow) -> str:
    """A monthly tally row's label in the current language."""
    kind, _colon, value = row.code.partition(":")
    if row.section == "summary" and row.code in SUMMARY_LABELS:
        return _(SUMMARY_LABELS[row.code])
    if row.section == "naloxone" and kind == "reason" and value in REASON_LABELS:
        return _(REASON_LABELS[value])
    if row.section == "naloxone" and kind in ("kits", "doses"):
        name = row.label.partition(": ")[2] or value
        return _("Kits: {name}", name=name) if kind == "kits" else _("Doses: {name}", name=name)
    if row.section == "demographics" and kind == "age":
        band = _("not-recorded") if value == NOT_RECORDED else value
        return _("Age {band}", band=band)
    if row.section == "demographics" and kind == "gender":
        return _("Gender: {gender}", gender=_(GENDER_WORDS.get(value, value)))
    return row.label


def week_label(code: str) -> str:
    """A dashboard week figure's words in the current language."""
    return _(WEEK_LABELS[code])
