"""Logging, voiding and listing encounters and tally records."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from outreach_app.domain import identity
from outreach_app.domain.clock import ahead_problem
from outreach_app.domain.codes import MovementKind
from outreach_app.domain.errors import InvalidInput, NotFound, ShortfallError
from outreach_app.domain.participant import code_tag
from outreach_app.domain.roles import Action
from outreach_app.domain.values import EncounterDraft, EncounterSummary, Shortfall
from outreach_app.i18n import _l, join
from outreach_app.services import audit, free_text, staff
from outreach_app.services.encounter_checks import PreparedEncounter, prepare
from outreach_app.services.ledger import PlannedDraw, plan_draw, write_draws
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.indexed import draws_of
from outreach_app.storage.models import (
    Encounter,
    EncounterItem,
    EncounterKit,
    EncounterReferral,
    EncounterVoid,
    Item,
    Kit,
    ReferralType,
    Site,
    Staff,
    StockMovement,
)


def plan_stock(session: Session, prepared: PreparedEncounter, today: date) -> list[PlannedDraw]:
    items = {i.id: i for i in session.scalars(select(Item).where(Item.id.in_(prepared.items)))}
    return [
        plan_draw(session, prepared.site, items[item_id], qty, today)
        for item_id, qty in sorted(prepared.items.items(), key=lambda kv: items[kv[0]].sort_order)
    ]


def refuse_shortfalls(shortfalls: list[Shortfall]) -> None:
    if shortfalls:
        raise ShortfallError(
            _l(
                "Not enough on hand: {lines}. Receive or transfer stock first, or confirm to "
                "record it anyway; a count at that site then sets the figure right.",
                lines=join([s.text() for s in shortfalls], "; "),
            ),
            shortfalls,
        )


def write_encounter(
    uow: UnitOfWork,
    prepared: PreparedEncounter,
    plans: list[PlannedDraw] | None,
    *,
    encounter_id: uuid.UUID | None = None,
    import_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
) -> Encounter:
    """Insert the encounter, its lines and (when `plans` is given) its distribute movements."""
    draft = prepared.draft
    occurred = draft.occurred_at
    encounter = Encounter(
        id=encounter_id or uuid.uuid4(),
        device_id=uow.device_id,
        created_at=uow.now(),
        occurred_at=occurred,
        site_id=prepared.site.id,
        staff_id=staff_id,
        is_tally=draft.is_tally,
        contacts=draft.contacts if draft.is_tally else 0,
        participant_code=None,  # stored only keyed (contracts §10)
        participant_key=uow.code_key(prepared.participant_code),
        age_band=prepared.age_band,
        gender=prepared.gender,
        is_new=None if draft.is_tally else draft.is_new,
        people_served=0 if draft.is_tally else draft.people_served,
        syringes_returned=draft.syringes_returned,
        reversals_reported=draft.reversals_reported,
        naloxone_reason=prepared.naloxone_reason,
        naloxone_training=draft.naloxone_training,
        note=draft.note.strip(),
        moves_stock=plans is not None,
        import_id=import_id,
    )
    session = uow.session
    session.add(encounter)
    for item_id, qty in prepared.items.items():
        session.add(EncounterItem(encounter_id=encounter.id, item_id=item_id, quantity=qty))
    for kit_id, qty in prepared.kits.items():
        session.add(EncounterKit(encounter_id=encounter.id, kit_id=kit_id, quantity=qty))
    for ref in prepared.referrals:
        session.add(EncounterReferral(encounter_id=encounter.id, referral_type_id=ref.id))
    if plans:
        session.flush()
        write_draws(
            session,
            plans,
            site=prepared.site,
            kind=MovementKind.DISTRIBUTE,
            occurred_at=occurred,
            device_id=uow.device_id,
            created_at=uow.now(),
            encounter_id=encounter.id,
            staff_id=staff_id,
        )
    return encounter


def log_encounter(
    uow: UnitOfWork, draft: EncounterDraft, *, override: bool = False, move_stock: bool = True
) -> EncounterSummary:
    """Record an encounter (or tally record) and draw its supplies from the site's stock.

    A shortfall is refused unless `override` (the app asks once, then saves with it; the
    command line always saves, contracts §1); the summary says what was drawn below zero."""
    refuse_if_ahead(uow, draft)
    prepared = prepare(uow.session, draft, scheme=uow.code_scheme())
    plans = plan_stock(uow.session, prepared, uow.today()) if move_stock else None
    short = [p.shortfall for p in plans or () if p.shortfall]
    if not override:
        refuse_shortfalls(short)
    encounter = write_encounter(uow, prepared, plans)
    uow.session.flush()
    what = "tally" if draft.is_tally else "encounter"
    audit.record(uow, what, f"{what} at {prepared.site.name}")
    return replace(
        summarize(uow.session, encounter),
        negative_recorded=tuple(short),
        text_warnings=free_text.take(uow),
    )


def refuse_if_ahead(uow: UnitOfWork, draft: EncounterDraft) -> None:
    """No record dated ahead (contracts §4): a date (stored as 12:00 local) after tomorrow, or a
    date-time more than a day ahead of this device's clock. Merges apply records as they were
    made and do not come through here."""
    problem = ahead_problem(draft.occurred_at, uow.zone, uow.now())
    if problem:
        raise InvalidInput(_l("Nothing was saved: {problem}.", problem=problem))


def void_encounter(uow: UnitOfWork, encounter_id: uuid.UUID, reason: str) -> EncounterSummary:
    """A void is a new event; the stock it drew comes back through reversing movements."""
    session = uow.session
    encounter = session.get(Encounter, encounter_id)
    if encounter is None:
        raise NotFound(_l("That encounter does not exist."))
    staff.require_own_or(uow, encounter.staff_id, Action.VOID_OTHERS)
    if not reason.strip():
        raise InvalidInput(_l("Give a reason for voiding (e.g. 'entered twice')."))
    if session.scalar(select(EncounterVoid).where(EncounterVoid.encounter_id == encounter_id)):
        raise InvalidInput(_l("This encounter is already voided."))
    session.add(
        EncounterVoid(
            id=identity.void_id(encounter_id),
            device_id=uow.device_id,
            created_at=uow.now(),
            encounter_id=encounter_id,
            reason=reason.strip()[:200],
        )
    )
    for movement in session.scalars(
        select(StockMovement).where(draws_of(encounter), StockMovement.reverses_id.is_(None))
    ):
        session.add(reversal_of(uow, movement, f"void: {reason.strip()}"[:200]))
    session.flush()
    site = session.get(Site, encounter.site_id)
    audit.record(uow, "void", f"a record at {site.name if site else '?'}")  # never the reason
    return replace(summarize(session, encounter), text_warnings=free_text.take(uow))


def reversal_of(uow: UnitOfWork, movement: StockMovement, note: str) -> StockMovement:
    return StockMovement(
        id=identity.reversal_id(movement.id),
        device_id=uow.device_id,
        created_at=uow.now(),
        occurred_at=movement.occurred_at,
        site_id=movement.site_id,
        item_id=movement.item_id,
        lot_id=movement.lot_id,
        quantity=-movement.quantity,
        kind=movement.kind,
        reason=movement.reason,
        note=note,
        encounter_id=movement.encounter_id,
        transfer_id=movement.transfer_id,
        reverses_id=movement.id,
    )


def summarize(session: Session, encounter: Encounter) -> EncounterSummary:
    # session.get answers from the identity map when the catalog is already loaded (it is,
    # right after logging), so summarising a fresh encounter costs no catalog queries.
    site = session.get(Site, encounter.site_id)

    def code_of(row: Item | Kit | ReferralType | None) -> str:
        return row.code if row is not None else "?"

    void = session.scalar(select(EncounterVoid).where(EncounterVoid.encounter_id == encounter.id))
    return EncounterSummary(
        id=encounter.id,
        occurred_at=encounter.occurred_at,
        site=site.name if site else "?",
        participant_code=code_tag(encounter.participant_key),
        age_band=encounter.age_band,
        gender=encounter.gender,
        is_new=encounter.is_new,
        people_served=encounter.people_served,
        syringes_returned=encounter.syringes_returned,
        reversals_reported=encounter.reversals_reported,
        naloxone_reason=encounter.naloxone_reason,
        naloxone_training=encounter.naloxone_training,
        referrals=tuple(
            sorted(
                code_of(session.get(ReferralType, r.referral_type_id)) for r in encounter.referrals
            )
        ),
        note=encounter.note,
        is_tally=encounter.is_tally,
        contacts=encounter.contacts,
        items=tuple(
            sorted(
                (
                    (code_of(session.get(Item, line.item_id)), line.quantity)
                    for line in encounter.items
                ),
                key=lambda pair: pair[0],
            )
        ),
        kits=tuple(
            sorted((code_of(session.get(Kit, k.kit_id)), k.quantity) for k in encounter.kits)
        ),
        voided=void is not None,
        void_reason=void.reason if void else None,
        device=str(encounter.device_id),
        staff=_staff_name(session, encounter.staff_id),
    )


def _staff_name(session: Session, staff_id: uuid.UUID | None) -> str | None:
    if staff_id is None:
        return None
    person = session.get(Staff, staff_id)
    return person.name if person else None


def get_encounter(uow: UnitOfWork, encounter_id: uuid.UUID) -> EncounterSummary:
    encounter = uow.session.get(Encounter, encounter_id)
    if encounter is None:
        raise NotFound(_l("That encounter does not exist."))
    return summarize(uow.session, encounter)
