"""`sync`: push what the hub lacks, pull what this device lacks (contracts §9).

Each side's holdings are compared (`sync/hub_diff.py`), then the missing records go across in
batches, each batch one transaction on the receiving side through the same merge as a bundle
(so held and pending rules, revocations and "latest wins" apply on the hub too):

1. push: read a batch here (a read unit: the app keeps its write lock), merge it on the hub;
2. pull: read a batch on the hub, merge it here in one short write unit, so the app waits at
   most one batch for its own writes;
3. push again what step 2 wrote here (this device's audit entries of those merges), so two
   syncs in a row with nothing new move nothing.

Nothing is remembered between syncs but the hub's address (without its password). A batch cut
off (the connection killed, the person cancelling) is rolled back whole on its side; the next
sync compares again and sends what is still missing, never anything twice.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import URL, Connection, Table, select, update
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from outreach_app.domain.clock import utc_now
from outreach_app.i18n import _l
from outreach_app.services.hub_address import (
    masked,
    parse_hub_url,
    remember_hub,
    remembered_hub,
)
from outreach_app.services.store import Store
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Device
from outreach_app.sync import hub_diff
from outreach_app.sync.hub_connect import HubAddress, HubUnreachable, open_hub
from outreach_app.sync.merge import Incoming, MergeCounts, merge
from outreach_app.sync.merge_context import ADDED, PENDING, PRESENT, QUARANTINED
from outreach_app.sync.records import Record

log = logging.getLogger(__name__)
T = TypeVar("T")

BATCH = 2000  # records per transaction: seconds of work, a few MB in memory
PUSH, PULL = "pushing", "pulling"
Progress = Callable[[str, int, int], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class KindCounts:
    """One kind's line of the summary: added on the hub (pushed) and here (pulled); already
    present, quarantined and pending on either side."""

    kind: str
    pushed: int
    pulled: int
    present: int
    quarantined: int
    pending: int


@dataclass(frozen=True)
class SyncSummary:
    hub: str  # the address, masked
    pushed: MergeCounts = field(repr=False)
    pulled: MergeCounts = field(repr=False)
    batches: int
    complete: bool  # False: cancelled between two batches (those done are kept)
    revoked_here: bool  # the hub knows this device as revoked: it quarantines its records
    newly_revoked: tuple[str, ...]  # devices the hub learnt were revoked, by name

    @property
    def total_pushed(self) -> int:
        return self.pushed.total(ADDED)

    @property
    def total_pulled(self) -> int:
        return self.pulled.total(ADDED)

    def rows(self) -> list[KindCounts]:
        kinds = sorted(set(self.pushed.by_kind) | set(self.pulled.by_kind))
        rows = []
        empty: Counter[str] = Counter()
        for kind in kinds:
            out = self.pushed.by_kind.get(kind, empty)
            back = self.pulled.by_kind.get(kind, empty)
            row = KindCounts(
                kind,
                out[ADDED],
                back[ADDED],
                out[PRESENT] + back[PRESENT],
                out[QUARANTINED] + back[QUARANTINED],
                out[PENDING] + back[PENDING],
            )
            if any((row.pushed, row.pulled, row.present, row.quarantined, row.pending)):
                rows.append(row)
        return rows


def _add(total: MergeCounts, more: MergeCounts) -> None:
    for kind, outcomes in more.by_kind.items():
        for outcome, n in outcomes.items():
            if n:
                total.add(kind, outcome, n)


class _Run:
    """One sync between this device's store and the hub's."""

    def __init__(
        self,
        local: Store,
        hub: Store,
        address: HubAddress,
        progress: Progress | None,
        cancelled: IsCancelled | None,
        batch_size: int,
    ) -> None:
        self.local, self.hub, self.address = local, hub, address
        self.progress = progress or (lambda _stage, _done, _total: None)
        self.cancelled = cancelled or (lambda: False)
        self.batch_size = batch_size
        self.counts = {PUSH: MergeCounts(), PULL: MergeCounts()}
        self.batches = 0
        self.complete = True

    def via(self, store: Store, fn: Callable[[], T]) -> T:
        """`fn` against `store`; on the hub, a broken connection becomes a message (exit 3)."""
        if store is not self.hub:
            return fn()
        try:
            return fn()
        except DBAPIError as exc:
            # A refusal by the hub's data is not a lost connection: it goes up as it is.
            lost = exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)
            if not lost:
                raise
            log.warning("hub connection lost after %d batches: %s", self.batches, type(exc))
            raise HubUnreachable(
                _l(
                    "The connection to the hub {hub} was lost during the sync. The {n} batches "
                    "completed before are kept and the one under way was not written on either "
                    "side; run the sync again to finish it.",
                    hub=self.address.shown,
                    n=self.batches,
                )
            ) from None

    def _holdings(self, store: Store) -> hub_diff.Holdings:
        def read() -> hub_diff.Holdings:
            with store.reading() as uow:
                return hub_diff.holdings(uow.session.connection())

        return self.via(store, read)

    def phase(self, stage: str) -> int:
        """Send what the other side lacks; returns how many records were sent."""
        source, target = (self.local, self.hub) if stage == PUSH else (self.hub, self.local)
        have, lack = self._holdings(source), self._holdings(target)
        plan = hub_diff.wanted(have, lack)
        if not plan:
            return 0
        done, total = 0, plan.total
        sent: hub_diff.Seqs = defaultdict(set)
        self.progress(stage, done, total)
        try:
            for n, batch in enumerate(hub_diff.batches(plan, self.batch_size)):
                if self.cancelled():
                    self.complete = False
                    break
                records = self._read(source, batch)
                settings = list(plan.settings) if n == 0 else []
                if n == 0:  # shared rows and settings go with the first batch
                    records = [*plan.shared, *records]
                incoming = Incoming(devices=have.devices, settings=settings, records=records)
                _add(self.counts[stage], self._merge(target, incoming))
                for record in records:
                    sent[record.device].add(record.seq)
                self.batches += 1
                done += len(records) + len(settings)
                self.progress(stage, min(done, total), total)
        finally:
            self._count_pending(stage, target, sent)
        return done

    def _count_pending(self, stage: str, target: Store, sent: hub_diff.Seqs) -> None:
        if not sent:
            return

        def read() -> dict[str, int]:
            with target.reading() as uow:
                return hub_diff.pending_among(uow.session.connection(), sent)

        try:
            still = self.via(target, read)
        except HubUnreachable:
            return  # the sync is failing anyway: its own message says why
        for kind, outcomes in self.counts[stage].by_kind.items():
            outcomes[PENDING] = still.get(kind, 0)

    def _read(self, store: Store, batch: list[hub_diff.Slice]) -> list[Record]:
        def read() -> list[Record]:
            with store.reading() as uow:
                return hub_diff.read_batch(uow.session.connection(), batch)

        return self.via(store, read)

    def _merge(self, store: Store, incoming: Incoming) -> MergeCounts:
        return self.via(store, lambda: store.write(lambda uow: merge(uow, incoming, quiet=True)))

    # --- Around the batches -------------------------------------------------------------------

    def revoked(self) -> dict[uuid.UUID, str]:
        def read() -> dict[uuid.UUID, str]:
            with self.hub.reading() as uow:
                rows = uow.session.execute(
                    select(Device.id, Device.name).where(Device.revoked_at.is_not(None))
                )
                return {device: name for device, name in rows}

        return self.via(self.hub, read)

    def finish(self) -> None:
        """When this device synced, on both sides; and when the others last did, as the hub
        knows it (`devices` shows it)."""
        now = utc_now()

        def on_hub(uow: UnitOfWork) -> dict[uuid.UUID, datetime]:
            _stamp_sync(uow.session.connection(), {self.local.device_id: now})
            rows = uow.session.execute(
                select(Device.id, Device.last_sync_at).where(Device.last_sync_at.is_not(None))
            )
            return {device: when for device, when in rows if when is not None}

        seen = self.via(self.hub, lambda: self.hub.write(on_hub))
        seen[self.local.device_id] = now
        self.local.write(lambda uow: _stamp_sync(uow.session.connection(), seen))


def _stamp_sync(conn: Connection, when: dict[uuid.UUID, datetime]) -> None:
    """Each device's last sync moved forward to `when` (never back)."""
    table: Table = Device.__table__  # type: ignore[assignment]
    for device, moment in when.items():
        conn.execute(
            update(table)
            .where(table.c.id == device)
            .where((table.c.last_sync_at.is_(None)) | (table.c.last_sync_at < moment))
            .values(last_sync_at=moment)
        )


