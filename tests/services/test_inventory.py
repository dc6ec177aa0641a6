"""Receiving, transfers, adjustments, counts and shift bags, checked through on-hand figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from outreach_app.domain.errors import InvalidInput, ShortfallError
from outreach_app.domain.values import EncounterDraft, StocktakeLineDraft
from outreach_app.services import catalog, encounters, inventory, shift_bag, stocktake
from outreach_app.services.store import Store


def totals(store: Store, site: str) -> dict[tuple[str, str | None], int]:
    with store.unit_of_work() as uow:
        return {(r.item_code, r.lot): r.on_hand for r in inventory.on_hand(uow, site) if r.on_hand}


def test_receive_lot_item_needs_lot_and_expiry(store: Store) -> None:
    with pytest.raises(InvalidInput, match="lot number and expiry"), store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "NALOXONE-NASAL", 10)
    with pytest.raises(InvalidInput, match="does not track lots"), store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 10, lot="X1", expires=date(2030, 1, 1))
    with store.unit_of_work() as uow:
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 10, lot="NX-1", expires=date(2030, 1, 1)
        )
    with pytest.raises(InvalidInput, match="recorded as expiring"), store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "NALOXONE-NASAL", 5, lot="NX-1", expires=date(2031, 1, 1))
    assert totals(store, "Drop-in") == {("NALOXONE-NASAL", "NX-1"): 10}


def test_transfer_moves_stock_and_refuses_shortfall(store: Store) -> None:
    with store.unit_of_work() as uow:
        catalog.add_site(uow, "Van 1", "van")
        inventory.receive(uow, "Drop-in", "SYRINGE", 100)
        inventory.transfer(uow, "Drop-in", "Van 1", "SYRINGE", 40)
    assert totals(store, "Drop-in") == {("SYRINGE", None): 60}
    assert totals(store, "Van 1") == {("SYRINGE", None): 40}
    with pytest.raises(ShortfallError, match="70 wanted, 60 on hand"), store.unit_of_work() as uow:
        inventory.transfer(uow, "Drop-in", "Van 1", "SYRINGE", 70)


def test_adjust_needs_reason_and_override_below_zero(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "CONDOM", 10)
    with (
        pytest.raises(InvalidInput, match="Unknown adjustment reason"),
        store.unit_of_work() as uow,
    ):
        inventory.adjust(uow, "Drop-in", "CONDOM", -2, "oops")
    with pytest.raises(ShortfallError), store.unit_of_work() as uow:
        inventory.adjust(uow, "Drop-in", "CONDOM", -12, "lost")
    with store.unit_of_work() as uow:
        inventory.adjust(uow, "Drop-in", "CONDOM", -3, "damaged")
    assert totals(store, "Drop-in") == {("CONDOM", None): 7}


def test_count_at_a_moment_ignores_later_encounters(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 100)
        opened_at = uow.now()
    # The sheet is open; a worker hands out 10 after the moment of the count.
    later = opened_at + timedelta(seconds=5)
    with store.unit_of_work() as uow:
        encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=later, items={"SYRINGE": 10})
        )
    with store.unit_of_work() as uow:
        sheet = stocktake.count_sheet(uow, "Drop-in", at=opened_at)
    assert [(line.item_code, line.expected) for line in sheet if line.item_code == "SYRINGE"] == [
        ("SYRINGE", 100)
    ]
    with pytest.raises(InvalidInput, match="Give a reason"), store.unit_of_work() as uow:
        stocktake.commit_stocktake(
            uow, "Drop-in", opened_at, [StocktakeLineDraft("SYRINGE", None, 97)]
        )
    with store.unit_of_work() as uow:
        stocktake.commit_stocktake(
            uow, "Drop-in", opened_at, [StocktakeLineDraft("SYRINGE", None, 97, "lost")]
        )
    # 100 received, 3 missing at the count, 10 given after it.
    assert totals(store, "Drop-in") == {("SYRINGE", None): 87}


def test_shift_bag_records_the_unlogged_remainder_as_a_tally(store: Store) -> None:
    with store.unit_of_work() as uow:
        catalog.add_site(uow, "Night bag", "bag")
        inventory.receive(uow, "Drop-in", "SYRINGE", 200)
        inventory.receive(uow, "Drop-in", "CONDOM", 50)
        shift_bag.check_out(uow, "Drop-in", "Night bag", {"SYRINGE": 100, "CONDOM": 20})
    with store.unit_of_work() as uow:
        encounters.log_encounter(
            uow,
            EncounterDraft(site="Night bag", occurred_at=datetime.now(UTC), items={"SYRINGE": 30}),
        )
    with store.unit_of_work() as uow:
        result = shift_bag.check_in(
            uow, "Night bag", "Drop-in", {"SYRINGE": 50, "CONDOM": 20}, contacts=4
        )
    # 100 out, 30 logged, 50 back: 20 given without being logged.
    assert result.unlogged == {"SYRINGE": 20}
    assert totals(store, "Night bag") == {}
    assert totals(store, "Drop-in") == {("SYRINGE", None): 150, ("CONDOM", None): 50}
    with store.unit_of_work() as uow:
        record = encounters.get_encounter(uow, result.tally_id)
    assert record.is_tally and record.contacts == 4 and dict(record.items) == {"SYRINGE": 20}
    assert "Shift bag" in record.note


def test_check_out_needs_a_bag_or_van(store: Store) -> None:
    with store.unit_of_work() as uow:
        catalog.add_site(uow, "Park outreach", "street")
        inventory.receive(uow, "Drop-in", "SYRINGE", 10)
    with pytest.raises(InvalidInput, match="not a bag or van"), store.unit_of_work() as uow:
        shift_bag.check_out(uow, "Drop-in", "Park outreach", {"SYRINGE": 5})


def test_ledger_running_balance(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SHARPS", 12)
    with store.unit_of_work() as uow:
        inventory.adjust(uow, "Drop-in", "SHARPS", -2, "damaged")
    with store.unit_of_work() as uow:
        rows = inventory.ledger(uow, "Drop-in", "SHARPS")
    assert [(r.kind, r.quantity, r.balance) for r in rows] == [
        ("receive", 12, 12),
        ("adjust", -2, 10),
    ]


def test_expiring_lots_and_items_under_their_reorder_level(store: Store) -> None:
    with store.unit_of_work() as uow:
        soon = uow.today() + timedelta(days=30)
        later = uow.today() + timedelta(days=400)
        inventory.receive(uow, "Drop-in", "NALOXONE-NASAL", 6, lot="ZZ-SOON", expires=soon)
        inventory.receive(uow, "Drop-in", "NALOXONE-NASAL", 30, lot="ZZ-LATER", expires=later)
        inventory.receive(uow, "Drop-in", "SYRINGE", 1500)
    with store.unit_of_work() as uow:
        expiring = inventory.expiring_lots(uow, 60, "Drop-in")
        under = inventory.under_reorder_level(uow, "Drop-in")
    assert [(r.lot, r.on_hand) for r in expiring] == [("ZZ-SOON", 6)]
    # Seeded reorder levels: nasal naloxone 20 (36 on hand: fine), syringes 1000 (1500: fine),
    # condoms 200 (0 on hand: under).
    under_codes = {code for _site, code, _qty, _level in under}
    assert "CONDOM" in under_codes
    assert "NALOXONE-NASAL" not in under_codes and "SYRINGE" not in under_codes
