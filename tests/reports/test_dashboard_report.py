"""The dashboard CSV as exact text, the same figures read back from its PDF with pypdf, and the
order form (PDF and CSV), on the data set of `tests/dashboard_data.py`."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from outreach_app.domain.dashboard import Dashboard
from outreach_app.reports.dashboard_csv import dashboard_csv
from outreach_app.reports.dashboard_pdf import dashboard_pdf
from outreach_app.reports.order_form import order_form_csv, order_form_pdf
from outreach_app.reports.pdfkit import INTERNAL_STAMP
from outreach_app.services import dashboard
from outreach_app.services.store import Store, open_store
from tests import dashboard_data as data
from tests import dashboard_expected as expected


@pytest.fixture(scope="module")
def built(
    template_folders: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("dashboard") / "data"
    shutil.copytree(template_folders["sqlite"], folder)
    store = open_store(folder)
    data.build(store)
    yield store
    store.close()


@pytest.fixture(autouse=True)
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", data.EPOCH)


def board(store: Store, site: str, target_days: int | None = None) -> Dashboard:
    with store.unit_of_work() as uow:
        return dashboard.dashboard(uow, data.AS_OF, site, target_days=target_days)


def lines(blob: bytes) -> list[str]:
    assert not blob.startswith(b"\xef\xbb\xbf")
    text = blob.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.split("\r\n")[:-1]


def pdf_text(blob: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(blob)).pages)


def test_csv_of_one_site(built: Store) -> None:
    assert lines(dashboard_csv(board(built, "Drop-in"), 5)) == expected.DROP_IN


def test_csv_of_all_sites(built: Store) -> None:
    assert lines(dashboard_csv(board(built, "all"), 5)) == expected.ALL_SITES


def test_csv_without_suppression(built: Store) -> None:
    rows = lines(dashboard_csv(board(built, "Drop-in"), None))
    assert [r for r in rows if r.startswith("week,")] == expected.DROP_IN_UNSUPPRESSED_WEEK


def test_a_target_for_the_whole_report(built: Store) -> None:
    rows = lines(dashboard_csv(board(built, "all", target_days=10), 5))
    assert [r for r in rows if r.startswith("reorder,")] == expected.ALL_SITES_TARGET_10_REORDER


# Each CSV row as the PDF prints it (hand-written): the same numbers in both.
ALL_SITES_IN_PDF = [
    "Contacts (encounters + tally) ALL 8 2.8",
    "People served ALL 6 1.3",
    "Syringes distributed ALL 70 25.0",
    "Naloxone kits given ALL 2 0.3",
    "Overdose reversals reported ALL <5 <5",
    "Contacts (encounters + tally) Drop-in * *",
    "People served Drop-in * <5",
    "Syringes distributed Drop-in 50 17.5",
    "Overdose reversals reported Drop-in <5 <5",
    "Contacts (encounters + tally) Van <5 <5",
    "Syringes distributed Van 20 7.5",
    "Naloxone kits given Van 0 0.0",
    # days left: item, code, on hand, given out in 28 days, days left, target, order
    "Drop-in Syringe SYRINGE 30 100 8 21 45",
    "Drop-in Alcohol swab SWAB 80 20 112 21",
    "Drop-in Naloxone nasal kit NALOXONE-NASAL 17 3 158 21",
    "Drop-in Naloxone injectable kit NALOXONE-INJ 4 0 21",
    "Drop-in Fentanyl test strip FTS 11 0 21",
    "Van Syringe SYRINGE 50 50 28 30 4",
    "Van Cooker — count needed COOKER -5 5 0 30 6",
    # count needed
    "Van Cooker COOKER -5",
    # expiring
    "Drop-in Fentanyl test strip FT-X Nov 15, 2026 expired 5",  # dates in the locale
    "Drop-in Naloxone nasal kit NN-A Dec 20, 2026 within 30 days 7",
    "Drop-in Fentanyl test strip FT-Y Jan 15, 2027 within 60 days 6",
    "Drop-in Naloxone injectable kit NI-A Feb 15, 2027 within 90 days 4",
    # the order form
    "Drop-in — target 21 days of stock",
    "Syringe SYRINGE each 30 8 45",
    "Van — target 30 days of stock",
    "Syringe SYRINGE each 50 28 4",
    "Cooker COOKER each -5 0 6",
]


def test_pdf_prints_the_csv_figures(built: Store) -> None:
    blob = dashboard_pdf(board(built, "all"), 5)
    text = pdf_text(blob)
    for shown in ALL_SITES_IN_PDF:
        assert shown in text, shown
    assert "Reorder target Drop-in 21 days, Van 30 days" in text
    assert "Count needed" in text and INTERNAL_STAMP not in text
    assert blob == dashboard_pdf(board(built, "all"), 5)  # the same input, the same bytes


def test_pdf_without_suppression_is_stamped(built: Store) -> None:
    blob = dashboard_pdf(board(built, "Drop-in"), None)
    text = pdf_text(blob)
    assert "People served Drop-in 5 1.0" in text
    assert "Overdose reversals reported Drop-in 2 0.3" in text
    assert text.count(INTERNAL_STAMP) == len(PdfReader(io.BytesIO(blob)).pages)
    assert "Count needed" not in text


def test_order_form(built: Store) -> None:
    both = board(built, "all")
    assert lines(order_form_csv(both)) == [
        "site,item_code,item_name,unit,on_hand,distributed_28d,days_left,target_days,"
        "order_quantity",
        "Drop-in,SYRINGE,Syringe,each,30,100,8,21,45",
        "Van,SYRINGE,Syringe,each,50,50,28,30,4",
        "Van,COOKER,Cooker,each,-5,5,0,30,6",
    ]
    text = pdf_text(order_form_pdf(both))
    assert text.startswith("Order form — Test Harm Reduction Org")
    for shown in ALL_SITES_IN_PDF[-5:]:
        assert shown in text
    assert "Ordered by" in text and "Approved by" in text
    nothing = board(built, "Drop-in", target_days=5)  # 8 days of syringes: above 5
    assert lines(order_form_csv(nothing))[1:] == []
    assert "Nothing to order" in pdf_text(order_form_pdf(nothing))
