"""Which tally tiles this device shows, in which order, under which keys (contracts §9: a
device-only setting, like the language in `preferences`; it never travels with a sync).

Kept as JSON in the `settings` table under a key that names the device: a van laptop may want
six big tiles with one key each, the drop-in desk every item. None means "never configured":
the counter then shows every active item under the default keys.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from outreach_app.domain.errors import InvalidInput
from outreach_app.i18n import _l
from outreach_app.services import audit
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Setting

TILES_KEY = "device_tally_tiles:"
# Digits first (the paper sheet's habit), then letters: 36 keys cover any catalog we have seen.
DEFAULT_KEYS = "1234567890abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class TileSetting:
    code: str  # an item code, or the counter's contact tile
    key: str  # one printable character, "" for a tile reached only by click or Tab


def default_tiles(codes: Sequence[str]) -> tuple[TileSetting, ...]:
    """Every code in order, each with the next free default key (none after the 36th)."""
    keys = iter(DEFAULT_KEYS)
    return tuple(TileSetting(code, next(keys, "")) for code in codes)


def _key(uow: UnitOfWork) -> str:
    return f"{TILES_KEY}{uow.device_id}"


def tally_tiles(uow: UnitOfWork) -> tuple[TileSetting, ...] | None:
    """This device's tiles, or None if never configured (or unreadable: the default again)."""
    setting = uow.session.get(Setting, _key(uow))
    if setting is None:
        return None
    try:
        rows = json.loads(setting.value)
        return tuple(TileSetting(str(r["code"]), str(r["key"])) for r in rows)
    except (ValueError, TypeError, KeyError):
        return None  # a hand-edited or future value: falling back beats refusing to open


def check_tiles(tiles: Sequence[TileSetting]) -> None:
    """Refuse a layout a person could not use: a key on two tiles, or a key of several keys."""
    seen: dict[str, str] = {}
    for tile in tiles:
        key = tile.key.lower()
        if len(tile.key) > 1 or (tile.key and not tile.key.isprintable()) or tile.key == " ":
            raise InvalidInput(_l("A tile's key is one letter or digit: {key!r}.", key=tile.key))
        if key and key in seen:
            raise InvalidInput(
                _l(
                    "The key {key} is on two tiles: {first} and {second}.",
                    key=tile.key,
                    first=seen[key],
                    second=tile.code,
                )
            )
        if key:
            seen[key] = tile.code
    codes = [t.code for t in tiles]
    if len(set(codes)) != len(codes):
        raise InvalidInput(_l("An item shows only once on the tally counter."))


def set_tally_tiles(
    uow: UnitOfWork, tiles: Sequence[TileSetting] | None
) -> tuple[TileSetting, ...] | None:
    """Keep this device's tiles (None: back to every item under the default keys)."""
    setting = uow.session.get(Setting, _key(uow))
    if tiles is None:
        if setting is not None:
            uow.session.delete(setting)
    else:
        check_tiles(tiles)
        value = json.dumps([{"code": t.code, "key": t.key} for t in tiles])
        if setting is None:
            uow.session.add(Setting(key=_key(uow), value=value))
        else:
            setting.value = value
    uow.session.flush()
    audit.record(uow, "tally tiles", "default" if tiles is None else f"{len(tiles)} tiles")
    return None if tiles is None else tuple(tiles)
