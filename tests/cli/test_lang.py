"""`--lang en|fr|es` (contracts §3): messages in that language; anything else is exit 2."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from outreach_app import user_choices
from outreach_app.services import preferences
from outreach_app.services.store import open_store
from tests.cli.conftest import run_outreach


def test_a_refusal_in_french_and_in_spanish(plain_folder: Path) -> None:
    args = ("receive", "--site", "ZZ-NOWHERE", "--item", "SYRINGE", "--qty", "5")
    fr = run_outreach("--lang", "fr", *args, data_dir=plain_folder)
    assert fr.code == 1
    assert "Aucun site ne s'appelle 'ZZ-NOWHERE'. Sites connus : " in fr.err
    es = run_outreach("--lang=es", *args, data_dir=plain_folder)
    assert es.code == 1 and "Ningún sitio se llama 'ZZ-NOWHERE'" in es.err
    en = run_outreach(*args, data_dir=plain_folder)
    assert en.code == 1 and "No site is called 'ZZ-NOWHERE'" in en.err


def test_the_parser_refuses_in_the_chosen_language(plain_folder: Path) -> None:
    done = run_outreach("--lang", "fr", "report", "monthly", "--month", "2026-13", "--out",
                        plain_folder / "x.pdf", data_dir=plain_folder)  # fmt: skip
    assert done.code == 2
    assert "'2026-13' n'est pas un mois; écrivez-le sous la forme AAAA-MM" in done.err


def test_an_unknown_language_is_the_parsers_refusal(plain_folder: Path) -> None:
    for value in ("de", "FR", ""):
        done = run_outreach("--lang", value, "stock", data_dir=plain_folder)
        assert done.code == 2, value
        assert "--lang" in done.err
    assert not list(plain_folder.glob("*.pdf"))


def test_the_devices_setting_applies_unless_lang_is_given(plain_folder: Path) -> None:
    store = open_store(plain_folder)
    try:
        with store.unit_of_work() as uow:
            preferences.set_device_language(uow, "es")
        with store.reading() as uow:
            assert preferences.device_language(uow) == "es"
    finally:
        store.close()
    args = ("receive", "--site", "ZZ-NOWHERE", "--item", "SYRINGE", "--qty", "5")
    assert "Ningún sitio se llama" in run_outreach(*args, data_dir=plain_folder).err
    assert "No site is called" in run_outreach("--lang", "en", *args, data_dir=plain_folder).err


def test_the_language_chosen_in_the_app_comes_before_the_devices(plain_folder: Path) -> None:
    store = open_store(plain_folder)
    try:
        with store.unit_of_work() as uow:
            preferences.set_device_language(uow, "es")
    finally:
        store.close()
    user_choices.save_language("fr")  # File › Language… (the test's own config folder)
    args = ("receive", "--site", "ZZ-NOWHERE", "--item", "SYRINGE", "--qty", "5")
    assert "Aucun site ne s'appelle" in run_outreach(*args, data_dir=plain_folder).err
    assert "No site is called" in run_outreach("--lang", "en", *args, data_dir=plain_folder).err
    user_choices.save_language(None)  # follow the system again: the device's setting
    assert "Ningún sitio se llama" in run_outreach(*args, data_dir=plain_folder).err


def test_csv_is_the_same_in_every_language(plain_folder: Path) -> None:
    assert run_outreach("receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "1500",
                        data_dir=plain_folder).code == 0  # fmt: skip
    outputs = {}
    for lang in ("en", "fr", "es"):
        done = run_outreach("--lang", lang, "stock", "--csv", data_dir=plain_folder)
        assert done.code == 0, done.err
        outputs[lang] = done.out
    assert outputs["en"] == outputs["fr"] == outputs["es"]
    assert "Drop-in,SYRINGE," in outputs["fr"] and ",1500\n" in outputs["fr"].replace("\r", "")


def test_the_catalog_is_seeded_in_the_setup_language_and_stays_data(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    done = run_outreach("--lang", "fr", "init", "--org", "ZZ Org", "--site", "Drop-in",
                        "--no-encryption", data_dir=folder, OUTREACH_NEW_PIN="4826")  # fmt: skip
    assert done.code == 0, done.err
    in_french = _catalog_names(folder)
    assert in_french["SYRINGE"] == "Seringue"
    assert in_french["KIT-INJECT"] == "Trousse d'injection plus sécuritaire"
    assert in_french["OAT"] == "Traitement par agonistes opioïdes"
    assert in_french["FTS:unit"] == "bandelette"
    # Later commands in another language read the same names: they are the shelf's data now.
    assert run_outreach("--lang", "es", "stock", data_dir=folder).code == 0
    assert _catalog_names(folder) == in_french


def _catalog_names(folder: Path) -> dict[str, str]:
    with sqlite3.connect(folder / "outreach.db") as conn:
        names = dict(conn.execute("SELECT code, name FROM items"))
        names |= {f"{c}:unit": u for c, u in conn.execute("SELECT code, unit FROM items")}
        names |= dict(conn.execute("SELECT code, name FROM kits"))
        names |= dict(conn.execute("SELECT code, label FROM referral_types"))
    return names
