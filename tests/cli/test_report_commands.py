"""`report monthly`/`inventory`, `tally-sheet` and `count-sheet` through the real command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from outreach_app.services.store import open_store
from tests import report_data as data
from tests.cli.conftest import Runner
from tests.conftest import PASSPHRASE
from tests.report_expected import DROP_IN_SUPPRESSED, INVENTORY_DROP_IN, INVENTORY_HEADER


@pytest.fixture
def filled(plain_folder: Path) -> Path:
    store = open_store(plain_folder)
    try:
        data.build(store)
    finally:
        store.close()
    return plain_folder


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_monthly_pdf_and_csv_for_one_site(filled: Path, tmp_path: Path, outreach: Runner) -> None:
    pdf, sheet = tmp_path / "m.pdf", tmp_path / "m.csv"
    done = outreach("report", "monthly", "--month", "2026-11", "--site", "drop-in", "--out", pdf,
                    "--csv", sheet, data_dir=filled, SOURCE_DATE_EPOCH=data.EPOCH)  # fmt: skip
    assert done.code == 0, done.err
    assert str(pdf) in done.out and done.err == ""
    rows = list(csv.DictReader(io.StringIO(sheet.read_text("utf-8"), newline="")))
    got = {(r["section"], r["code"]): (r["value"], r["previous_value"]) for r in rows}
    assert {k: v for k, v in got.items() if v != ("0", "0")} == DROP_IN_SUPPRESSED
    assert "Encounters 6 <5" in text_of(pdf)
    again = tmp_path / "again.pdf"
    outreach("report", "monthly", "--month", "2026-11", "--site", "Drop-in", "--out", again,
             data_dir=filled, SOURCE_DATE_EPOCH=data.EPOCH)  # fmt: skip
    assert again.read_bytes() == pdf.read_bytes()


def test_from_to_period_and_no_suppress(filled: Path, tmp_path: Path, outreach: Runner) -> None:
    pdf = tmp_path / "q.pdf"
    done = outreach("report", "monthly", "--from", "2026-11-01", "--to", "2026-11-30",
                    "--no-suppress", "--out", pdf, data_dir=filled)  # fmt: skip
    assert done.code == 0, done.err
    assert "INTERNAL" in done.err
    text = text_of(pdf)
    assert "Encounters ALL 9 2" in text and "INTERNAL — small counts shown" in text


def test_inventory_report(filled: Path, tmp_path: Path, outreach: Runner) -> None:
    pdf, sheet = tmp_path / "i.pdf", tmp_path / "i.csv"
    done = outreach("report", "inventory", "--month", "2026-11", "--site", "Drop-in",
                    "--out", pdf, "--csv", sheet, data_dir=filled)  # fmt: skip
    assert done.code == 0, done.err
    lines = sheet.read_bytes().decode("utf-8").split("\r\n")
    assert lines[0] == INVENTORY_HEADER and lines[1:-1] == INVENTORY_DROP_IN


def test_paper_forms(filled: Path, tmp_path: Path, outreach: Runner) -> None:
    tally_pdf, count_pdf = tmp_path / "t.pdf", tmp_path / "c.pdf"
    done = outreach("tally-sheet", "--site", "Van", "--paper", "a4", "--per", "day",
                    "--out", tally_pdf, data_dir=filled)  # fmt: skip
    assert done.code == 0, done.err
    page = PdfReader(tally_pdf).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert round(float(page.mediabox.width)) == 842  # A4
    text = text_of(tally_pdf)
    assert "Contacts (people met)" in text and "Safer injection kit (kit) KIT-INJECT" in text
    assert "Initials" in text and "Van" in text
    done = outreach("count-sheet", "--site", "Drop-in", "--show-expected", "--out", count_pdf,
                    data_dir=filled)  # fmt: skip
    assert done.code == 0, done.err
    text = text_of(count_pdf)
    assert "NALOXONE-NASAL Naloxone nasal kit NN-1 Jan 10, 2027 16"  # dates in the locale in text
    assert "SYRINGE Syringe 245" in text


@pytest.mark.parametrize(
    "bad",
    [
        ["report", "monthly", "--month", "2026-13"],
        ["report", "monthly", "--month", "2026-11", "--suppress", "1"],
        ["report", "monthly", "--month", "2026-11", "--suppress", "3", "--no-suppress"],
        ["report", "monthly", "--month", "2026-11", "--suppress", "5", "--no-suppress"],
        ["report", "monthly"],
        ["report", "monthly", "--from", "2026-11-01"],
        ["report", "inventory", "--month", "2026-11", "--from", "2026-11-01", "--to", "2026-11-02"],
        ["tally-sheet", "--site", "Drop-in", "--paper", "legal"],
        ["report", "yearly", "--month", "2026-11"],
    ],
)
def test_bad_values_are_refused_by_the_parser(
    bad: list[str], plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    out = tmp_path / "x.pdf"
    done = outreach(*bad, "--out", out, data_dir=plain_folder)
    assert done.code == 2
    assert "error" in done.err and "Traceback" not in done.err
    assert not out.exists()


def test_unknown_site_writes_nothing(plain_folder: Path, tmp_path: Path, outreach: Runner) -> None:
    out, sheet = tmp_path / "x.pdf", tmp_path / "x.csv"
    done = outreach("report", "monthly", "--month", "2026-11", "--site", "Nowhere",
                    "--out", out, "--csv", sheet, data_dir=plain_folder)  # fmt: skip
    assert done.code == 1
    assert "No site is called 'Nowhere'" in done.err
    assert not out.exists() and not sheet.exists()
    assert list(tmp_path.glob(".x*")) == []


def test_encrypted_folder_needs_the_passphrase(
    encrypted_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    out = tmp_path / "e.pdf"
    done = outreach("count-sheet", "--site", "Drop-in", "--out", out, data_dir=encrypted_folder)
    assert done.code == 3 and not out.exists()
    done = outreach("count-sheet", "--site", "Drop-in", "--out", out, data_dir=encrypted_folder,
                    passphrase=PASSPHRASE)  # fmt: skip
    assert done.code == 0, done.err
    assert out.read_bytes().startswith(b"%PDF")
