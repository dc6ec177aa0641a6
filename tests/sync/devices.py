"""Devices of one organisation for the merge tests, made from one seeded folder.

Until `init --join` exists, a second device is a copy of the first folder given a new device id
and signing key; every folder is told every device's public key (as joining would), so each
trusts the others. The copies keep the organisation's id and secret and the first device's
seeded catalog and history, as a device that joined it would have them.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, update

from outreach_app.domain.clock import utc_now
from outreach_app.domain.device_keys import SIGNING_SEED_KEY, new_signing_seed, verify_key_of
from outreach_app.services.store import Store, open_store
from outreach_app.storage.models import Device, Setting


@dataclass
class Member:
    name: str
    folder: Path
    device_id: uuid.UUID
    seed: bytes
    passphrase: str | None

    def open(self) -> Store:
        return open_store(self.folder, passphrase=self.passphrase)


def _identity(store: Store) -> tuple[uuid.UUID, bytes]:
    with store.reading() as uow:
        seed = bytes.fromhex(uow.session.get_one(Setting, SIGNING_SEED_KEY).value)
    return store.device_id, seed


def make_devices(
    template: Path, root: Path, names: list[str], passphrase: str | None = None
) -> list[Member]:
    """`names[0]` is the template's own device; the others are copies with new identities."""
    members = []
    for n, name in enumerate(names):
        folder = root / name
        shutil.copytree(template, folder)
        store = open_store(folder, passphrase=passphrase)
        try:
            if n == 0:
                device, seed = _identity(store)
            else:
                device, seed = uuid.uuid4(), new_signing_seed()
                with store.engine.begin() as conn:
                    conn.execute(
                        insert(Device.__table__).values(
                            id=device,
                            name=name,
                            created_at=utc_now(),
                            last_seq=0,
                            verify_key=verify_key_of(seed),
                        )
                    )
                    for key, value in (("device_id", str(device)), (SIGNING_SEED_KEY, seed.hex())):
                        conn.execute(
                            update(Setting.__table__)
                            .where(Setting.__table__.c.key == key)
                            .values(value=value)
                        )
        finally:
            store.close()
        members.append(Member(name, folder, device, seed, passphrase))
    for member in members:  # every device knows every other one's key
        store = member.open()
        try:
            with store.engine.begin() as conn:
                known = {row[0] for row in conn.execute(Device.__table__.select())}
                for other in members:
                    if other.device_id not in known:
                        conn.execute(
                            insert(Device.__table__).values(
                                id=other.device_id,
                                name=other.name,
                                created_at=utc_now(),
                                last_seq=0,
                                verify_key=verify_key_of(other.seed),
                            )
                        )
        finally:
            store.close()
    return members
