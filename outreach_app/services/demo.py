"""A realistic synthetic month (for training and screenshots), from the model the benchmark uses.

One generator, two writers: `fill_month` writes through the services the app calls (every rule
applies, `outreach check` stays clean); `demo_bulk.bulk_fill` writes the same kind of encounters
with SQLAlchemy Core for a year of benchmark data. Participant codes are synthetic (a pool of
printed-style codes numbered from 1), never names; notes are stock phrases with nothing
identifying in them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from outreach_app.domain.clock import Period
from outreach_app.domain.errors import InvalidInput
from outreach_app.domain.participant import numbered_code
from outreach_app.domain.values import EncounterDraft, StocktakeLineDraft
from outreach_app.i18n import _l
from outreach_app.services import catalog, encounters, inventory, stocktake
from outreach_app.services.store import Store
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Site

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class DemoSite:
    name: str
    kind: str
    per_day: int  # encounters on an open day
    open_weekdays: tuple[int, ...]  # Monday = 0
    hours: tuple[int, int]  # local opening and closing hour


DEMO_SITES = (
    DemoSite("Drop-in Centre", "fixed", 22, (0, 1, 2, 3, 4), (9, 17)),
    DemoSite("Van Route North", "van", 12, (0, 2, 4, 5), (18, 23)),
    DemoSite("Street Route East", "street", 8, (1, 3, 5), (13, 19)),
    DemoSite("Outreach Bag 1", "bag", 4, (0, 1, 2, 3, 4, 5, 6), (10, 20)),
)
LOT_ITEMS = {  # item -> (lot number, days until expiry from today)
    "NALOXONE-NASAL": ("DEMO-NX-A", 400),
    "NALOXONE-INJ": ("DEMO-NXI-A", 500),
    "FTS": ("DEMO-FTS-1", 300),
}
NOTES = (
    "asked about wound care clinic hours",
    "returned a full sharps container",
    "interested in drug checking",
    "picked up for two friends",
    "first visit to the van",
)
AGE_BANDS = ("<20", "20-29", "30-39", "40-49", "50+")
AGE_WEIGHTS = (2, 20, 35, 28, 15)
GENDERS = ("man", "woman", "trans-woman", "non-binary", "two-spirit", "not-stated")
GENDER_WEIGHTS = (55, 33, 3, 3, 2, 4)
REFERRALS = ("TREATMENT", "OAT", "TESTING", "HOUSING", "MEDICAL", "MENTAL-HEALTH", "WOUND-CARE")
NALOXONE_REASONS = ("FIRST", "USED", "LOST", "STOLEN", "CONFISCATED", "EXPIRED")
NALOXONE_WEIGHTS = (45, 30, 10, 5, 5, 5)


class Participants:
    """A pool of synthetic codes with fixed demographics; most visits are returning people."""

    def __init__(self, rng: random.Random, size: int, anonymous_share: float = 0.25) -> None:
        self._rng = rng
        self._anonymous = anonymous_share
        # Valid printed codes (check character included), so a `random` folder takes them.
        self.codes = [numbered_code(n) for n in range(1, size + 1)]
        self.profile = {
            code: (
                rng.choices(AGE_BANDS, AGE_WEIGHTS)[0],
                rng.choices(GENDERS, GENDER_WEIGHTS)[0],
            )
            for code in self.codes
        }
        self.seen: set[str] = set()

    def pick(self) -> tuple[str | None, str | None, str | None, bool | None]:
        """(code, age band, gender, is new); an anonymous contact has no code."""
        rng = self._rng
        if rng.random() < self._anonymous:
            if rng.random() < 0.5:
                return None, None, None, None
            return None, rng.choices(AGE_BANDS, AGE_WEIGHTS)[0], None, None
        # Regulars come often: a skewed pick makes a few codes frequent, many occasional.
        code = self.codes[min(int(rng.paretovariate(1.2)) - 1, len(self.codes) - 1)]
        if rng.random() < 0.6:
            code = rng.choice(self.codes)
        age, gender = self.profile[code]
        is_new = code not in self.seen
        self.seen.add(code)
        return code, age, gender, is_new


def _supplies(rng: random.Random) -> tuple[dict[str, int], dict[str, int], str | None, bool]:
    """Items, kits, naloxone reason and training for one encounter."""
    items: Counter[str] = Counter()
    kits: dict[str, int] = {}
    reason, training = None, False
    roll = rng.random()
    if roll < 0.45:
        kits["KIT-INJECT"] = rng.choice((1, 1, 2, 2, 3))
        if rng.random() < 0.3:
            items["SYRINGE"] += rng.choice((10, 20))
    elif roll < 0.65:
        items["SYRINGE"] += rng.choice((10, 20, 30, 50))
        if rng.random() < 0.3:
            items["SHARPS"] += 1
    elif roll < 0.75:
        items["SMOKE-KIT"] += rng.randint(1, 3)
    elif roll < 0.83:
        items["NALOXONE-NASAL" if rng.random() < 0.85 else "NALOXONE-INJ"] += rng.choice((1, 1, 2))
        reason = rng.choices(NALOXONE_REASONS, NALOXONE_WEIGHTS)[0]
        training = reason == "FIRST" or rng.random() < 0.1
    elif roll < 0.88:
        items["FTS"] += rng.randint(2, 5)
    elif roll < 0.93:
        items["CONDOM"] += rng.choice((5, 10, 20))
        if rng.random() < 0.4:
            items["WOUND-KIT"] += 1
    if rng.random() < 0.15:
        items["TOURNIQUET"] += 1
    return dict(items), kits, reason, training


def encounters_for_day(
    rng: random.Random,
    participants: Participants,
    site: DemoSite,
    day: date,
    zone: ZoneInfo,
    count: int,
) -> Iterator[EncounterDraft]:
    """`count` encounters at `site` on `day` (local opening hours), plus a bag's tally record."""
    opens, closes = site.hours
    start = datetime.combine(day, time(opens), zone)
    span = (closes - opens) * 3600
    for second in sorted(rng.randrange(span) for _ in range(count)):
        when = start + timedelta(seconds=second)
        code, age, gender, is_new = participants.pick()
        items, kits, reason, training = _supplies(rng)
        syringes = items.get("SYRINGE", 0) + 10 * kits.get("KIT-INJECT", 0)
        yield EncounterDraft(
            site=site.name,
            occurred_at=when,
            items=items,
            kits=kits,
            participant_code=code,
            age_band=age,
            gender=gender,
            is_new=is_new,
            people_served=1 if rng.random() < 0.88 else rng.randint(2, 4),
            syringes_returned=int(syringes * rng.uniform(0.3, 1.2)) if syringes else 0,
            reversals_reported=1 if rng.random() < 0.02 else 0,
            naloxone_reason=reason,
            naloxone_training=training,
            referrals=(rng.choice(REFERRALS),) if rng.random() < 0.08 else (),
            note=rng.choice(NOTES) if rng.random() < 0.05 else "",
        )
    if site.kind == "bag" and count:
        yield EncounterDraft(
            site=site.name,
            occurred_at=start + timedelta(seconds=span - 60),
            items={"SYRINGE": rng.choice((20, 30, 40))},
            is_tally=True,
            contacts=rng.randint(3, 8),
        )


