"""Spreadsheet import of encounters (contracts §4): all of a file or none of it.

Every cell is checked before anything is written, and every bad cell is reported by its
spreadsheet row (the header is row 1) and column, so a person can fix the file in one pass:
`BadCells` carries them as (row, column, message) for a table, its message as the command line
prints them. `check_csv` is that check pass alone (nothing written: a read unit will do), for a
preview; `import_csv` checks again and writes in the same unit of work, so a cancelled or
failed import writes nothing.

Both take `progress(stage, done, total)` (stage "checking" or "writing", counted in rows) and
`is_cancelled()`, looked at every few thousand rows; a cancel raises `Cancelled`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select

from outreach_app.domain import identity
from outreach_app.domain.errors import (
    AlreadyImported,
    BadCells,
    BadFile,
    Cancelled,
    OutreachError,
    ShortfallError,
)
from outreach_app.domain.roles import Action
from outreach_app.domain.text_warnings import text_hints
from outreach_app.domain.values import (
    EncounterDraft,
    ImportCheck,
    ImportResult,
    Shortfall,
)
from outreach_app.i18n import N_, _l, _nl, join
from outreach_app.services import audit, free_text, staff
from outreach_app.services.encounter_checks import (
    Catalog,
    PreparedEncounter,
    prepare,
)
from outreach_app.services.import_cells import (
    CellErrors,
    decode,
    draft_from_row,
    normalised_row,
    read_header,
    read_rows,
    split_row,
)
from outreach_app.services.import_write import BATCH, BulkWriter, StockPlanner
from outreach_app.services.ledger import usable_on_hand
from outreach_app.services.uow import UnitOfWork
from outreach_app.storage.models import Import, Item, Site

Progress = Callable[[str, int, int], None]  # (stage, rows done, rows in all)
IsCancelled = Callable[[], bool]
CHECKING, WRITING = "checking", "writing"
CANCELLED = N_("The import was cancelled; nothing was written.")


@dataclass
class _Checked:
    """A file that passed the check: its rows prepared, in file order, with their ids."""

    file_id: uuid.UUID
    filename: str
    rows: list[tuple[uuid.UUID, PreparedEncounter]] = field(default_factory=list)
    identifying: list[int] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(len(p.items) for _, p in self.rows)


def _steps(
    progress: Progress | None, is_cancelled: IsCancelled | None, stage: str, total: int
) -> Callable[..., None]:
    """One callable for a loop: reports `done` and stops on cancel, every BATCH rows."""

    def step(done: int, force: bool = False) -> None:
        if done % BATCH and not force:
            return
        if is_cancelled is not None and is_cancelled():
            raise Cancelled(_l(CANCELLED))
        if progress is not None:
            progress(stage, done, total)

    return step


def check_csv(
    uow: UnitOfWork,
    path: Path,
    *,
    move_stock: bool = True,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ImportCheck:
    """The check pass alone: what an import would add, or the refusal it would meet (bad cells,
    a file already imported). Shortfalls are returned, not refused: the caller decides."""
    checked = _check(uow, path, move_stock, progress, is_cancelled)
    return ImportCheck(
        checked.filename,
        len(checked.rows),
        checked.lines,
        move_stock,
        tuple(checked.shortfalls),
        tuple(checked.identifying),
    )


def import_csv(
    uow: UnitOfWork,
    path: Path,
    *,
    move_stock: bool = True,
    allow_negative: bool = False,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ImportResult:
    checked = _check(uow, path, move_stock, progress, is_cancelled)
    if checked.shortfalls and not allow_negative:
        raise ShortfallError(
            _l(
                "Not enough on hand: {lines}. Receive or transfer stock first, or import anyway "
                "(a coordinator's Import anyway in the app, --allow-negative on the command "
                "line); a count at that site then sets the figure right.",
                lines=join([s.text() for s in checked.shortfalls], "; "),
            ),
            checked.shortfalls,
        )
    if checked.shortfalls:
        staff.require(uow, Action.IMPORT_ANYWAY)  # a coordinator's "import anyway"
    session = uow.session
    for _, prepared in checked.rows:  # rows a purge already covers arrive without their note
        note = free_text.purged_note(session, prepared.draft.occurred_at, prepared.draft.note)
        if note != prepared.draft.note:
            prepared.draft = replace(prepared.draft, note=note)
    session.add(
        Import(
            id=checked.file_id,
            device_id=uow.device_id,
            created_at=uow.now(),
            filename=checked.filename[:200],
            rows=len(checked.rows),
        )
    )
    session.flush()
    items = {i.id: i for i in session.scalars(select(Item))}
    planner = StockPlanner(uow, items) if move_stock else None
    planned = [(eid, p, planner.plan(p) if planner else []) for eid, p in checked.rows]
    # One block of sequence numbers for every record written: encounters and movements.
    first = uow.take_seqs(len(planned) + sum(len(draws) for _, _, draws in planned))
    seq = itertools.count(first).__next__
    writer = BulkWriter(uow, checked.file_id, move_stock)
    total = len(planned)
    step = _steps(progress, is_cancelled, WRITING, total)
    step(0, force=True)
    for done, row in enumerate(planned, start=1):
        writer.add(row, seq)
        if writer.pending >= BATCH:
            writer.flush()
        step(done)
    writer.flush()
    step(total, force=True)
    summary = f"{total} encounters from {checked.filename}"
    audit.record_bulk(uow, "import-csv", summary, writer.hashes)
    return ImportResult(
        total,
        checked.lines,
        move_stock,
        tuple(checked.shortfalls),
        tuple(checked.identifying),
    )


def _check(
    uow: UnitOfWork,
    path: Path,
    move_stock: bool,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> _Checked:
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
    text = decode(raw, path.name)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    referral_separator = "|" if delimiter == ";" else ";"
    rows = read_rows(text, delimiter)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise BadFile(_l("{name} is empty: row 1 must hold the column names.", name=path.name))

    catalog = Catalog(session)
    errors = CellErrors()
    header = [cell.strip() for cell in rows[0]]
    columns = read_header(header, catalog, errors)
    sites = {s.name.lower(): s for s in session.scalars(select(Site))}
    drafts: list[tuple[int, EncounterDraft]] = []
    normalised: list[list[tuple[str, str]]] = []
    positions: dict[int, int] = {}  # spreadsheet row number -> position among non-blank rows
    identifying: list[int] = []
    step = _steps(progress, is_cancelled, CHECKING, len(rows) - 1)
    step(0, force=True)
    for number, cells in enumerate(rows[1:], start=2):
        step(number - 1)
        if not any(cell.strip() for cell in cells):
            continue
        positions[number] = len(normalised) + 1
        normalised.append(normalised_row(columns, cells))
        values, items, kits = split_row(number, columns, header, cells, errors)
        draft = draft_from_row(
            number, values, items, kits, sites, catalog, uow, errors, referral_separator
        )
        if draft is not None:
            drafts.append((number, draft))
            if text_hints(draft.note):  # names, phones, dates, addresses: listed, not refused
                identifying.append(number)
    if not drafts and not errors.cells:
        raise BadFile(
            _l("{name} has no rows below its header; nothing was imported.", name=path.name)
        )
    file_id = identity.import_id(uow.organisation_secret(), _digest(normalised))
    _refuse_if_imported(uow, path, session.get(Import, file_id))
    _raise_cell_errors(errors, path)

    checked = _Checked(file_id, path.name, identifying=identifying)
    for number, draft in drafts:
        try:
            site = sites[draft.site.lower()]
            prepared = prepare(session, draft, catalog, site=site)
        except OutreachError as exc:
            errors.add(number, _l("(row)"), exc.text)
            continue
        checked.rows.append((identity.import_row_id(file_id, positions[number]), prepared))
    _raise_cell_errors(errors, path)
    if move_stock:
        checked.shortfalls = _file_shortfalls(uow, [p for _, p in checked.rows])
    step(len(rows) - 1, force=True)
    return checked


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


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


def _raise_cell_errors(errors: CellErrors, path: Path) -> None:
    """Every bad cell, however many: a person fixes the file in one pass."""
    count = len(errors.cells)
    if not count:
        return
    listed = join([cell.text() for cell in errors.cells], "\n  ")
    # A long list scrolls its first line away: say again at the end what it was.
    tail = (
        _l("\n{count} cells to fix in {name}; nothing was written.", count=count, name=path.name)
        if count > 10
        else ""
    )
    raise BadCells(
        _nl(
            "{name} was not imported; nothing was written. Fix this cell and import "
            "again:\n  {cells}{tail}",
            "{name} was not imported; nothing was written. Fix these {n} cells and import "
            "again:\n  {cells}{tail}",
            count,
            name=path.name,
            cells=listed,
            tail=tail,
        ),
        errors.cells,
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
