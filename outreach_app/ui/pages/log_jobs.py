"""The Log encounter page's database jobs: plain functions of the open store, run on the
database worker (the page never opens a unit of work on the GUI thread)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from outreach_app.domain.values import EncounterDraft, EncounterSummary, ItemInfo, KitInfo
from outreach_app.services import catalog, encounters, inventory, participants


@dataclass(frozen=True)
class FormData:
    items: list[ItemInfo]
    kits: list[KitInfo]
    referrals: list[Any]
    usable: dict[str, int]  # item code -> unexpired on hand at the current site


def load_form(store: Any, site: str) -> FormData:
    with store.reading() as uow:
        today = uow.today()
        usable: dict[str, int] = {}
        for row in inventory.on_hand(uow, site):
            if row.expires_on is None or row.expires_on >= today:
                usable[row.item_code] = usable.get(row.item_code, 0) + max(row.on_hand, 0)
        return FormData(
            catalog.list_items(uow),
            catalog.list_kits(uow),
            catalog.list_referral_types(uow),
            usable,
        )


def lookup_code(store: Any, code: str) -> tuple[Any, list[str]]:
    with store.reading() as uow:
        return participants.participant_status(uow, code), participants.known_codes(uow, code)


def save_encounter(store: Any, draft: EncounterDraft, override: bool) -> EncounterSummary:
    with store.unit_of_work() as uow:
        return encounters.log_encounter(uow, draft, override=override)


def undo_encounter(store: Any, encounter_id: uuid.UUID) -> EncounterSummary:
    with store.unit_of_work() as uow:
        return encounters.void_encounter(uow, encounter_id, "undone right after saving")


def last_visit(store: Any, code: str) -> EncounterSummary | None:
    with store.reading() as uow:
        return participants.last_visit(uow, code)
