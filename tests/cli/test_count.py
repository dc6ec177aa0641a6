"""`outreach count`: a paper count sheet keyed in (contracts §10)."""

from __future__ import annotations

from pathlib import Path

from outreach_app.services import inventory
from outreach_app.services.store import open_store
from tests.storage.helpers import run_cli


def _receive(folder: Path) -> None:
    store = open_store(folder)
    try:
        with store.unit_of_work() as uow:
            inventory.receive(uow, "Drop-in", "SYRINGE", 100)
            inventory.receive(uow, "Drop-in", "SWAB", 40)
    finally:
        store.close()


def _stock(folder: Path) -> str:
    result = run_cli(folder, "stock", "--site", "Drop-in", "--csv", passphrase=None)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_count_sets_what_is_on_hand_and_names_the_differences(plain_folder: Path) -> None:
    _receive(plain_folder)
    result = run_cli(plain_folder, "count", "--site", "Drop-in", "SYRINGE=90", passphrase=None)
    assert result.returncode == 0, result.stderr
    assert "Recorded a count of 1 line at Drop-in" in result.stdout  # singular since i18n
    assert "SYRINGE: counted 90, expected 100." in result.stdout
    stock = _stock(plain_folder)
    lines = {line.split(",")[1]: line.split(",")[-1] for line in stock.splitlines()[1:]}
    assert lines["SYRINGE"] == "90"
    assert lines["SWAB"] == "40"  # not listed, not counted


def test_a_lot_item_without_its_lot_is_refused_and_nothing_is_written(plain_folder: Path) -> None:
    _receive(plain_folder)
    before = _stock(plain_folder)
    result = run_cli(
        plain_folder, "count", "--site", "Drop-in", "SYRINGE=1", "NALOXONE-NASAL=3", passphrase=None
    )
    assert result.returncode == 1
    assert "NALOXONE-NASAL tracks lots" in result.stderr
    assert "Traceback" not in result.stderr
    assert _stock(plain_folder) == before


def test_a_moment_out_of_format_is_a_usage_error(plain_folder: Path) -> None:
    result = run_cli(
        plain_folder, "count", "--site", "Drop-in", "--at", "2026-13-01T10:00", "SWAB=1",
        passphrase=None,
    )  # fmt: skip
    assert result.returncode == 2
    assert "not a real date" in result.stderr
