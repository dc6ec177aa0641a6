"""Storage figures: database size, logging one encounter, on-hand against a raw GROUP BY."""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.context import Context, Figure
from outreach_app.domain.values import EncounterDraft
from outreach_app.services import encounters, inventory
from outreach_app.services.store import open_store

RAW_ON_HAND = (
    "SELECT site_id, item_id, lot_id, SUM(quantity) FROM stock_movements "
    "GROUP BY site_id, item_id, lot_id"
)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _log_times(folder: Path, passphrase: str | None, runs: int) -> list[float]:
    store = open_store(folder, passphrase=passphrase)
    times = []
    try:
        for n in range(runs):
            draft = EncounterDraft(
                site="Drop-in Centre",
                occurred_at=datetime.now(UTC),
                kits={"KIT-INJECT": 1},
                items={"NALOXONE-NASAL": 1} if n % 5 == 0 else {},
                naloxone_reason="FIRST" if n % 5 == 0 else None,
                participant_code=f"P-{n % 400 + 1:04d}",
                syringes_returned=5,
            )
            started = time.perf_counter()
            with store.unit_of_work() as uow:
                encounters.log_encounter(uow, draft)
            times.append(time.perf_counter() - started)
    finally:
        store.close()
    return times


def _best_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(ctx: Context) -> list[Figure]:
    figures = [
        Figure("database size (plain)", ctx.data.plain.joinpath("outreach.db").stat().st_size
               / 1e6, "MB"),
        Figure("database size (encrypted)",
               ctx.data.encrypted.joinpath("outreach.db").stat().st_size / 1e6, "MB"),
        # Target of the ledger v2 issue: about 1,200 bytes per encounter, everything included.
        Figure("bytes per encounter (plain file / encounters)",
               ctx.data.plain.joinpath("outreach.db").stat().st_size
               / max(ctx.data.summary.encounters, 1), "bytes", target=1200.0),
    ]  # fmt: skip
    runs = max(20, min(50, round(200 * ctx.scale)))
    for label, folder, key in (
        ("plain", ctx.data.plain, None),
        ("encrypted", ctx.data.encrypted, ctx.passphrase),
    ):
        times = _log_times(folder, key, runs)
        figures.append(
            Figure(f"log one encounter, median ({label})", statistics.median(times) * 1e3, "ms",
                   target=20.0)
        )  # fmt: skip
        figures.append(Figure(f"log one encounter, p95 ({label})", _percentile(times, 0.95) * 1e3,
                              "ms"))  # fmt: skip

    store = open_store(ctx.data.plain)
    try:

        def service() -> None:
            with store.unit_of_work() as uow:
                inventory.on_hand(uow)

        service()  # warm the page cache for both sides alike
        on_hand = _best_of(7, service)
    finally:
        store.close()
    conn = sqlite3.connect(ctx.data.plain / "outreach.db")
    try:
        conn.execute(RAW_ON_HAND).fetchall()
        raw = _best_of(7, lambda: conn.execute(RAW_ON_HAND).fetchall())
    finally:
        conn.close()
    figures += [
        Figure("on hand, all sites and items (service)", on_hand * 1e3, "ms"),
        Figure("on hand, raw SQL GROUP BY", raw * 1e3, "ms"),
        Figure("on hand ratio service / raw SQL", on_hand / raw, "x", target=1.5),
    ]
    return figures
