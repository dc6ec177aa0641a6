"""Opening the store a command works on, and closing it whatever happens.

The services (and so SQLAlchemy) are imported when a store is opened, not when the parser is
built: `outreach` with no command shows the app's first window before importing them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from outreach_app.cli.passphrase import existing_passphrase
from outreach_app.cli.pins import acting_pin
from outreach_app.i18n import choose_language, set_language
from outreach_app.user_choices import chosen_language

if TYPE_CHECKING:
    from outreach_app.services.store import Store
    from outreach_app.services.uow import UnitOfWork

T = TypeVar("T")


def open_from_args(args: argparse.Namespace) -> Store:
    from outreach_app.services.store import folder_is_encrypted, open_store

    if args.db_url:
        store = open_store(args.data_dir, db_url=args.db_url)
    else:
        passphrase = existing_passphrase() if folder_is_encrypted(args.data_dir) else None
        store = open_store(args.data_dir, passphrase=passphrase)
    try:
        if getattr(args, "lang", None) is None and chosen_language() is None:
            _follow_device_language(store)  # before --staff, so its PIN prompt is in it too
        name = getattr(args, "staff", None)
        if name:
            pin = acting_pin(name) if store.needs_pin(name) else None
            store.act_as(name, pin)
    except BaseException:
        store.close()
        raise
    return store


def _follow_device_language(store: Store) -> None:
    """Without --lang nor a language chosen in the app by this person (user_choices), the
    device's setting in the store (contracts §3)."""
    from outreach_app.services.preferences import device_language

    with store.reading() as uow:
        chosen = device_language(uow)
    if chosen is not None:
        set_language(choose_language(setting=chosen))


@contextmanager
def opened_store(args: argparse.Namespace) -> Iterator[Store]:
    store = open_from_args(args)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def unit_of_work(args: argparse.Namespace) -> Iterator[UnitOfWork]:
    """The one (write) unit of work of a command that does one thing."""
    with opened_store(args) as store, store.unit_of_work() as uow:
        yield uow


@contextmanager
def reading(args: argparse.Namespace) -> Iterator[UnitOfWork]:
    """The one read unit of a command that only reads: it never waits for a writer."""
    with opened_store(args) as store, store.reading() as uow:
        yield uow


def write(args: argparse.Namespace, fn: Callable[[UnitOfWork], T]) -> T:
    """`fn` in one write unit, run again from the start if another writer kept the data busy."""
    with opened_store(args) as store:
        return store.write(fn)
