"""Ledger v2: the database refuses changes to records, counts are facts, kept balances do not
depend on the order records arrive in, `check --repair`, and ids that merge."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError

from outreach_app.domain import identity
from outreach_app.domain.clock import Period
from outreach_app.domain.errors import AlreadyImported
from outreach_app.domain.values import EncounterDraft, StocktakeLineDraft
from outreach_app.services import checks, encounters, importer, inventory, lookup, reconciliation
from outreach_app.services.ledger import ledger_balances
from outreach_app.services.stocktake import commit_stocktake
from outreach_app.services.store import Store, open_store
from outreach_app.storage.models import (
    Encounter,
    EncounterVoid,
    Import,
    Item,
    StockBalance,
    StockMovement,
    StocktakeLine,
)
from tests.conftest import TIMEZONE
from tests.storage.helpers import run_cli

ZONE = ZoneInfo(TIMEZONE)


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def syringes_on_hand(store: Store) -> int:
    with store.unit_of_work() as uow:
        rows = inventory.on_hand(uow, "Drop-in")
    return sum(r.on_hand for r in rows if r.item_code == "SYRINGE")


# Append-only in the database -----------------------------------------------------------------


def _one_encounter(store: Store) -> uuid.UUID:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 50)
        summary = encounters.log_encounter(
            uow,
            EncounterDraft(
                site="Drop-in",
                occurred_at=uow.now(),
                items={"SYRINGE": 10},
                note="ZZ note to purge",
            ),
        )
    return summary.id


REFUSED = [
    "UPDATE stock_movements SET quantity = 99",
    "DELETE FROM stock_movements",
    "UPDATE encounters SET people_served = 7",
    "UPDATE encounters SET note = 'ZZ rewritten'",
    "DELETE FROM encounter_items",
    "DELETE FROM encounters",
    "UPDATE audit_log SET action = 'nothing happened'",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_the_database_refuses_changes_to_records(store: Store, statement: str) -> None:
    _one_encounter(store)
    with (
        pytest.raises(DBAPIError, match="never changed or deleted"),
        store.unit_of_work() as uow,
    ):
        uow.session.execute(text(statement))
    assert syringes_on_hand(store) == 40
    with store.unit_of_work() as uow:
        assert uow.session.scalar(select(Encounter.note)) == "ZZ note to purge"
        assert uow.session.scalar(select(Encounter.people_served)) == 1


def test_a_purge_may_empty_free_text_and_nothing_else(store: Store) -> None:
    encounter_id = _one_encounter(store)
    with store.unit_of_work() as uow:
        uow.session.execute(text("UPDATE encounters SET note = ''"))
        uow.session.execute(text("UPDATE stock_movements SET note = ''"))
    with store.unit_of_work() as uow:
        assert uow.session.get_one(Encounter, encounter_id).note == ""
    assert syringes_on_hand(store) == 40


# Counts as facts -----------------------------------------------------------------------------


def test_a_count_fixes_on_hand_after_it_and_late_records_change_only_its_variance(
    store: Store,
) -> None:
    nov_10, nov_11 = date(2026, 11, 10), date(2026, 11, 11)
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 100, at=local(nov_10, 9))
    with store.unit_of_work() as uow:
        commit_stocktake(
            uow,
            "Drop-in",
            local(nov_10, 12),
            [StocktakeLineDraft("SYRINGE", None, 80, "LOST")],
        )
    assert syringes_on_hand(store) == 80
    with store.unit_of_work() as uow:
        encounters.log_encounter(
            uow,
            EncounterDraft(site="Drop-in", occurred_at=local(nov_11, 12), items={"SYRINGE": 10}),
        )
    assert syringes_on_hand(store) == 70
    # Keyed in late: 5 handed out at 10:00, before the 12:00 count. The count saw the shelf
    # after it, so on hand stays; only the count's variance changes (-20 becomes -15).
    with store.unit_of_work() as uow:
        encounters.log_encounter(
            uow,
            EncounterDraft(site="Drop-in", occurred_at=local(nov_10, 10), items={"SYRINGE": 5}),
        )
    assert syringes_on_hand(store) == 70
    with store.unit_of_work() as uow:
        report = reconciliation.reconcile(uow, Period.month(2026, 11), "Drop-in")
    (row,) = [r for r in report.rows if r.item_code == "SYRINGE"]
    assert row.opening == 0
    assert row.movement("received") == 100
    assert row.movement("distributed") == -15
    assert row.movement("adjust_recount") == -15
    assert row.expected_closing == 70
    assert (row.counted, row.variance) == (80, -15)
    assert checks.run_checks(store).problems == []


# Kept balances whatever the order of arrival (SQLite: a fresh copy per example) --------------

EVENT = st.tuples(
    st.sampled_from(["move", "count", "reverse"]),
    st.integers(min_value=0, max_value=20),  # hour of 2026-11-10
    st.integers(min_value=-30, max_value=60),  # quantity moved, or counted
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(EVENT, min_size=1, max_size=12), order=st.randoms(use_true_random=False))
def test_kept_balances_do_not_depend_on_the_order_records_arrive_in(
    template_folders: dict[str, Path], events: list[tuple[str, int, int]], order: object
) -> None:
    rows = _records_from(events)
    shuffled = list(rows)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = (
        _balances_after(template_folders, rows),
        _balances_after(template_folders, shuffled),
    )
    assert first == second


Record = tuple[type, dict[str, object]]


def _records_from(events: list[tuple[str, int, int]]) -> list[Record]:
    """Movements, their reversals and counts of one item at one site, with fixed ids."""
    rows: list[Record] = []
    moved: list[uuid.UUID] = []
    for n, (kind, hour, qty) in enumerate(events):
        when = local(date(2026, 11, 10), hour)
        rid = uuid.UUID(int=n + 1)
        if kind == "count":
            rows.append((StocktakeLine, {"id": rid, "counted_at": when, "counted": abs(qty)}))
        elif kind == "reverse" and moved:
            target, target_qty, target_when = moved.pop()  # type: ignore[misc]
            rows.append(
                (
                    StockMovement,
                    {
                        "id": identity.reversal_id(target),
                        "occurred_at": target_when,
                        "quantity": -target_qty,
                        "reverses_id": target,
                    },
                )
            )
        elif qty:
            rows.append((StockMovement, {"id": rid, "occurred_at": when, "quantity": qty}))
            moved.append((rid, qty, when))  # type: ignore[arg-type]
    return rows


def _balances_after(template_folders: dict[str, Path], rows: list[Record]) -> dict[object, int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(template_folders["sqlite"], folder)
        store = open_store(folder)
        try:
            with store.unit_of_work() as uow:
                session = uow.session
                site = lookup.site_by_name(session, "Drop-in")
                item = session.scalars(select(Item).where(Item.code == "SYRINGE")).one()
                sheet = uuid.UUID(int=10**6)
                session.execute(
                    text(
                        "INSERT INTO stocktakes (id, device_id, seq, created_at, occurred_at, "
                        "site_id, note) VALUES (:id, :d, 0, 0, 0, :s, '')"
                    ),
                    {"id": sheet.bytes, "d": uow.device_id.bytes, "s": site.id.bytes},
                )
                # Merged records may arrive before what they refer to; checked at commit. (Once
                # the INSERT above began the transaction: the pragma lasts until its end.)
                session.execute(text("PRAGMA defer_foreign_keys = ON"))
                for table, values in rows:
                    common = {"site_id": site.id, "item_id": item.id, "lot_id": None}
                    if table is StocktakeLine:
                        values = {**common, **values, "stocktake_id": sheet}
                    else:
                        values = {
                            **common,
                            **values,
                            "device_id": uow.device_id,
                            "seq": uow.next_seq(),
                            "created_at": uow.now(),
                            "kind": "adjust",
                            "note": "",
                        }
                    session.execute(insert(table).values(**values))
            with store.unit_of_work() as uow:
                kept = {
                    (b.site_id, b.item_id, b.lot_id): b.on_hand
                    for b in uow.session.scalars(select(StockBalance))
                }
                derived = ledger_balances(uow.session)
        finally:
            store.close()
    assert {k: v for k, v in kept.items() if v} == {k: v for k, v in derived.items() if v}
    return {k: v for k, v in kept.items() if v}


# check --repair ------------------------------------------------------------------------------


def test_repair_rebuilds_kept_balances_and_restores_a_dropped_guard(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 40)
    with store.unit_of_work() as uow:
        uow.session.execute(text("UPDATE stock_balances SET on_hand = on_hand + 1"))
        on_postgres = uow.session.get_bind().dialect.name == "postgresql"
        uow.session.execute(
            text("DROP TRIGGER encounters_no_update" + (" ON encounters" if on_postgres else ""))
        )
    problems = checks.run_checks(store).problems
    assert len(problems) == 2
    assert "guards is missing (encounters_no_update)" in problems[0]  # one: singular
    assert "check --repair" in problems[1]
    checks.repair(store)
    assert checks.run_checks(store).problems == []
    assert syringes_on_hand(store) == 40


def test_check_repair_on_the_command_line_backs_up_first(plain_folder: Path) -> None:
    store = open_store(plain_folder)
    try:
        with store.unit_of_work() as uow:
            inventory.receive(uow, "Drop-in", "SYRINGE", 40)
            uow.session.flush()
            uow.session.execute(text("UPDATE stock_balances SET on_hand = 7"))
    finally:
        store.close()
    assert run_cli(plain_folder, "check", passphrase=None).returncode == 1
    repaired = run_cli(plain_folder, "check", "--repair", passphrase=None)
    assert repaired.returncode == 0, repaired.stderr
    assert "Kept balances rebuilt from the ledger" in repaired.stderr
    assert "No problems found." in repaired.stdout
    assert len(list((plain_folder / "backups").glob("before-repair-*.db"))) == 1
    reopened = open_store(plain_folder)
    try:
        assert syringes_on_hand(reopened) == 40
    finally:
        reopened.close()


# Ids that merge ------------------------------------------------------------------------------


def test_the_seeded_catalog_and_first_site_have_the_organisations_ids(store: Store) -> None:
    with store.unit_of_work() as uow:
        org = uow.organisation_id()
        syringe = lookup.item_by_code(uow.session, "SYRINGE")
        site = lookup.site_by_name(uow.session, "Drop-in")
    assert syringe.id == identity.item_id(org, "syringe")
    assert site.id == identity.site_id(org, "drop-in")
    assert identity.item_id(uuid.uuid4(), "SYRINGE") != syringe.id


SHEET = (
    "occurred_at,site,participant_code,SYRINGE,notes\n"
    "2026-11-02 10:00,Drop-in,ZZ-ID-01,10,ZZ first row\n"
    "2026-11-02 11:00,Drop-in,,5,\n"
    "2026-11-02 11:00,Drop-in,,5,\n"
)
# The same rows saved again by another program: BOM, CRLF, quoting, other column order, and
# blank rows.
SAME_ROWS = (
    '\ufeffSYRINGE,"Occurred At",site,notes,participant_code\r\n'
    "\r\n"
    '10,2026-11-02 10:00,"Drop-in","ZZ first row",ZZ-ID-01\r\n'
    ",,,,\r\n"
    '5,2026-11-02 11:00,Drop-in,"",\r\n'
    "5,2026-11-02 11:00,Drop-in,,\r\n"
)


def test_the_same_rows_saved_again_are_the_same_file(store: Store, tmp_path: Path) -> None:
    first, again = tmp_path / "november.csv", tmp_path / "november-resaved.csv"
    first.write_text(SHEET, encoding="utf-8", newline="")
    again.write_text(SAME_ROWS, encoding="utf-8", newline="")
    other = tmp_path / "other.csv"
    other.write_text(SHEET.replace("ZZ first row", "ZZ another row"), encoding="utf-8")
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 100)
    with store.unit_of_work() as uow:
        importer.import_csv(uow, first)
    with pytest.raises(AlreadyImported, match="already imported"), store.unit_of_work() as uow:
        importer.import_csv(uow, again)
    with store.unit_of_work() as uow:
        importer.import_csv(uow, other)
    with store.unit_of_work() as uow:
        imports = uow.session.scalars(select(Import)).all()
        rows = {
            imp.filename: set(
                uow.session.scalars(select(Encounter.id).where(Encounter.import_id == imp.id))
            )
            for imp in imports
        }
    assert sorted(rows) == ["november.csv", "other.csv"]
    # Identical rows inside one file are both kept; two files never share a row id.
    assert len(rows["november.csv"]) == 3 and len(rows["other.csv"]) == 3
    assert not rows["november.csv"] & rows["other.csv"]
    november = next(i for i in imports if i.filename == "november.csv")
    assert identity.import_row_id(november.id, 2) in rows["november.csv"]
    assert syringes_on_hand(store) == 100 - 20 - 20


def test_a_void_and_its_reversals_take_ids_derived_from_what_they_undo(store: Store) -> None:
    encounter_id = _one_encounter(store)
    with store.unit_of_work() as uow:
        encounters.void_encounter(uow, encounter_id, "entered twice")
    with store.unit_of_work() as uow:
        void = uow.session.scalars(select(EncounterVoid)).one()
        reversal = uow.session.scalars(
            select(StockMovement).where(StockMovement.reverses_id.is_not(None))
        ).one()
    # Made on two devices, the same void and the same reversal are one record each.
    assert void.id == identity.void_id(encounter_id)
    assert reversal.id == identity.reversal_id(reversal.reverses_id)  # type: ignore[arg-type]
    assert syringes_on_hand(store) == 50
