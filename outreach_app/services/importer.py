"""Spreadsheet import of encounters (contracts §4): all of a file or none of it.

Every cell is checked before anything is written, and every bad cell is reported by its
spreadsheet row (the header is row 1) and column, so a person can fix the file in one pass.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from outreach_app.domain import identity
from outreach_app.domain.clock import (
    NonexistentLocalTime,
    ahead_problem,
    date_at_noon,
    wall_clock_to_utc,
)
from outreach_app.domain.codes import AgeBand, Gender, NaloxoneReason, normalize_code, parse_enum
from outreach_app.domain.errors import AlreadyImported, BadFile, InvalidInput, OutreachError
from outreach_app.domain.limits import MAX_QUANTITY, too_large, whole_number
from outreach_app.domain.participant import clean_participant_code
from outreach_app.domain.values import EncounterDraft, ImportResult, Shortfall
from outreach_app.i18n import Text, _l, _nl, join
from outreach_app.services import audit
from outreach_app.services.encounters import (
    NOTE_MAX,
    Catalog,
    PreparedEncounter,
    plan_stock,
    prepare,
    refuse_shortfalls,
    write_encounter,
)
from outreach_app.services.ledger import usable_on_hand
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Import, Item, Site

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
ROW_NAMESPACE = uuid.UUID("7f4d8a52-3c1e-4e8b-9a57-2f1c6b0d9e31")
# Only 0-9 are digits here: Python's \d and int() would also read "٣" or a full-width "３".
_WHOLE = re.compile(r"[0-9]+")
_SHOWN = 40  # characters of a cell or column name repeated in a message
_YES = {"yes", "y", "true", "1", "oui", "x"}
_NO = {"no", "n", "false", "0", "non"}


@dataclass
class _Errors:
    cells: list[Text]

    def add(self, row: int, column: str | Text, message: Text | str) -> None:
        self.cells.append(
            _l("row {row}, column {column}: {message}", row=row, column=column, message=message)
        )


def _clip(text: str) -> str | Text:
    """A column name as written, cut short when it is long (a 10 MB cell is not repeated)."""
    if len(text) <= _SHOWN:
        return text
    return _l("{start}… ({count:,} characters)", start=text[:_SHOWN], count=len(text))


def _shown(cell: str) -> str | Text:
    """A cell's value quoted in a message, cut short when it is long."""
    if len(cell) <= _SHOWN:
        return repr(cell)
    return _l("{start}… ({count:,} characters)", start=repr(cell[:_SHOWN]), count=len(cell))


def _not_whole(cell: str) -> Text:
    if any(ch.isdigit() and ch not in "0123456789" for ch in cell):
        return _l(
            "{value} has digits other than 0-9; type the number with the digits 0-9",
            value=_shown(cell),
        )
    return _l("{value} is not a whole number of 0 or more", value=_shown(cell))


def _decode(raw: bytes, name: str) -> str:
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


def _read_rows(text: str, delimiter: str) -> list[list[str]]:
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


def _parse_when(text: str, zone: ZoneInfo) -> tuple[datetime, bool]:
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


def _parse_bool(text: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(text)


def import_csv(
    uow: UnitOfWork, path: Path, *, move_stock: bool = True, allow_negative: bool = False
) -> ImportResult:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadFile(_l("{path} does not exist. Check the file name.", path=path)) from None
    except OSError as exc:
        raise BadFile(
            _l("{path} cannot be read ({reason}).", path=path, reason=exc.strerror)
        ) from None
    session = uow.session
    # Imports made before revision 0003 are known by their bytes only.
    _refuse_if_imported(
        uow, path, session.scalar(select(Import).where(Import.file_sha256 == _sha256(raw)))
    )
    text = _decode(raw, path.name)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    referral_separator = "|" if delimiter == ";" else ";"
    rows = _read_rows(text, delimiter)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise BadFile(_l("{name} is empty: row 1 must hold the column names.", name=path.name))

    catalog = Catalog(session)
    errors = _Errors([])
    header = [cell.strip() for cell in rows[0]]
    columns: list[tuple[str, str]] = []  # (kind, key): field / item / kit
    seen: set[str] = set()
    # Column names follow the code-matching rule too: "Occurred At" is occurred_at.
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

    sites = {s.name.lower(): s for s in session.scalars(select(Site))}
    drafts: list[tuple[int, EncounterDraft]] = []
    normalised: list[list[tuple[str, str]]] = []
    positions: dict[int, int] = {}  # spreadsheet row number -> position among non-blank rows
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        positions[number] = len(normalised) + 1
        normalised.append(_normalised_row(columns, cells))
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
                if not _WHOLE.fullmatch(cell):
                    errors.add(number, name, _not_whole(cell))
                elif too_large(cell):
                    errors.add(number, name, _too_large(cell))
                elif whole_number(cell):
                    (items if kind == "item" else kits)[key] = whole_number(cell)
        draft = _draft_from_row(
            number, values, items, kits, sites, catalog, uow, errors, referral_separator
        )
        if draft is not None:
            drafts.append((number, draft))
    if not drafts and not errors.cells:
        raise BadFile(
            _l("{name} has no rows below its header; nothing was imported.", name=path.name)
        )
    file_id = identity.import_id(uow.organisation_secret(), _digest(normalised))
    _refuse_if_imported(uow, path, session.get(Import, file_id))
    _raise_cell_errors(errors, path)

    prepared = []
    for number, draft in drafts:
        try:
            prepared.append((number, prepare(session, draft, catalog)))
        except OutreachError as exc:
            errors.add(number, _l("(row)"), exc.text)
    _raise_cell_errors(errors, path)

    shortfalls: list[Shortfall] = []
    if move_stock:
        shortfalls = _file_shortfalls(uow, [p for _, p in prepared])
        if shortfalls and not allow_negative:
            refuse_shortfalls(shortfalls)

    record = Import(
        id=file_id,
        device_id=uow.device_id,
        created_at=uow.now(),
        filename=path.name[:200],
        rows=len(prepared),
    )
    session.add(record)
    session.flush()
    lines = 0
    for number, item in prepared:
        plans = plan_stock(session, item, uow.today()) if move_stock else None
        write_encounter(
            uow,
            item,
            plans,
            encounter_id=identity.import_row_id(file_id, positions[number]),
            import_id=record.id,
        )
        lines += len(item.items)
        session.flush()
    audit.record(uow, "import-csv", f"{len(prepared)} encounters from {path.name}")
    return ImportResult(len(prepared), lines, move_stock, tuple(shortfalls))


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _normalised_row(columns: list[tuple[str, str]], cells: list[str]) -> list[tuple[str, str]]:
    """A row as its filled cells keyed by what their column means, in a fixed order: the same
    rows saved again with other quoting, column order or line endings give the same list."""
    return sorted(
        (f"{kind}:{key}", cell.strip())
        for (kind, key), cell in zip(columns, cells, strict=False)
        if cell.strip()
    )


def _digest(rows: list[list[tuple[str, str]]]) -> bytes:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).digest()


