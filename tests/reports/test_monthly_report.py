"""Every figure of the data set in the CSV and, read back with pypdf, in the PDF."""

from __future__ import annotations

import csv
import io
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from outreach_app.domain.figures import TallyFigures
from outreach_app.reports.inventory_csv import inventory_csv
from outreach_app.reports.inventory_pdf import inventory_pdf
from outreach_app.reports.monthly_csv import monthly_csv
from outreach_app.reports.monthly_pdf import monthly_pdf
from outreach_app.reports.pdfkit import INTERNAL_STAMP
from outreach_app.services import inventory, reconciliation, tally
from outreach_app.services.store import Store, open_store
from outreach_app.storage.models import Item
from tests import report_data as data
from tests.report_expected import (
    ALL_SITES_SUPPRESSED,
    CONTRACT_CODES,
    DROP_IN_RAW,
    DROP_IN_SUPPRESSED,
    INVENTORY_DROP_IN,
    INVENTORY_HEADER,
)


@pytest.fixture(scope="module")
def built(
    template_folders: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("reports") / "data"
    shutil.copytree(template_folders["sqlite"], folder)
    store = open_store(folder)
    data.build(store)
    yield store
    store.close()


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", data.EPOCH)


def figures(store: Store, site: str) -> TallyFigures:
    with store.unit_of_work() as uow:
        return tally.monthly_tally(uow, data.NOVEMBER, site)


def csv_rows(blob: bytes) -> list[dict[str, str]]:
    assert not blob.startswith(b"\xef\xbb\xbf")
    text = blob.decode("utf-8")
    assert text.startswith("section,site,code,label,value,previous_value\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def pdf_pages(blob: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(blob)).pages]


def test_csv_has_every_code_and_every_hand_worked_figure(built: Store) -> None:
    for threshold, expected in ((5, DROP_IN_SUPPRESSED), (None, DROP_IN_RAW)):
        rows = csv_rows(monthly_csv(figures(built, "Drop-in"), threshold))
        assert {r["site"] for r in rows} == {"Drop-in"}
        for section, codes in CONTRACT_CODES.items():
            assert [r["code"] for r in rows if r["section"] == section] == codes
        got = {(r["section"], r["code"]): (r["value"], r["previous_value"]) for r in rows}
        assert {k: v for k, v in got.items() if v != ("0", "0")} == expected


def test_pdf_shows_every_figure_beside_the_previous_period(built: Store, epoch: None) -> None:
    fig = figures(built, "Drop-in")
    labels = {(r["section"], r["code"]): r["label"] for r in csv_rows(monthly_csv(fig, 5))}
    text = " ".join(pdf_pages(monthly_pdf(fig, 5)))
    for key, label in labels.items():
        value, previous = DROP_IN_SUPPRESSED.get(key, ("0", "0"))
        row = (
            f"{label} {key[1]} {value} {previous}"
            if key[0] == "items"
            else (f"{label} {value} {previous}")
        )
        assert row in text, row
    assert "Voided records left out of every figure: <5 (previous period: 0)" in text
    assert "shown as “<5”" in text and "shown as “*”" in text
    assert "Organisation Test Harm Reduction Org" in text
    assert "Generated at November 18, 2026" in text and "Device Test laptop" in text  # locale date
    assert "Total Safer injection 163 50" in text  # 100 + 6 + 45 + 6 + 6 + 0
    assert INTERNAL_STAMP not in text


def test_all_sites_report_suppresses_across_sites(built: Store, epoch: None) -> None:
    fig = figures(built, "all")
    rows = csv_rows(monthly_csv(fig, 5))
    assert [r["site"] for r in rows][:1] == ["ALL"]
    assert {r["site"] for r in rows} == {"ALL", "Drop-in", "Van"}
    got = {(r["section"], r["site"], r["code"]): (r["value"], r["previous_value"]) for r in rows}
    for key, expected in ALL_SITES_SUPPRESSED.items():
        assert got[key] == expected, key
    pages = pdf_pages(monthly_pdf(fig, 5))
    text = " ".join(pages)
    assert "By site" in text
    assert "Encounters Drop-in * <5 Encounters Van <5 0 Encounters ALL 9 <5" in text
    assert all(re.search(rf"Page {n} of {len(pages)}", p) for n, p in enumerate(pages, 1))


def test_no_suppress_stamps_every_page(built: Store) -> None:
    pages = pdf_pages(monthly_pdf(figures(built, "all"), None))
    assert len(pages) > 1
    assert all(INTERNAL_STAMP in p for p in pages)
    assert "Encounters Drop-in 6 2 Encounters Van 3 0 Encounters ALL 9 2" in " ".join(pages)


def test_same_data_and_epoch_give_the_same_bytes(built: Store, epoch: None) -> None:
    assert monthly_pdf(figures(built, "all"), 5) == monthly_pdf(figures(built, "all"), 5)
    with built.unit_of_work() as uow:
        first = inventory_pdf(reconciliation.reconcile(uow, data.NOVEMBER))
    with built.unit_of_work() as uow:
        assert inventory_pdf(reconciliation.reconcile(uow, data.NOVEMBER)) == first


def test_inventory_csv_and_pdf(built: Store, epoch: None) -> None:
    with built.unit_of_work() as uow:
        report = reconciliation.reconcile(uow, data.NOVEMBER, "Drop-in")
    lines = inventory_csv(report).decode("utf-8").split("\r\n")
    assert lines[0] == INVENTORY_HEADER
    assert lines[1:-1] == INVENTORY_DROP_IN
    text = " ".join(pdf_pages(inventory_pdf(report)))
    assert "SYRINGE 450 0 -100 0 -100 0 0 0 0 -5 0 245 245 -5" in text
    assert "NN-1 Jan 10, 2027 16 expiring" in text  # dates in the locale
    assert "Drop-in on Nov 28, 2026" in text


def test_long_catalog_paginates_with_header_and_accents(
    template_folders: dict[str, Path], tmp_path: Path, epoch: None
) -> None:
    folder = tmp_path / "long"
    shutil.copytree(template_folders["sqlite"], folder)
    store = open_store(folder)
    try:
        with store.unit_of_work() as uow:
            for n in range(400):
                uow.session.add(
                    Item(id=uuid.uuid4(), device_id=uow.device_id, created_at=uow.now(),
                         code=f"ZZ-ITEM-{n:03d}", name=f"Test item {n:03d}",
                         category="Test supplies", unit="each", sort_order=1000 + n)
                )  # fmt: skip
            uow.session.add(
                Item(id=uuid.uuid4(), device_id=uow.device_id, created_at=uow.now(),
                     code="ZZ-NALOX-FR", name="Trousse de naloxone — échangée",
                     category="Naloxone", unit="trousse", sort_order=5000)
            )  # fmt: skip
        with store.unit_of_work() as uow:
            inventory.receive(uow, "Drop-in", "ZZ-ITEM-399", 10)
        data.log(store, data.NOVEMBER.start, site="Drop-in", items={"ZZ-ITEM-399": 7},
                 is_tally=True, contacts=1)  # fmt: skip
        fig = figures(store, "Drop-in")
    finally:
        store.close()
    pages = pdf_pages(monthly_pdf(fig, 5))
    text = " ".join(pages)
    assert len(pages) >= 8
    for n in range(400):
        assert f"Test item {n:03d} ZZ-ITEM-{n:03d}" in text
    assert "Test item 399 ZZ-ITEM-399 7 0" in text
    assert "Trousse de naloxone — échangée ZZ-NALOX-FR 0 0" in text
    supply_pages = [p for p in pages if "ZZ-ITEM-" in p]
    assert len(supply_pages) >= 5
    assert all("Item Code This period Previous period" in p for p in supply_pages)
    assert all(f"Page {n} of {len(pages)}" in p for n, p in enumerate(pages, 1))
