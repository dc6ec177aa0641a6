"""Which settings belong to the organisation and travel between its devices (contracts §9).

The latest change by (time, device id) wins. Everything else in `settings` belongs to one device
(its id and keys, the hub address, its language, its export marks) and never leaves it.
"""

from __future__ import annotations

REORDER_TARGET_PREFIX = "reorder_target_days:"  # + site id: that site's target days of stock
ORG_SETTINGS = frozenset({"org_name", "timezone", "code_scheme"})
ORG_SETTING_PREFIXES = (REORDER_TARGET_PREFIX,)


def is_org_setting(key: str) -> bool:
    return key in ORG_SETTINGS or key.startswith(ORG_SETTING_PREFIXES)
