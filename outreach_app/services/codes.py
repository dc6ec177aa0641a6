"""Participant codes for wallet cards (the `random` scheme, contracts §10).

New codes are drawn at random with their check character; one this device knows to be used
(an encounter holds its key) or drawn twice in the batch is drawn again. Codes are returned to be
printed and are never stored: only an encounter keeps a code, and only keyed.
"""

from __future__ import annotations

from sqlalchemy import select

from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.participant import (
    CodeScheme,
    new_random_code,
    normalize_participant_code,
)
from outreach_app.i18n import _l
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.indexed import has_participant_key
from outreach_app.storage.models import Encounter

MAX_CARDS = 1000


def new_codes(uow: UnitOfWork, count: int) -> list[str]:
    if uow.code_scheme() != CodeScheme.RANDOM.value:
        raise InvalidInput(
            _l("This organisation uses its own participant codes, so there are no cards to print.")
        )
    if not 1 <= count <= MAX_CARDS:
        raise InvalidInput(_l("Print from 1 to {limit} cards at a time.", limit=MAX_CARDS))
    chosen: dict[bytes, str] = {}
    while len(chosen) < count:
        wanted = count - len(chosen)
        drawn = {}
        for _ in range(wanted):
            code = new_random_code()
            key = uow.code_key(normalize_participant_code(code))
            if key is not None and key not in chosen:
                drawn[key] = code
        used = set(
            uow.session.scalars(
                select(Encounter.participant_key).where(has_participant_key(*drawn))
            )
        )
        chosen.update({k: c for k, c in drawn.items() if k not in used})
    return list(chosen.values())
