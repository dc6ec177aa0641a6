"""Figures of the data set in `tests/report_data.py`, worked out by hand from its event list.

Drop-in, November 2026 against October 2026: (section, code) -> (value, previous_value).
Rows not listed are 0 in both periods.
"""

from __future__ import annotations

# --no-suppress
DROP_IN_RAW = {
    ("summary", "encounters"): ("6", "2"),  # D1-D6; D7 voided; T1/T2 are tally records
    ("summary", "people_served"): ("8", "2"),  # D1 serves 3
    ("summary", "unique_participants"): ("4", "2"),  # ZZ-TEST-01, 03, 04, 05
    ("summary", "new_participants"): ("3", "1"),  # 03, 04, 05
    ("summary", "anonymous_contacts"): ("1", "0"),  # D3
    ("summary", "tally_contacts"): ("18", "8"),  # 12 + 6
    ("summary", "syringes_distributed"): ("100", "50"),  # D1 20+10, D3 10, D5 10, T1 40+10
    ("summary", "syringes_returned"): ("75", "10"),  # 40 + 5 + 30
    ("summary", "return_ratio"): ("0.75", "0.20"),
    ("summary", "naloxone_kits"): ("4", "1"),  # nasal 2 + 1, injectable 1
    ("summary", "naloxone_doses"): ("9", "2"),  # 3 x 2 + 1 x 3
    ("summary", "people_trained"): ("2", "1"),
    ("summary", "reversals_reported"): ("1", "0"),
    ("summary", "voided_encounters"): ("1", "0"),
    ("items", "SYRINGE"): ("100", "50"),
    ("items", "SWAB"): ("45", "0"),  # kits 20 + D6 5 + T1 kit 10 + T2 10
    ("items", "COOKER"): ("6", "0"),
    ("items", "WATER"): ("6", "0"),
    ("items", "FILTER"): ("6", "0"),
    ("items", "NALOXONE-NASAL"): ("3", "1"),
    ("items", "NALOXONE-INJ"): ("1", "0"),
    ("kits", "KIT-INJECT"): ("3", "0"),
    ("naloxone", "kits:NALOXONE-NASAL"): ("3", "1"),
    ("naloxone", "doses:NALOXONE-NASAL"): ("6", "2"),
    ("naloxone", "kits:NALOXONE-INJ"): ("1", "0"),
    ("naloxone", "doses:NALOXONE-INJ"): ("3", "0"),
    ("naloxone", "reason:FIRST"): ("1", "1"),
    ("naloxone", "reason:USED"): ("1", "0"),
    ("naloxone", "reason:not-recorded"): ("1", "0"),  # D6
    ("referrals", "TREATMENT"): ("2", "0"),
    ("referrals", "HOUSING"): ("1", "1"),
    ("demographics", "age:20-29"): ("1", "1"),
    ("demographics", "age:30-39"): ("5", "1"),
    ("demographics", "gender:woman"): ("2", "1"),
    ("demographics", "gender:man"): ("2", "1"),
    ("demographics", "gender:non-binary"): ("1", "0"),
    ("demographics", "gender:not-recorded"): ("1", "0"),  # D5
}

# default suppression (N = 5); age:30-39 is the complementary cell of age:20-29
DROP_IN_SUPPRESSED = {
    **DROP_IN_RAW,
    ("summary", "encounters"): ("6", "<5"),
    ("summary", "people_served"): ("8", "<5"),
    ("summary", "unique_participants"): ("<5", "<5"),
    ("summary", "new_participants"): ("<5", "<5"),
    ("summary", "anonymous_contacts"): ("<5", "0"),
    ("summary", "people_trained"): ("<5", "<5"),
    ("summary", "reversals_reported"): ("<5", "0"),
    ("summary", "voided_encounters"): ("<5", "0"),
    ("naloxone", "reason:FIRST"): ("<5", "<5"),
    ("naloxone", "reason:USED"): ("<5", "0"),
    ("naloxone", "reason:not-recorded"): ("<5", "0"),
    ("referrals", "TREATMENT"): ("<5", "0"),
    ("referrals", "HOUSING"): ("<5", "<5"),
    ("demographics", "age:20-29"): ("<5", "<5"),
    ("demographics", "age:30-39"): ("*", "<5"),
    ("demographics", "gender:woman"): ("<5", "<5"),
    ("demographics", "gender:man"): ("<5", "<5"),
    ("demographics", "gender:non-binary"): ("<5", "0"),
    ("demographics", "gender:not-recorded"): ("<5", "0"),
}

