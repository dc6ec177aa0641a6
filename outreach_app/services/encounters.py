"""Logging, voiding and listing encounters and tally records."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outreach_app.domain import identity
from outreach_app.domain.clock import ahead_problem
from outreach_app.domain.codes import (
    AgeBand,
    Gender,
    MovementKind,
    NaloxoneReason,
    normalize_code,
    parse_enum,
)
from outreach_app.domain.errors import InvalidInput, NotFound, ShortfallError
from outreach_app.domain.limits import MAX_QUANTITY, too_large
from outreach_app.domain.participant import (
    CodeScheme,
    check_random_code,
    clean_participant_code,
    code_tag,
)
from outreach_app.domain.roles import Action
from outreach_app.domain.values import EncounterDraft, EncounterSummary, Shortfall
from outreach_app.i18n import N_, _l, join
from outreach_app.services import audit, free_text, lookup, staff
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

NOTE_MAX = 500


@dataclass
class PreparedEncounter:
    """A draft checked against the catalog, with kits expanded into item totals."""

    draft: EncounterDraft
    site: Site
    items: dict[uuid.UUID, int] = field(default_factory=dict)
    kits: dict[uuid.UUID, int] = field(default_factory=dict)
    referrals: list[ReferralType] = field(default_factory=list)
    participant_code: str | None = None
    age_band: str | None = None
    gender: str | None = None
    naloxone_reason: str | None = None


class Catalog:
    """The catalog loaded once per unit of work (an import checks thousands of cells)."""

    def __init__(self, session: Session) -> None:
        self.items = lookup.items_by_code(session)
        self.kits = lookup.kits_by_code(session)
        self.referrals = lookup.referrals_by_code(session)


def _non_negative(value: int, label: str, **args: Any) -> None:
    """`label` (an N_ message id) is only translated for a refusal: an import checks every
    cell of every row."""
    if value < 0:
        raise InvalidInput(
            _l("{what} cannot be negative (got {value}).", what=_l(label, **args), value=value)
        )
    if too_large(value):
        raise InvalidInput(
            _l(
                "{what} cannot be more than {limit:,} (got {value:,}).",
                what=_l(label, **args),
                limit=MAX_QUANTITY,
                value=value,
            )
        )


def prepare(
    session: Session,
    draft: EncounterDraft,
    catalog: Catalog | None = None,
    *,
    site: Site | None = None,  # already looked up (an import resolves each name once)
    scheme: str | None = None,
) -> PreparedEncounter:
    """`scheme` "random": a typed code must carry its check character (imports pass None:
    codes of before are taken as they are, contracts §4)."""
    catalog = catalog or Catalog(session)
    site = site or lookup.site_by_name(session, draft.site)
    if not site.active:
        raise InvalidInput(
            _l("The site {name!r} is deactivated; choose an active site.", name=site.name)
        )
    prepared = PreparedEncounter(draft=draft, site=site)
    for label, value in (
        (N_("People served"), draft.people_served),
        (N_("Used syringes returned"), draft.syringes_returned),
        (N_("Overdose reversals reported"), draft.reversals_reported),
        (N_("Contacts"), draft.contacts),
    ):
        _non_negative(value, label)
    given = any(q for q in draft.items.values()) or any(q for q in draft.kits.values())
    if draft.is_tally and draft.contacts == 0 and not given:
        raise InvalidInput(_l("The tally is empty: give a number of contacts or of supplies."))
    totals: Counter[uuid.UUID] = Counter()
    for code, qty in draft.items.items():
        item = catalog.items.get(normalize_code(code))
        if item is None:
            raise NotFound(_l("No item has the code {code!r}.", code=code))
        _non_negative(qty, N_("Quantity of {code}"), code=item.code)
        if qty:
            totals[item.id] += qty
    for code, qty in draft.kits.items():
        kit = catalog.kits.get(normalize_code(code))
        if kit is None:
            raise NotFound(_l("No kit has the code {code!r}.", code=code))
        _non_negative(qty, N_("Quantity of {code}"), code=kit.code)
        if qty:
            prepared.kits[kit.id] = prepared.kits.get(kit.id, 0) + qty
            for line in kit.lines:
                totals[line.item_id] += line.quantity * qty
    prepared.items = dict(totals)
    if draft.is_tally:
        return prepared
    prepared.participant_code = clean_participant_code(draft.participant_code)
    if prepared.participant_code and scheme == CodeScheme.RANDOM.value:
        check_random_code(prepared.participant_code)
    prepared.age_band = _enum_value(
        AgeBand, draft.age_band, N_("Unknown age band {value!r}; use one of {options}.")
    )
    prepared.gender = _enum_value(
        Gender, draft.gender, N_("Unknown gender {value!r}; use one of {options}.")
    )
    prepared.naloxone_reason = _enum_value(
        NaloxoneReason,
        draft.naloxone_reason,
        N_("Unknown naloxone reason {value!r}; use one of {options}."),
    )
    for code in draft.referrals:
        ref = catalog.referrals.get(normalize_code(code))
        if ref is None:
            raise NotFound(_l("No referral type has the code {code!r}.", code=code))
        if ref not in prepared.referrals:
            prepared.referrals.append(ref)
    if len(draft.note) > NOTE_MAX:
        raise InvalidInput(_l("Keep the note under {limit} characters.", limit=NOTE_MAX))
    return prepared


def _enum_value(enum: type[StrEnum], text: str | None, message: str) -> str | None:
    if text is None or not str(text).strip():
        return None
    member = parse_enum(enum, str(text))
    if member is None:
        options = ", ".join(m.value for m in enum)
        raise InvalidInput(_l(message, value=text, options=options))
    return str(member.value)


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
