"""Monthly tally figures and reconciliation on every backend, against hand-worked figures."""

from __future__ import annotations

from outreach_app.domain.figures import display_rows
from outreach_app.services import reconciliation, tally
from outreach_app.services.store import Store
from tests import report_data as data
from tests.report_expected import DROP_IN_RAW, INVENTORY_DROP_IN, INVENTORY_VAN_SYRINGE


def test_figures_and_traces_on_every_backend(store: Store) -> None:
    ids = data.build(store)
    with store.unit_of_work() as uow:
        figures = tally.monthly_tally(uow, data.NOVEMBER, "Drop-in")
        everywhere = tally.monthly_tally(uow, data.NOVEMBER, "all")
        report = reconciliation.reconcile(uow, data.NOVEMBER, "all")
        traced = {
            "encounters": tally.trace_figure(
                uow, data.NOVEMBER, "summary", "encounters", "Drop-in"
            ),
            "voided": tally.trace_figure(uow, data.NOVEMBER, "summary", "voided_encounters"),
            "tally": tally.trace_figure(uow, data.NOVEMBER, "summary", "tally_contacts", "Van"),
            "kit": tally.trace_figure(uow, data.NOVEMBER, "kits", "KIT-INJECT"),
            "age": tally.trace_figure(uow, data.NOVEMBER, "demographics", "age:20-29"),
            "housing_before": tally.trace_figure(
                uow, data.NOVEMBER, "referrals", "HOUSING", "Drop-in", previous=True
            ),
            "received_filter": reconciliation.trace_movements(
                uow, data.NOVEMBER, "Drop-in", "FILTER", "received"
            ),
        }
    shown = {
        (r.section, r.code): (r.value, r.previous) for r in display_rows(figures, threshold=None)
    }
    assert {k: v for k, v in shown.items() if v != ("0", "0")} == DROP_IN_RAW
    assert figures.sites == ("Drop-in",)
    assert figures.previous_start.isoformat() == "2026-10-01"
    per_day = {d.day.day: d.contacts for d in figures.per_day if d.contacts}
    assert per_day == {2: 1, 3: 1, 5: 1, 6: 1, 9: 1, 10: 1, 14: 12, 20: 6}
    assert everywhere.row("summary", "unique_participants").value == 5  # type: ignore[union-attr]
    assert everywhere.row("summary", "encounters", "Van").value == 3  # type: ignore[union-attr]

    assert set(traced["encounters"]) == {ids[k] for k in ("D1", "D2", "D3", "D4", "D5", "D6")}
    assert traced["voided"] == (ids["D7"],)
    assert traced["tally"] == (ids["T3"],)
    assert set(traced["kit"]) == {ids["D1"], ids["T1"]}
    assert set(traced["age"]) == {ids["D2"], ids["V1"], ids["V2"]}
    assert len(traced["housing_before"]) == 1
    assert len(traced["received_filter"]) == 2  # the receipt and its reversal

    rows = [",".join(str(c) for c in r.csv_cells()) for r in report.rows]
    assert [r for r in rows if r.startswith("Drop-in,")] == INVENTORY_DROP_IN
    assert INVENTORY_VAN_SYRINGE in rows
    assert [(e.site, e.lot, e.on_hand) for e in report.expiring] == [("Drop-in", "NN-1", 16)]
    low = {(r.site, r.item_code): r.on_hand for r in report.under_reorder}
    assert low[("Drop-in", "SYRINGE")] == 245 and low[("Van", "SYRINGE")] == 60
