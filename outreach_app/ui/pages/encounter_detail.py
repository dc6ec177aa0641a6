"""The Encounters page's detail pane: everything recorded with one encounter or tally record, as
HTML for a QTextBrowser (codes and the catalog's names as recorded; labels in the language shown).
"""

from __future__ import annotations

import html
from typing import Any

from outreach_app.i18n import _

from outreach_app.ui.pages.log_form import GENDER_LABELS, NALOXONE_REASON_LABELS
from outreach_app.ui.theme import text_colour

GENDERS = {gender.value: label for gender, label in GENDER_LABELS.items()}
REASONS = {reason.value: label for reason, label in NALOXONE_REASON_LABELS.items()}


def _worded(value: str | None, labels: dict[str, str], empty: str | None = None) -> str:
    if not value:
        return _("not recorded") if empty is None else empty
    return _(labels[value]) if value in labels else value


def detail_html(summary: Any, zone: Any) -> str:
    when = summary.occurred_at.astimezone(zone) if zone else summary.occurred_at
    esc = html.escape
    rows: list[tuple[str, str]] = [
        (_("Record"), _("Tally record") if summary.is_tally else _("Encounter")),
        (_("When"), when.strftime("%Y-%m-%d %H:%M")),
        (_("Site"), summary.site),
    ]
    if summary.is_tally:
        rows.append((_("Contacts"), str(summary.contacts)))
    else:
        status = {True: _("new"), False: _("returning"), None: _("not recorded")}
        rows += [
            (_("Participant"), summary.participant_code or _("(anonymous)")),
            (_("New or returning"), status[summary.is_new]),
            (_("Age band"), summary.age_band or _("not recorded")),
            (_("Gender"), _worded(summary.gender, GENDERS)),
            (_("People served"), str(summary.people_served)),
            (_("Reversals reported"), str(summary.reversals_reported)),
            (_("Naloxone training"), _("yes") if summary.naloxone_training else _("no")),
            (_("Naloxone reason"), _worded(summary.naloxone_reason, REASONS, "—")),
            (_("Referrals"), ", ".join(summary.referrals) or "—"),
        ]
    rows.append((_("Used syringes returned"), str(summary.syringes_returned)))
    supplies = [f"{qty} × {code}" for code, qty in summary.kits]
    supplies += [f"{qty} × {code}" for code, qty in summary.items]
    rows = [(k, esc(v)) for k, v in rows]
    rows.append((_("Supplies"), "<br>".join(esc(s) for s in supplies) or "—"))
    if summary.note:
        rows.append((_("Note"), esc(summary.note)))
    dim = text_colour("dim")  # of the palette shown (high contrast: light grey on black)
    body = "".join(
        f"<tr><td style='color:{dim};padding-right:8px'>{esc(k)}</td><td>{v}</td></tr>"
        for k, v in rows
    )
    void = ""
    if summary.voided:
        void = "<p style='color:{}'>{}</p>".format(
            text_colour("error"),
            _(
                "<b>Voided</b>: {reason}. Left out of every figure.",
                reason=esc(summary.void_reason or ""),
            ),
        )
    return f"{void}<table>{body}</table>"
