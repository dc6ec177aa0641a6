"""Reading a spreadsheet export's cells (contracts §4): the file's text, its rows, and each row
turned into an `EncounterDraft` or into the list of its bad cells (row, column, message).

Nothing here touches the database; `importer` checks a whole file with these, then writes it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from outreach_app.domain.clock import (
    NonexistentLocalTime,
    ahead_problem,
    date_at_noon,
    wall_clock_to_utc,
)
from outreach_app.domain.codes import AgeBand, Gender, NaloxoneReason, normalize_code, parse_enum
from outreach_app.domain.errors import BadFile, InvalidInput
from outreach_app.domain.limits import MAX_QUANTITY, too_large, whole_number
from outreach_app.domain.participant import clean_participant_code
from outreach_app.domain.values import CellProblem, EncounterDraft
from outreach_app.i18n import Text, _l
from outreach_app.services.encounter_checks import NOTE_MAX, Catalog
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Site

FIELDS = (
    "occurred_at",
    "site",
    "participant_code",
    "age_band",
    "gender",
    "new",
    "people_served",
    "syringes_returned",
    "reversals_reported",
    "naloxone_reason",
    "naloxone_training",
    "referrals",
    "notes",
)
REQUIRED = ("occurred_at", "site")
# Only 0-9 are digits here: Python's \d and int() would also read "٣" or a full-width "３".
WHOLE = re.compile(r"[0-9]+")
_SHOWN = 40  # characters of a cell or column name repeated in a message
_YES = {"yes", "y", "true", "1", "oui", "x"}
_NO = {"no", "n", "false", "0", "non"}


@dataclass
class CellErrors:
    """Every bad cell found so far, in the order found (the message lists them that way)."""

    cells: list[CellProblem] = field(default_factory=list)

    def add(self, row: int, column: str | Text, message: Text | str) -> None:
        clipped = _clip(column) if isinstance(column, str) else column
        self.cells.append(CellProblem(row, clipped, message))


def _clip(text: str) -> str | Text:
    """A column name as written, cut short when it is long (a 10 MB cell is not repeated)."""
    if len(text) <= _SHOWN:
        return text
    return _l("{start}… ({count:,} characters)", start=text[:_SHOWN], count=len(text))


def shown(cell: str) -> str | Text:
    """A cell's value quoted in a message, cut short when it is long."""
    if len(cell) <= _SHOWN:
        return repr(cell)
    return _l("{start}… ({count:,} characters)", start=repr(cell[:_SHOWN]), count=len(cell))


def not_whole(cell: str) -> Text:
    if any(ch.isdigit() and ch not in "0123456789" for ch in cell):
        return _l(
            "{value} has digits other than 0-9; type the number with the digits 0-9",
            value=shown(cell),
        )
    return _l("{value} is not a whole number of 0 or more", value=shown(cell))


def decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile(
            _l(
                "{name} is not UTF-8 text. In the spreadsheet, save it as 'CSV UTF-8' and "
                "import again.",
                name=name,
            )
        ) from None


