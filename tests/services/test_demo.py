"""The demo month: realistic, synthetic, and clean for `outreach check`."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from outreach_app.domain.clock import Period
from outreach_app.services import checks, demo
from outreach_app.services.store import open_store
from outreach_app.storage.models import (
    Encounter,
    EncounterReferral,
    EncounterVoid,
    Site,
    StockMovement,
    Stocktake,
)
from tests.storage.helpers import run_cli


def _last_full_month() -> Period:
    first_of_this = date.today().replace(day=1)
    previous = first_of_this - timedelta(days=1)
    return Period.month(previous.year, previous.month)


def test_a_demo_month_is_realistic_and_checks_clean(plain_folder: Path) -> None:
    month = _last_full_month()
    store = open_store(plain_folder)
    try:
        summary = demo.fill_month(store, month, scale=0.15)
        report = checks.run_checks(store)
        with store.unit_of_work() as uow:
            s = uow.session
            kinds = dict(s.execute(select(Site.name, Site.kind)).all())
            coded = s.scalars(
                select(Encounter.participant_key).where(Encounter.participant_key.is_not(None))
            ).all()
            typed = s.scalar(select(func.count()).where(Encounter.participant_code.is_not(None)))
            anonymous = s.scalar(
                select(func.count()).where(
                    Encounter.participant_key.is_(None), Encounter.is_tally.is_(False)
                )
            )
            tallies = s.scalar(select(func.count()).where(Encounter.is_tally.is_(True)))
            reasons = set(s.scalars(select(Encounter.naloxone_reason).distinct()))
            voids = s.scalar(select(func.count()).select_from(EncounterVoid))
            referrals = s.scalar(select(func.count()).select_from(EncounterReferral))
            counts = s.scalar(select(func.count()).select_from(Stocktake))
            move_kinds = set(s.scalars(select(StockMovement.kind).distinct()))
            first_move = s.scalar(select(func.min(StockMovement.occurred_at)))
            at_first_site = s.scalar(
                select(func.count())
                .select_from(Encounter)
                .join(Site, Site.id == Encounter.site_id)
                .where(Site.name == "Drop-in")
            )
    finally:
        store.close()
    assert report.problems == []
    assert set(kinds.values()) == {"fixed", "van", "street", "bag"}
    # The folder's own first site is the demo's busy drop-in, not an extra one beside it.
    assert "Drop-in Centre" not in kinds and at_first_site > 20
    assert summary.encounters > 50
    assert typed == 0 and all(len(key) == 32 for key in coded)  # stored only keyed
    assert len(set(coded)) < len(coded)  # returning participants
    assert anonymous and tallies and referrals
    assert {"FIRST", "USED"} <= reasons
    assert voids == summary.voided >= 2
    assert counts == summary.stocktakes == 2
    assert {"receive", "transfer_out", "transfer_in", "distribute"} <= move_kinds
    assert first_move is not None and first_move.date() >= month.start - timedelta(days=1)


def test_demo_command_refuses_a_bad_month_and_a_future_one(plain_folder: Path) -> None:
    assert run_cli(plain_folder, "demo", "--month", "2026-13").returncode == 2
    future = date.today() + timedelta(days=62)
    result = run_cli(plain_folder, "demo", "--month", f"{future.year}-{future.month:02d}")
    assert result.returncode == 1
    assert "not started" in result.stderr
