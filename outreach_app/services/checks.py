"""`outreach check`: the file's integrity and the ledger's internal consistency.

Each rule compares two records that must agree (an encounter's lines and the stock it drew, a
reversal and what it reverses, the two legs of a transfer, the kept balances and the ledger), so
a problem found here is a real inconsistency, not a judgement about the data. Everything is read
in one snapshot, so records written meanwhile by the app cannot look like a disagreement.

Kept balances and the database's guards are derived: `repair` rebuilds them from the ledger
(after a verified backup of a file) instead of advising a restore.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from outreach_app.domain.codes import MovementKind
from outreach_app.domain.roles import Action
from outreach_app.i18n import _, ngettext
from outreach_app.services import audit, staff
from outreach_app.services.ledger import Key, ledger_balances
from outreach_app.services.store import Store
from outreach_app.storage.balances import rebuild_balances
from outreach_app.storage.models import (
    Encounter,
    EncounterItem,
    EncounterVoid,
    Lot,
    StockBalance,
    StockMovement,
    Stocktake,
    StocktakeLine,
    SyncHeld,
)
from outreach_app.storage.schema import HEAD_REVISION, stored_revision
from outreach_app.storage.triggers import install_triggers, missing_triggers


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_checks(store: Store) -> CheckReport:
    report = CheckReport()
    with store.engine.connect() as conn:
        missing = missing_triggers(conn)
        if missing:
            names = ", ".join(missing[:3]) + ("…" if len(missing) > 3 else "")
            report.problems.append(
                ngettext(
                    "{n} of the database's guards is missing ({names}); run `outreach check "
                    "--repair` to restore it",
                    "{n} of the database's guards are missing ({names}); run `outreach check "
                    "--repair` to restore them",
                    len(missing),
                    names=names,
                )
            )
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
            if rows != [("ok",)]:
                report.problems.append(
                    _("database integrity: {details}", details="; ".join(r[0] for r in rows[:5]))
                )
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                report.problems.append(
                    ngettext(
                        "{n} row refers to a record that does not exist",
                        "{n} rows refer to records that do not exist",
                        len(broken),
                    )
                )
        revision = stored_revision(conn)
        if revision != HEAD_REVISION:
            report.problems.append(
                _(
                    "schema revision {revision} is not the current {head}",
                    revision=revision,
                    head=HEAD_REVISION,
                )
            )
    with store.reading() as uow:
        session = uow.session
        balances = ledger_balances(session)
        _check_encounter_stock(session, report)
        _check_reversals(session, report)
        _check_transfers(session, report)
        _check_stocktakes(session, report)
        _check_lots(session, report)
        _check_kept_balances(session, balances, report)
        _check_held(session, report)
        report.problems.extend(audit.verify(session, report.notes))
        encounters = session.scalar(select(func.count()).select_from(Encounter)) or 0
        movements = session.scalar(select(func.count()).select_from(StockMovement)) or 0
        report.notes.append(
            _(
                "Checked {encounters} encounters and tally records, {movements} movements.",
                encounters=encounters,
                movements=movements,
            )
        )
        negative = [key for key, total in balances.items() if total < 0]
        if negative:
            report.notes.append(
                ngettext(
                    "{n} site/item/lot balance is below zero (supplies recorded beyond what was "
                    "on hand); count that shelf.",
                    "{n} site/item/lot balances are below zero (supplies recorded beyond what was "
                    "on hand); count those shelves.",
                    len(negative),
                )
            )
    return report


def _check_encounter_stock(session: Session, report: CheckReport) -> None:
    given: dict[tuple[uuid.UUID | None, uuid.UUID], int] = {}
    for enc_id, item_id, qty in session.execute(
        select(EncounterItem.encounter_id, EncounterItem.item_id, EncounterItem.quantity)
        .join(Encounter, Encounter.id == EncounterItem.encounter_id)
        .where(Encounter.moves_stock)
    ):
        given[(enc_id, item_id)] = qty
    drawn: dict[tuple[uuid.UUID | None, uuid.UUID], int] = defaultdict(int)
    # Only draws at the encounter's own site and moment count: a void finds them there
    # (storage/indexed.draws_of), so one elsewhere would never be given back.
    for moved_for, moved_item, total in session.execute(
        select(StockMovement.encounter_id, StockMovement.item_id, func.sum(StockMovement.quantity))
        .join(
            Encounter,
            (Encounter.id == StockMovement.encounter_id)
            & (Encounter.site_id == StockMovement.site_id)
            & (Encounter.occurred_at == StockMovement.occurred_at),
        )
        .group_by(StockMovement.encounter_id, StockMovement.item_id)
    ):
        drawn[(moved_for, moved_item)] = int(total)
    voided = set(session.scalars(select(EncounterVoid.encounter_id)))
    bad = 0
    for key in set(given) | set(drawn):
        expected = 0 if key[0] in voided else -given.get(key, 0)
        if drawn.get(key, 0) != expected:
            bad += 1
    if bad:
        report.problems.append(
            ngettext(
                "{n} encounter line disagrees with the stock it drew",
                "{n} encounter lines disagree with the stock they drew",
                bad,
            )
        )


def _check_reversals(session: Session, report: CheckReport) -> None:
    reversal = StockMovement.__table__.alias("reversal")
    original = StockMovement.__table__.alias("original")
    mismatched = session.execute(
        select(func.count())
        .select_from(reversal)
        .join(original, original.c.id == reversal.c.reverses_id)
        .where(
            (original.c.quantity != -reversal.c.quantity)
            | (original.c.site_id != reversal.c.site_id)
            | (original.c.item_id != reversal.c.item_id)
            | (original.c.reverses_id.is_not(None))
        )
    ).scalar()
    if mismatched:
        report.problems.append(
            ngettext(
                "{n} reversal does not mirror the movement it reverses",
                "{n} reversals do not mirror the movement they reverse",
                mismatched,
            )
        )
    doubled = session.execute(
        select(StockMovement.reverses_id)
        .where(StockMovement.reverses_id.is_not(None))
        .group_by(StockMovement.reverses_id)
        .having(func.count() > 1)
    ).all()
    if doubled:
        report.problems.append(
            ngettext(
                "{n} movement was reversed more than once",
                "{n} movements were reversed more than once",
                len(doubled),
            )
        )


def _check_transfers(session: Session, report: CheckReport) -> None:
    unbalanced = session.execute(
        select(StockMovement.transfer_id)
        .where(
            StockMovement.transfer_id.is_not(None),
            StockMovement.kind.in_(
                [MovementKind.TRANSFER_IN.value, MovementKind.TRANSFER_OUT.value]
            ),
        )
        .group_by(StockMovement.transfer_id)
        .having(func.sum(StockMovement.quantity) != 0)
    ).all()
    if unbalanced:
        report.problems.append(
            ngettext(
                "{n} transfer does not arrive as much as it sent",
                "{n} transfers do not arrive as much as they sent",
                len(unbalanced),
            )
        )


def _check_stocktakes(session: Session, report: CheckReport) -> None:
    """Count lines repeat their sheet's site and moment (the balance triggers read them)."""
    off = session.scalar(
        select(func.count())
        .select_from(StocktakeLine)
        .join(Stocktake, Stocktake.id == StocktakeLine.stocktake_id)
        .where(
            (StocktakeLine.site_id != Stocktake.site_id)
            | (StocktakeLine.counted_at != Stocktake.occurred_at)
        )
    )
    if off:
        report.problems.append(
            ngettext(
                "{n} count line disagrees with its count sheet",
                "{n} count lines disagree with their count sheet",
                off,
            )
        )


