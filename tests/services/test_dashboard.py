"""The dashboard service on SQLite, SQLCipher and PostgreSQL: raw figures worked out by hand from
the event list in `tests/dashboard_data.py`."""

from __future__ import annotations

from datetime import date

import pytest

from outreach_app.domain.dashboard import Dashboard
from outreach_app.domain.errors import InvalidInput
from outreach_app.services import dashboard
from outreach_app.services.store import Store
from tests import dashboard_data as data


def read(store: Store, site: str | None, **options: object) -> Dashboard:
    with store.unit_of_work() as uow:
        return dashboard.dashboard(uow, data.AS_OF, site, **options)  # type: ignore[arg-type]


def test_figures_of_every_section(store: Store) -> None:
    data.build(store)
    board = read(store, "all")
    assert board.site == "ALL" and board.sites == ("Drop-in", "Van")
    weeks = {(w.site, w.code): (w.weeks_before, w.this_week) for w in board.weeks}
    assert weeks[("Drop-in", "contacts")] == ((1, 1, 7, 1), 7)  # E1 | E2 | T1 | E3 (E4 void)
    assert weeks[("Drop-in", "people_served")] == ((2, 1, 0, 1), 5)
    assert weeks[("Drop-in", "syringes_distributed")] == ((20, 10, 30, 10), 50)
    assert weeks[("Drop-in", "naloxone_kits")] == ((0, 1, 0, 0), 2)
    assert weeks[("Drop-in", "reversals_reported")] == ((0, 1, 0, 0), 2)
    assert weeks[("Van", "contacts")] == ((0, 0, 0, 1), 1)
    assert weeks[("Van", "syringes_distributed")] == ((0, 0, 0, 30), 20)
    assert weeks[("ALL", "contacts")] == ((1, 1, 7, 2), 8)
    assert weeks[("ALL", "people_served")] == ((2, 1, 0, 2), 6)
    stock = {
        (s.site, s.item_code): (s.on_hand, s.distributed, s.days_left, s.target_days, s.reorder)
        for s in board.stock
    }
    assert stock == {
        ("Drop-in", "SYRINGE"): (30, 100, 8, 21, 45),
        ("Drop-in", "SWAB"): (80, 20, 112, 21, 0),
        ("Drop-in", "NALOXONE-NASAL"): (17, 3, 158, 21, 0),
        ("Drop-in", "NALOXONE-INJ"): (4, 0, None, 21, 0),
        ("Drop-in", "FTS"): (11, 0, None, 21, 0),
        ("Van", "SYRINGE"): (50, 50, 28, 30, 4),
        ("Van", "COOKER"): (-5, 5, 0, 30, 6),
    }
    assert [(s.site, s.item_code) for s in board.count_needed] == [("Van", "COOKER")]
    assert [(e.site, e.item_code, e.lot, e.window, e.on_hand) for e in board.expiring] == [
        ("Drop-in", "FTS", "FT-X", "expired", 5),
        ("Drop-in", "NALOXONE-NASAL", "NN-A", "30", 7),
        ("Drop-in", "FTS", "FT-Y", "60", 6),
        ("Drop-in", "NALOXONE-INJ", "NI-A", "90", 4),
    ]


def test_one_site_a_target_for_the_report_and_another_day(store: Store) -> None:
    data.build(store)
    van = read(store, "van", target_days=10)  # names match in any case
    assert van.site == "Van" and {w.site for w in van.weeks} == {"Van"}
    assert [(s.item_code, s.reorder) for s in van.reorder_lines] == [("COOKER", 2)]
    assert van.targets == (("Van", 10),) and van.target_override == 10
    # On Dec 1 E8 gives 10 more syringes at Drop-in: 20 on hand; the 28 days are Nov 4-Dec 1
    # (E2 on Nov 5 still in): 100 + 10 = 110 given, 20 x 28 / 110 = 5.1 -> 5 days.
    with store.unit_of_work() as uow:
        later = dashboard.dashboard(uow, date(2026, 12, 1), "Drop-in")
    syringes = next(s for s in later.stock if s.item_code == "SYRINGE")
    assert (syringes.on_hand, syringes.distributed, syringes.days_left) == (20, 110, 5)


def test_the_site_target_is_a_setting(store: Store) -> None:
    with store.unit_of_work() as uow:
        assert dashboard.site_target_days(uow, "Drop-in") == 30
        dashboard.set_site_target_days(uow, "Drop-in", 14)
    with store.unit_of_work() as uow:
        assert dashboard.site_target_days(uow, "drop-in") == 14
        dashboard.set_site_target_days(uow, "Drop-in", 45)
    with store.unit_of_work() as uow:
        assert dashboard.site_target_days(uow, "Drop-in") == 45
        with pytest.raises(InvalidInput):
            dashboard.set_site_target_days(uow, "Drop-in", 0)


def test_an_empty_store_reads_as_zeros(store: Store) -> None:
    with store.unit_of_work() as uow:
        board = dashboard.dashboard(uow, data.AS_OF)
    assert board.stock == () and board.expiring == ()
    assert {w.this_week for w in board.weeks} == {0}


def test_a_day_before_a_later_count_reads_the_ledger_as_of_that_day(store: Store) -> None:
    """100 received Nov 10, 10 handed out Nov 12, a count of 70 on Nov 20: on Nov 15 the shelf
    held 90, whatever the count said later (contracts §1: counts are facts at their moment)."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from outreach_app.domain.values import EncounterDraft, StocktakeLineDraft
    from outreach_app.services import encounters, inventory
    from outreach_app.services.stocktake import commit_stocktake

    zone = ZoneInfo("America/Toronto")

    def at(day: int, hour: int) -> datetime:
        return datetime.combine(date(2026, 11, day), time(hour), tzinfo=zone)

    with store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 100, at=at(10, 9))
        encounters.log_encounter(
            uow, EncounterDraft(site="Drop-in", occurred_at=at(12, 12), items={"SYRINGE": 10})
        )
    with store.unit_of_work() as uow:
        commit_stocktake(
            uow, "Drop-in", at(20, 12), [StocktakeLineDraft("SYRINGE", None, 70, "LOST")]
        )
    with store.unit_of_work() as uow:
        before = dashboard.dashboard(uow, date(2026, 11, 15), "Drop-in")
        after = dashboard.dashboard(uow, date(2026, 11, 21), "Drop-in")
    on_hand = {s.item_code: s.on_hand for s in before.stock}
    assert on_hand["SYRINGE"] == 90
    assert {s.item_code: s.on_hand for s in after.stock}["SYRINGE"] == 70