def read_rows(text: str, delimiter: str) -> list[list[str]]:
    """Every record; a cell longer than csv's own limit (128 KiB) is read whole and refused by
    its column's rule with its row, instead of stopping the file at the first one."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, len(text) + 1))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise BadFile(
            _l(
                "The file cannot be read as a spreadsheet export ({reason}); nothing was "
                "written. Save it again from the spreadsheet as CSV UTF-8.",
                reason=exc,
            )
        ) from None
    finally:
        csv.field_size_limit(previous)


def parse_when(text: str, zone: ZoneInfo) -> tuple[datetime, bool]:
    """(the moment in UTC, whether the cell was a date only). ValueError when not a real one."""
    value = text.strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return date_at_noon(date.fromisoformat(value), zone), True
    if not re.fullmatch(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
        r"(Z|[+-][0-9]{2}:?[0-9]{2})?",
        value,
    ):
        raise ValueError(value)
    # A time without a zone is a wall-clock time in the organisation's zone (§4).
    return wall_clock_to_utc(datetime.fromisoformat(value.replace("Z", "+00:00")), zone), False


def parse_bool(text: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(text)


def draft_from_row(
    number: int,
    values: dict[str, str],
    items: dict[str, int],
    kits: dict[str, int],
    sites: dict[str, Site],
    catalog: Catalog,
    uow: UnitOfWork,
    errors: CellErrors,
    referral_separator: str,
) -> EncounterDraft | None:
    before = len(errors.cells)
    occurred: datetime | None = None
    when = values.get("occurred_at", "")
    if not when:
        errors.add(number, "occurred_at", _l("required; give a date (YYYY-MM-DD) or date-time"))
    else:
        try:
            occurred, date_only = parse_when(when, uow.zone)
        except NonexistentLocalTime as exc:
            errors.add(number, "occurred_at", _l("{reason}; check the time", reason=exc.args[0]))
        except (ValueError, OverflowError):
            errors.add(number, "occurred_at", _not_a_date(when))
        else:
            problem = ahead_problem(occurred, uow.zone, uow.now(), date_only=date_only)
            if problem:
                errors.add(number, "occurred_at", problem)
                occurred = None
    site_name = values.get("site", "")
    if not site_name:
        errors.add(number, "site", _l("required; give the site's name"))
    elif site_name.lower() not in sites:
        errors.add(number, "site", _l("no site is called {name}", name=shown(site_name)))
    code = None
    try:
        code = clean_participant_code(values.get("participant_code"))
    except InvalidInput:
        errors.add(
            number,
            "participant_code",
            _l("not a program code (letters, digits, hyphens; no names)"),
        )
    for column, enum in (
        ("age_band", AgeBand),
        ("gender", Gender),
        ("naloxone_reason", NaloxoneReason),
    ):
        text = values.get(column, "")
        if text and parse_enum(enum, text) is None:
            errors.add(
                number,
                column,
                _l(
                    "unknown code {code}; use one of {options}",
                    code=shown(text),
                    options=", ".join(m.value for m in enum),
                ),
            )
    flags: dict[str, bool | None] = {}
    for column in ("new", "naloxone_training"):
        try:
            flags[column] = parse_bool(values.get(column, ""))
        except ValueError:
            errors.add(
                number, column, _l("{value} is not yes, no or blank", value=shown(values[column]))
            )
    counts: dict[str, int] = {}
    for column, default in (
        ("people_served", 1),
        ("syringes_returned", 0),
        ("reversals_reported", 0),
    ):
        text = values.get(column, "")
        if not text:
            counts[column] = default
        elif not WHOLE.fullmatch(text):
            errors.add(number, column, not_whole(text))
        elif too_large(text):
            errors.add(number, column, too_large_message(text))
        else:
            counts[column] = whole_number(text)
    referrals = tuple(
        r.strip() for r in values.get("referrals", "").split(referral_separator) if r.strip()
    )
    for ref in referrals:
        if normalize_code(ref) not in catalog.referrals:
            errors.add(number, "referrals", _l("unknown referral code {code}", code=shown(ref)))
    note = values.get("notes", "")
    if len(note) > NOTE_MAX:
        errors.add(
            number,
            "notes",
            _l(
                "the note has {count:,} characters; keep it to {limit} or fewer",
                count=len(note),
                limit=NOTE_MAX,
            ),
        )
    if len(errors.cells) > before or occurred is None:
        return None
    return EncounterDraft(
        site=sites[site_name.lower()].name,
        occurred_at=occurred,
        items=items,
        kits=kits,
        participant_code=code,
        age_band=values.get("age_band") or None,
        gender=values.get("gender") or None,
        is_new=flags.get("new"),
        people_served=counts["people_served"],
        syringes_returned=counts["syringes_returned"],
        reversals_reported=counts["reversals_reported"],
        naloxone_reason=values.get("naloxone_reason") or None,
        naloxone_training=bool(flags.get("naloxone_training")),
        referrals=referrals,
        note=note,
    )


def too_large_message(cell: str) -> Text:
    return _l(
        "{value} is more than {limit:,}; check the number", value=shown(cell), limit=MAX_QUANTITY
    )


def _not_a_date(cell: str) -> Text:
    if any(ch.isdigit() and ch not in "0123456789" for ch in cell):
        return _l(
            "{value} has digits other than 0-9; type the date with the digits 0-9",
            value=shown(cell),
        )
    return _l(
        "{value} is not a real date or date-time (YYYY-MM-DD or YYYY-MM-DD HH:MM)",
        value=shown(cell),
    )


Column = tuple[str, str]  # (kind, key): ("field", "occurred_at"), ("item", "SYRINGE"), ("kit", …)


def read_header(header: list[str], catalog: Catalog, errors: CellErrors) -> list[Column]:
    """What each column means; unknown, doubled and missing required columns are row 1's cells.
    Column names follow the code-matching rule too: "Occurred At" is occurred_at."""
    columns: list[Column] = []
    seen: set[str] = set()
    fields = {normalize_code(f): f for f in FIELDS}
    for name in header:
        code = normalize_code(name)
        if code in fields:
            columns.append(("field", fields[code]))
        elif code in catalog.items:
            columns.append(("item", code))
        elif code in catalog.kits:
            columns.append(("kit", code))
        else:
            errors.add(
                1,
                name or _l("(blank)"),
                _l("unknown column; use the names in the import guide or an item or kit code"),
            )
            columns.append(("unknown", code))
            continue
        if columns[-1][1] in seen:
            errors.add(1, name, _l("this column appears twice"))
        seen.add(columns[-1][1])
    for required in REQUIRED:
        if required not in seen:
            errors.add(1, required, _l("this required column is missing"))
    return columns


def split_row(
    number: int, columns: list[Column], header: list[str], cells: list[str], errors: CellErrors
) -> tuple[dict[str, str], dict[str, int], dict[str, int]]:
    """A row's field cells, item quantities and kit quantities (bad quantities into `errors`)."""
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        errors.add(number, f"#{len(header) + 1}", _l("more cells than column names"))
    values: dict[str, str] = {}
    items: dict[str, int] = {}
    kits: dict[str, int] = {}
    for (kind, key), name, cell in zip(columns, header, cells, strict=False):
        cell = cell.strip()
        if kind == "field":
            values[key] = cell
        elif kind in ("item", "kit") and cell:
            if not WHOLE.fullmatch(cell):
                errors.add(number, name, not_whole(cell))
            elif too_large(cell):
                errors.add(number, name, too_large_message(cell))
            elif whole_number(cell):
                (items if kind == "item" else kits)[key] = whole_number(cell)
    return values, items, kits


def normalised_row(columns: list[Column], cells: list[str]) -> list[tuple[str, str]]:
    """A row as its filled cells keyed by what their column means, in a fixed order: the same
    rows saved again with other quoting, column order or line endings give the same list."""
    return sorted(
        (f"{kind}:{key}", cell.strip())
        for (kind, key), cell in zip(columns, cells, strict=False)
        if cell.strip()
    )
