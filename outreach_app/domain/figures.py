"""The monthly tally as frozen values (contracts §6), and how each figure is shown.

The service computes raw counts into `TallyFigures`; `display_rows` applies the suppression
rule of contracts §8 and formats the return ratio, so the PDF, the CSV and the app show the same
text for the same figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from outreach_app.domain.suppression import (
    is_suppressible,
    ratio_text,
    suppress,
    tally_breakdowns,
)
from outreach_app.i18n import N_

ALL_SITES = "ALL"

#: The `summary` codes in contracts order, with the words a reader sees (English in the CSV;
#: reports translate them where shown).
SUMMARY_LABELS: dict[str, str] = {
    "encounters": N_("Encounters"),
    "people_served": N_("People served"),
    "unique_participants": N_("Unique participants"),
    "new_participants": N_("New participants"),
    "anonymous_contacts": N_("Anonymous contacts"),
    "tally_contacts": N_("Tally contacts"),
    "syringes_distributed": N_("Syringes distributed"),
    "syringes_returned": N_("Used syringes returned"),
    "return_ratio": N_("Return ratio (returned per distributed)"),
    "naloxone_kits": N_("Naloxone kits given"),
    "naloxone_doses": N_("Naloxone doses given"),
    "people_trained": N_("People trained in naloxone use"),
    "reversals_reported": N_("Overdose reversals reported"),
    "voided_encounters": N_("Voided records left out"),
}
SECTIONS = ("summary", "items", "kits", "naloxone", "referrals", "demographics")


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One figure for one site (or ALL): this period's and the previous period's raw values."""

    section: str
    site: str
    code: str
    label: str
    value: int
    previous: int
    group: str = ""  # item category, for grouping supplies in the PDF


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    contacts: int


@dataclass(frozen=True, slots=True)
class TallyFigures:
    org: str
    site: str  # a site's name, or ALL
    sites: tuple[str, ...]  # the sites covered
    start: date
    end: date
    previous_start: date
    previous_end: date
    period_label: str
    previous_label: str
    generated_at: datetime
    device: str
    app_version: str
    rows: tuple[FigureRow, ...]  # return_ratio excluded: it is derived when shown
    per_day: tuple[DayCount, ...]  # contacts per local day, ALL sites of the report

    @property
    def multi_site(self) -> bool:
        return self.site == ALL_SITES

    def row(self, section: str, code: str, site: str | None = None) -> FigureRow | None:
        wanted = site or self.site
        for r in self.rows:
            if (r.section, r.site, r.code) == (section, wanted, code):
                return r
        return None


@dataclass(frozen=True, slots=True)
class DisplayRow:
    """A row as printed: text values after suppression."""

    section: str
    site: str
    code: str
    label: str
    value: str
    previous: str
    group: str
    suppressed: bool  # value or previous hidden


def display_rows(figures: TallyFigures, threshold: int | None) -> list[DisplayRow]:
    """Every figure as text, with return_ratio inserted after syringes_returned.

    `threshold=None` shows every count (`--no-suppress`).
    """
    keys = [(r.section, r.site, r.code) for r in figures.rows]
    now = {k: r.value for k, r in zip(keys, figures.rows, strict=True)}
    before = {k: r.previous for k, r in zip(keys, figures.rows, strict=True)}
    if threshold is None:
        now_text = {k: str(v) for k, v in now.items()}
        before_text = {k: str(v) for k, v in before.items()}
    else:
        allowed = [k for k in keys if is_suppressible(k[0], k[2])]
        groups = tally_breakdowns(keys)
        now_text = suppress(now, allowed, groups, threshold)
        before_text = suppress(before, allowed, groups, threshold)
    out: list[DisplayRow] = []
    for key, r in zip(keys, figures.rows, strict=True):
        shown = DisplayRow(
            r.section,
            r.site,
            r.code,
            r.label,
            now_text[key],
            before_text[key],
            r.group,
            now_text[key] != str(r.value) or before_text[key] != str(r.previous),
        )
        out.append(shown)
        if r.section == "summary" and r.code == "syringes_returned":
            given = now.get(("summary", r.site, "syringes_distributed"), 0)
            given_before = before.get(("summary", r.site, "syringes_distributed"), 0)
            out.append(
                DisplayRow(
                    "summary",
                    r.site,
                    "return_ratio",
                    SUMMARY_LABELS["return_ratio"],
                    ratio_text(r.value, given),
                    ratio_text(r.previous, given_before),
                    "",
                    False,
                )
            )
    return out
