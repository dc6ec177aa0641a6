"""Inviting and joining on real stores: a folder (SQLite and SQLCipher) and the hub (a real
PostgreSQL database). The new device starts with the organisation's rows as they are, its own
identity, and a place in the chain of trust that another device can check."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from nacl import pwhash
from sqlalchemy import select

from outreach_app.domain.device_keys import SIGNING_SEED_KEY, fingerprint, verify_key_of
from outreach_app.domain.errors import BadFile, InvalidInput, RoleRefused
from outreach_app.services import checks, devices, free_text, inventory, retention, staff
from outreach_app.services.store import Store, open_store
from outreach_app.storage.models import (
    Device,
    Invitation,
    Item,
    Lot,
    Purge,
    Setting,
    Site,
    Staff,
)
from outreach_app.sync import invitation_file
from outreach_app.sync.joining import join, make_invitation, read_invitation
from outreach_app.sync.trust import DeviceClaim, InvitationClaim, trusted_keys
from tests import pg_cluster
from tests.conftest import PASSPHRASE

PIN = "802468"  # synthetic


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(invitation_file, "OPSLIMIT", pwhash.argon2id.OPSLIMIT_MIN)
    monkeypatch.setattr(invitation_file, "MEMLIMIT", pwhash.argon2id.MEMLIMIT_MIN)


@pytest.fixture
def inviter(plain_folder: Path) -> Iterator[Store]:
    store = open_store(plain_folder)
    yield store
    store.close()


def _rows(store: Store, model: type) -> dict[uuid.UUID, tuple[object, ...]]:
    with store.reading() as uow:
        table = model.__table__
        return {row[0]: tuple(row) for row in uow.session.execute(select(table))}


def _claims(store: Store) -> tuple[list[DeviceClaim], list[InvitationClaim]]:
    with store.reading() as uow:
        found = [
            DeviceClaim(d.id, d.name, d.verify_key, d.invitation_id, d.join_signature)
            for d in uow.session.scalars(select(Device))
        ]
        invited = [
            InvitationClaim(i.id, i.device_id, i.invite_key, i.signature)
            for i in uow.session.scalars(select(Invitation))
        ]
    return found, invited


@pytest.mark.parametrize("encrypted", [False, True], ids=["sqlite", "sqlcipher"])
def test_a_folder_joins_with_the_organisations_rows_and_its_own_identity(
    inviter: Store, tmp_path: Path, encrypted: bool
) -> None:
    made = make_invitation(inviter, tmp_path / "van.invite")
    assert (tmp_path / "van.invite").stat().st_mode & 0o077 == 0  # the owner's only
    opened = read_invitation(made.path, made.join_code)
    assert made.join_code not in repr(made) and "org_secret" not in repr(opened)
    passphrase = PASSPHRASE if encrypted else None
    result = join(
        tmp_path / "van",
        opened,
        device_name="ZZ Van",
        passphrase=passphrase,
        coordinator_pin=PIN,
    )
    assert result.coordinator == "Coordinator" and result.coordinator_has_pin
    van = open_store(tmp_path / "van", passphrase=passphrase)
    try:
        assert van.encrypted is encrypted
        assert van.org_id == inviter.org_id and van.org_name == inviter.org_name
        assert van.device_id == result.device_id != inviter.device_id
        for model in (Item, Site, Staff, Invitation):  # same ids, same provenance
            assert _rows(van, model) == _rows(inviter, model)
        with van.reading() as uow, inviter.reading() as theirs:
            assert uow.organisation_secret() == theirs.organisation_secret()
            seed = bytes.fromhex(uow.session.get_one(Setting, SIGNING_SEED_KEY).value)
            mine = uow.session.get_one(Device, van.device_id)
            assert verify_key_of(seed) == mine.verify_key
            assert fingerprint(mine.verify_key) == result.fingerprint
            assert mine.invitation_id == made.invitation_id
            listed = devices.list_devices(uow)
            assert [d.name for d in listed] == ["Test laptop", "ZZ Van"]
            assert staff.first_coordinator_id(uow.session) == theirs.staff_id
        report = checks.run_checks(van)
        assert report.problems == []
        # The inviting device, knowing only itself, can trust the van from its two records.
        found, invited = _claims(van)
        with inviter.reading() as uow:
            known = devices.known_keys(uow)
            assert list(known) == [inviter.device_id]
        with van.reading() as uow:
            assert set(devices.known_keys(uow)) == {inviter.device_id, van.device_id}
        trusted = trusted_keys(known, found, invited, inviter.org_id)  # type: ignore[arg-type]
        assert trusted[van.device_id] == result_key(van)
        van.act_as("Coordinator", None)
    finally:
        van.close()


def result_key(store: Store) -> bytes:
    with store.reading() as uow:
        return bytes(uow.session.get_one(Device, store.device_id).verify_key)


def _lot_and_purge(store: Store) -> None:
    """A lot received and a purge made on the inviting device before it invites."""
    with store.unit_of_work() as uow:
        inventory.receive(
            uow, "Drop-in", "NALOXONE-NASAL", 6, lot="ZZ-NX1", expires=date(2027, 8, 31)
        )
    store.write(lambda uow: retention.record_purge(uow, 12))


def test_the_invitation_carries_the_organisations_lots_and_purges(
    inviter: Store, tmp_path: Path
) -> None:
    _lot_and_purge(inviter)
    made = make_invitation(inviter, tmp_path / "van.invite")
    join(tmp_path / "van", read_invitation(made.path, made.join_code), device_name="ZZ Van")
    van = open_store(tmp_path / "van")
    try:
        for model in (Lot, Purge):  # same ids, same provenance
            assert _rows(van, model) == _rows(inviter, model)
        (lot,) = _rows(van, Lot).values()
        assert "ZZ-NX1" in lot and date(2027, 8, 31) in lot
        with van.reading() as uow, inviter.reading() as theirs:
            cut_off = free_text.latest_cut_off(uow.session)
            assert cut_off is not None and cut_off == free_text.latest_cut_off(theirs.session)
        # A note on the new device for a day the purge covers is saved empty, from the start.
        with van.unit_of_work() as uow:
            old = cut_off - timedelta(days=3)
            assert free_text.purged_note(uow.session, old, "synthetic note") == ""
        assert checks.run_checks(van).problems == []
    finally:
        van.close()


def test_one_code_used_twice_gives_two_identities(inviter: Store, tmp_path: Path) -> None:
    made = make_invitation(inviter, tmp_path / "x.invite")
    first = join(tmp_path / "a", read_invitation(made.path, made.join_code), device_name="A")
    second = join(tmp_path / "b", read_invitation(made.path, made.join_code), device_name="B")
    assert first.device_id != second.device_id and first.fingerprint != second.fingerprint
    stores = [open_store(tmp_path / name) for name in ("a", "b")]
    try:
        claims = [c for s in stores for c in _claims(s)[0]]
        invited = _claims(stores[0])[1]
        with inviter.reading() as uow:
            me = uow.session.get_one(Device, inviter.device_id)
            known = {me.id: bytes(me.verify_key)}
        trusted = trusted_keys(known, claims, invited, inviter.org_id)  # type: ignore[arg-type]
        assert {first.device_id, second.device_id} <= set(trusted)
    finally:
        for store in stores:
            store.close()


def test_a_device_that_joined_invites_the_next(inviter: Store, tmp_path: Path) -> None:
    made = make_invitation(inviter, tmp_path / "b.invite")
    join(tmp_path / "b", read_invitation(made.path, made.join_code), device_name="B")
    b = open_store(tmp_path / "b")
    try:
        again = make_invitation(b, tmp_path / "c.invite")
        c_result = join(
            tmp_path / "c", read_invitation(again.path, again.join_code), device_name="C"
        )
        c = open_store(tmp_path / "c")
        try:
            with c.reading() as uow:
                assert [d.name for d in devices.list_devices(uow)] == ["Test laptop", "B", "C"]
            found, invited = _claims(c)
        finally:
            c.close()
    finally:
        b.close()
    with inviter.reading() as uow:
        me = uow.session.get_one(Device, inviter.device_id)
        known = {me.id: bytes(me.verify_key)}
    # A knows neither B nor C; C's records prove both (A -> B -> C).
    assert c_result.device_id in trusted_keys(known, found, invited, inviter.org_id)  # type: ignore[arg-type]


def test_a_worker_may_not_invite_and_nothing_is_recorded(inviter: Store, tmp_path: Path) -> None:
    inviter.write(lambda uow: staff.add_staff(uow, "ZZ Sam", "worker", PIN))
    inviter.act_as("ZZ Sam", PIN)
    before = _rows(inviter, Invitation)
    with pytest.raises(RoleRefused, match="only a coordinator may invite or revoke devices"):
        make_invitation(inviter, tmp_path / "x.invite")
    assert _rows(inviter, Invitation) == before
    assert not (tmp_path / "x.invite").exists()


def test_an_invitation_into_a_missing_folder_records_nothing(
    inviter: Store, tmp_path: Path
) -> None:
    with pytest.raises(BadFile, match="does not exist"):
        make_invitation(inviter, tmp_path / "nowhere" / "x.invite")
    assert _rows(inviter, Invitation) == {}


def test_a_revocation_travels_as_a_record_and_marks_the_device(
    inviter: Store, tmp_path: Path
) -> None:
    made = make_invitation(inviter, tmp_path / "x.invite")
    result = join(tmp_path / "b", read_invitation(made.path, made.join_code), device_name="B")
    b = open_store(tmp_path / "b")
    try:
        with b.reading() as uow:
            inviter_fp = next(d for d in devices.list_devices(uow) if not d.this_device)
        revoked = b.write(lambda uow: devices.revoke(uow, inviter_fp.fingerprint.lower()))
        assert revoked.revoked_at is not None
        with pytest.raises(InvalidInput, match="already revoked"):
            b.write(lambda uow: devices.revoke(uow, inviter_fp.fingerprint))
        with pytest.raises(InvalidInput, match="cannot revoke itself"):
            b.write(lambda uow: devices.revoke(uow, result.fingerprint))
        assert checks.run_checks(b).problems == []
    finally:
        b.close()


@pytest.fixture
def empty_pg(pg: pg_cluster.Cluster) -> Iterator[str]:
    name = f"hub_{uuid.uuid4().hex[:12]}"
    pg.execute(f"CREATE DATABASE {name}")
    yield pg.url(name)
    pg.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_hub_joins_without_any_secret(inviter: Store, tmp_path: Path, empty_pg: str) -> None:
    _lot_and_purge(inviter)
    made = make_invitation(inviter, tmp_path / "hub.invite")
    opened = read_invitation(made.path, made.join_code)
    result = join(tmp_path / "logs", opened, device_name="", db_url=empty_pg)
    assert result.is_hub and result.device_name == "Hub"
    hub = open_store(tmp_path / "logs", db_url=empty_pg)
    try:
        assert hub.org_id == inviter.org_id
        with hub.reading() as uow:
            keys = set(uow.session.scalars(select(Setting.key)))
            assert "org_secret" not in keys and SIGNING_SEED_KEY not in keys
            settings = {s.key: s.value for s in uow.session.scalars(select(Setting))}
            assert not any(made.join_code in v or len(v) == 64 for v in settings.values())
            assert devices.this_device(uow).is_hub
            with pytest.raises(InvalidInput, match="holds no organisation secret"):
                uow.organisation_secret()
        for model in (Item, Site, Staff, Invitation, Lot, Purge):
            assert _rows(hub, model) == _rows(inviter, model)
        with pytest.raises(InvalidInput, match="keeps no signing key"):
            make_invitation(hub, tmp_path / "from-hub.invite")
        assert checks.run_checks(hub).problems == []
    finally:
        hub.close()
