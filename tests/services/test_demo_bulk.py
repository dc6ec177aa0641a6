"""The benchmark's bulk writer produces the same kind of ledger the services write: the same
rows, the person who acted on each, and one chained audit entry per action that `check`
verifies against the records (so the benchmark's size counts what the app stores)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from outreach_app.services import checks, inventory
from outreach_app.services.demo_bulk import bulk_fill
from outreach_app.services.store import open_store
from outreach_app.storage.models import AuditEntry, Encounter, EncounterItem, StockMovement


def test_bulk_fill_is_consistent_for_check(plain_folder: Path) -> None:
    store = open_store(plain_folder)
    try:
        summary = bulk_fill(store, date(2025, 3, 28), 7, scale=0.05)
        report = checks.run_checks(store)
        with store.unit_of_work() as uow:
            s = uow.session
            assert s.scalar(select(func.count()).select_from(Encounter)) == summary.encounters
            assert s.scalar(select(func.count()).select_from(EncounterItem)) == summary.lines
            assert s.scalar(select(func.count()).select_from(StockMovement)) == summary.movements
            stock = inventory.on_hand(uow, "Van Route North")
            actions = dict(
                s.execute(select(AuditEntry.action, func.count()).group_by(AuditEntry.action)).all()
            )
            receipts = s.scalar(select(func.count()).where(StockMovement.kind == "receive"))
            unsigned = s.scalar(
                select(func.count()).where(
                    (Encounter.staff_id.is_(None)) | (Encounter.staff_id != uow.staff_id)
                )
            )
    finally:
        store.close()
    assert summary.encounters > 50
    assert report.problems == []
    assert actions.get("encounter", 0) + actions.get("tally", 0) == summary.encounters
    assert actions["receive"] == receipts
    assert unsigned == 0
    # Two monthly receipts (March and April) cover every draw with a margin.
    assert all(row.on_hand >= 0 for row in stock)
    assert any(row.item_code == "SYRINGE" and row.on_hand > 0 for row in stock)
