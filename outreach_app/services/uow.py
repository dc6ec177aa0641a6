"""One unit of work per user action: a session that commits on success and rolls back on error."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from outreach_app.domain.clock import local_date, utc_now


class UnitOfWork:
    def __init__(self, session: Session, device_id: uuid.UUID, zone: ZoneInfo) -> None:
        self.session = session
        self.device_id = device_id
        self.zone = zone
        self._now = utc_now()

    def now(self) -> datetime:
        """One timestamp per action, so every row it writes shares its created_at."""
        return self._now

    def today(self) -> date:
        return local_date(self._now, self.zone)
