"""Who changed what: one entry per action. Never participant codes or notes.

The chain of hashes over entries and the records they cover (contracts §10) comes with the
staff and audit work; the columns are there from revision 0003.
"""

from __future__ import annotations

from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import AuditEntry


def record(uow: UnitOfWork, action: str, detail: str, staff: str | None = None) -> None:
    summary = f"{staff}: {detail}" if staff else detail
    uow.session.add(AuditEntry(action=action, summary=summary[:500]))
