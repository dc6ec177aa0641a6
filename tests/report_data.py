"""A small fixed data set for the report tests, built through the real services only.

Two sites ("Drop-in", "Van"); October 2026 is the previous period, November 2026 the reported one
(America/Toronto). The figures the tests expect are written out by hand in the tests, from the
list of events below; nothing here computes a figure.

October (Drop-in): receipts on Oct 1; E1 ZZ-TEST-01 new, 30-39 woman, 20 syringes, 10 returned,
HOUSING; E2 ZZ-TEST-02 20-29 man, 1 nasal naloxone, FIRST, trained; tally 8 contacts, 30 syringes.

November, Drop-in:
  Nov 1  transfer 100 SYRINGE to Van
  D1 Nov 2  ZZ-TEST-01 30-39 woman, 2 KIT-INJECT + 10 SYRINGE, people served 3, returned 40,
            TREATMENT + HOUSING
  D2 Nov 3  ZZ-TEST-03 new, 20-29 man, 2 nasal naloxone USED, 1 reversal, trained
  D3 Nov 5  anonymous, 30-39 man, 10 SYRINGE, returned 5
  D4 Nov 6  ZZ-TEST-01 30-39 woman, 1 injectable naloxone FIRST, trained, TREATMENT
  Nov 7  adjust SWAB -5 DAMAGED
  Nov 8  receive CONDOM 50; receive FILTER 20 and reverse it
  D5 Nov 9  ZZ-TEST-04 new, 30-39, gender not recorded, 10 SYRINGE
  D6 Nov 10 ZZ-TEST-05 new, 30-39 non-binary, 1 nasal naloxone (no reason), 5 SWAB
  D7 Nov 12 anonymous 30-39 man, 10 SYRINGE -> voided
  T1 Nov 14 tally: 12 contacts, 40 SYRINGE + 1 KIT-INJECT, returned 30
  T2 Nov 20 tally: 6 contacts, 10 SWAB
  Nov 28 stocktake: SYRINGE expected 250, counted 245 (count correction -5)
November, Van:
  V1 Nov 4  ZZ-TEST-06 new, 20-29 woman, 20 SYRINGE, TESTING
  V2 Nov 4  anonymous 20-29 woman, 10 SYRINGE
  V3 Nov 18 ZZ-TEST-01 30-39 woman, 10 SYRINGE, returned 20
  T3 Nov 25 tally: 3 contacts
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from outreach_app.domain.clock import Period, date_at_noon
from outreach_app.domain.values import EncounterDraft, StocktakeLineDraft
from outreach_app.services import catalog, encounters, inventory, stocktake
from outreach_app.services import uow as uow_module
from outreach_app.services.store import Store

NOVEMBER = Period.month(2026, 11)
OCTOBER = Period.month(2026, 10)
EPOCH = "1795000000"  # a fixed SOURCE_DATE_EPOCH


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Services stamp receipts and adjustments with the unit of work's time: fix it."""
    original = uow_module.utc_now
    uow_module.utc_now = lambda: moment  # type: ignore[assignment]
    try:
        yield
    finally:
        uow_module.utc_now = original


def noon(store: Store, day: date) -> datetime:
    return date_at_noon(day, store.zone)


def log(store: Store, day: date, **fields: object) -> uuid.UUID:
    at = noon(store, day)
    with clock(at), store.unit_of_work() as uow:
        draft = EncounterDraft(occurred_at=at, **fields)  # type: ignore[arg-type]
        return encounters.log_encounter(uow, draft).id


def add_site(store: Store, name: str, kind: str = "van") -> None:
    with store.unit_of_work() as uow:
        catalog.add_site(uow, name, kind)


