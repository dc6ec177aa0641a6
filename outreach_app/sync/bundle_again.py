"""A bundle file this device merged before, imported again: counted, not merged record by record.

The audit entry of each merge of bundle files names the files it merged: the first 128 bits of
the SHA-256 of each file's signed payload (about 40 bytes an import, never per record). Records
are append-only, never deleted, and a record held back stays held until it is applied, so
every record of a file merged here once is now either here or held: a file found in this
device's own merge entries brings nothing new. Its records are counted from what is held
(quarantined ones as quarantined, the rest already present) without reading or hashing them;
those still pending go through the merge again with the organisation's rows, as every merge
retries them. A restored older backup loses the entry with the records, so the file then
merges whole; a file written again (even with the same records) has another digest and goes
through the merge, where its saves already here are settled by their audit entries
(`merge_settled.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import Table, select

from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import AuditEntry
from outreach_app.sync.held import HELD, PENDING
from outreach_app.sync.merge_context import PRESENT, QUARANTINED, MergeCounts
from outreach_app.sync.records import SHARED_KINDS, Record

AUDIT: Table = AuditEntry.__table__  # type: ignore[assignment]
DIGEST_CHARS = 32
_MARK = "files "


def digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:DIGEST_CHARS]


def files_note(digests: Sequence[str]) -> str:
    """What the merge's audit entry says of the files it merged."""
    return f"; {_MARK}{' '.join(digests)}" if digests else ""


def merged_before(uow: UnitOfWork, digests: Sequence[str]) -> bool:
    """Whether every one of these files was merged by this device before."""
    if not digests:
        return False
    query = select(AUDIT.c.summary).where(
        AUDIT.c.device_id == uow.device_id,
        AUDIT.c.action == "merge",
        AUDIT.c.summary.contains(_MARK),
    )
    seen: set[str] = set()
    for (summary,) in uow.session.execute(query):
        seen.update(summary.rpartition(_MARK)[2].split())
    return all(d in seen for d in digests)


def split_known(uow: UnitOfWork, records: Sequence[Record]) -> tuple[MergeCounts, list[Record]]:
    """(the counts of the records settled by what is held here, those to merge again: shared
    rows, always merged whole, and the records still pending here)."""
    held: dict[tuple[str, str, str, int], tuple[str, str]] = {
        (kind, record_id.hex, device.hex, seq): (state, reason)
        for kind, record_id, device, seq, state, reason in uow.session.execute(
            select(
                HELD.c.kind, HELD.c.record_id, HELD.c.from_device, HELD.c.seq, HELD.c.state,
                HELD.c.reason,
            )
        )
    }  # fmt: skip
    held_kinds = {key[0] for key in held}
    counts, again = MergeCounts(), []
    for record in records:
        if record.kind in SHARED_KINDS:
            again.append(record)
            continue
        found = None
        if record.kind in held_kinds:
            key = (record.kind, record.record_id.hex, record.row["device_id"], record.row["seq"])
            found = held.get(key)
        if found is None or found[1] == "renamed":  # renamed: a note, its rows are here
            counts.add(record.kind, PRESENT)
        elif found[0] == PENDING:
            again.append(record)
        else:
            counts.add(record.kind, QUARANTINED)
    return counts, again
