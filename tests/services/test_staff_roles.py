"""Staff and roles in the services (contracts §10), on SQLite, SQLCipher and PostgreSQL.

A worker reaching a coordinator's service by any path is refused naming the role, with nothing
written; a worker logs, voids their own records, receives, counts and bags out without anyone
else. PINs are per device, and wrong ones make the next try wait longer, never for good.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from outreach_app.domain.clock import Period
from outreach_app.domain.errors import InvalidInput, PinRefused, RoleRefused
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import (
    catalog,
    checks,
    encounters,
    inventory,
    shift_bag,
    staff,
    stocktake,
    tally,
)
from outreach_app.services.store import Store
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import AuditEntry, Encounter, StaffPin, StockMovement

NOON = datetime(2026, 10, 5, 16, 0, tzinfo=UTC)
WORKER_PIN = "246810"  # synthetic test PINs
OTHER_PIN = "135790"


def _setup(store: Store) -> None:
    """A worker and a second worker with PINs, stock at the drop-in, and a bag site."""
    with store.unit_of_work() as uow:
        staff.add_staff(uow, "ZZ Worker", "worker", WORKER_PIN)
        staff.add_staff(uow, "ZZ Other", "worker", OTHER_PIN)
        catalog.add_site(uow, "ZZ Bag", "bag")
        catalog.add_site(uow, "ZZ Van", "van")
        inventory.receive(uow, "Drop-in", "SYRINGE", 100)


def _written(store: Store) -> tuple[int, int, int]:
    with store.reading() as uow:
        s = uow.session
        return (
            s.scalar(select(func.count()).select_from(Encounter)) or 0,
            s.scalar(select(func.count()).select_from(StockMovement)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def _log(uow: UnitOfWork, qty: int = 10) -> uuid.UUID:
    return encounters.log_encounter(
        uow, EncounterDraft(site="Drop-in", occurred_at=NOON, items={"SYRINGE": qty})
    ).id


REFUSED: dict[str, Callable[[UnitOfWork], object]] = {
    "adjust": lambda uow: inventory.adjust(uow, "Drop-in", "SYRINGE", -1, "DAMAGED"),
    "transfer": lambda uow: inventory.transfer(uow, "Drop-in", "ZZ Van", "SYRINGE", 5),
    "catalog": lambda uow: catalog.add_site(uow, "ZZ Satellite", "satellite"),
    "staff": lambda uow: staff.add_staff(uow, "ZZ Third", "worker", "111111"),
    "deactivate": lambda uow: staff.deactivate_staff(uow, "ZZ Other"),
    "unsuppressed": lambda uow: tally.monthly_tally(uow, Period.month(2026, 10), unsuppressed=True),
}


def test_a_worker_is_refused_coordinator_services_naming_the_role(store: Store) -> None:
    _setup(store)
    with store.unit_of_work() as uow:
        theirs = _log(uow)  # the first coordinator's record
    store.act_as("ZZ Worker", WORKER_PIN)
    before = _written(store)
    for name, call in REFUSED.items():
        with pytest.raises(RoleRefused) as refused, store.unit_of_work() as uow:
            call(uow)
        assert refused.value.exit_code == 1, name
        assert "ZZ Worker is a worker" in refused.value.message, name
        assert "only a coordinator may" in refused.value.message, name
    with pytest.raises(RoleRefused, match="someone else made"), store.unit_of_work() as uow:
        encounters.void_encounter(uow, theirs, "entered twice")
    with pytest.raises(RoleRefused, match="check --repair"):
        checks.repair(store)
    assert _written(store) == before  # nothing written, not even an audit entry


def test_a_worker_logs_voids_their_own_receives_counts_and_bags_out(store: Store) -> None:
    _setup(store)
    person = store.act_as("ZZ Worker", WORKER_PIN)
    with store.unit_of_work() as uow:
        mine = _log(uow, 10)
        inventory.receive(uow, "Drop-in", "SWAB", 20)
        shift_bag.check_out(uow, "Drop-in", "ZZ Bag", {"SYRINGE": 5})
    with store.unit_of_work() as uow:
        encounters.void_encounter(uow, mine, "entered twice")
        stocktake.key_in_count(uow, "Drop-in", uow.now(), [("SWAB", None, 18)])
    with store.reading() as uow:
        made = set(
            uow.session.scalars(select(Encounter.staff_id).where(Encounter.id == mine))
        ) | set(
            uow.session.scalars(
                select(StockMovement.staff_id).where(StockMovement.encounter_id == mine)
            )
        )
        on_hand = {(r.site, r.item_code): r.on_hand for r in inventory.on_hand(uow)}
        who = set(
            uow.session.scalars(
                select(AuditEntry.staff_id).where(
                    AuditEntry.action.in_(["encounter", "void", "bag out", "stocktake"])
                )
            )
        )
    assert made == {person.id} and who == {person.id}
    # 100 received, 10 given and given back by the void, 5 into the bag; 18 swabs counted.
    assert on_hand[("Drop-in", "SYRINGE")] == 95
    assert on_hand[("ZZ Bag", "SYRINGE")] == 5
    assert on_hand[("Drop-in", "SWAB")] == 18


def test_a_coordinator_voids_anyones_record(store: Store) -> None:
    _setup(store)
    store.act_as("ZZ Worker", WORKER_PIN)
    with store.unit_of_work() as uow:
        theirs = _log(uow)
    store.act_as("Coordinator", None)
    with store.unit_of_work() as uow:
        assert encounters.void_encounter(uow, theirs, "entered twice").voided


def test_acting_as_anyone_but_the_first_coordinator_needs_their_pin(store: Store) -> None:
    _setup(store)
    assert not store.needs_pin("coordinator") and store.needs_pin("zz worker")
    with pytest.raises(PinRefused, match="needs their PIN"):
        store.act_as("ZZ Worker", None)
    with pytest.raises(PinRefused, match="not ZZ Worker's PIN"):
        store.act_as("ZZ Worker", OTHER_PIN)
    assert store.act_as("zz worker", WORKER_PIN).role == "worker"


def _age_wait(store: Store, name: str) -> None:
    """As if the wait had passed (the clock is real; the PIN table is this device's own)."""
    with store.unit_of_work() as uow:
        person = staff.find(uow.session, name)
        uow.session.execute(
            update(StaffPin)
            .where(StaffPin.staff_id == person.id)
            .values(wait_until=uow.now() - timedelta(seconds=1))
        )


def test_wrong_pins_make_the_next_try_wait_longer_but_never_for_good(store: Store) -> None:
    _setup(store)
    waits = []
    for _ in range(3):
        result = store.write(lambda uow: staff.check_pin(uow, "ZZ Worker", "000000"))
        waits.append(result.wait_seconds)
    assert waits == [0, 0, 5]
    # While waiting even the right PIN is not heard (so guessing cannot go faster).
    with pytest.raises(PinRefused, match="wait 5 seconds"):
        store.sign_in("ZZ Worker", WORKER_PIN)
    _age_wait(store, "ZZ Worker")
    assert store.write(lambda uow: staff.check_pin(uow, "ZZ Worker", "000000")).wait_seconds == 10
    assert [staff.wait_after(n) for n in (3, 4, 5, 6, 7, 8, 9, 50)] == [
        5, 10, 20, 40, 80, 160, 300, 300,
    ]  # fmt: skip
    _age_wait(store, "ZZ Worker")
    assert store.sign_in("ZZ Worker", WORKER_PIN).name == "ZZ Worker"
    # A right PIN starts the count again.
    assert store.write(lambda uow: staff.check_pin(uow, "ZZ Worker", "000000")).wait_seconds == 0


def test_the_last_coordinator_cannot_be_deactivated(store: Store) -> None:
    _setup(store)
    with pytest.raises(InvalidInput, match="last active coordinator"), store.unit_of_work() as uow:
        staff.deactivate_staff(uow, "Coordinator")
    with store.unit_of_work() as uow:
        staff.add_staff(uow, "ZZ Second Coordinator", "coordinator", "987654")
        staff.deactivate_staff(uow, "ZZ Other")
        people = {p.name: (p.role, p.active, p.has_pin) for p in staff.list_staff(uow)}
    assert people == {
        "Coordinator": ("coordinator", True, False),
        "ZZ Other": ("worker", False, True),
        "ZZ Second Coordinator": ("coordinator", True, True),
        "ZZ Worker": ("worker", True, True),
    }
    with pytest.raises(InvalidInput, match="already on the staff list"), store.unit_of_work() as u:
        staff.add_staff(u, "zz  worker", "worker", "222222")
