"""The dashboard CSV of contracts §11, with the suppression of contracts §8."""

from __future__ import annotations

from outreach_app.domain.dashboard import Dashboard, dashboard_rows
from outreach_app.reports.csvio import to_csv

HEADER = ("section", "site", "item_code", "lot", "label", "value")


def dashboard_csv(dashboard: Dashboard, threshold: int | None) -> bytes:
    """`threshold=None` shows every count (`--no-suppress`)."""
    return to_csv(HEADER, (row.cells() for row in dashboard_rows(dashboard, threshold)))
