"""init, receive, stock and check through the real command (contracts §3, §5)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Runner, Target
from tests.conftest import PASSPHRASE


def test_init_encrypted_then_stock_csv(tmp_path: Path, outreach: Runner) -> None:
    data = tmp_path / "new-folder"
    done = outreach(
        "init",
        "--org",
        "ZZ Test Org",
        "--site",
        "Main drop-in",
        "--timezone",
        "America/Toronto",
        data_dir=data,
        passphrase=PASSPHRASE,
    )
    assert done.code == 0, done.err
    assert (data / "outreach.db").read_bytes()[:16] != b"SQLite format 3\x00"
    done = outreach(
        "receive",
        "--site",
        "main drop-in",
        "--item",
        "syringe",
        "--qty",
        "250",
        data_dir=data,
        passphrase=PASSPHRASE,
    )
    assert done.code == 0, done.err
    done = outreach(
        "receive",
        "--site",
        "Main drop-in",
        "--item",
        "NALOXONE-NASAL",
        "--qty",
        "12",
        "--lot",
        "ZZLOT-7",
        "--expires",
        "2027-04-30",
        data_dir=data,
        passphrase=PASSPHRASE,
    )
    assert done.code == 0, done.err
    done = outreach("stock", "--csv", data_dir=data, passphrase=PASSPHRASE)
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines[0] == "site,item_code,item_name,lot,expires,on_hand"
    assert lines[1] == "Main drop-in,SYRINGE,Syringe,,,250"
    assert "Main drop-in,NALOXONE-NASAL,Naloxone nasal kit,ZZLOT-7,2027-04-30,12" in lines
    assert "Main drop-in,WOUND-KIT,Wound care kit,,,0" in lines
    # Every active catalog item is listed once: 14 items, no duplicates.
    assert len(lines) == 1 + 14
    assert outreach("check", data_dir=data, passphrase=PASSPHRASE).code == 0


def test_stock_csv_bytes_are_utf8_crlf_without_bom(plain_folder: Path, outreach: Runner) -> None:
    import subprocess
    import sys

    raw = subprocess.run(
        [sys.executable, "-m", "outreach_app", "--data-dir", str(plain_folder), "stock", "--csv"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        check=True,
    ).stdout
    assert raw.startswith(b"site,item_code,")
    assert b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")


def test_init_twice_is_refused_and_changes_nothing(plain_folder: Path, outreach: Runner) -> None:
    before = (plain_folder / "outreach.db").read_bytes()
    done = outreach(
        "init", "--org", "Other", "--site", "Other", "--no-encryption", data_dir=plain_folder
    )
    assert done.code == 1
    assert "already initialised" in done.err
    assert (plain_folder / "outreach.db").read_bytes() == before


def test_init_encrypted_without_passphrase_or_terminal(tmp_path: Path, outreach: Runner) -> None:
    done = outreach("init", "--org", "X", "--site", "Y", data_dir=tmp_path / "d")
    assert done.code == 3
    assert "OUTREACH_PASSPHRASE" in done.err and "--no-encryption" in done.err
    assert not (tmp_path / "d").exists()


def test_encrypted_folder_needs_the_right_passphrase(
    encrypted_folder: Path, outreach: Runner
) -> None:
    before = {p.name: p.read_bytes() for p in encrypted_folder.iterdir() if p.is_file()}
    wrong = outreach("stock", data_dir=encrypted_folder, passphrase="not-the-passphrase")
    assert wrong.code == 3 and "passphrase does not open" in wrong.err
    missing = outreach("stock", data_dir=encrypted_folder)
    assert missing.code == 3 and "OUTREACH_PASSPHRASE" in missing.err
    assert "Traceback" not in wrong.err + missing.err
    after = {p.name: p.read_bytes() for p in encrypted_folder.iterdir() if p.is_file()}
    assert after == before


def test_unencrypted_folder_ignores_the_variable(plain_folder: Path, outreach: Runner) -> None:
    assert outreach("stock", data_dir=plain_folder, passphrase="anything").code == 0


def test_store_cannot_be_opened_exit_3(
    tmp_path: Path, plain_folder: Path, outreach: Runner
) -> None:
    missing = outreach("stock", data_dir=tmp_path / "nowhere")
    assert missing.code == 3 and "does not exist" in missing.err
    empty = tmp_path / "empty"
    empty.mkdir()
    not_init = outreach("stock", data_dir=empty)
    assert not_init.code == 3 and "not initialised" in not_init.err
    (plain_folder / "outreach.db").write_bytes(b"%PDF-1.7 this is somebody's PDF\n" * 10)
    foreign = outreach("stock", data_dir=plain_folder)
    assert foreign.code == 3 and "not an Outreach Tally database" in foreign.err


def test_parser_refusals_exit_2(plain_folder: Path, outreach: Runner) -> None:
    for args in (
        ("receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "-5"),
        ("receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "ten"),
        (
            "receive",
            "--site",
            "Drop-in",
            "--item",
            "SYRINGE",
            "--qty",
            "5",
            "--lot",
            "A",
            "--expires",
            "2026-02-30",
        ),
        ("frobnicate",),
        ("tally-entry", "--site", "Drop-in", "--date", "2026-13-01", "--contacts", "3"),
    ):
        done = outreach(*args, data_dir=plain_folder)
        assert done.code == 2, args
        assert "error:" in done.err
        assert done.out == ""  # messages go to stderr; stdout is for data


def test_no_command_without_a_screen_exits_2(plain_folder: Path, outreach: Runner) -> None:
    done = outreach(data_dir=plain_folder)
    assert done.code == 2
    assert "no screen" in done.err


def test_data_refusals_exit_1_with_a_message(target: Target, outreach: Runner) -> None:
    unknown_site = outreach(
        "receive", "--site", "Nowhere", "--item", "SYRINGE", "--qty", "5", at=target
    )
    assert unknown_site.code == 1 and "No site is called 'Nowhere'" in unknown_site.err
    assert "Drop-in" in unknown_site.err
    unknown_item = outreach(
        "receive", "--site", "Drop-in", "--item", "GLITTER", "--qty", "5", at=target
    )
    assert unknown_item.code == 1 and "GLITTER" in unknown_item.err
    no_lot = outreach("receive", "--site", "Drop-in", "--item", "FTS", "--qty", "5", at=target)
    assert no_lot.code == 1 and "--lot" in no_lot.err


def test_tally_entry_moves_stock_and_saves_a_shortfall(target: Target, outreach: Runner) -> None:
    """Contracts §1: a paper sheet's supplies are already handed out, so a shortfall is saved
    (no flag needed), drawn below zero, and said on the way out."""
    received = outreach(
        "receive", "--site", "Drop-in", "--item", "SYRINGE", "--qty", "100", at=target
    )
    assert received.code == 0
    sheet = ("tally-entry", "--site", "Drop-in", "--date", "2026-11-02")
    empty = outreach(*sheet, "--contacts", "0", "CONDOM=0", at=target)
    assert empty.code == 1 and "tally is empty" in empty.err
    done = outreach(*sheet, "--contacts", "9", "SYRINGE=60", "condom=0", at=target)
    assert done.code == 0, done.err
    assert "9 contacts" in done.out and "below zero" not in done.out
    stock = outreach("stock", "--csv", "--site", "Drop-in", at=target).out
    assert "Drop-in,SYRINGE,Syringe,,,40" in stock.splitlines()
    short = outreach(*sheet, "--contacts", "4", "SYRINGE=140", at=target)
    assert short.code == 0, short.err
    assert (
        "Recorded below zero: SYRINGE at Drop-in: 140 wanted, 40 on hand (short by 100)"
        in short.out
    )
    stock = outreach("stock", "--csv", "--site", "Drop-in", at=target).out
    assert "Drop-in,SYRINGE,Syringe,,,-100" in stock.splitlines()
    assert outreach("check", at=target).code == 0
