"""`bundle export`, `bundle import` and `quarantine` run as real commands (contracts §9): counts
on stdout, and every refused file exit 1 naming it and why, with nothing written from any file."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from outreach_app.services.store_init import init_store
from outreach_app.storage.models import DeviceRevocation
from outreach_app.sync import envelope
from outreach_app.sync.bundles import parse_payload
from tests.cli.conftest import Result, Runner
from tests.conftest import PASSPHRASE, init_options
from tests.sync.devices import Member, make_devices, stranger
from tests.sync.work import log, now_minus, receive, void


@dataclass
class Pair:
    a: Member
    b: Member
    c: Member
    bundle: Path  # A's first bundle, written by the command


def _rows(folder: Path) -> dict[str, int]:
    """Rows per table: what "nothing written" is checked against."""
    with sqlite3.connect(folder / "outreach.db") as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def refused(done: Result, *words: str) -> None:
    assert done.code == 1, (done.code, done.out, done.err)
    assert "Traceback" not in done.err and "Something unexpected" not in done.err
    for word in words:
        assert word in done.err, (word, done.err)


@pytest.fixture
def pair(template_folders: dict[str, Path], tmp_path: Path, outreach: Runner) -> Pair:
    a, b, c = make_devices(template_folders["sqlite"], tmp_path, ["A", "B", "C"])
    store = a.open()
    try:
        receive(store, "SYRINGE", 40)
        log(store, now_minus(store, hours=2), {"SYRINGE": 4}, code="ZZ-CLI-1", note="synthetic")
    finally:
        store.close()
    done = outreach("bundle", "export", "--out", tmp_path / "a.bundle", data_dir=a.folder)
    assert done.code == 0, done.err
    return Pair(a, b, c, tmp_path / "a.bundle")


def test_export_then_import_prints_counts_by_kind(pair: Pair, outreach: Runner) -> None:
    done = outreach("bundle", "export", "--out", pair.bundle.with_suffix(".all"), "--all",
                    data_dir=pair.a.folder)  # fmt: skip
    assert done.code == 0
    assert "encounters: 1" in done.out and "stock_movements: 2" in done.out
    assert pair.bundle.read_bytes().startswith(b"OUTREACH-TALLY-BUNDLE 1\n")
    assert (
        b"ZZ-CLI" not in pair.bundle.read_bytes() and b"synthetic" not in pair.bundle.read_bytes()
    )
    first = outreach("bundle", "import", pair.bundle, data_dir=pair.b.folder)
    assert first.code == 0, first.err
    assert "encounters: 1 added, 0 already present, 0 quarantined, 0 pending" in first.out
    again = outreach("bundle", "import", pair.bundle, data_dir=pair.b.folder)
    assert "encounters: 0 added, 1 already present, 0 quarantined, 0 pending" in again.out
    stock = [outreach("stock", "--csv", data_dir=m.folder).out for m in (pair.a, pair.b)]
    assert stock[0] == stock[1]
    assert outreach("check", data_dir=pair.b.folder).code == 0


def _flip(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (_flip, ["damaged or incomplete"]),
        (lambda d: d[: len(d) // 2], ["damaged or incomplete"]),
        (lambda d: d.replace(b"BUNDLE 1\n", b"BUNDLE 2\n", 1), ["newer version"]),
        (lambda d: b"name,qty\nsyringe,1\n", ["not an Outreach Tally bundle"]),
        (lambda d: d[:-1] + bytes([d[-1] ^ 0x80]), ["signature does not match"]),
    ],
    ids=["flipped-byte", "truncated", "newer-format", "not-a-bundle", "bad-signature"],
)
def test_a_damaged_file_is_refused_and_nothing_is_written(
    pair: Pair, outreach: Runner, damage: object, words: list[str]
) -> None:
    bad = pair.bundle.with_name("bad.bundle")
    bad.write_bytes(damage(pair.bundle.read_bytes()))  # type: ignore[operator]
    before = _rows(pair.b.folder)
    # The good file first: refused all the same, since the files are verified before any merge.
    done = outreach("bundle", "import", pair.bundle, bad, data_dir=pair.b.folder)
    refused(done, "bad.bundle", *words, "Nothing was imported")
    assert _rows(pair.b.folder) == before


def test_another_organisations_bundle_is_refused(
    pair: Pair, outreach: Runner, tmp_path: Path
) -> None:
    other = tmp_path / "other-org"
    init_store(other, init_options(None))
    outreach("bundle", "export", "--out", tmp_path / "other.bundle", data_dir=other)
    before = _rows(pair.b.folder)
    done = outreach("bundle", "import", tmp_path / "other.bundle", data_dir=pair.b.folder)
    refused(done, "other.bundle", "another organisation")
    assert _rows(pair.b.folder) == before


def test_a_device_nobody_invited_is_refused(
    pair: Pair, outreach: Runner, tmp_path: Path, template_folders: dict[str, Path]
) -> None:
    """The same organisation's secret, but a device no device here knows or was shown."""
    z = stranger(template_folders["sqlite"], tmp_path / "stranger")
    outreach("bundle", "export", "--out", tmp_path / "z.bundle", data_dir=z.folder)
    before = _rows(pair.b.folder)
    done = outreach("bundle", "import", tmp_path / "z.bundle", data_dir=pair.b.folder)
    refused(done, "z.bundle", "does not know")
    assert _rows(pair.b.folder) == before


