"""A shift bag: load it from a site at the start of a shift, check in what comes back.

Whatever left the bag without being logged as an encounter is recorded as one tally record of
the shift, so the counts and the stock stay whole even on a night with no time to log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from outreach_app.domain.codes import SiteKind
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.values import EncounterDraft
from outreach_app.i18n import _l
from outreach_app.services import encounters, inventory, lookup
from outreach_app.services.uow import UnitOfWork

SHIFT_NOTE = "Shift bag: supplies given but not logged one by one"


@dataclass(frozen=True, slots=True)
class CheckInResult:
    returned: dict[str, int]
    unlogged: dict[str, int]
    tally_id: uuid.UUID | None


def _bag(uow: UnitOfWork, name: str) -> str:
    site = lookup.site_by_name(uow.session, name)
    if site.kind not in (SiteKind.BAG.value, SiteKind.VAN.value):
        raise InvalidInput(
            _l("{site} is not a bag or van site; choose one for a shift.", site=site.name)
        )
    return site.name


def check_out(
    uow: UnitOfWork, from_site: str, bag_site: str, loads: dict[str, int], *, override: bool = False
) -> list[uuid.UUID]:
    bag = _bag(uow, bag_site)
    if not any(q > 0 for q in loads.values()):
        raise InvalidInput(_l("Put at least one item in the bag."))
    return [
        inventory.move_between(
            uow,
            from_site,
            bag,
            code,
            qty,
            override=override,
            note="shift check-out",
            action="bag out",
        )
        for code, qty in loads.items()
        if qty > 0
    ]


def check_in(
    uow: UnitOfWork, bag_site: str, to_site: str, returned: dict[str, int], contacts: int = 0
) -> CheckInResult:
    """Transfer back what returned; record the rest of the bag as the shift's tally record."""
    bag_name = _bag(uow, bag_site)
    session = uow.session
    back_by_code: dict[str, int] = {}
    for code, qty in returned.items():
        if qty < 0:
            raise InvalidInput(
                _l("The quantity of {code} that came back cannot be negative.", code=code)
            )
        item_code = lookup.item_by_code(session, code).code
        back_by_code[item_code] = back_by_code.get(item_code, 0) + qty
    held = _bag_totals(uow, bag_name)
    for code, qty in back_by_code.items():
        if qty > held.get(code, 0):
            raise InvalidInput(
                _l(
                    "{qty} {code} came back but the bag holds {held}; check the count.",
                    qty=qty,
                    code=code,
                    held=held.get(code, 0),
                )
            )
    unlogged: dict[str, int] = {}
    for code, on_bag in held.items():
        back = back_by_code.get(code, 0)
        if back:
            inventory.move_between(
                uow, bag_name, to_site, code, back, note="shift check-in", action="bag in"
            )
        if on_bag > back:
            unlogged[code] = on_bag - back
    tally_id = None
    if unlogged or contacts:
        record = encounters.log_encounter(
            uow,
            EncounterDraft(
                site=bag_name,
                occurred_at=uow.now(),
                items=unlogged,
                is_tally=True,
                contacts=contacts,
                note=SHIFT_NOTE,
            ),
            override=True,
        )
        tally_id = record.id
    return CheckInResult({k: v for k, v in back_by_code.items() if v}, unlogged, tally_id)


def _bag_totals(uow: UnitOfWork, bag: str) -> dict[str, int]:
    """What the bag holds per item code, its lots added together."""
    totals: dict[str, int] = {}
    for row in inventory.on_hand(uow, bag):
        if row.on_hand > 0:
            totals[row.item_code] = totals.get(row.item_code, 0) + row.on_hand
    return totals
