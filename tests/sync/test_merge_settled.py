"""Records settled by their save (sync/merge_settled.py): a bundle merged again is found
already present by its audit entries' records hashes, and anything that does not fit goes
through the whole merge: a changed record is still quarantined, a missing one still added.
The very same file again is known by its digest (sync/bundle_again.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from outreach_app.services.store import Store
from outreach_app.sync import bundle_again, envelope
from outreach_app.sync.bundles import held_list, parse_payload
from outreach_app.sync.merge import Incoming, merge
from outreach_app.sync.merge_context import Context, Known
from outreach_app.sync.merge_settled import settled
from outreach_app.sync.records import Record
from tests.sync.devices import make_devices
from tests.sync.work import export, log, merge_files, now_minus, problems, receive


@pytest.fixture
def pair(template_folders: dict[str, Path], tmp_path: Path) -> Iterator[list[Store]]:
    members = make_devices(template_folders["sqlite"], tmp_path, ["A", "B"])
    stores = [m.open() for m in members]
    yield stores
    for store in stores:
        store.close()


def _records(store: Store, path: Path) -> list[Record]:
    """The records of a bundle file, as the merge gets them."""
    with store.reading() as uow:
        key = envelope.org_key(uow.organisation_secret())
        org = uow.organisation_id()
    opened = envelope.open_sealed(path.read_bytes(), org_id=org, org_key=key)
    return parse_payload(opened.payload)[1].records


def _work(a: Store, b: Store, tmp: Path) -> tuple[Path, list[str]]:
    """B holds everything of A's; then A receives once and logs three encounters (four saves:
    a movement, then each encounter with its draw, each save with its audit entry). The next
    bundle also carries the entry of A's first export (an action that wrote no record)."""
    merge_files(b, export(a, tmp / "a1.bundle"))
    receive(a, "SYRINGE", 30)
    ids = [
        log(a, now_minus(a, hours=3 - n), {"SYRINGE": 2}, note="synthetic").hex for n in range(3)
    ]
    return export(a, tmp / "a2.bundle"), ids


def _settled(store: Store, records: list[Record]) -> Counter[str]:
    with store.unit_of_work() as uow:
        conn = uow.session.connection()
        ctx = Context(conn=conn, now=uow.now(), this_device=uow.device_id, known=Known(conn))
        done = settled(ctx, records)
    return Counter(r.kind for r in records if id(r) in done)


def test_the_same_bundle_again_is_settled_by_its_saves(pair: list[Store], tmp_path: Path) -> None:
    a, b = pair
    bundle, _ids = _work(a, b, tmp_path)
    records = _records(b, bundle)
    assert _settled(b, records) == {}  # nothing of the four saves is here yet
    first = merge_files(b, bundle)
    assert first.by_kind["encounters"]["added"] == 3
    assert _settled(b, _records(b, bundle)) == {
        "stock_movements": 4,
        "encounters": 3,
        "audit_log": 5,
    }
    again = merge_files(b, bundle)
    assert (again.by_kind["encounters"]["already present"], again.total("added")) == (3, 0)
    assert again.by_kind["stock_movements"]["already present"] == 4
    assert held_list(b) == [] and problems(b) == []


def test_a_replayed_save_with_one_record_changed_quarantines_that_record(
    pair: list[Store], tmp_path: Path
) -> None:
    a, b = pair
    bundle, ids = _work(a, b, tmp_path)
    merge_files(b, bundle)
    records = _records(b, bundle)
    (changed,) = [r for r in records if r.kind == "encounters" and r.row["id"] == ids[1]]
    changed.row["people_served"] = 9
    # The changed encounter's save no longer fits its entry: its draw and entry are read and
    # compared one by one; the other three saves are settled.
    assert _settled(b, records) == {"stock_movements": 3, "encounters": 2, "audit_log": 4}
    with b.unit_of_work() as uow:
        counts = merge(uow, Incoming(records=records))
    assert counts.by_kind["encounters"]["quarantined"] == 1
    assert counts.by_kind["encounters"]["already present"] == 2
    assert counts.by_kind["stock_movements"]["already present"] == 4
    assert counts.total("added") == 0
    (held,) = held_list(b)
    assert (held.kind, held.record_id.hex, held.state) == ("encounters", ids[1], "quarantined")
    assert any("quarantined" in p for p in problems(b))


def test_a_save_whose_entry_is_here_without_its_records_is_merged_whole(
    pair: list[Store], tmp_path: Path
) -> None:
    """A store can hold an entry without a record it covers (a relay that held it back):
    the entry's hash matching is not enough, each record must be here."""
    a, b = pair
    bundle, ids = _work(a, b, tmp_path)
    records = _records(b, bundle)
    missing = [
        r for r in records if r.row.get("id") == ids[2] or r.row.get("encounter_id") == ids[2]
    ]
    assert Counter(r.kind for r in missing) == {"encounters": 1, "stock_movements": 1}
    with b.unit_of_work() as uow:
        merge(uow, Incoming(records=[r for r in records if r not in missing]))
    # The third encounter's save: its entry is here, its records are not.
    assert _settled(b, _records(b, bundle)) == {
        "stock_movements": 3,
        "encounters": 2,
        "audit_log": 4,
    }
    again = merge_files(b, bundle)
    assert again.by_kind["encounters"]["added"] == 1
    assert again.by_kind["stock_movements"]["added"] == 1
    assert held_list(b) == [] and problems(b) == []


def test_the_same_file_again_is_known_by_its_digest(
    pair: list[Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    bundle, _ids = _work(a, b, tmp_path)
    first = merge_files(b, bundle)
    counted: list[int] = []
    split = bundle_again.split_known

    def spy(uow: Any, records: list[Record]) -> Any:
        settled_counts, again = split(uow, records)
        counted.append(sum(sum(c.values()) for c in settled_counts.by_kind.values()))
        return settled_counts, again

    monkeypatch.setattr(bundle_again, "split_known", spy)
    again = merge_files(b, bundle)
    # 3 encounters, 4 movements, 5 entries and the invitation that made B (invitations always
    # travel): none read or hashed.
    assert counted == [13]
    assert again.by_kind["encounters"]["already present"] == 3
    assert again.by_kind["stock_movements"]["already present"] == 4
    assert again.by_kind["audit_log"]["already present"] == 5
    assert (first.total("added"), again.total("added")) == (12, 0)
    # Another file with the same records (written again) has another digest: merged whole,
    # its saves settled by their entries.
    rewritten = export(a, tmp_path / "all.bundle", everything=True)
    merge_files(b, rewritten)
    assert counted == [13]
    assert held_list(b) == [] and problems(b) == []
