"""Ids that merge (contracts §4 and §9).

Rows that two devices of one organisation can create independently — a catalog code, a site, a
lot, a person — get an id derived from the organisation and what identifies them, so both devices
make the same row. Records that can honestly be made twice (a row of the same spreadsheet, a void
of the same encounter, the reversal of the same movement) get an id derived from what they are
about. Everything else gets a random id.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from outreach_app.domain.codes import normalize_code


def random_id() -> uuid.UUID:
    return uuid.uuid4()


def item_id(org_id: uuid.UUID, code: str) -> uuid.UUID:
    return uuid.uuid5(org_id, f"item:{normalize_code(code)}")


def kit_id(org_id: uuid.UUID, code: str) -> uuid.UUID:
    return uuid.uuid5(org_id, f"kit:{normalize_code(code)}")


def referral_type_id(org_id: uuid.UUID, code: str) -> uuid.UUID:
    return uuid.uuid5(org_id, f"referral:{normalize_code(code)}")


def site_id(org_id: uuid.UUID, name: str) -> uuid.UUID:
    """From the name the site is created with; a later rename keeps the row."""
    return uuid.uuid5(org_id, f"site:{' '.join(name.split()).casefold()}")


def staff_id(org_id: uuid.UUID, name: str) -> uuid.UUID:
    return uuid.uuid5(org_id, f"staff:{' '.join(name.split()).casefold()}")


def lot_id(item: uuid.UUID, lot_number: str) -> uuid.UUID:
    return uuid.uuid5(item, f"lot:{lot_number.strip()}")


def void_id(encounter_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(encounter_id, "void")


def reversal_id(movement_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(movement_id, "reversal")


def import_id(org_secret: bytes, rows_digest: bytes) -> uuid.UUID:
    """A file's identity: its normalised rows' digest, keyed because rows hold codes."""
    return uuid.UUID(
        bytes=hmac.new(org_secret, b"import:" + rows_digest, hashlib.sha256).digest()[:16]
    )


def import_row_id(import_: uuid.UUID, position: int) -> uuid.UUID:
    """The `position`-th non-blank row of an import (1-based)."""
    return uuid.uuid5(import_, f"row:{position}")


def derived_part_id(parent: uuid.UUID, part: str) -> uuid.UUID:
    """A record that belongs to a derived one (a stock draw of an imported row)."""
    return uuid.uuid5(parent, part)
