"""The inventory reconciliation CSV of contracts §7."""

from __future__ import annotations

from outreach_app.domain.reconciliation import HEADER, InventoryReport
from outreach_app.reports.csvio import to_csv


def inventory_csv(report: InventoryReport) -> bytes:
    return to_csv(HEADER, (row.csv_cells() for row in report.rows))
