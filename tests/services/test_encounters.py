"""Logging and voiding encounters moves stock by the ledger rules, on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from outreach_app.domain.errors import InvalidInput, ShortfallError
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounters, inventory
from outreach_app.services.store import Store

NOON = datetime(2026, 11, 2, 17, 0, tzinfo=UTC)


def on_hand(store: Store, item: str, site: str = "Drop-in") -> dict[str | None, int]:
    with store.unit_of_work() as uow:
        return {r.lot: r.on_hand for r in inventory.on_hand(uow, site) if r.item_code == item}


def test_encounter_draws_syringes_and_kit_contents(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 100)
        for code in ("SWAB", "COOKER", "WATER", "FILTER"):
            inventory.receive(uow, "Drop-in", code, 50)
    with store.unit_of_work() as uow:
        saved = encounters.log_encounter(
            uow,
            EncounterDraft(
                site="Drop-in",
                occurred_at=NOON,
                items={"SYRINGE": 5},
                kits={"KIT-INJECT": 1},
                participant_code="ZZ-TEST-01",
                syringes_returned=12,
            ),
        )
    assert dict(saved.items) == {"SYRINGE": 15, "SWAB": 10, "COOKER": 2, "WATER": 2, "FILTER": 2}
    assert saved.kits == (("KIT-INJECT", 1),)
    assert on_hand(store, "SYRINGE") == {None: 85}
    assert on_hand(store, "SWAB") == {None: 40}


def test_shortfall_is_refused_with_numbers_then_allowed_with_override(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 3)
    draft = EncounterDraft(site="Drop-in", occurred_at=NOON, items={"SYRINGE": 10})
    with pytest.raises(ShortfallError) as refused, store.unit_of_work() as uow:
        encounters.log_encounter(uow, draft)
    assert "10 wanted, 3 on hand (short by 7)" in refused.value.message
    assert on_hand(store, "SYRINGE") == {None: 3}
    with store.unit_of_work() as uow:
        saved = encounters.log_encounter(uow, draft, override=True)
    assert on_hand(store, "SYRINGE") == {None: -7}
    assert [s.describe() for s in saved.negative_recorded] == [
        "SYRINGE at Drop-in: 10 wanted, 3 on hand (short by 7)"
    ]


def test_naloxone_draws_first_expiry_first_and_splits_lots(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 2, lot="LATE-1", expires=date(2028, 1, 31)
        )
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 2, lot="SOON-1", expires=date(2027, 3, 31)
        )
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 5, lot="GONE-1", expires=date(2020, 1, 31)
        )
    with store.unit_of_work() as uow:
        encounters.log_encounter(
            uow,
            EncounterDraft(
                site="Drop-in",
                occurred_at=NOON,
                items={"NALOXONE-NASAL": 3},
                naloxone_reason="used",
            ),
        )
    # SOON-1 is emptied first, then one kit from LATE-1; the expired lot is never touched.
    assert on_hand(store, "NALOXONE-NASAL") == {"LATE-1": 1, "GONE-1": 5}


def test_expired_lot_does_not_count_as_available(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "FTS", 10, lot="OLD-FTS", expires=date(2021, 6, 30))
    with pytest.raises(ShortfallError) as refused, store.unit_of_work() as uow:
        encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=NOON, items={"FTS": 2})
        )
    assert "2 wanted, 0 on hand" in refused.value.message


def test_void_keeps_the_record_and_returns_the_stock(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 20)
    with store.unit_of_work() as uow:
        saved = encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=NOON, items={"SYRINGE": 10})
        )
    with store.unit_of_work() as uow:
        voided = encounters.void_encounter(uow, saved.id, "entered twice")
    assert voided.voided and voided.void_reason == "entered twice"
    assert on_hand(store, "SYRINGE") == {None: 20}
    with pytest.raises(InvalidInput, match="already voided"), store.unit_of_work() as uow:
        encounters.void_encounter(uow, saved.id, "again")


def test_negative_count_and_a_name_as_code_are_refused(store: Store) -> None:
    with pytest.raises(InvalidInput, match="cannot be negative"), store.unit_of_work() as uow:
        encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=NOON, syringes_returned=-1)
        )
    with pytest.raises(InvalidInput, match="never a name"), store.unit_of_work() as uow:
        encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=NOON, participant_code="Jane Example")
        )