def sync_with_hub(
    store: Store,
    url: str | URL,
    password: str | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    *,
    batch_size: int = BATCH,
) -> SyncSummary:
    """Sync `store` with the hub at `url` (a password in it is used, never kept; `password`,
    else libpq's PGPASSWORD or ~/.pgpass). `progress(stage, done, total)` after each batch;
    `cancelled()` is asked before each one. Raises the refusals of `hub_connect` and
    `HubUnreachable` when the connection breaks mid-sync (completed batches are kept)."""
    parsed = parse_hub_url(url) if isinstance(url, str) else url
    address = HubAddress(parsed, password if password is not None else parsed.password)
    hub = open_hub(address, store)
    try:
        store.write(lambda uow: remember_hub(uow, address.url))
        run = _Run(store, hub, address, progress, cancelled, batch_size)
        revoked_before = run.revoked()
        run.phase(PUSH)
        if run.complete and run.phase(PULL) and run.complete:
            run.phase(PUSH)  # this device's entries of what it just took in
        if run.complete:
            run.finish()
        revoked_after = run.revoked()
    finally:
        hub.close()
    return SyncSummary(
        hub=address.shown,
        pushed=run.counts[PUSH],
        pulled=run.counts[PULL],
        batches=run.batches,
        complete=run.complete,
        revoked_here=store.device_id in revoked_after,
        newly_revoked=tuple(
            sorted(name for device, name in revoked_after.items() if device not in revoked_before)
        ),
    )


def remembered_hub_url(store: Store) -> str | None:
    """The address of the hub this device synced with last (never with a password)."""
    with store.reading() as uow:
        url = remembered_hub(uow)
    return url.render_as_string(hide_password=False) if url is not None else None


def remembered_hub_shown(store: Store) -> str | None:
    """The same, to show (`postgresql://user@host/db`): for the app's Sync page."""
    with store.reading() as uow:
        url = remembered_hub(uow)
    return masked(url) if url is not None else None
