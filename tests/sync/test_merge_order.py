"""Property (contracts §9): any order and any repetition of bundle imports converges to the same
state: the same records (each device's making of each one), the same reports, nothing held, and
`check` clean.

The bundles come from the interleaved work of three devices (`test_three_devices`), plus one
that can only wait at first: a void written by B after B had already passed A's records on, so
a device that gets it before A's bundle holds it pending until A's arrives.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from outreach_app.domain.clock import Period
from outreach_app.services.store import Store
from outreach_app.storage.facts import RECORD_TABLES, read_facts
from outreach_app.storage.models import RecordCopy
from outreach_app.storage.plain_rows import held_facts
from outreach_app.sync.bundles import held_list
from outreach_app.sync.records import records_since, shared_rows
from tests.sync.devices import Member, make_devices
from tests.sync.test_three_devices import _offline_work, _year_month
from tests.sync.work import export, merge_files, problems, reports, void


class Bundles:
    def __init__(self, files: list[Path], fresh: Member, reference: dict[str, Any]) -> None:
        self.files = files
        self.fresh = fresh  # a device that did nothing yet: copied for each example
        self.reference = reference


def _state(store: Store, month: Period) -> dict[str, Any]:
    """What must not depend on the order: records with their facts, who made each (copies
    included), the reports. This device's own merge entries are its own business."""
    with store.reading() as uow:
        conn = uow.session.connection()
        facts = {
            (rec.kind, rec.id, rec.hash)
            for kind in RECORD_TABLES
            for rec in read_facts(conn, kind)
            if rec.device_id != store.device_id
        }
        # A spreadsheet imported under two names: whichever arrived first is the file's
        # record, the other is held beside it; both, whatever the order.
        facts |= {
            (kind, record_id, value)
            for device, _seq, value, kind, record_id in held_facts(conn)
            if device != store.device_id
        }
        makings = {
            (r.kind, r.row.get("id"), r.device, r.seq)
            for r in [*records_since(conn, {}, everything=True), *shared_rows(conn)]
            if r.device != store.device_id and r.kind != "record_copies"
        }
        copies = uow.session.execute(
            select(RecordCopy.record_id, RecordCopy.device_id, RecordCopy.seq)
        ).all()
    makers = {(m[1], m[2], m[3]) for m in makings} | {(r.hex, d, s) for r, d, s in copies}
    return {"facts": facts, "makers": makers, **reports(store, month)}


@pytest.fixture(scope="module")
def bundles(
    template_folders: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bundles]:
    root = tmp_path_factory.mktemp("orders")
    members = make_devices(template_folders["sqlite"], root, ["A", "B", "C", "D", "E"])
    a, b, c, d = (m.open() for m in members[:4])
    try:
        _offline_work(a, b, c, root)
        with b.reading() as uow:  # an encounter of A's that B has and nobody voided yet
            conn = uow.session.connection()
            voided = {r.row["encounter_id"] for r in records_since(conn, {}, everything=True)
                      if r.kind == "encounter_voids"}  # fmt: skip
            late = next(
                r
                for r in records_since(conn, {}, everything=True)
                if r.kind == "encounters"
                and r.device == a.device_id
                and "import_id" not in r.row
                and r.row["id"] not in voided
            )
        void(b, uuid.UUID(hex=late.row["id"]), "late void")
        files = [root / f"{name}.bundle" for name in ("a1", "b1", "c1", "a2")]
        files.append(export(b, root / "b2.bundle"))
        month = Period.month(*_year_month(a))
        first = _fresh_copy(members[4], root / "reference")
        try:
            merge_files(first, *files)
            reference = _state(first, month)
        finally:
            first.close()
        reference["month"] = month
        yield Bundles(files, members[4], reference)
    finally:
        for store in (a, b, c, d):
            store.close()


def _fresh_copy(member: Member, where: Path) -> Store:
    shutil.copytree(member.folder, where)
    return Member(member.name, where, member.device_id, member.seed, None).open()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_order_and_repetition_converges(bundles: Bundles, data: st.DataObject) -> None:
    count = len(bundles.files)
    order = list(data.draw(st.permutations(range(count)), label="order"))
    for extra in data.draw(st.lists(st.integers(0, count - 1), max_size=4), label="repeats"):
        order.insert(data.draw(st.integers(0, len(order)), label="at"), extra)
    together = data.draw(st.lists(st.booleans(), min_size=len(order), max_size=len(order)))
    calls: list[list[Path]] = []
    for index, joined in zip(order, together, strict=True):
        if joined and calls:
            calls[-1].append(bundles.files[index])
        else:
            calls.append([bundles.files[index]])
    workdir = Path(tempfile.mkdtemp(prefix="order-"))
    store = _fresh_copy(bundles.fresh, workdir / "device")
    try:
        for files in calls:
            merge_files(store, *files)
        reference = dict(bundles.reference)
        month = reference.pop("month")
        state = _state(store, month)
        assert state.keys() == reference.keys()
        for key, value in reference.items():
            assert state[key] == value, key
        assert {h.reason for h in held_list(store)} <= {"renamed"}  # see test_three_devices
        assert problems(store) == []
    finally:
        store.close()
        shutil.rmtree(workdir, ignore_errors=True)