# --site all, default suppression: (section, site, code) -> (value, previous)
ALL_SITES_SUPPRESSED = {
    ("summary", "ALL", "encounters"): ("9", "<5"),
    ("summary", "Drop-in", "encounters"): ("*", "<5"),  # complementary to Van's 3
    ("summary", "Van", "encounters"): ("<5", "0"),
    ("summary", "ALL", "unique_participants"): ("5", "<5"),  # ZZ-TEST-01 at both sites once
    ("summary", "ALL", "tally_contacts"): ("21", "8"),
    ("summary", "Drop-in", "tally_contacts"): ("*", "8"),
    ("summary", "Van", "tally_contacts"): ("<5", "0"),
    ("summary", "ALL", "syringes_distributed"): ("140", "50"),
    ("summary", "Van", "syringes_distributed"): ("40", "0"),
    ("summary", "ALL", "return_ratio"): ("0.68", "0.20"),  # 95 / 140
    ("summary", "Van", "return_ratio"): ("0.50", ""),
    ("demographics", "ALL", "gender:woman"): ("5", "<5"),
    ("demographics", "ALL", "age:20-29"): ("<5", "<5"),
    ("demographics", "ALL", "age:30-39"): ("*", "<5"),
    ("referrals", "Van", "TESTING"): ("<5", "0"),
}

CONTRACT_CODES = {
    "summary": [
        "encounters", "people_served", "unique_participants", "new_participants",
        "anonymous_contacts", "tally_contacts", "syringes_distributed", "syringes_returned",
        "return_ratio", "naloxone_kits", "naloxone_doses", "people_trained",
        "reversals_reported", "voided_encounters",
    ],
    "items": [
        "SYRINGE", "COOKER", "SWAB", "WATER", "FILTER", "TOURNIQUET", "SMOKE-KIT",
        "NALOXONE-NASAL", "NALOXONE-INJ", "FTS", "XTS", "SHARPS", "CONDOM", "WOUND-KIT",
    ],
    "kits": ["KIT-INJECT"],
    "naloxone": [
        "kits:NALOXONE-NASAL", "doses:NALOXONE-NASAL", "kits:NALOXONE-INJ",
        "doses:NALOXONE-INJ", "reason:FIRST", "reason:USED", "reason:LOST", "reason:STOLEN",
        "reason:CONFISCATED", "reason:EXPIRED", "reason:not-recorded",
    ],
    "referrals": [
        "HOUSING", "MEDICAL", "MENTAL-HEALTH", "OAT", "TESTING", "TREATMENT", "WOUND-CARE",
    ],
    "demographics": [
        "age:<20", "age:20-29", "age:30-39", "age:40-49", "age:50+", "age:not-recorded",
        "gender:woman", "gender:man", "gender:trans-woman", "gender:trans-man",
        "gender:non-binary", "gender:two-spirit", "gender:other", "gender:not-stated",
        "gender:not-recorded",
    ],
}  # fmt: skip

INVENTORY_HEADER = (
    "site,item_code,lot,expires,opening,received,distributed,transfer_in,transfer_out,"
    "adjust_damaged,adjust_expired,adjust_lost,adjust_found,adjust_recount,adjust_other,"
    "expected_closing,counted,variance"
)
# Drop-in, November: opening + movements = expected; the FILTER receipt and its reversal
# cancel in `received`; D7's draw and its void cancel in `distributed`.
INVENTORY_DROP_IN = [
    "Drop-in,SYRINGE,,,450,0,-100,0,-100,0,0,0,0,-5,0,245,245,-5",
    "Drop-in,COOKER,,,50,0,-6,0,0,0,0,0,0,0,0,44,,",
    "Drop-in,SWAB,,,200,0,-45,0,0,-5,0,0,0,0,0,150,,",
    "Drop-in,WATER,,,50,0,-6,0,0,0,0,0,0,0,0,44,,",
    "Drop-in,FILTER,,,50,0,-6,0,0,0,0,0,0,0,0,44,,",
    "Drop-in,TOURNIQUET,,,0,0,0,0,0,0,0,0,0,0,0,0,,",
    "Drop-in,SMOKE-KIT,,,0,0,0,0,0,0,0,0,0,0,0,0,,",
    "Drop-in,NALOXONE-NASAL,NN-1,2027-01-10,19,0,-3,0,0,0,0,0,0,0,0,16,,",
    "Drop-in,NALOXONE-INJ,NI-1,2028-06-30,10,0,-1,0,0,0,0,0,0,0,0,9,,",
    "Drop-in,FTS,,,0,0,0,0,0,0,0,0,0,0,0,0,,",
    "Drop-in,XTS,,,0,0,0,0,0,0,0,0,0,0,0,0,,",
    "Drop-in,SHARPS,,,0,0,0,0,0,0,0,0,0,0,0,0,,",
    "Drop-in,CONDOM,,,0,50,0,0,0,0,0,0,0,0,0,50,,",
    "Drop-in,WOUND-KIT,,,0,0,0,0,0,0,0,0,0,0,0,0,,",
]
INVENTORY_VAN_SYRINGE = "Van,SYRINGE,,,0,0,-40,100,0,0,0,0,0,0,0,60,,"