def generate(
    rng: random.Random,
    sites: tuple[DemoSite, ...],
    first_day: date,
    last_day: date,
    zone: ZoneInfo,
    *,
    scale: float = 1.0,
    until: datetime | None = None,
    pool: int = 400,
) -> Iterator[EncounterDraft]:
    """Every site's encounters from `first_day` to `last_day`, day by day, none after `until`."""
    participants = Participants(rng, pool)
    day = first_day
    while day <= last_day:
        for site in sites:
            if day.weekday() not in site.open_weekdays:
                continue
            count = max(0, round(site.per_day * scale * rng.uniform(0.7, 1.3)))
            for encounter in encounters_for_day(rng, participants, site, day, zone, count):
                if until is None or encounter.occurred_at <= until:
                    yield encounter
        day += timedelta(days=1)


def expand(encounter: EncounterDraft, kit_lines: dict[str, dict[str, int]]) -> Counter[str]:
    """Item totals with kit contents expanded, as the ledger will draw them."""
    totals: Counter[str] = Counter(encounter.items)
    for kit, qty in encounter.kits.items():
        for item, per_kit in kit_lines[kit].items():
            totals[item] += per_kit * qty
    return totals


# Writing a month through the services ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoSummary:
    sites: int
    encounters: int
    voided: int
    stocktakes: int


