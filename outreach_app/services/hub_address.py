"""The hub's address as this device remembers it: never with its password (contracts §9).

A PostgreSQL address may carry a password (`postgresql://user:secret@host/db`, or
`?password=secret`). The device keeps the address without it, as a setting of its own that never
travels (named after the device, like its language: a PostgreSQL store is shared by several
devices); the password comes each time from `PGPASSWORD`, `~/.pgpass` (libpq reads both itself)
or whoever is at the keyboard. Messages and logs show `masked(...)`: no password, whatever the
address held.
"""

from __future__ import annotations

from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import _l
from outreach_app.services import audit
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Setting

HUB_URL_KEY = "hub_url:"  # + this device's id
_SCHEMES = {"postgresql", "postgres"}
_PASSWORD_OPTIONS = ("password", "passfile")  # libpq options that carry or point at a password


def parse_hub_url(text: str) -> URL:
    """`text` as a PostgreSQL address for psycopg (the driver installed with the app), or
    InvalidInput (exit 1) saying what a hub address looks like. Never echoes `text`: it may
    hold a password."""
    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):
        url = None
    backend = url.get_backend_name() if url is not None else ""
    if url is None or backend not in _SCHEMES or not url.database:
        raise InvalidInput(
            _l(
                "A hub address looks like postgresql://USER@HOST/DATABASE (the password is not "
                "part of it: PGPASSWORD, ~/.pgpass, or the prompt)."
            )
        )
    if backend == "postgres":
        url = url.set(drivername="postgresql")
    return url.set(drivername="postgresql+psycopg")


def has_password(text: str) -> bool:
    """Whether the address as typed carries a password (in its user part or its options)."""
    url = parse_hub_url(text)
    return url.password is not None or any(k in url.query for k in _PASSWORD_OPTIONS)


def without_password(url: URL) -> URL:
    query = {k: v for k, v in url.query.items() if k not in _PASSWORD_OPTIONS}
    return url.set(password=None, query=query)


def masked(url: URL) -> str:
    """The address to show or log: without any password, as `postgresql://user@host/db`."""
    shown = without_password(url).set(drivername="postgresql")
    return shown.render_as_string(hide_password=True)


def _key(uow: UnitOfWork) -> str:
    return f"{HUB_URL_KEY}{uow.device_id}"


def remembered_hub(uow: UnitOfWork) -> URL | None:
    """The hub address this device synced with last, without a password (None: never)."""
    setting = uow.session.get(Setting, _key(uow))
    if setting is None:
        return None
    try:
        return parse_hub_url(setting.value)
    except InvalidInput:
        return None  # a value this version cannot read: as if none were kept


def remember_hub(uow: UnitOfWork, url: URL) -> bool:
    """Keep `url` (its password stripped) as this device's hub; True when it changed."""
    value = without_password(url).render_as_string(hide_password=False)
    key = _key(uow)
    setting = uow.session.get(Setting, key)
    if setting is not None and setting.value == value:
        return False
    if setting is None:
        uow.session.add(Setting(key=key, value=value))
    else:
        setting.value = value
    uow.session.flush()
    audit.record(uow, "hub address", masked(url))
    return True
