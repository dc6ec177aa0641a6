"""The monthly tally's rows: the raw per-site sums laid out as contracts §6 lists them, every
active catalog entry (and inactive ones with figures) in the catalog's order, with the previous
period beside each value."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from outreach_app.domain.codes import AgeBand, Gender, NaloxoneReason
from outreach_app.domain.figures import SUMMARY_LABELS, FigureRow
from outreach_app.i18n import N_
from outreach_app.storage.models import Item, Kit, ReferralType

NOT_RECORDED = "not-recorded"
REASON_LABELS = {
    "FIRST": N_("Reason: first kit"),
    "USED": N_("Reason: replacing a kit used"),
    "LOST": N_("Reason: replacing a lost kit"),
    "STOLEN": N_("Reason: replacing a stolen kit"),
    "CONFISCATED": N_("Reason: replacing a confiscated kit"),
    "EXPIRED": N_("Reason: replacing an expired kit"),
    NOT_RECORDED: N_("Reason not recorded"),
}

# (section, site id or None for ALL, code) -> value
Raw = dict[tuple[str, uuid.UUID | None, str], int]


def catalog_codes(
    session: Session, used: set[str]
) -> tuple[list[Item], list[Kit], list[ReferralType]]:
    """Active catalog rows, plus inactive ones that still have figures in the period."""
    items = [
        i
        for i in session.scalars(select(Item).order_by(Item.sort_order, Item.code))
        if i.active or str(i.id) in used
    ]
    kits = [
        k
        # the report never reads a kit's contents: no eager load of its lines and their items
        for k in session.scalars(select(Kit).options(lazyload(Kit.lines)).order_by(Kit.code))
        if k.active or str(k.id) in used
    ]
    refs = [
        r
        for r in session.scalars(select(ReferralType).order_by(ReferralType.code))
        if r.active or str(r.id) in used
    ]
    return items, kits, refs


def site_rows(
    site_id: uuid.UUID | None,
    site_name: str,
    now: Raw,
    before: Raw,
    catalog: tuple[list[Item], list[Kit], list[ReferralType]],
) -> list[FigureRow]:
    items, kits, refs = catalog
    rows: list[FigureRow] = []

    def get(raw: Raw, section: str, code: str) -> int:
        return raw.get((section, site_id, code), 0)

    def derived(raw: Raw) -> dict[str, int]:
        given = {i.code: get(raw, "items", str(i.id)) for i in items}
        nalox = [i for i in items if i.doses_per_unit > 0]
        return {
            "syringes_distributed": given.get("SYRINGE", 0),
            "naloxone_kits": sum(given[i.code] for i in nalox),
            "naloxone_doses": sum(given[i.code] * i.doses_per_unit for i in nalox),
        }

    extra_now, extra_before = derived(now), derived(before)
    for code, label in SUMMARY_LABELS.items():
        if code == "return_ratio":
            continue
        if code in extra_now:
            value, previous = extra_now[code], extra_before[code]
        else:
            value, previous = get(now, "summary", code), get(before, "summary", code)
        rows.append(FigureRow("summary", site_name, code, label, value, previous))

    def add(section: str, key: str, code: str, label: str, group: str = "") -> None:
        value, previous = get(now, section, key), get(before, section, key)
        rows.append(FigureRow(section, site_name, code, label, value, previous, group))

    for item in items:
        add("items", str(item.id), item.code, item.name, item.category)
    for kit in kits:
        add("kits", str(kit.id), kit.code, kit.name)
    for item in (i for i in items if i.doses_per_unit > 0):
        given_now, given_before = (
            get(now, "items", str(item.id)),
            get(before, "items", str(item.id)),
        )
        rows.append(
            FigureRow(
                "naloxone",
                site_name,
                f"kits:{item.code}",
                f"Kits: {item.name}",
                given_now,
                given_before,
            )
        )
        rows.append(
            FigureRow(
                "naloxone",
                site_name,
                f"doses:{item.code}",
                f"Doses: {item.name}",
                given_now * item.doses_per_unit,
                given_before * item.doses_per_unit,
            )
        )
    for reason in [*(r.value for r in NaloxoneReason), NOT_RECORDED]:
        add("naloxone", f"reason:{reason}", f"reason:{reason}", REASON_LABELS[reason])
    for ref in refs:
        add("referrals", str(ref.id), ref.code, ref.label)
    for band in [*(b.value for b in AgeBand), NOT_RECORDED]:
        add("demographics", f"age:{band}", f"age:{band}", f"Age {band}")
    for gender in [*(g.value for g in Gender), NOT_RECORDED]:
        add("demographics", f"gender:{gender}", f"gender:{gender}", f"Gender: {gender}")
    return rows
