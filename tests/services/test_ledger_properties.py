"""Property: any sequence of stock actions keeps on hand equal to a simple running model.

The model is a dictionary updated by hand-written rules in this test; the product derives on
hand from the movement ledger. They must agree after every step, stock never goes below zero
without the override, and `check` finds nothing wrong at the end.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from outreach_app.domain.errors import ShortfallError
from outreach_app.domain.values import EncounterDraft, StocktakeLineDraft
from outreach_app.services import catalog, checks, encounters, inventory, stocktake
from outreach_app.services.store import open_store

SITES = ("Drop-in", "Van ZZ")
ITEMS = ("SYRINGE", "CONDOM")

action = st.one_of(
    st.tuples(
        st.just("receive"), st.sampled_from(SITES), st.sampled_from(ITEMS), st.integers(1, 30)
    ),
    st.tuples(st.just("give"), st.sampled_from(SITES), st.sampled_from(ITEMS), st.integers(1, 30)),
    st.tuples(st.just("give!"), st.sampled_from(SITES), st.sampled_from(ITEMS), st.integers(1, 30)),
    st.tuples(st.just("move"), st.sampled_from(SITES), st.sampled_from(ITEMS), st.integers(1, 30)),
    st.tuples(
        st.just("adjust"), st.sampled_from(SITES), st.sampled_from(ITEMS), st.integers(-10, 10)
    ),
    st.tuples(st.just("count"), st.sampled_from(SITES), st.sampled_from(ITEMS), st.integers(0, 40)),
    st.tuples(st.just("void"), st.sampled_from(SITES), st.sampled_from(ITEMS), st.integers(0, 5)),
)


@given(st.lists(action, min_size=1, max_size=15))
# Found by hypothesis: a hand-out, a count of the shelf after it, then the hand-out voided.
@example(
    [
        ("give!", SITES[0], ITEMS[0], 1),
        ("count", SITES[0], ITEMS[0], 0),
        ("void", SITES[0], ITEMS[0], 0),
    ]
)
def test_on_hand_follows_the_ledger(template_folders: dict[str, Path], actions: list) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="prop-"))
    try:
        shutil.copytree(template_folders["sqlite"], workdir / "data")
        store = open_store(workdir / "data")
        try:
            _run(store, actions)
        finally:
            store.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(store, actions) -> None:  # type: ignore[no-untyped-def]
    model = {(s, i): 0 for s in SITES for i in ITEMS}
    # A count is the fact "N at its moment" (contracts §1): voiding a hand-out made before the
    # last count of that shelf changes the count's variance, not what is on hand after it.
    last_count: dict[tuple[str, str], int] = {}
    given_ids: list[tuple[object, str, str, int, int]] = []
    with store.unit_of_work() as uow:
        catalog.add_site(uow, "Van ZZ", "van")
        moment = uow.now() - timedelta(days=1)
    for step, (kind, site, item, qty) in enumerate(actions):
        moment += timedelta(minutes=1)
        time.sleep(0.002)  # each action at its own millisecond, so their order is their time
        other = SITES[1] if site == SITES[0] else SITES[0]
        try:
            with store.unit_of_work() as uow:
                if kind == "receive":
                    inventory.receive(uow, site, item, qty)
                    model[(site, item)] += qty
                elif kind in ("give", "give!"):
                    saved = encounters.log_encounter(
                        uow,
                        EncounterDraft(site=site, occurred_at=uow.now(), items={item: qty}),
                        override=kind == "give!",
                    )
                    model[(site, item)] -= qty
                    given_ids.append((saved.id, site, item, qty, step))
                elif kind == "move":
                    inventory.transfer(uow, site, other, item, qty)
                    model[(site, item)] -= qty
                    model[(other, item)] += qty
                elif kind == "adjust" and qty != 0:
                    inventory.adjust(uow, site, item, qty, "RECOUNT")
                    model[(site, item)] += qty
                elif kind == "count":
                    stocktake.commit_stocktake(
                        uow, site, uow.now(), [StocktakeLineDraft(item, None, qty, "RECOUNT")]
                    )
                    model[(site, item)] = qty
                    last_count[(site, item)] = step
                elif kind == "void" and qty < len(given_ids):
                    enc_id, g_site, g_item, g_qty, g_step = given_ids.pop(qty)
                    encounters.void_encounter(uow, enc_id, "property test")  # type: ignore[arg-type]
                    if g_step > last_count.get((g_site, g_item), -1):
                        model[(g_site, g_item)] += g_qty
        except ShortfallError:
            # Refused: only ever because stock would go below zero without the override.
            assert kind in ("give", "move", "adjust")
            change = -qty if kind != "adjust" else qty
            assert model[(site, item)] + change < 0
        with store.unit_of_work() as uow:
            derived = {
                (r.site, r.item_code): r.on_hand
                for r in inventory.on_hand(uow)
                if r.item_code in ITEMS
            }
        assert derived == model
        if not any(a[0] == "give!" for a in actions):
            assert all(v >= 0 for v in derived.values())
    report = checks.run_checks(store)
    assert report.problems == []