def _refuse_if_imported(uow: UnitOfWork, path: Path, earlier: Import | None) -> None:
    if earlier is None:
        return
    when = earlier.created_at.astimezone(uow.zone).strftime("%Y-%m-%d %H:%M")
    raise AlreadyImported(
        _l(
            "{name} was already imported on {when} (as {earlier}); nothing was added. Export "
            "only the new rows to import them.",
            name=path.name,
            when=when,
            earlier=earlier.filename,
        )
    )


def _raise_cell_errors(errors: _Errors, path: Path) -> None:
    """Every bad cell, however many: a person fixes the file in one pass."""
    count = len(errors.cells)
    if not count:
        return
    listed = join(list(errors.cells), "\n  ")
    # A long list scrolls its first line away: say again at the end what it was.
    tail = (
        _l("\n{count} cells to fix in {name}; nothing was written.", count=count, name=path.name)
        if count > 10
        else ""
    )
    raise InvalidInput(
        _nl(
            "{name} was not imported; nothing was written. Fix this cell and import "
            "again:\n  {cells}{tail}",
            "{name} was not imported; nothing was written. Fix these {n} cells and import "
            "again:\n  {cells}{tail}",
            count,
            name=path.name,
            cells=listed,
            tail=tail,
        )
    )


def _draft_from_row(
    number: int,
    values: dict[str, str],
    items: dict[str, int],
    kits: dict[str, int],
    sites: dict[str, Site],
    catalog: Catalog,
    uow: UnitOfWork,
    errors: _Errors,
    referral_separator: str,
) -> EncounterDraft | None:
    before = len(errors.cells)
    occurred: datetime | None = None
    when = values.get("occurred_at", "")
    if not when:
        errors.add(number, "occurred_at", _l("required; give a date (YYYY-MM-DD) or date-time"))
    else:
        try:
            occurred, date_only = _parse_when(when, uow.zone)
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
        errors.add(number, "site", _l("no site is called {name}", name=_shown(site_name)))
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
                    code=_shown(text),
                    options=", ".join(m.value for m in enum),
                ),
            )
    flags: dict[str, bool | None] = {}
    for column in ("new", "naloxone_training"):
        try:
            flags[column] = _parse_bool(values.get(column, ""))
        except ValueError:
            errors.add(
                number, column, _l("{value} is not yes, no or blank", value=_shown(values[column]))
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
        elif not _WHOLE.fullmatch(text):
            errors.add(number, column, _not_whole(text))
        elif too_large(text):
            errors.add(number, column, _too_large(text))
        else:
            counts[column] = whole_number(text)
    referrals = tuple(
        r.strip() for r in values.get("referrals", "").split(referral_separator) if r.strip()
    )
    for ref in referrals:
        if normalize_code(ref) not in catalog.referrals:
            errors.add(number, "referrals", _l("unknown referral code {code}", code=_shown(ref)))
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


def _too_large(cell: str) -> Text:
    return _l(
        "{value} is more than {limit:,}; check the number", value=_shown(cell), limit=MAX_QUANTITY
    )


def _not_a_date(cell: str) -> Text:
    if any(ch.isdigit() and ch not in "0123456789" for ch in cell):
        return _l(
            "{value} has digits other than 0-9; type the date with the digits 0-9",
            value=_shown(cell),
        )
    return _l(
        "{value} is not a real date or date-time (YYYY-MM-DD or YYYY-MM-DD HH:MM)",
        value=_shown(cell),
    )


def _file_shortfalls(uow: UnitOfWork, prepared: list[PreparedEncounter]) -> list[Shortfall]:
    """Today's unexpired on hand per site and item against the whole file's total."""
    wanted: Counter[tuple[uuid.UUID, uuid.UUID]] = Counter()
    sites: dict[uuid.UUID, Site] = {}
    for p in prepared:
        sites[p.site.id] = p.site
        for item_id, qty in p.items.items():
            wanted[(p.site.id, item_id)] += qty
    items = {i.id: i for i in uow.session.scalars(select(Item))}
    shortfalls = []
    for (site_id, item_id), qty in sorted(
        wanted.items(), key=lambda kv: (sites[kv[0][0]].name, items[kv[0][1]].sort_order)
    ):
        available = max(usable_on_hand(uow.session, sites[site_id], items[item_id], uow.today()), 0)
        if available < qty:
            shortfalls.append(Shortfall(sites[site_id].name, items[item_id].code, qty, available))
    return shortfalls