def test_a_revoked_devices_bundle_is_refused(pair: Pair, outreach: Runner) -> None:
    store = pair.b.open()
    try:
        with store.unit_of_work() as uow:
            uow.session.add(DeviceRevocation(revoked_device_id=pair.a.device_id, reason="lost"))
    finally:
        store.close()
    before = _rows(pair.b.folder)
    done = outreach("bundle", "import", pair.bundle, data_dir=pair.b.folder)
    refused(done, "a.bundle", "revoked device")
    assert _rows(pair.b.folder) == before


def _reseal(member: Member, sealed: bytes, change: object) -> bytes:
    """A bundle opened, one record changed by `change`, sealed again with the device's own key
    (a replay by someone holding that device's key, or a misbehaving device)."""
    store = member.open()
    try:
        with store.reading() as uow:
            org, key = uow.organisation_id(), envelope.org_key(uow.organisation_secret())
    finally:
        store.close()
    opened = envelope.open_sealed(sealed, org_id=org, org_key=key)
    header, _sep, rest = opened.payload.partition(b"\n")
    bodies = json.loads(rest)
    change(next(body for body in bodies if body["kind"] == "encounters"))  # type: ignore[operator]
    payload = header + b"\n" + json.dumps(bodies).encode()
    parse_payload(payload)
    return envelope.seal(
        payload, org_id=org, carrier=member.device_id, org_key=key, signing_seed=member.seed
    )


def test_a_replayed_bundle_with_one_record_changed_quarantines_it(
    pair: Pair, outreach: Runner
) -> None:
    assert outreach("bundle", "import", pair.bundle, data_dir=pair.b.folder).code == 0
    changed = pair.bundle.with_name("replayed.bundle")
    changed.write_bytes(
        _reseal(pair.a, pair.bundle.read_bytes(), lambda body: body["row"].update(people_served=9))
    )
    done = outreach("bundle", "import", changed, data_dir=pair.b.folder)
    assert done.code == 0, done.err
    assert "encounters: 0 added, 0 already present, 1 quarantined, 0 pending" in done.out
    listed = outreach("quarantine", "--csv", data_dir=pair.b.folder)
    lines = listed.out.splitlines()
    assert lines[0] == "record_kind,record_id,from_device,created_at,reason"
    assert lines[1].startswith("encounters,") and str(pair.a.device_id) in lines[1]
    assert "other facts" in lines[1]
    check = outreach("check", data_dir=pair.b.folder)
    assert check.code == 1 and "quarantined" in check.out
    # The same file once more (known by its digest): the same counts, one record held.
    again = outreach("bundle", "import", changed, data_dir=pair.b.folder)
    assert "encounters: 0 added, 0 already present, 1 quarantined, 0 pending" in again.out
    assert "stock_movements: 0 added, 2 already present, 0 quarantined, 0 pending" in again.out
    assert outreach("quarantine", "--csv", data_dir=pair.b.folder).out.count("\n") == 2