def _check_lots(session: Session, report: CheckReport) -> None:
    wrong = session.scalar(
        select(func.count())
        .select_from(StockMovement)
        .join(Lot, Lot.id == StockMovement.lot_id)
        .where(Lot.item_id != StockMovement.item_id)
    )
    if wrong:
        report.problems.append(
            ngettext(
                "{n} movement names a lot of another item",
                "{n} movements name a lot of another item",
                wrong,
            )
        )


def _check_kept_balances(session: Session, ledger: dict[Key, int], report: CheckReport) -> None:
    """The balances the database keeps must equal what the ledger gives."""
    kept = {
        (b.site_id, b.item_id, b.lot_id): b.on_hand for b in session.scalars(select(StockBalance))
    }
    off = sum(1 for key in set(ledger) | set(kept) if ledger.get(key, 0) != kept.get(key, 0))
    if off:
        report.problems.append(
            ngettext(
                "{n} kept stock balance differs from the ledger; run `outreach check --repair` "
                "to rebuild it from the ledger",
                "{n} kept stock balances differ from the ledger; run `outreach check --repair` "
                "to rebuild them from the ledger",
                off,
            )
        )


def _check_held(session: Session, report: CheckReport) -> None:
    """Records a merge held back (contracts §9): a record known here with other facts is a
    problem (damage, or a misbehaving device); a revoked device's records and records waiting
    for what they refer to are notes."""
    group = case(
        (SyncHeld.state == "pending", "pending"),
        (SyncHeld.reason == "revoked", "revoked"),
        else_="quarantined",
    )
    counts: dict[str, int] = dict(
        session.execute(select(group, func.count()).group_by(group)).all()
    )
    if counts.get("quarantined"):
        report.problems.append(
            ngettext(
                "{n} record received from another device is quarantined: its id is known here "
                "with other facts; `outreach quarantine` lists it",
                "{n} records received from other devices are quarantined: their ids are known "
                "here with other facts; `outreach quarantine` lists them",
                counts["quarantined"],
            )
        )
    if counts.get("revoked"):
        report.notes.append(
            ngettext(
                "{n} record from a revoked device is quarantined (`outreach quarantine`).",
                "{n} records from revoked devices are quarantined (`outreach quarantine`).",
                counts["revoked"],
            )
        )
    if counts.get("pending"):
        report.notes.append(
            ngettext(
                "{n} record received is pending until what it refers to arrives "
                "(`outreach quarantine`).",
                "{n} records received are pending until what they refer to arrives "
                "(`outreach quarantine`).",
                counts["pending"],
            )
        )


def repair(store: Store) -> str:
    """Rebuild the kept balances and the database's guards from the ledger, after a verified
    backup of a file. Records themselves are never touched."""
    with store.reading() as uow:
        staff.require(uow, Action.REPAIR)
    backup_note = ""
    if store.database_path is not None:
        from outreach_app.services.backups import backup_before

        backup_note = " " + _(
            "A backup was written first: {path}.", path=backup_before(store, "repair")
        )
    with store.unit_of_work() as uow:
        conn = uow.session.connection()
        rebuild_balances(conn)
        install_triggers(conn)
        audit.record(uow, "repair", "kept balances and guards rebuilt")
    return (
        _("Kept balances rebuilt from the ledger and the database's guards restored.") + backup_note
    )
