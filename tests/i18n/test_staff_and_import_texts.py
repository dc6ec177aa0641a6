"""Texts of staff and roles, the audit and the bulk import (merged from `ledger`) go through the
catalogue like the rest: carried as message ids, translated when shown, English in the log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from outreach_app import i18n
from outreach_app.domain import roles
from outreach_app.domain.errors import BadCells, RoleRefused
from outreach_app.services import importer, preferences
from outreach_app.services.store import open_store
from tests.cli.conftest import run_outreach


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


def test_a_role_refusal_names_the_action_in_the_language_shown() -> None:
    with pytest.raises(RoleRefused) as refused:
        roles.require("ZZ Sam", roles.Role.WORKER.value, roles.Action.AUDIT)
    error = refused.value
    assert "ZZ Sam is a worker and only a coordinator may view the audit log." in error.message
    i18n.set_language("fr")
    assert "seule la coordination peut consulter le journal d'audit" in error.message
    i18n.set_language("es")
    assert "solo la coordinación puede ver el registro de auditoría" in error.message
    assert error.english().startswith("ZZ Sam is a worker and only a coordinator may view")


def test_bad_cells_keep_their_structure_and_translate_when_shown(
    plain_folder: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "zz-bad.csv"
    sheet.write_text("occurred_at,site,SYRINGE,colour\n2026-02-30,Moonbase,2.5,\n", "utf-8")
    store = open_store(plain_folder)
    try:
        with pytest.raises(BadCells) as refused, store.reading() as uow:
            importer.check_csv(uow, sheet)
    finally:
        store.close()
    error = refused.value
    assert [(c.row, c.column) for c in error.cells][:2] == [(1, "colour"), (2, "SYRINGE")]
    i18n.set_language("fr")
    first = error.cells[0]
    assert first.describe().startswith("ligne 1, colonne colour : colonne inconnue")
    assert "Corrigez ces 4 cellules" in error.message
    assert f"  {first.describe()}" in error.message  # the CLI's lines are the table's cells
    assert error.english().startswith("zz-bad.csv was not imported; nothing was written.")


def test_staff_names_are_looked_up_after_the_devices_language_is_chosen(
    plain_folder: Path,
) -> None:
    store = open_store(plain_folder)
    try:
        with store.unit_of_work() as uow:
            preferences.set_device_language(uow, "es")
    finally:
        store.close()
    done = run_outreach("--staff", "ZZ Nobody", "stock", data_dir=plain_folder)
    assert done.code == 1
    assert "No hay nadie llamado 'ZZ Nobody' en la lista del personal" in done.err
    done = run_outreach("--lang", "fr", "staff", data_dir=plain_folder)
    assert done.code == 0 and "Coordinator : coordination" in done.out
