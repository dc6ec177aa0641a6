"""A small fixed data set for the dashboard tests, built through the real services only.

The dashboard is read as of Monday 2026-11-30 (America/Toronto). This week is Nov 24-30; the four
weeks before are Oct 27-Nov 2, Nov 3-9, Nov 10-16 and Nov 17-23; the 28 days of distribution
are Nov 3-30. Drop-in's reorder target is set to 21 days; Van keeps the default 30.
The expected figures are worked out by hand in `tests/dashboard_expected.py`; nothing here
computes one.

Oct 20, Drop-in receives: SYRINGE 150, SWAB 100, NALOXONE-NASAL lot NN-A (expires 2026-12-20) 10
  and lot NN-B (2027-06-30) 10, NALOXONE-INJ lot NI-A (2027-02-15) 4, FTS lot FT-X (2026-11-15) 5
  and lot FT-Y (2027-01-15) 6. Van receives SYRINGE 100.
Drop-in:
  E1 Oct 28  ZZ-TEST-01, 20 SYRINGE, people served 2
  E2 Nov 5   anonymous, 10 SYRINGE, 1 NALOXONE-NASAL (lot NN-A), 1 reversal
  T1 Nov 12  tally: 7 contacts, 30 SYRINGE
  E3 Nov 19  ZZ-TEST-02, 10 SYRINGE
  E4 Nov 19  anonymous, 10 SYRINGE -> voided
  E5 Nov 25  ZZ-TEST-03, 40 SYRINGE, people served 3
  E6 Nov 25  ZZ-TEST-01, 2 NALOXONE-NASAL (lot NN-A), 2 reversals
  T2 Nov 25  tally: 4 contacts, 20 SWAB
  E7 Nov 30  anonymous, 10 SYRINGE
  E8 Dec 1   anonymous, 10 SYRINGE (after the date: in no figure)
Van:
  V1 Nov 20  ZZ-TEST-04, 30 SYRINGE
  V2 Nov 26  anonymous, 20 SYRINGE and 5 COOKER that the Van did not have (recorded below zero)
"""

from __future__ import annotations

from datetime import date

from outreach_app.domain.values import EncounterDraft
from outreach_app.services import dashboard, encounters, inventory
from outreach_app.services.store import Store
from tests.report_data import add_site, clock, log, noon

AS_OF = date(2026, 11, 30)
EPOCH = "1795000000"  # a fixed SOURCE_DATE_EPOCH
DROP, VAN = "Drop-in", "Van"


def build(store: Store) -> None:
    add_site(store, VAN)
    with clock(noon(store, date(2026, 10, 20))), store.unit_of_work() as uow:
        inventory.receive(uow, DROP, "SYRINGE", 150)
        inventory.receive(uow, DROP, "SWAB", 100)
        for item, lot, expires, qty in (
            ("NALOXONE-NASAL", "NN-A", date(2026, 12, 20), 10),
            ("NALOXONE-NASAL", "NN-B", date(2027, 6, 30), 10),
            ("NALOXONE-INJ", "NI-A", date(2027, 2, 15), 4),
            ("FTS", "FT-X", date(2026, 11, 15), 5),
            ("FTS", "FT-Y", date(2027, 1, 15), 6),
        ):
            inventory.receive(uow, DROP, item, qty, lot=lot, expires=expires)
        inventory.receive(uow, VAN, "SYRINGE", 100)
        dashboard.set_site_target_days(uow, DROP, 21)

    log(store, date(2026, 10, 28), site=DROP, items={"SYRINGE": 20},
        participant_code="ZZ-TEST-01", people_served=2)  # fmt: skip
    log(store, date(2026, 11, 5), site=DROP, items={"SYRINGE": 10, "NALOXONE-NASAL": 1},
        reversals_reported=1)  # fmt: skip
    log(store, date(2026, 11, 12), site=DROP, items={"SYRINGE": 30}, is_tally=True, contacts=7)
    log(store, date(2026, 11, 19), site=DROP, items={"SYRINGE": 10}, participant_code="ZZ-TEST-02")
    voided = log(store, date(2026, 11, 19), site=DROP, items={"SYRINGE": 10})
    with clock(noon(store, date(2026, 11, 19))), store.unit_of_work() as uow:
        encounters.void_encounter(uow, voided, "entered twice")
    log(store, date(2026, 11, 25), site=DROP, items={"SYRINGE": 40},
        participant_code="ZZ-TEST-03", people_served=3)  # fmt: skip
    log(store, date(2026, 11, 25), site=DROP, items={"NALOXONE-NASAL": 2},
        participant_code="ZZ-TEST-01", reversals_reported=2)  # fmt: skip
    log(store, date(2026, 11, 25), site=DROP, items={"SWAB": 20}, is_tally=True, contacts=4)
    log(store, date(2026, 11, 30), site=DROP, items={"SYRINGE": 10})
    log(store, date(2026, 12, 1), site=DROP, items={"SYRINGE": 10})

    log(store, date(2026, 11, 20), site=VAN, items={"SYRINGE": 30}, participant_code="ZZ-TEST-04")
    at = noon(store, date(2026, 11, 26))
    with clock(at), store.unit_of_work() as uow:
        draft = EncounterDraft(site=VAN, occurred_at=at, items={"SYRINGE": 20, "COOKER": 5})
        encounters.log_encounter(uow, draft, override=True)  # the shortfall is recorded
