"""The balances kept beside the ledger follow every insert and are checked against it."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select, update

from outreach_app.services import audit, checks, inventory, lookup
from outreach_app.services.store import Store
from outreach_app.storage.facts import hash_row
from outreach_app.storage.models import StockBalance, StockMovement


def syringes(store: Store) -> int:
    with store.unit_of_work() as uow:
        return sum(r.on_hand for r in inventory.on_hand(uow, "Drop-in") if r.item_code == "SYRINGE")


def test_a_movement_inserted_outside_the_services_is_counted(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 40)
    # As a merge of another device's records would: a plain insert of a movement row.
    with store.unit_of_work() as uow:
        site = lookup.site_by_name(uow.session, "Drop-in")
        item = lookup.item_by_code(uow.session, "SYRINGE")
        row = dict(
            id=uuid.uuid4(),
            device_id=uow.device_id,
            seq=uow.next_seq(),
            created_at=uow.now(),
            occurred_at=uow.now(),
            site_id=site.id,
            item_id=item.id,
            lot_id=None,
            quantity=-15,
            kind="distribute",
            note="",
        )
        uow.session.execute(insert(StockMovement).values(**row))
        # A bulk writer hashes what it inserts for the action's audit entry.
        audit.record_bulk(
            uow, "merge", "one movement", [(row["seq"], hash_row("stock_movements", row))]
        )
    assert syringes(store) == 25
    assert checks.run_checks(store).problems == []


def test_check_finds_a_kept_balance_that_drifted(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 40)
    with store.unit_of_work() as uow:
        uow.session.execute(update(StockBalance).values(on_hand=StockBalance.on_hand + 1))
        assert uow.session.scalar(select(StockBalance.on_hand)) == 41
    problems = checks.run_checks(store).problems
    assert problems == [
        "1 kept stock balance differs from the ledger; run `outreach check --repair` to rebuild "
        "it from the ledger"
    ]