def build(store: Store) -> dict[str, uuid.UUID]:
    """Write the data set above; returns the ids of a few records the tests trace."""
    ids: dict[str, uuid.UUID] = {}
    add_site(store, "Van")
    with clock(noon(store, date(2026, 10, 1))), store.unit_of_work() as uow:
        for code, qty in (("SYRINGE", 500), ("SWAB", 200), ("COOKER", 50), ("WATER", 50)):
            inventory.receive(uow, "Drop-in", code, qty)
        inventory.receive(uow, "Drop-in", "FILTER", 50)
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 20, lot="NN-1", expires=date(2027, 1, 10)
        )
        inventory.receive(uow, "Drop-in", "NALOXONE-INJ", 10, lot="NI-1", expires=date(2028, 6, 30))
    drop = "Drop-in"
    log(
        store,
        date(2026, 10, 10),
        site=drop,
        items={"SYRINGE": 20},
        participant_code="ZZ-TEST-01",
        is_new=True,
        age_band="30-39",
        gender="woman",
        syringes_returned=10,
        referrals=("HOUSING",),
    )
    log(
        store,
        date(2026, 10, 12),
        site=drop,
        items={"NALOXONE-NASAL": 1},
        participant_code="ZZ-TEST-02",
        age_band="20-29",
        gender="man",
        naloxone_reason="FIRST",
        naloxone_training=True,
    )
    log(store, date(2026, 10, 15), site=drop, items={"SYRINGE": 30}, is_tally=True, contacts=8)

    with clock(noon(store, date(2026, 11, 1))), store.unit_of_work() as uow:
        inventory.transfer(uow, drop, "Van", "SYRINGE", 100)
    ids["D1"] = log(
        store,
        date(2026, 11, 2),
        site=drop,
        items={"SYRINGE": 10},
        kits={"KIT-INJECT": 2},
        participant_code="ZZ-TEST-01",
        is_new=False,
        age_band="30-39",
        gender="woman",
        people_served=3,
        syringes_returned=40,
        referrals=("TREATMENT", "HOUSING"),
    )
    ids["D2"] = log(
        store,
        date(2026, 11, 3),
        site=drop,
        items={"NALOXONE-NASAL": 2},
        participant_code="ZZ-TEST-03",
        is_new=True,
        age_band="20-29",
        gender="man",
        naloxone_reason="USED",
        reversals_reported=1,
        naloxone_training=True,
    )
    ids["D3"] = log(
        store,
        date(2026, 11, 5),
        site=drop,
        items={"SYRINGE": 10},
        age_band="30-39",
        gender="man",
        syringes_returned=5,
    )
    ids["D4"] = log(
        store,
        date(2026, 11, 6),
        site=drop,
        items={"NALOXONE-INJ": 1},
        participant_code="ZZ-TEST-01",
        age_band="30-39",
        gender="woman",
        naloxone_reason="FIRST",
        naloxone_training=True,
        referrals=("TREATMENT",),
    )
    with clock(noon(store, date(2026, 11, 7))), store.unit_of_work() as uow:
        inventory.adjust(uow, drop, "SWAB", -5, "DAMAGED")
    with clock(noon(store, date(2026, 11, 8))), store.unit_of_work() as uow:
        inventory.receive(uow, drop, "CONDOM", 50)
        wrong = inventory.receive(uow, drop, "FILTER", 20)
        inventory.reverse_movement(uow, wrong.id, "entered at the wrong site")
    ids["D5"] = log(
        store,
        date(2026, 11, 9),
        site=drop,
        items={"SYRINGE": 10},
        participant_code="ZZ-TEST-04",
        is_new=True,
        age_band="30-39",
    )
    ids["D6"] = log(
        store,
        date(2026, 11, 10),
        site=drop,
        items={"NALOXONE-NASAL": 1, "SWAB": 5},
        participant_code="ZZ-TEST-05",
        is_new=True,
        age_band="30-39",
        gender="non-binary",
    )
    ids["D7"] = log(
        store, date(2026, 11, 12), site=drop, items={"SYRINGE": 10}, age_band="30-39", gender="man"
    )
    with clock(noon(store, date(2026, 11, 12))), store.unit_of_work() as uow:
        encounters.void_encounter(uow, ids["D7"], "entered twice")
    ids["T1"] = log(
        store,
        date(2026, 11, 14),
        site=drop,
        items={"SYRINGE": 40},
        kits={"KIT-INJECT": 1},
        is_tally=True,
        contacts=12,
        syringes_returned=30,
    )
    ids["T2"] = log(
        store, date(2026, 11, 20), site=drop, items={"SWAB": 10}, is_tally=True, contacts=6
    )
    ids["V1"] = log(
        store,
        date(2026, 11, 4),
        site="Van",
        items={"SYRINGE": 20},
        participant_code="ZZ-TEST-06",
        is_new=True,
        age_band="20-29",
        gender="woman",
        referrals=("TESTING",),
    )
    ids["V2"] = log(
        store,
        date(2026, 11, 4),
        site="Van",
        items={"SYRINGE": 10},
        age_band="20-29",
        gender="woman",
    )
    ids["V3"] = log(
        store,
        date(2026, 11, 18),
        site="Van",
        items={"SYRINGE": 10},
        participant_code="ZZ-TEST-01",
        age_band="30-39",
        gender="woman",
        syringes_returned=20,
    )
    ids["T3"] = log(store, date(2026, 11, 25), site="Van", is_tally=True, contacts=3)
    _stocktake(store, date(2026, 11, 28), "SYRINGE", expected=250, counted=245)
    return ids


def _stocktake(store: Store, day: date, code: str, *, expected: int, counted: int) -> None:
    """Count one item at Drop-in through the stocktake service, as the count sheet does."""
    at = noon(store, day)
    with clock(at), store.unit_of_work() as uow:
        sheet = stocktake.count_sheet(uow, "Drop-in", at)
        assert [line.expected for line in sheet if line.item_code == code] == [expected]
        line = StocktakeLineDraft(code, None, counted, "RECOUNT")
        stocktake.commit_stocktake(uow, "Drop-in", at, [line])


def at_utc(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)
