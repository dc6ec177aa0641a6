"""Reports in French and Spanish: translated words, dates and numbers in the locale; the CSV
never changes with the language (contracts §3)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from outreach_app import i18n
from outreach_app.reports.count_sheet_pdf import count_sheet_pdf
from outreach_app.reports.inventory_csv import inventory_csv
from outreach_app.reports.inventory_pdf import inventory_pdf
from outreach_app.reports.monthly_csv import monthly_csv
from outreach_app.reports.monthly_pdf import monthly_pdf
from outreach_app.reports.tally_sheet_pdf import tally_sheet_pdf
from outreach_app.services import forms, reconciliation, tally
from outreach_app.services.store import Store, open_store
from tests import report_data as data

# What each language must print, read back from the PDF (words, a month, dates, a number).
EXPECTED = {
    "en": ["Monthly tally — November 2026", "Activity and supplies at a glance",
           "November 2026 (Nov 1, 2026 to Nov 30, 2026)", "Used syringes returned", "Page 1 of"],
    "fr": ["Bilan mensuel — novembre 2026", "Activités et matériel en un coup d'œil",
           "novembre 2026 (du 1 nov. 2026 au 30 nov. 2026)", "Seringues usagées retournées",
           "Période précédente", "Page 1 de"],
    "es": ["Resumen mensual — noviembre de 2026", "Actividad e insumos de un vistazo",
           "noviembre de 2026 (del 1 nov 2026 al 30 nov 2026)", "Jeringas usadas devueltas",
           "Período anterior", "Página 1 de"],
}  # fmt: skip


@pytest.fixture(scope="module")
def built(
    template_folders: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("translated") / "data"
    shutil.copytree(template_folders["sqlite"], folder)
    store = open_store(folder)
    data.build(store)
    yield store
    store.close()


@pytest.fixture(autouse=True)
def english_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", data.EPOCH)
    yield
    i18n.set_language("en")


def text_of(blob: bytes) -> str:
    pages = PdfReader(io.BytesIO(blob)).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_monthly_pdf_in_the_language(built: Store, language: str) -> None:
    i18n.set_language(language)
    with built.reading() as uow:
        figures = tally.monthly_tally(uow, data.NOVEMBER, "all")
    text = text_of(monthly_pdf(figures, 5))
    for expected in EXPECTED[language]:
        assert expected in text, (language, expected)
    if language != "en":
        assert "Monthly tally" not in text and "Previous period" not in text


def test_the_csvs_are_the_same_in_every_language(built: Store) -> None:
    made: dict[str, tuple[bytes, ...]] = {}
    for language in ("en", "fr", "es"):
        i18n.set_language(language)
        with built.reading() as uow:
            figures = tally.monthly_tally(uow, data.NOVEMBER, "all")
            stock = reconciliation.reconcile(uow, data.NOVEMBER, "all")
        made[language] = (monthly_csv(figures, 5), monthly_csv(figures, None), inventory_csv(stock))
    assert made["en"] == made["fr"] == made["es"]
    assert b"summary,ALL,encounters,Encounters," in made["fr"][0]


def test_inventory_and_paper_forms_in_spanish(built: Store) -> None:
    i18n.set_language("es")
    with built.reading() as uow:
        stock = reconciliation.reconcile(uow, data.NOVEMBER, "all")
        sheet = forms.tally_sheet(uow, "Drop-in")
        count = forms.count_sheet(uow, "Drop-in")
    inventory = text_of(inventory_pdf(stock))
    assert "Conciliación de inventario — noviembre de 2026" in inventory
    assert "del 1 nov 2026 al 30 nov 2026" in inventory
    tally_text = text_of(tally_sheet_pdf(sheet))
    assert "Hoja de conteo" in tally_text and "Contactos (personas atendidas)" in tally_text
    assert "Hoja de conteo de inventario — Drop-in" in text_of(count_sheet_pdf(count))
