"""What each audit action is called where people read it (the app's Audit window).

Actions are codes (`audit --csv`'s `action` column, contracts §10) and stay as they are there
and in the command line's output. The app shows `action_label(code)`, in the language of the
moment; an action without a label here (one added later, or written by a newer device) shows
as its code.
"""

from __future__ import annotations

from outreach_app.i18n import N_, Text, _l

ACTION_LABELS: dict[str, str] = {
    "init": N_("Set up"),
    "join": N_("Joined the organisation"),
    "upgrade": N_("Data upgraded"),
    "save": N_("Saved"),
    "encounter": N_("Encounter logged"),
    "tally": N_("Tally logged"),
    "void": N_("Record voided"),
    "receive": N_("Stock received"),
    "transfer": N_("Stock transferred"),
    "bag out": N_("Shift bag out"),
    "bag in": N_("Shift bag in"),
    "adjust": N_("Stock adjusted"),
    "reverse": N_("Movement reversed"),
    "stocktake": N_("Stock counted"),
    "import-csv": N_("Spreadsheet imported"),
    "add site": N_("Site added"),
    "rename site": N_("Site renamed"),
    "site kind": N_("Site kind changed"),
    "activate site": N_("Site reactivated"),
    "deactivate site": N_("Site deactivated"),
    "add item": N_("Item added"),
    "edit item": N_("Item changed"),
    "activate item": N_("Item reactivated"),
    "deactivate item": N_("Item deactivated"),
    "add kit": N_("Kit added"),
    "activate kit": N_("Kit reactivated"),
    "deactivate kit": N_("Kit deactivated"),
    "add referral type": N_("Referral type added"),
    "activate referral": N_("Referral type reactivated"),
    "deactivate referral": N_("Referral type deactivated"),
    "reorder_target": N_("Reorder target set"),
    "staff add": N_("Staff member added"),
    "staff deactivate": N_("Staff member deactivated"),
    "pin set": N_("PIN set"),
    "passphrase": N_("Passphrase changed"),
    "purge": N_("Notes purged"),
    "purge schedule": N_("Purge schedule set"),
    "repair": N_("Balances repaired"),
    "language": N_("Language set"),
    "tally tiles": N_("Tally tiles set"),
    "hub address": N_("Hub address set"),
    "invite": N_("Device invited"),
    "device revoke": N_("Device revoked"),
    "export": N_("Bundle exported"),
    "merge": N_("Records merged"),
}


def action_label(action: str) -> Text | str:
    """The label of `action`, translated each time it is shown (`str()`); the code itself for
    an action this version does not know."""
    label = ACTION_LABELS.get(action)
    return _l(label) if label else action