def test_a_signed_record_that_cannot_be_stored_refuses_its_file(
    pair: Pair, outreach: Runner
) -> None:
    """Signed by a device of ours, yet a value of the wrong kind (a misbehaving device): the
    file is refused by name and nothing is written from any file."""
    broken = pair.bundle.with_name("broken.bundle")
    broken.write_bytes(
        _reseal(
            pair.a, pair.bundle.read_bytes(), lambda body: body["row"].update(people_served="9")
        )
    )
    before = _rows(pair.b.folder)
    done = outreach("bundle", "import", broken, data_dir=pair.b.folder)
    refused(done, "broken.bundle", "damaged", "Nothing was imported")
    assert _rows(pair.b.folder) == before


def test_a_void_before_its_encounter_is_listed_pending(
    pair: Pair, outreach: Runner, tmp_path: Path
) -> None:
    """B voids A's encounter after passing A's records on; C gets B's void first: it waits,
    listed as pending, and applies when A's bundle arrives."""
    outreach("bundle", "import", pair.bundle, data_dir=pair.b.folder)
    outreach("bundle", "export", "--out", tmp_path / "b1.bundle", data_dir=pair.b.folder)
    store = pair.b.open()
    try:
        with sqlite3.connect(pair.b.folder / "outreach.db") as conn:
            (raw,) = conn.execute("SELECT id FROM encounters").fetchone()
        void(store, uuid.UUID(bytes=raw))
    finally:
        store.close()
    outreach("bundle", "export", "--out", tmp_path / "b2.bundle", data_dir=pair.b.folder)
    done = outreach("bundle", "import", tmp_path / "b2.bundle", data_dir=pair.c.folder)
    assert done.code == 0, done.err
    assert "encounter_voids: 0 added, 0 already present, 0 quarantined, 1 pending" in done.out
    assert "held back" in done.err
    listed = outreach("quarantine", "--csv", data_dir=pair.c.folder).out.splitlines()
    assert any(
        line.startswith("encounter_voids,") and line.endswith("pending: waiting for encounter "
                                                              + raw.hex()[:8])
        for line in listed
    ), listed  # fmt: skip
    assert outreach("check", data_dir=pair.c.folder).code == 0  # waiting is not a problem
    again = outreach("bundle", "import", tmp_path / "b2.bundle", data_dir=pair.c.folder)
    assert "encounter_voids: 0 added, 0 already present, 0 quarantined, 1 pending" in again.out
    done = outreach("bundle", "import", pair.bundle, data_dir=pair.c.folder)
    assert "encounter_voids: 1 added" in done.out
    assert outreach("quarantine", "--csv", data_dir=pair.c.folder).out.count("\n") == 1
    assert outreach("check", data_dir=pair.c.folder).code == 0


def test_bundles_between_encrypted_folders(
    template_folders: dict[str, Path], tmp_path: Path, outreach: Runner
) -> None:
    a, b = make_devices(template_folders["sqlcipher"], tmp_path, ["A", "B"], PASSPHRASE)
    store = a.open()
    try:
        log(store, now_minus(store, hours=1), {"CONDOM": 2})
    finally:
        store.close()
    out = tmp_path / "a.bundle"
    assert (
        outreach("bundle", "export", "--out", out, data_dir=a.folder, passphrase=PASSPHRASE).code
        == 0
    )
    done = outreach("bundle", "import", out, data_dir=b.folder, passphrase=PASSPHRASE)
    assert done.code == 0, done.err
    assert "encounters: 1 added" in done.out
