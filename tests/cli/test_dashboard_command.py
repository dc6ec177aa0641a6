"""`report dashboard` through the real command, on every backend, with its exit codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests import dashboard_data as data
from tests import dashboard_expected as expected
from tests.cli.conftest import Runner, Target


@pytest.fixture
def filled(target: Target) -> Target:
    store = target.open()
    try:
        data.build(store)
    finally:
        store.close()
    return target


def text_of(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_dashboard_pdf_csv_and_order_form(filled: Target, tmp_path: Path, outreach: Runner) -> None:
    pdf, sheet = tmp_path / "d.pdf", tmp_path / "d.csv"
    order_pdf, order_csv = tmp_path / "o.pdf", tmp_path / "o.csv"
    done = outreach("report", "dashboard", "--site", "Drop-in", "--date", "2026-11-30",
                    "--out", pdf, "--csv", sheet, "--order-pdf", order_pdf,
                    "--order-csv", order_csv, at=filled,
                    SOURCE_DATE_EPOCH=data.EPOCH)  # fmt: skip
    assert done.code == 0, done.err
    assert done.err == ""
    assert str(pdf) in done.out and "Order form: 1 line to order." in done.out
    assert sheet.read_bytes().decode("utf-8").split("\r\n")[:-1] == expected.DROP_IN
    assert "Drop-in Syringe SYRINGE 30 100 8 21 45" in text_of(pdf)
    assert "Contacts (encounters + tally) Drop-in 7 2.5" in text_of(pdf)
    assert order_csv.read_bytes().decode("utf-8").split("\r\n")[1:-1] == [
        "Drop-in,SYRINGE,Syringe,each,30,100,8,21,45"
    ]
    assert "Syringe SYRINGE each 30 8 45" in text_of(order_pdf)


def test_all_sites_a_target_and_no_suppression(
    plain_folder: Path, tmp_path: Path, outreach: Runner
) -> None:
    store = Target("sqlite", plain_folder).open()
    try:
        data.build(store)
    finally:
        store.close()
    pdf, sheet = tmp_path / "d.pdf", tmp_path / "d.csv"
    done = outreach("report", "dashboard", "--date", "2026-11-30", "--target-days", "10",
                    "--no-suppress", "--out", pdf, "--csv", sheet,
                    data_dir=plain_folder)  # fmt: skip
    assert done.code == 0, done.err
    assert "INTERNAL" in done.err
    assert "Count needed: COOKER at Van (on hand recorded -5)." in done.out
    rows = sheet.read_bytes().decode("utf-8").split("\r\n")[:-1]
    assert [r for r in rows if r.startswith("reorder,")] == expected.ALL_SITES_TARGET_10_REORDER
    assert "week,Van,,,contacts:this,1" in rows  # shown as it is
    assert "INTERNAL — small counts shown" in text_of(pdf)


@pytest.mark.parametrize(
    "option",
    [
        ["--date", "2026-13-01"],
        ["--date", "1999-12-31"],
        ["--date", "2100-01-01"],
        ["--suppress", "1"],
        ["--target-days", "0"],
        ["--target-days", "366"],
        ["--suppress", "3", "--no-suppress"],
        ["--suppress", "5", "--no-suppress"],
    ],
)
def test_arguments_out_of_range_exit_2(
    plain_folder: Path, tmp_path: Path, outreach: Runner, option: list[str]
) -> None:
    out = tmp_path / "d.pdf"
    done = outreach("report", "dashboard", *option, "--out", out, data_dir=plain_folder)
    assert done.code == 2, done.err
    assert not out.exists()


def test_refusals(plain_folder: Path, tmp_path: Path, outreach: Runner) -> None:
    out = tmp_path / "d.pdf"
    done = outreach("report", "dashboard", "--site", "Nowhere", "--out", out, data_dir=plain_folder)
    assert done.code == 1 and "No site is called 'Nowhere'" in done.err
    done = outreach("report", "dashboard", "--out", tmp_path / "missing" / "d.pdf",
                    data_dir=plain_folder)  # fmt: skip
    assert done.code == 1 and "does not exist" in done.err
    done = outreach("report", "dashboard", "--out", out, data_dir=tmp_path / "not-a-folder")
    assert done.code == 3
    assert not out.exists()
