"""The audit chain (contracts §10): one entry per action, and `check` names the first entry that
does not fit after plain SQL changed a record or an entry (the append-only guard dropped first,
as someone holding the file could)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from outreach_app.domain.errors import RoleRefused
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import audit, checks, encounters, inventory, staff
from outreach_app.services.store import Store

NOON = datetime(2026, 10, 5, 16, 0, tzinfo=UTC)


def _actions(store: Store) -> None:
    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 100)
        saved = encounters.log_encounter(
            uow,
            EncounterDraft(
                site="Drop-in",
                occurred_at=NOON,
                items={"SYRINGE": 10},
                participant_code="ZZ-AUDIT-01",
                note="ZZ synthetic note",
            ),
        )
    with store.unit_of_work() as uow:
        encounters.void_encounter(uow, saved.id, "ZZ entered twice")
        inventory.adjust(uow, "Drop-in", "SYRINGE", -2, "DAMAGED")


def _sql(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def _drop_guard(store: Store, table: str) -> str:
    on = f" ON {table}" if store.is_postgres else ""
    return f"DROP TRIGGER {table}_no_update{on}"


def test_one_entry_per_action_with_who_and_no_personal_text(store: Store) -> None:
    _actions(store)
    with store.reading() as uow:
        rows = audit.entries(uow)
    mine = [
        (r.staff, r.action) for r in rows if r.action in {"receive", "encounter", "void", "adjust"}
    ]
    assert mine == [
        ("Coordinator", "receive"),
        ("Coordinator", "encounter"),
        ("Coordinator", "void"),
        ("Coordinator", "adjust"),
    ]
    text_of_log = " ".join(r.summary for r in rows)
    assert "ZZ-AUDIT" not in text_of_log and "ZZAUDIT" not in text_of_log
    assert "synthetic note" not in text_of_log and "entered twice" not in text_of_log
    assert all(len(r.entry_hash) == 64 and len(r.records) == 64 for r in rows)
    assert checks.run_checks(store).problems == []


def test_a_changed_record_is_named_by_check(store: Store) -> None:
    _actions(store)
    _sql(
        store.engine,
        _drop_guard(store, "encounters"),
        "UPDATE encounters SET syringes_returned = 99 WHERE participant_key IS NOT NULL",
    )
    problems = checks.run_checks(store).problems
    named = [p for p in problems if "audit entry" in p]
    assert len(named) == 1
    assert "'encounter'" in named[0] and "a record it covers was changed" in named[0]


def test_a_changed_entry_is_named_by_check(store: Store) -> None:
    _actions(store)
    _sql(
        store.engine,
        _drop_guard(store, "audit_log"),
        "UPDATE audit_log SET summary = 'nothing happened' WHERE action = 'adjust'",
    )
    (problem,) = [p for p in checks.run_checks(store).problems if "audit entry" in p]
    assert "'adjust'" in problem and "changed after it was written" in problem


def test_a_removed_entry_is_named_by_check(store: Store) -> None:
    _actions(store)
    on = " ON audit_log" if store.is_postgres else ""
    _sql(
        store.engine,
        f"DROP TRIGGER audit_log_no_delete{on}",
        "DELETE FROM audit_log WHERE action = 'void'",
    )
    (problem,) = [p for p in checks.run_checks(store).problems if "audit entry" in p]
    assert "'adjust'" in problem and "does not follow the entry before it" in problem


def test_a_removed_last_entry_leaves_its_records_uncovered(store: Store) -> None:
    _actions(store)
    on = " ON audit_log" if store.is_postgres else ""
    _sql(
        store.engine,
        f"DROP TRIGGER audit_log_no_delete{on}",
        "DELETE FROM audit_log WHERE action = 'adjust'",
    )
    (problem,) = [p for p in checks.run_checks(store).problems if "audit entry" in p]
    assert "(stock_movements) is covered by no audit entry" in problem


def test_only_coordinators_read_the_audit(store: Store) -> None:
    with store.unit_of_work() as uow:
        staff.add_staff(uow, "ZZ Worker", "worker", "246810")
    store.act_as("ZZ Worker", "246810")
    with pytest.raises(RoleRefused, match="view the audit log"), store.reading() as uow:
        audit.entries(uow)
