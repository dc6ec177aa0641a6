"""The keyboard shortcuts, as Help › Keyboard shortcuts shows them (translated when shown)."""

from __future__ import annotations

from outreach_app.i18n import _l

SHORTCUTS_TEXT = _l("""Ctrl+1 … Ctrl+9   pages (Log encounter, Tally counter, Encounters, Inventory,
                  Catalog & sites, Reports, Paper tally entry, Dashboard, Sync)
Ctrl+Shift+S      choose the site
Ctrl+L            lock now (also after 10 idle minutes): anyone signs in with a PIN
Ctrl+Shift+P      switch person: letters of the name, the PIN, Enter

Log encounter
  Enter (code)    go to the supplies
  a letter        jump to the next item starting with it
  Enter (supplies) on to naloxone reason / used syringes returned
  Ctrl+Enter      save
  Ctrl+R          repeat last visit of this code
  Ctrl+Z          undo the last save (10 seconds)

Records (Encounters)
  Ctrl+Shift+V    void the selected record

Stock (Inventory)
  Ctrl+Shift+R/T/D  receive / transfer / adjust
  Ctrl+Shift+K      stocktake
  Ctrl+Shift+O/I    shift bag out / in
  Ctrl+Shift+L      ledger of the selected item

Tally counter
  1 … 0           count contact / the item on the tile
  Ctrl+Z          take back the last count

Reports
  Ctrl+G          generate the report
  Ctrl+S          save the PDF

Paper tally entry
  Tab or Enter    next number box
  Ctrl+Enter      save the tally record""")
