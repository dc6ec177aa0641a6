"""Report figures: the monthly tally for all sites against a hand-written raw SQL aggregation of
the same figures on the same file (ratio, target <= 1.5), and the whole PDF (target <= 2 s)."""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable

from benchmarks.context import Context, Figure
from outreach_app.domain.clock import Period
from outreach_app.reports.monthly_pdf import monthly_pdf
from outreach_app.services import tally
from outreach_app.services.store import open_store
from outreach_app.storage.types import to_millis

KEPT = "NOT EXISTS (SELECT 1 FROM encounter_voids v WHERE v.encounter_id = e.id)"
WHERE = f"e.occurred_at >= :lo AND e.occurred_at < :hi AND {KEPT}"
RAW_QUERIES = (
    f"""SELECT site_id, SUM(NOT is_tally), SUM(CASE WHEN NOT is_tally THEN people_served END),
        SUM(CASE WHEN NOT is_tally AND COALESCE(participant_code, '') = '' THEN 1 ELSE 0 END),
        SUM(CASE WHEN is_tally THEN contacts ELSE 0 END), SUM(syringes_returned),
        SUM(CASE WHEN NOT is_tally AND naloxone_training THEN 1 ELSE 0 END),
        SUM(reversals_reported)
        FROM encounters e WHERE {WHERE} GROUP BY site_id""",
    f"""SELECT site_id, COUNT(DISTINCT participant_code),
        COUNT(DISTINCT CASE WHEN is_new THEN participant_code END)
        FROM encounters e WHERE {WHERE} AND NOT is_tally AND participant_code <> ''
        GROUP BY site_id""",
    f"""SELECT COUNT(DISTINCT participant_code),
        COUNT(DISTINCT CASE WHEN is_new THEN participant_code END)
        FROM encounters e WHERE {WHERE} AND NOT is_tally AND participant_code <> ''""",
    f"""SELECT e.site_id, i.item_id, SUM(i.quantity) FROM encounter_items i
        JOIN encounters e ON e.id = i.encounter_id WHERE {WHERE} GROUP BY e.site_id, i.item_id""",
    f"""SELECT e.site_id, k.kit_id, SUM(k.quantity) FROM encounter_kits k
        JOIN encounters e ON e.id = k.encounter_id WHERE {WHERE} GROUP BY e.site_id, k.kit_id""",
    f"""SELECT e.site_id, r.referral_type_id, COUNT(*) FROM encounter_referrals r
        JOIN encounters e ON e.id = r.encounter_id WHERE {WHERE} AND NOT e.is_tally
        GROUP BY e.site_id, r.referral_type_id""",
    f"""SELECT site_id, age_band, COUNT(*) FROM encounters e WHERE {WHERE} AND NOT is_tally
        GROUP BY site_id, age_band""",
    f"""SELECT site_id, gender, COUNT(*) FROM encounters e WHERE {WHERE} AND NOT is_tally
        GROUP BY site_id, gender""",
    f"""SELECT site_id, naloxone_reason, COUNT(*) FROM encounters e WHERE {WHERE}
        AND NOT is_tally AND (naloxone_reason IS NOT NULL OR EXISTS (
            SELECT 1 FROM encounter_items i JOIN items it ON it.id = i.item_id
            WHERE i.encounter_id = e.id AND it.doses_per_unit > 0))
        GROUP BY site_id, naloxone_reason""",
    """SELECT site_id, COUNT(*) FROM encounters e WHERE e.occurred_at >= :lo
        AND e.occurred_at < :hi AND EXISTS (SELECT 1 FROM encounter_voids v
        WHERE v.encounter_id = e.id) GROUP BY site_id""",
)
# Times are milliseconds since the epoch (storage/types.py).
PER_DAY = f"""SELECT date(occurred_at / 1000, 'unixepoch', '-5 hours'),
    SUM(CASE WHEN is_tally THEN contacts ELSE 1 END)
    FROM encounters e WHERE {WHERE} GROUP BY 1"""


def _median(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _bounds(period: Period, zone: object) -> dict[str, int]:
    lo, hi = period.utc_bounds(zone)  # type: ignore[arg-type]
    return {"lo": to_millis(lo), "hi": to_millis(hi)}


def run(ctx: Context) -> list[Figure]:
    period = Period.month(2025, 6)  # a mid-year month: the previous one is full too
    store = open_store(ctx.data.plain)
    try:

        def figures() -> object:
            with store.unit_of_work() as uow:
                return tally.monthly_tally(uow, period, "all")

        def whole_pdf() -> bytes:
            return monthly_pdf(figures(), 5)  # type: ignore[arg-type]

        conn = sqlite3.connect(str(ctx.data.plain / "outreach.db"))
        try:

            def raw() -> None:
                for p in (period, period.previous()):
                    params = _bounds(p, store.zone)
                    for query in RAW_QUERIES:
                        conn.execute(query, params).fetchall()
                conn.execute(PER_DAY, _bounds(period, store.zone)).fetchall()

            figures()
            raw()  # warm both caches alike
            ours, theirs = _median(5, figures), _median(5, raw)
        finally:
            conn.close()
        pdf = _median(3, whole_pdf)
    finally:
        store.close()
    return [
        Figure("monthly tally figures, all sites", ours * 1e3, "ms"),
        Figure("raw SQL of the same figures", theirs * 1e3, "ms"),
        Figure("monthly tally figures / raw SQL", ours / theirs, "x", target=1.5),
        Figure("monthly tally PDF, all sites", pdf, "s", target=2.0),
    ]
