"""Reaching the hub: a PostgreSQL store of the same organisation (contracts §9).

Each refusal has its own words and exit code: the server unreachable or the login refused → 3
(the store cannot be opened); an empty database (not joined yet) or another organisation's →
1 (the data says no). The password travels only inside the connection (never in a message, a
log line, a repr or the process list); every address shown is `hub_address.masked`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from outreach_app.domain.errors import InvalidInput, NotInitialised, StoreError
from outreach_app.i18n import Text, _l
from outreach_app.services.hub_address import masked, without_password
from outreach_app.services.store import Store, open_store
from outreach_app.storage import engine as engines
from outreach_app.storage.schema import has_any_table

log = logging.getLogger(__name__)

#: What the hub's server shows for our connections (pg_stat_activity), so an administrator
#: (and the tests) can tell a sync from anything else.
APPLICATION_NAME = "outreach sync"
CONNECT_TIMEOUT_S = 10  # libpq's default is to wait forever for a host that does not answer


class HubUnreachable(StoreError):
    """The hub's server cannot be reached, or the connection broke during a sync (exit 3)."""


class HubLoginRefused(StoreError):
    """The server refused the login: no password, or a wrong one (exit 3). `had_password`
    tells a prompt whether asking for one could help."""

    def __init__(self, message: Text, *, hub: str, had_password: bool) -> None:
        super().__init__(message)
        self.hub = hub  # masked
        self.had_password = had_password


class HubNotJoined(InvalidInput):
    """The database is not (yet) a hub of any organisation (exit 1)."""


class HubOfAnotherOrganisation(InvalidInput):
    """The hub belongs to another organisation (exit 1)."""


@dataclass(frozen=True)
class HubAddress:
    """Where the hub is, and the password typed for it if any (never shown)."""

    url: URL = field(repr=False)
    password: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", without_password(self.url))

    @property
    def shown(self) -> str:
        return masked(self.url)

    def __repr__(self) -> str:
        return f"HubAddress({self.shown!r})"

    def connect_url(self) -> URL:
        query = dict(self.url.query)
        query.setdefault("application_name", APPLICATION_NAME)
        query.setdefault("connect_timeout", str(CONNECT_TIMEOUT_S))
        url = self.url.set(query=query)
        return url.set(password=self.password) if self.password else url


def _reason(exc: DBAPIError) -> str:
    """The server's own words, last line first ("FATAL:  database "x" does not exist"); psycopg
    never puts the password in them."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        if "FATAL:" in line:
            return line.split("FATAL:", 1)[1].strip()
    if not lines:
        return ""
    # 'connection failed: connection to server at "h", port 5432 failed: Connection refused'
    return lines[0].rsplit("failed:", 1)[-1].strip()


def _login_refused(reason: str) -> bool:
    lowered = reason.lower()
    return "password" in lowered and (
        "authentication failed" in lowered or "no password" in lowered
    )


def probe(address: HubAddress) -> None:
    """Connect once and look: raises the refusal that fits, else returns."""
    engine = engines.make_engine(address.connect_url())
    try:
        with engine.connect() as conn:
            joined = has_any_table(conn)
    except OperationalError as exc:
        reason = _reason(exc)
        log.warning("hub %s refused or unreachable: %s", address.shown, reason)
        if _login_refused(reason):
            raise HubLoginRefused(
                _l(
                    "The hub {hub} refused the password typed for it; nothing was synced.",
                    hub=address.shown,
                )
                if address.password is not None
                else _l(
                    "The hub {hub} refused the login: the password is wrong or missing. Set "
                    "PGPASSWORD, add it to ~/.pgpass, or run the command in a terminal to type it.",
                    hub=address.shown,
                ),
                hub=address.shown,
                had_password=address.password is not None,
            ) from None
        raise HubUnreachable(
            _l(
                "The hub {hub} cannot be reached ({reason}). Check the address, that the server "
                "is running and that this computer may connect to it; nothing was synced.",
                hub=address.shown,
                reason=reason,
            )
        ) from None
    except DBAPIError as exc:
        raise HubUnreachable(
            _l(
                "The hub address {hub} cannot be used ({reason}). Check the options after '?'.",
                hub=address.shown,
                reason=_reason(exc),
            )
        ) from None
    finally:
        engine.dispose()
    if not joined:
        raise not_joined(address)


def not_joined(address: HubAddress) -> HubNotJoined:
    return HubNotJoined(
        _l(
            "The database {hub} is not a hub of this organisation yet. On the server's side, join "
            "it first: make an invitation on a device (`outreach invite --out FILE`), then run "
            "`outreach --db-url URL init --join FILE`.",
            hub=address.shown,
        )
    )


def open_hub(address: HubAddress, local: Store) -> Store:
    """The hub as a store, checked to be of `local`'s organisation and not `local` itself."""
    probe(address)
    try:
        hub = open_store(local.folder.path, db_url=address.connect_url())
    except NotInitialised:
        raise not_joined(address) from None
    try:
        if hub.org_id != local.org_id:
            raise HubOfAnotherOrganisation(
                _l(
                    "The hub {hub} belongs to another organisation ({org}); this device belongs "
                    "to {own}. Nothing was synced; check the address.",
                    hub=address.shown,
                    org=hub.org_name,
                    own=local.org_name,
                )
            )
        if hub.device_id == local.device_id:
            raise InvalidInput(
                _l(
                    "{hub} is this device's own database, not a hub; nothing was synced.",
                    hub=address.shown,
                )
            )
    except BaseException:
        hub.close()
        raise
    return hub
