"""What each kind of record that travels between devices is called where people read it.

Kinds are codes (the tables' names, contracts §9): `quarantine --csv` and the command line's
per-kind counts keep them as they are, for scripts. The app shows `kind_label(kind)` instead, in
the language of the moment; a kind without a label here (one added later) shows as its code.
"""

from __future__ import annotations

from outreach_app.i18n import N_, Text, _l

#: Kind code -> label (a message id, translated where shown). Plural: a row counts records of
#: that kind, or says which kind of record a held record is.
KIND_LABELS: dict[str, str] = {
    "devices": N_("Devices"),
    "settings": N_("Shared settings"),
    "staff": N_("Staff"),
    "sites": N_("Sites"),
    "items": N_("Items"),
    "kits": N_("Kits"),
    "referral_types": N_("Referral types"),
    "lots": N_("Lots"),
    "imports": N_("Imported spreadsheets"),
    "encounters": N_("Encounters"),
    "encounter_voids": N_("Voids"),
    "stock_movements": N_("Stock movements"),
    "stocktakes": N_("Stock counts"),
    "purges": N_("Note purges"),
    "invitations": N_("Invitations"),
    "device_revocations": N_("Device revocations"),
    "audit_log": N_("Audit log entries"),
    "record_copies": N_("Records also made on another device"),
}


def kind_label(kind: str) -> Text | str:
    """The label of `kind`, translated each time it is shown (`str()`); the code itself for a
    kind this version does not know."""
    label = KIND_LABELS.get(kind)
    return _l(label) if label else kind
