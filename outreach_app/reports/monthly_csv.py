"""The monthly tally CSV of contracts §6, with the suppression of contracts §8."""

from __future__ import annotations

from outreach_app.domain.figures import TallyFigures, display_rows
from outreach_app.reports.csvio import to_csv

HEADER = ("section", "site", "code", "label", "value", "previous_value")


def monthly_csv(figures: TallyFigures, threshold: int | None) -> bytes:
    """`threshold=None` shows every count (`--no-suppress`)."""
    return to_csv(
        HEADER,
        (
            (r.section, r.site, r.code, r.label, r.value, r.previous)
            for r in display_rows(figures, threshold)
        ),
    )
