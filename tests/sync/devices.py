"""Devices of one organisation for the merge tests, joined for real.

The first device is a copy of a seeded folder; each next one joins with an invitation made by
the one before it (`invite` and `init --join` through their services), so trust between them is
the chain of invitations a real program has (A invited B, B invited C, ...). `stranger` makes a
device that holds the organisation's secret but was never invited: its bundles are refused.
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nacl import pwhash
from sqlalchemy import insert, update

from outreach_app.domain.clock import utc_now
from outreach_app.domain.device_keys import SIGNING_SEED_KEY, new_signing_seed, verify_key_of
from outreach_app.services.store import Store, open_store
from outreach_app.storage.models import Device, Setting
from outreach_app.sync import invitation_file
from outreach_app.sync.joining import join, make_invitation, read_invitation


@dataclass
class Member:
    name: str
    folder: Path
    device_id: uuid.UUID
    seed: bytes
    passphrase: str | None

    def open(self) -> Store:
        return open_store(self.folder, passphrase=self.passphrase)


def _member(name: str, folder: Path, passphrase: str | None) -> Member:
    store = open_store(folder, passphrase=passphrase)
    try:
        with store.reading() as uow:
            seed = bytes.fromhex(uow.session.get_one(Setting, SIGNING_SEED_KEY).value)
        return Member(name, folder, store.device_id, seed, passphrase)
    finally:
        store.close()


@contextlib.contextmanager
def _quick_join_codes() -> Iterator[None]:
    """The join code's KDF at its cheapest: these tests are about merging, not guessing."""
    saved = invitation_file.OPSLIMIT, invitation_file.MEMLIMIT
    invitation_file.OPSLIMIT = pwhash.argon2id.OPSLIMIT_MIN
    invitation_file.MEMLIMIT = pwhash.argon2id.MEMLIMIT_MIN
    try:
        yield
    finally:
        invitation_file.OPSLIMIT, invitation_file.MEMLIMIT = saved


def make_devices(
    template: Path, root: Path, names: list[str], passphrase: str | None = None
) -> list[Member]:
    """`names[0]` is a copy of the template; each next device is invited by the one before."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(template, root / names[0])
    members = [_member(names[0], root / names[0], passphrase)]
    with _quick_join_codes():
        for name in names[1:]:
            inviter = members[-1].open()
            try:
                made = make_invitation(inviter, root / f"{name}.invite")
            finally:
                inviter.close()
            opened = read_invitation(made.path, made.join_code)
            join(root / name, opened, device_name=name, passphrase=passphrase)
            members.append(_member(name, root / name, passphrase))
    return members


def stranger(template: Path, folder: Path, passphrase: str | None = None) -> Member:
    """A copy of the organisation's folder given a new device id and key that no device ever
    invited: it can seal bundles for the organisation, but nobody trusts its signature."""
    shutil.copytree(template, folder)
    device, seed = uuid.uuid4(), new_signing_seed()
    store = open_store(folder, passphrase=passphrase)
    try:
        with store.engine.begin() as conn:
            conn.execute(
                insert(Device.__table__).values(
                    id=device, name="Stranger", created_at=utc_now(), last_seq=0,
                    verify_key=verify_key_of(seed),
                )
            )  # fmt: skip
            for key, value in (("device_id", str(device)), (SIGNING_SEED_KEY, seed.hex())):
                settings = Setting.__table__
                conn.execute(update(settings).where(settings.c.key == key).values(value=value))
    finally:
        store.close()
    return Member("Stranger", folder, device, seed, passphrase)
