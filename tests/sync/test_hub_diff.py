"""What a hub sync sends, worked out from two stores' holdings (no server needed): only what
the other side lacks, nothing it holds back, each of a device's actions whole in one batch."""

from __future__ import annotations

import uuid
from collections import defaultdict

from outreach_app.sync.hub_diff import PENDING_SOURCE, Holdings, Wanted, batches, wanted

A = uuid.UUID(int=0xA)
B = uuid.UUID(int=0xB)


def _holdings(
    gives: dict[str, dict[uuid.UUID, set[int]]], held: dict[uuid.UUID, set[int]]
) -> Holdings:
    h = Holdings()
    h.gives = gives
    h.has = defaultdict(set)
    for seqs_by_device in gives.values():
        for device, seqs in seqs_by_device.items():
            h.has[device] |= seqs
    for device, seqs in held.items():
        h.has[device] |= seqs
    return h


def test_only_what_the_target_lacks_and_nothing_it_holds_back() -> None:
    source = _holdings(
        {
            "encounters": {A: {1, 4}, B: {1}},
            "stock_movements": {A: {2, 3, 5}},
            "audit_log": {A: {6}},
            "invitations": {B: {2}},
            PENDING_SOURCE: {B: {3}},
        },
        {},
    )
    # The target has A's first action, holds B:3 pending itself, and made B:1 a copy.
    target = _holdings({"encounters": {A: {1}}, "record_copies": {B: {1}}}, {B: {3}, A: {2, 3}})
    plan = wanted(source, target)
    assert plan.first == (("invitations", B, (2,)),)
    assert plan.series == ((A, ((4, "encounters"), (5, "stock_movements"), (6, "audit_log"))),)
    assert plan.total == 4
    assert not wanted(source, source)


def _plan(items: list[tuple[int, str]]) -> Wanted:
    return Wanted((), (), (), ((A, tuple(items)),))


def _sizes(plan: Wanted, size: int) -> list[list[int]]:
    return [sorted(seq for _w, _d, seqs in batch for seq in seqs) for batch in batches(plan, size)]


def test_batches_end_where_an_action_ends() -> None:
    # Five actions of an encounter, two draws and the audit entry.
    items = []
    for action in range(5):
        base = action * 4
        items += [(base + 1, "encounters"), (base + 2, "stock_movements")]
        items += [(base + 3, "stock_movements"), (base + 4, "audit_log")]
    cut = _sizes(_plan(items), 6)
    assert [len(b) for b in cut] == [8, 8, 4]
    assert all(b[-1] % 4 == 0 for b in cut)  # each ends with an audit entry


def test_a_big_action_is_cut_before_an_encounter_never_between_it_and_its_draws() -> None:
    items = [(1, "imports")]
    for row in range(30):  # one spreadsheet: each encounter followed by its two draws
        base = 2 + row * 3
        items += [(base, "encounters"), (base + 1, "stock_movements")]
        items += [(base + 2, "stock_movements")]
    items.append((92, "audit_log"))
    kinds = dict(items)
    cut = _sizes(_plan(items), 10)
    assert len(cut) > 1
    assert sum(len(b) for b in cut) == len(items)
    for later in cut[1:]:
        assert kinds[later[0]] == "encounters"
    assert all(len(b) <= 2 * 10 + 3 for b in cut)


def test_a_plan_of_shared_rows_alone_is_one_empty_batch() -> None:
    assert list(batches(Wanted((), ({"key": "org_name"},), (), ()), 10)) == [[]]
