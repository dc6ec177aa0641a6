"""Checking an encounter or tally draft before anything is written: its cells, codes and
quantities against the catalog (`prepare`), shared by the log form, the tally counter and the
spreadsheet import, which checks every row of a file this way before writing any."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from outreach_app.domain.codes import AgeBand, Gender, NaloxoneReason, normalize_code, parse_enum
from outreach_app.domain.errors import InvalidInput, NotFound
from outreach_app.domain.limits import MAX_QUANTITY, too_large
from outreach_app.domain.participant import CodeScheme, check_random_code, clean_participant_code
from outreach_app.domain.values import EncounterDraft
from outreach_app.i18n import N_, _l
from outreach_app.services import lookup
from outreach_app.storage.models import ReferralType, Site

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
