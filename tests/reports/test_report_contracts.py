"""Contract details of the reports (contracts §3, §7) beyond the hand-worked data set's figures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from outreach_app.domain.values import StocktakeLineDraft
from outreach_app.reports.inventory_csv import inventory_csv
from outreach_app.services import inventory, reconciliation, stocktake, tally
from outreach_app.services.store import Store, open_store
from tests import report_data as data


@pytest.fixture
def one_site(template_folders: dict[str, Path], tmp_path: Path) -> Iterator[Store]:
    """The seeded folder as it is: one site, Drop-in, and no records."""
    folder = tmp_path / "data"
    shutil.copytree(template_folders["sqlite"], folder)
    store = open_store(folder)
    yield store
    store.close()


def test_every_item_counted_in_the_period_shows_its_last_count(one_site: Store) -> None:
    """§7: counted/variance are blank only when no count was taken in the period. A partial
    count after a full one must not blank the items the first count covered."""
    store = one_site
    with data.clock(data.noon(store, date(2026, 11, 1))), store.unit_of_work() as uow:
        inventory.receive(uow, "Drop-in", "SYRINGE", 100)
        inventory.receive(uow, "Drop-in", "SWAB", 50)
    for day, lines in (
        (
            10,
            [StocktakeLineDraft("SYRINGE", None, 98, "LOST"), StocktakeLineDraft("SWAB", None, 50)],
        ),
        (20, [StocktakeLineDraft("SWAB", None, 47, "DAMAGED")]),
    ):
        at = data.noon(store, date(2026, 11, day))
        with data.clock(at), store.unit_of_work() as uow:
            stocktake.commit_stocktake(uow, "Drop-in", at, lines)
    with store.unit_of_work() as uow:
        report = reconciliation.reconcile(uow, data.NOVEMBER, "Drop-in")
    lines = inventory_csv(report).decode("utf-8").split("\r\n")
    assert "Drop-in,SYRINGE,,,0,100,0,0,0,0,0,0,0,-2,0,98,98,-2" in lines
    assert "Drop-in,SWAB,,,0,50,0,0,0,0,0,0,0,-3,0,47,47,-3" in lines
    assert "Drop-in,COOKER,,,0,0,0,0,0,0,0,0,0,0,0,0,," in lines
    assert [(site, when.date()) for site, when in report.counts_taken] == [
        ("Drop-in", date(2026, 11, 20))
    ]


@pytest.mark.parametrize("spelling", [None, "all", "ALL", "All"])
def test_all_sites_is_matched_like_any_code(one_site: Store, spelling: str | None) -> None:
    """§3: `--site` defaults to all; both reports read `all` in any case as every site."""
    with one_site.unit_of_work() as uow:
        stock = reconciliation.reconcile(uow, data.NOVEMBER, spelling)
        figures = tally.monthly_tally(uow, data.NOVEMBER, spelling)
    assert stock.site == "ALL"
    assert figures.site == "ALL"
