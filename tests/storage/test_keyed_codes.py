"""Participant codes stored only keyed (contracts §10): a raw-bytes scan of the data folder, its
WAL and every backup after migrating typed codes; the random scheme's check character; cards."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from outreach_app.domain import participant
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.participant import check_character, normalize_participant_code
from outreach_app.domain.values import EncounterDraft
from outreach_app.reports.cards_pdf import cards_pdf
from outreach_app.services import codes, encounters, participants
from outreach_app.services.store import open_store
from outreach_app.services.store_init import InitOptions, init_store
from outreach_app.storage.folder import DataFolder, FolderRecord

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOON = datetime(2026, 10, 5, 16, 0, tzinfo=UTC)
# The typed codes of the 0003 fixture, as typed and normalised (make_fixtures.py).
TYPED = [b"ZZ-FIX-01", b"ZZ-FIX-02", b"ZZFIX01", b"ZZFIX02"]


def _scan(folder: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n.decode()}" for n in needles if n in data]
    return found


def test_no_typed_code_is_left_in_the_folder_its_wal_or_backups(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "schema-0003.db", folder / "outreach.db")
    DataFolder(folder).write_record(FolderRecord(encrypted=False))
    (folder / "backups").mkdir()
    # An older backup of the app's own, holding the typed codes too.
    shutil.copyfile(FIXTURES / "schema-0003.db", folder / "backups" / "daily-2026-10-05.db")
    assert _scan(folder, TYPED)  # the scan sees them before
    store = open_store(folder)
    try:
        with store.unit_of_work() as uow:
            encounters.log_encounter(
                uow,
                EncounterDraft(site="Drop-in", occurred_at=NOON, participant_code="zz-new 07"),
            )
            status = participants.participant_status(uow, " zz-fix 01 ")
        assert status.known  # returning still works on the keys
        assert Path(f"{folder / 'outreach.db'}-wal").exists()
        assert _scan(folder, [*TYPED, b"zz-new 07", b"ZZ-NEW", b"ZZNEW07"]) == []
    finally:
        store.close()
    assert _scan(folder, [*TYPED, b"ZZNEW07"]) == []
    backups = sorted(p.name for p in (folder / "backups").glob("*.db"))
    assert len(backups) == 1 and backups[0].startswith("after-keying-codes-")


@pytest.fixture
def random_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "random"
    init_store(
        folder,
        InitOptions(org="ZZ Org", site="Drop-in", timezone="America/Toronto", codes="random"),
    )
    return folder


def test_random_codes_carry_a_check_character_that_refuses_a_typo(random_folder: Path) -> None:
    store = open_store(random_folder)
    try:
        with store.reading() as uow:
            (code,) = codes.new_codes(uow, 1)
        body = normalize_participant_code(code)
        wrong = body[:-1] + next(c for c in participant.ALPHABET if c != body[-1])
        swapped = body[1] + body[0] + body[2:]
        for typo in (wrong, swapped if swapped != body else wrong, "ZZ-TEST-01"):
            with pytest.raises(InvalidInput), store.unit_of_work() as uow:
                encounters.log_encounter(
                    uow, EncounterDraft(site="Drop-in", occurred_at=NOON, participant_code=typo)
                )
        with store.unit_of_work() as uow:
            encounters.log_encounter(
                uow,
                EncounterDraft(site="Drop-in", occurred_at=NOON, participant_code=code.lower()),
            )
            assert participants.participant_status(uow, code).known
    finally:
        store.close()


def test_check_character_worked_by_hand() -> None:
    # Values in the alphabet 23456789ABCDEFGHJKMNPQRSTUVWXYZ (no L): K=17, 7=5, M=18, 4=2, Q=21.
    # 1*17 + 2*5 + 3*18 + 4*2 + 5*21 = 194 = 6*31 + 8, and character 8 (from 0) is A.
    assert check_character("K7M4Q") == "A"


def test_cards_never_repeat_a_code_this_device_knows_used(
    random_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(random_folder)
    try:
        with store.reading() as uow:
            (used,) = codes.new_codes(uow, 1)
        with store.unit_of_work() as uow:
            encounters.log_encounter(
                uow, EncounterDraft(site="Drop-in", occurred_at=NOON, participant_code=used)
            )
        drawn = iter([used, used, participant.numbered_code(7), participant.numbered_code(8)])
        monkeypatch.setattr(codes, "new_random_code", lambda: next(drawn))
        with store.reading() as uow:
            fresh = codes.new_codes(uow, 2)
    finally:
        store.close()
    assert fresh == [participant.numbered_code(7), participant.numbered_code(8)]


def test_a_card_sheet_holds_ten_cards_a_page() -> None:
    sheet = [participant.numbered_code(n) for n in range(1, 13)]
    reader = PdfReader(__import__("io").BytesIO(cards_pdf(sheet)))
    # Letter is 279.4 mm tall: inside 10 mm printable margins, rows of 54 mm cards with 6 mm
    # gaps fit 4 times, so 8 cards a page: 12 cards are 8 on the first page and 4 on the second.
    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    assert all(code in first for code in sheet[:8])
    assert all(code in second for code in sheet[8:])
