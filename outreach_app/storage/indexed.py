"""Conditions worded so that an index the schema keeps answers them (revision 0007).

Revision 0007 dropped or narrowed indexes whose work another one can do, on the condition that
queries ask the way that index can answer; those ways are written once, here.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, literal_column

from outreach_app.storage.models import KEY_PREFIX, Encounter, StockMovement


def participant_key_prefix() -> ColumnElement[bytes]:
    """The indexed start of a participant key. Its arguments are written out, not bound: SQLite
    uses an index on an expression only when the query holds the same expression."""
    return func.substr(
        Encounter.participant_key, literal_column("1"), literal_column(str(KEY_PREFIX))
    )


def has_participant_key(*keys: bytes) -> ColumnElement[bool]:
    """Encounters whose participant key is one of `keys`, found through the prefix index (asked
    as `participant_key = ?`, the index is only scanned)."""
    return and_(
        participant_key_prefix().in_([key[:KEY_PREFIX] for key in keys]),
        Encounter.participant_key.in_(keys),
    )


def draws_of(encounter: Encounter) -> ColumnElement[bool]:
    """The movements an encounter drew, and their reversals. They are at its site and moment,
    where ix_movements_site_occurred finds them (there is no index on encounter_id); `check`
    counts a draw anywhere else as a line that disagrees with its stock."""
    return and_(
        StockMovement.site_id == encounter.site_id,
        StockMovement.occurred_at == encounter.occurred_at,
        StockMovement.encounter_id == encounter.id,
    )
