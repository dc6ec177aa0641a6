"""Identifying text (issue 10 point 5): every free text is checked in the services, whatever the
caller; the warnings come back with the result and nothing is ever refused for them."""

from __future__ import annotations

from datetime import UTC, datetime

from outreach_app.domain.text_warnings import ADDRESS_HINT, TextWarning
from outreach_app.domain.values import EncounterDraft, StocktakeLineDraft
from outreach_app.services import encounters, free_text, inventory, stocktake
from outreach_app.services.store import Store

NOON = datetime(2026, 10, 5, 16, 0, tzinfo=UTC)
PHONE = "call 514-555-0199"  # a synthetic number (555-01xx)


def test_every_free_text_is_checked_and_saved_anyway(store: Store) -> None:
    with store.unit_of_work() as uow:
        moved = inventory.receive(uow, "Drop-in", "SYRINGE", 50, source="from ZZ Jane Roe")
        logged = encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=NOON, items={"SYRINGE": 5}, note=PHONE)
        )
        plain = encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=NOON, note="Gave 2 kits")
        )
    with store.unit_of_work() as uow:
        voided = encounters.void_encounter(uow, logged.id, "seen at 123 Main Street twice")
        adjusted = inventory.adjust(
            uow, "Drop-in", "SYRINGE", -1, "LOST", note="dropped by ZZ Jane Roe"
        )
        stocktake.commit_stocktake(
            uow, "Drop-in", uow.now(), [StocktakeLineDraft("SWAB", None, 0)], note=PHONE
        )
        counted = free_text.take(uow)
    assert moved.note == "from ZZ Jane Roe"  # saved as typed
    assert moved.text_warnings == (
        TextWarning("the stock note", ("what looks like a person's name",)),
    )
    assert logged.note == PHONE and logged.text_warnings == (
        TextWarning("the note", ("a phone number",)),
    )
    assert plain.text_warnings == ()
    # The void's reversing movements repeat its reason: one warning, not two.
    assert voided.voided and voided.text_warnings == (
        TextWarning("the reason for voiding", (ADDRESS_HINT,)),
    )
    assert [w.field for w in adjusted.text_warnings] == ["the stock note"]
    assert counted == (TextWarning("the count's note", ("a phone number",)),)
    assert "Saved, but the note seems to hold a phone number" in logged.text_warnings[0].describe()
