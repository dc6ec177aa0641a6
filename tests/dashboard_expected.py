"""The dashboard CSV of the data set in `tests/dashboard_data.py`, worked out by hand.

As of 2026-11-30. Working, for the figures that need it:
- Drop-in this week (Nov 24-30): E5, E6, E7 and T2's 4 contacts = 7 contacts; people served
  3 + 1 + 1 = 5; syringes 40 + 10 = 50; naloxone 2; reversals 2.
- Drop-in, the four weeks before: contacts 1 (E1) + 1 (E2) + 7 (T1) + 1 (E3; E4 voided) = 10,
  mean 2.5; people served 2 + 1 + 0 + 1 = 4, mean 1.0; syringes 20 + 10 + 30 + 10 = 70, mean
  17.5; naloxone 1, mean 0.25 -> 0.3 (half up); reversals 1, mean 0.3.
- Van: this week V2 (1 contact, 20 syringes); before V1 (1 contact, 30 syringes, mean 7.5).
- ALL: this week 8 contacts, 6 people, 70 syringes; before 11 contacts (2.75 -> 2.8), 5 people
  (1.25 -> 1.3), 100 syringes (25.0).
- Drop-in SYRINGE at the end of Nov 30: 150 - (20+10+30+10+40+10) = 30 (E4 voided, E8 on Dec 1);
  given Nov 3-30: 10+30+10+40+10 = 100; days left 30 x 28 / 100 = 8.4 -> 8; under the target 21:
  order 21 x 100 / 28 - 30 = 45.
- Drop-in SWAB 100 - 20 = 80, given 20: 112 days. NALOXONE-NASAL 20 - 3 = 17, given 3:
  17 x 28 / 3 = 158.7 -> 158. NALOXONE-INJ and FTS: nothing given, blank.
- Van SYRINGE 100 - 50 = 50, given 50: 28 days, under 30: order 30 x 50 / 28 - 50 = 3.6 -> 4.
  COOKER -5 (count needed), given 5: 0 days; order 30 x 5 / 28 = 5.4 -> 6 (from an empty shelf).
- Lots at Drop-in: FT-X expired Nov 15 (5); NN-A Dec 20 within 30 days (10 - 3 = 7); FT-Y
  Jan 15 within 60 (6); NI-A Feb 15 within 90 (4); NN-B June 2027 is not listed.
"""

from __future__ import annotations

HEADER = "section,site,item_code,lot,label,value"


def week(site: str, *values: str) -> list[str]:
    codes = ("contacts", "people_served", "syringes_distributed", "naloxone_kits",
             "reversals_reported")  # fmt: skip
    labels = [f"{code}:{when}" for code in codes for when in ("this", "avg4")]
    return [f"week,{site},,,{label},{value}" for label, value in zip(labels, values, strict=True)]


DROP_IN_STOCK = [
    "days_left,Drop-in,SYRINGE,,Syringe,8",
    "days_left,Drop-in,SWAB,,Alcohol swab,112",
    "days_left,Drop-in,NALOXONE-NASAL,,Naloxone nasal kit,158",
    "days_left,Drop-in,NALOXONE-INJ,,Naloxone injectable kit,",
    "days_left,Drop-in,FTS,,Fentanyl test strip,",
]
DROP_IN_EXPIRING = [
    "expiring,Drop-in,FTS,FT-X,expired,5",
    "expiring,Drop-in,NALOXONE-NASAL,NN-A,30,7",
    "expiring,Drop-in,FTS,FT-Y,60,6",
    "expiring,Drop-in,NALOXONE-INJ,NI-A,90,4",
]

# report dashboard --site Drop-in --date 2026-11-30 (default suppression, N = 5)
DROP_IN = [
    HEADER,
    *week("Drop-in", "7", "2.5", "5", "<5", "50", "17.5", "2", "0.3", "<5", "<5"),
    *DROP_IN_STOCK,
    *DROP_IN_EXPIRING,
    "reorder,Drop-in,SYRINGE,,Syringe,45",
]

# the same with --no-suppress
DROP_IN_UNSUPPRESSED_WEEK = week(
    "Drop-in", "7", "2.5", "5", "1.0", "50", "17.5", "2", "0.3", "2", "0.3"
)

# --site all: Van's lone small contacts take Drop-in's with them (*), as do people served
ALL_SITES = [
    HEADER,
    *week("ALL", "8", "2.8", "6", "1.3", "70", "25.0", "2", "0.3", "<5", "<5"),
    *week("Drop-in", "*", "*", "*", "<5", "50", "17.5", "2", "0.3", "<5", "<5"),
    *week("Van", "<5", "<5", "<5", "<5", "20", "7.5", "0", "0.0", "0", "0.0"),
    *DROP_IN_STOCK,
    "days_left,Van,SYRINGE,,Syringe,28",
    "days_left,Van,COOKER,,Cooker,0",
    "count_needed,Van,COOKER,,Cooker,-5",
    *DROP_IN_EXPIRING,
    "reorder,Drop-in,SYRINGE,,Syringe,45",
    "reorder,Van,SYRINGE,,Syringe,4",
    "reorder,Van,COOKER,,Cooker,6",
]

# --site all --target-days 10: Drop-in 10 x 100 / 28 - 30 = 5.7 -> 6; Van's syringes last 28
# days (no order); COOKER 10 x 5 / 28 = 1.8 -> 2
ALL_SITES_TARGET_10_REORDER = [
    "reorder,Drop-in,SYRINGE,,Syringe,6",
    "reorder,Van,COOKER,,Cooker,2",
]
