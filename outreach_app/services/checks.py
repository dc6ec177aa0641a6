"""`outreach check`: the file's integrity and the ledger's internal consistency.

Each rule compares two records that must agree (an encounter's lines and the stock it drew, a
reversal and what it reverses, the two legs of a transfer, a count and its corrections), so a
problem found here is a real inconsistency, not a judgement about the data.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from outreach_app.domain.codes import MovementKind
from outreach_app.services.store import Store
from outreach_app.storage.models import (
    Encounter,
    EncounterItem,
    EncounterVoid,
    Lot,
    StockBalance,
    StockMovement,
    StocktakeLine,
)
from outreach_app.storage.schema import HEAD_REVISION, stored_revision


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_checks(store: Store) -> CheckReport:
    report = CheckReport()
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
            if rows != [("ok",)]:
                report.problems.append("database integrity: " + "; ".join(r[0] for r in rows[:5]))
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                report.problems.append(f"{len(broken)} rows refer to records that do not exist")
        revision = stored_revision(conn)
        if revision != HEAD_REVISION:
            report.problems.append(f"schema revision {revision} is not the current {HEAD_REVISION}")
    with store.reading() as uow:
        session = uow.session
        _check_encounter_stock(session, report)
        _check_reversals(session, report)
        _check_transfers(session, report)
        _check_stocktakes(session, report)
        _check_lots(session, report)
        _check_kept_balances(session, report)
        encounters = session.scalar(select(func.count()).select_from(Encounter)) or 0
        movements = session.scalar(select(func.count()).select_from(StockMovement)) or 0
        report.notes.append(
            f"Checked {encounters} encounters and tally records, {movements} movements."
        )
        negative = session.execute(
            select(StockMovement.site_id, StockMovement.item_id, StockMovement.lot_id)
            .group_by(StockMovement.site_id, StockMovement.item_id, StockMovement.lot_id)
            .having(func.sum(StockMovement.quantity) < 0)
        ).all()
        if negative:
            report.notes.append(
                f"{len(negative)} site/item/lot balances are below zero, recorded with the "
                "override; count those shelves."
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
    for moved_for, moved_item, total in session.execute(
        select(StockMovement.encounter_id, StockMovement.item_id, func.sum(StockMovement.quantity))
        .where(StockMovement.encounter_id.is_not(None))
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
        report.problems.append(f"{bad} encounter lines disagree with the stock they drew")


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
        report.problems.append(f"{mismatched} reversals do not mirror the movement they reverse")
    doubled = session.execute(
        select(StockMovement.reverses_id)
        .where(StockMovement.reverses_id.is_not(None))
        .group_by(StockMovement.reverses_id)
        .having(func.count() > 1)
    ).all()
    if doubled:
        report.problems.append(f"{len(doubled)} movements were reversed more than once")


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
        report.problems.append(f"{len(unbalanced)} transfers do not arrive as much as they sent")


def _check_stocktakes(session: Session, report: CheckReport) -> None:
    bad_lines = session.scalar(
        select(func.count())
        .select_from(StocktakeLine)
        .where(StocktakeLine.variance != StocktakeLine.counted - StocktakeLine.expected)
    )
    if bad_lines:
        report.problems.append(
            f"{bad_lines} count lines have a variance that is not counted − expected"
        )
    corrections: dict[tuple[uuid.UUID | None, uuid.UUID, uuid.UUID | None], int] = defaultdict(int)
    for st_id, item_id, lot_id, total in session.execute(
        select(
            StockMovement.stocktake_id,
            StockMovement.item_id,
            StockMovement.lot_id,
            func.sum(StockMovement.quantity),
        )
        .where(StockMovement.kind == MovementKind.COUNT_CORRECTION.value)
        .group_by(StockMovement.stocktake_id, StockMovement.item_id, StockMovement.lot_id)
    ):
        corrections[(st_id, item_id, lot_id)] = int(total)
    variances: dict[tuple[uuid.UUID | None, uuid.UUID, uuid.UUID | None], int] = defaultdict(int)
    for line in session.scalars(select(StocktakeLine)):
        variances[(line.stocktake_id, line.item_id, line.lot_id)] += line.variance
    off = sum(
        1
        for key in set(corrections) | set(variances)
        if corrections.get(key, 0) != variances.get(key, 0)
    )
    if off:
        report.problems.append(f"{off} count lines disagree with their count corrections")


def _check_lots(session: Session, report: CheckReport) -> None:
    wrong = session.scalar(
        select(func.count())
        .select_from(StockMovement)
        .join(Lot, Lot.id == StockMovement.lot_id)
        .where(Lot.item_id != StockMovement.item_id)
    )
    if wrong:
        report.problems.append(f"{wrong} movements name a lot of another item")


def _check_kept_balances(session: Session, report: CheckReport) -> None:
    """The balances the database keeps must equal the ledger's own sums."""
    ledger: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID | None], int] = {
        (site_id, item_id, lot_id): int(total)
        for site_id, item_id, lot_id, total in session.execute(
            select(
                StockMovement.site_id,
                StockMovement.item_id,
                StockMovement.lot_id,
                func.sum(StockMovement.quantity),
            ).group_by(StockMovement.site_id, StockMovement.item_id, StockMovement.lot_id)
        )
    }
    kept = {
        (b.site_id, b.item_id, b.lot_id): b.on_hand for b in session.scalars(select(StockBalance))
    }
    off = sum(1 for key in set(ledger) | set(kept) if ledger.get(key, 0) != kept.get(key, 0))
    if off:
        report.problems.append(
            f"{off} kept stock balances differ from the ledger's sums; restore from a backup "
            "or report this"
        )
