"""Small-cell suppression (contracts §8): counts of people and encounters from 1 to N-1 show as
`<N`, and where exactly one cell of a breakdown is hidden, the next smallest is hidden too (`*`)
so that neither can be worked out from the shown total.

Pure: values in, display strings out. The same rule serves the PDF, the CSV and the app.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

DEFAULT_THRESHOLD = 5
COMPLEMENTARY = "*"

#: `summary` codes that count people or encounters (the others are supply quantities).
SUPPRESSED_SUMMARY = frozenset(
    {
        "encounters",
        "people_served",
        "unique_participants",
        "new_participants",
        "anonymous_contacts",
        "tally_contacts",
        "people_trained",
        "reversals_reported",
        "voided_encounters",
    }
)
SUPPRESSED_SECTIONS = frozenset({"referrals", "demographics"})
#: Prefixes of codes whose rows of one site form a breakdown adding up to a shown total.
BREAKDOWN_PREFIXES = (
    ("demographics", "age:"),
    ("demographics", "gender:"),
    ("naloxone", "reason:"),
)

K = TypeVar("K", bound=Hashable)


def is_suppressible(section: str, code: str) -> bool:
    """Whether a figure counts people or encounters (and so may be suppressed)."""
    if section == "summary":
        return code in SUPPRESSED_SUMMARY
    if section == "naloxone":
        return code.startswith("reason:")
    return section in SUPPRESSED_SECTIONS


def check_threshold(threshold: int) -> None:
    if threshold < 2:
        raise ValueError("the suppression threshold is a whole number of 2 or more")


def suppress(
    values: Mapping[K, int],
    suppressible: Iterable[K],
    breakdowns: Iterable[Sequence[K]],
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[K, str]:
    """Display text for every cell of `values`.

    Cells in `suppressible` from 1 to threshold-1 become `<N`. Then, while some breakdown has
    exactly one hidden cell, its smallest shown non-zero suppressible cell becomes `*` (ties go to
    the earlier cell of the breakdown). Repeating until nothing changes covers cells that belong to
    two breakdowns (an age row of one site is also one of the site rows of that code). A breakdown
    whose other cells are all 0 needs nothing more: its hidden cell then equals its total, which is
    itself a small count and hidden.
    """
    check_threshold(threshold)
    allowed = set(suppressible)
    text = {key: str(value) for key, value in values.items()}
    hidden: set[K] = set()
    for key in allowed:
        if key in values and 0 < values[key] < threshold:
            text[key] = f"<{threshold}"
            hidden.add(key)
    groups = [[key for key in group if key in values] for group in breakdowns]
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(1 for key in group if key in hidden) != 1:
                continue
            candidates = [
                (values[key], index, key)
                for index, key in enumerate(group)
                if key not in hidden and key in allowed and values[key] > 0
            ]
            if not candidates:
                continue
            _, _, chosen = min(candidates, key=lambda c: (c[0], c[1]))
            text[chosen] = COMPLEMENTARY
            hidden.add(chosen)
            changed = True
    return text


def tally_breakdowns(
    keys: Iterable[tuple[str, str, str]], all_site: str = "ALL"
) -> list[list[tuple[str, str, str]]]:
    """The breakdowns among monthly tally cells keyed (section, site, code).

    Per site (ALL included): the `age:` rows, the `gender:` rows, the `reason:` rows. Across
    sites, for a suppressible code present for more than one named site: that code's site rows
    (they add up to the ALL row). A one-site report has no cross-site breakdown.
    """
    ordered = list(dict.fromkeys(keys))
    groups: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
    for key in ordered:
        section, site, code = key
        for prefix_section, prefix in BREAKDOWN_PREFIXES:
            if section == prefix_section and code.startswith(prefix):
                groups.setdefault(("within", site, section, prefix), []).append(key)
        if site != all_site and is_suppressible(section, code):
            groups.setdefault(("across", section, code), []).append(key)
    sites = {site for _, site, _ in ordered if site != all_site}
    has_all = any(site == all_site for _, site, _ in ordered)
    return [
        group
        for name, group in groups.items()
        if name[0] == "within" or (has_all and len(sites) > 1)
    ]


def ratio_text(returned: int, distributed: int) -> str:
    """Used syringes returned per syringe distributed, 2 decimals; blank when none distributed."""
    if distributed <= 0:
        return ""
    hundredths = (returned * 200 + distributed) // (2 * distributed)  # round half up
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def day_bars(counts: Sequence[int], threshold: int | None) -> tuple[list[int], list[int]]:
    """Bar heights for a per-day chart of contacts: (shown, hidden).

    The days add up to the period's contacts, so they are one breakdown: a day with a small count
    is hidden, and so is the next smallest when it is alone. A hidden day is drawn as a
    placeholder bar of height `threshold`, which shows that the day had contacts but not how many.
    Without suppression every day is shown as it is.
    """
    if threshold is None:
        return list(counts), [0] * len(counts)
    days = range(len(counts))
    text = suppress(dict(zip(days, counts, strict=True)), days, [list(days)], threshold)
    hidden = [text[day] in (f"<{threshold}", COMPLEMENTARY) for day in days]
    shown = [0 if h else c for h, c in zip(hidden, counts, strict=True)]
    return shown, [threshold if h else 0 for h in hidden]
