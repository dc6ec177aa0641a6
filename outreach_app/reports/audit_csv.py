"""`audit --csv` (contracts §10): who did what, oldest first; times in UTC."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from outreach_app.reports.csvio import to_csv

if TYPE_CHECKING:
    from outreach_app.services.audit import AuditRow

HEADER = ("at", "device", "staff", "action", "summary", "records", "entry_hash")


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def audit_csv(rows: Sequence[AuditRow]) -> bytes:
    return to_csv(
        HEADER,
        (
            (utc_text(r.at), r.device, r.staff, r.action, r.summary, r.records, r.entry_hash)
            for r in rows
        ),
    )
