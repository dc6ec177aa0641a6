"""What the form may show about a participant code: returning or new, last seen, last visit.

Codes are stored only keyed (contracts §10): a typed code is normalised and keyed, then looked
up by its key. No list of known codes can be shown (there are none to show), only short tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select

from outreach_app.domain.clock import local_date
from outreach_app.domain.participant import clean_participant_code
from outreach_app.domain.values import EncounterSummary
from outreach_app.i18n import _, ngettext
from outreach_app.services.encounters import summarize
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.indexed import has_participant_key
from outreach_app.storage.models import Encounter, EncounterVoid


@dataclass(frozen=True, slots=True)
class ParticipantStatus:
    code: str
    known: bool
    last_seen: date | None
    days_since: int | None
    age_band: str | None
    gender: str | None

    def describe(self) -> str:
        if not self.known or self.days_since is None:
            return _("new")
        if self.days_since == 0:
            return _("returning, last seen today")
        return ngettext(
            "returning, last seen {n} day ago", "returning, last seen {n} days ago", self.days_since
        )


def _not_voided() -> ColumnElement[bool]:
    return Encounter.id.not_in(select(EncounterVoid.encounter_id))


def _latest(uow: UnitOfWork, key: bytes) -> Encounter | None:
    return uow.session.scalar(
        select(Encounter)
        .where(has_participant_key(key), Encounter.is_tally.is_(False), _not_voided())
        .order_by(Encounter.occurred_at.desc(), Encounter.id.desc())
        .limit(1)
    )


def participant_status(uow: UnitOfWork, code: str) -> ParticipantStatus:
    clean = clean_participant_code(code) or ""
    key = uow.code_key(clean)
    latest = _latest(uow, key) if key else None
    if latest is None or key is None:
        return ParticipantStatus(clean, False, None, None, None, None)
    seen = local_date(latest.occurred_at, uow.zone)
    # Remembered per code: the most recent recorded value, even if the last visit left it blank.
    age = uow.session.scalar(
        select(Encounter.age_band)
        .where(has_participant_key(key), Encounter.age_band.is_not(None), _not_voided())
        .order_by(Encounter.occurred_at.desc())
        .limit(1)
    )
    gender = uow.session.scalar(
        select(Encounter.gender)
        .where(has_participant_key(key), Encounter.gender.is_not(None), _not_voided())
        .order_by(Encounter.occurred_at.desc())
        .limit(1)
    )
    return ParticipantStatus(clean, True, seen, (uow.today() - seen).days, age, gender)


def known_codes(uow: UnitOfWork, prefix: str = "", limit: int = 20) -> list[str]:
    """Nothing to suggest: codes are stored only as keyed hashes, never as typed."""
    return []


def last_visit(uow: UnitOfWork, code: str) -> EncounterSummary | None:
    key = uow.code_key(clean_participant_code(code))
    latest = _latest(uow, key) if key else None
    return summarize(uow.session, latest) if latest else None