def _ensure_sites(uow: UnitOfWork) -> tuple[DemoSite, ...]:
    """The demo's sites, the busy drop-in being the folder's own first fixed site when it has one
    (so the site the app opens on is the one with stock and visits)."""
    first_fixed = uow.session.scalar(
        select(Site.name)
        .where(Site.active, Site.kind == "fixed")
        .order_by(Site.created_at, Site.name)
        .limit(1)
    )
    sites = DEMO_SITES
    if first_fixed is not None:
        sites = (replace(DEMO_SITES[0], name=first_fixed), *DEMO_SITES[1:])
    existing = {s.name for s in uow.session.scalars(select(Site))}
    for site in sites:
        if site.name not in existing:
            catalog.add_site(uow, site.name, site.kind)
    return sites


def _stock_up(store: Store, hub: str, needs: dict[str, Counter[str]], when: datetime) -> None:
    """An order received at the hub, then transfers out to each other site, a margin to spare."""
    sends = {
        site: {item: int(qty * 1.2) + 5 for item, qty in counter.items()}
        for site, counter in needs.items()
        if site != hub
    }
    order: Counter[str] = Counter({item: int(qty * 1.3) + 10 for item, qty in needs[hub].items()})
    for items in sends.values():
        order.update(items)
    today = datetime.now(store.zone).date()
    with store.unit_of_work() as uow:
        for item, qty in sorted(order.items()):
            lot, days = LOT_ITEMS.get(item, (None, 0))
            expires = today + timedelta(days=days) if lot else None
            inventory.receive(
                uow, hub, item, qty, lot=lot, expires=expires, source="demo order", at=when
            )
        for site_name, items in sends.items():
            for item, qty in sorted(items.items()):
                inventory.transfer(uow, hub, site_name, item, qty, at=when + timedelta(hours=1))


def _count_sites(
    store: Store, sites: tuple[DemoSite, ...], at: datetime, rng: random.Random
) -> int:
    """A shelf count at the fixed site and the van: most lines match, a couple are short."""
    done = 0
    for site in sites[:2]:
        with store.unit_of_work() as uow:
            sheet = [line for line in stocktake.count_sheet(uow, site.name, at) if line.expected]
            if not sheet:
                continue
            short = set(rng.sample(range(len(sheet)), k=min(2, len(sheet))))
            lines = []
            for n, line in enumerate(sheet):
                missing = min(line.expected, rng.randint(1, 3)) if n in short else 0
                lines.append(
                    StocktakeLineDraft(
                        line.item_code,
                        line.lot,
                        line.expected - missing,
                        rng.choice(("LOST", "DAMAGED")) if missing else None,
                    )
                )
            stocktake.commit_stocktake(uow, site.name, at, lines, note="demo month-end count")
            done += 1
    return done


def fill_month(
    store: Store,
    month: Period,
    *,
    scale: float = 1.0,
    seed: int = 2026,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill the store with `month` of synthetic activity, through the services, up to now."""
    zone = store.zone
    now = datetime.now(zone)
    first_day, last_day = month.start, month.end
    if datetime.combine(first_day, time(0), zone) > now:
        raise InvalidInput(
            _l("That month has not started yet; choose this month or an earlier one.")
        )
    last_day = min(last_day, now.date())
    rng = random.Random(seed)
    with store.unit_of_work() as uow:
        sites = _ensure_sites(uow)
        kit_lines = {
            kit.code: dict(kit.lines) for kit in catalog.list_kits(uow, include_inactive=True)
        }
    count_at = min(now - timedelta(minutes=5), datetime.combine(last_day, time(23, 30), zone))
    plan = list(generate(rng, sites, first_day, last_day, zone, scale=scale, until=count_at))
    needs: dict[str, Counter[str]] = {site.name: Counter() for site in sites}
    for encounter in plan:
        needs[encounter.site].update(expand(encounter, kit_lines))
    start = datetime.combine(first_day, time(7), zone)
    _stock_up(store, sites[0].name, needs, min(start, count_at - timedelta(hours=3)))
    saved = []
    for n, encounter in enumerate(plan):
        with store.unit_of_work() as uow:
            saved.append(encounters.log_encounter(uow, encounter).id)
        if progress and n % 50 == 0:
            progress(n, len(plan))
    voids = rng.sample(saved, k=min(len(saved), max(2, len(saved) // 200)))
    with store.unit_of_work() as uow:
        for encounter_id in voids:
            encounters.void_encounter(uow, encounter_id, "entered twice (demo)")
    counted = _count_sites(store, sites, count_at, rng)
    return DemoSummary(len(sites), len(plan), len(voids), counted)
