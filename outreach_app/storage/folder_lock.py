"""One app per data folder: an OS lock on `outreach.lock`, and in it who holds it.

The app (never a command: commands beside the open app are safe through the database's own
locking) holds an exclusive OS lock on the file for as long as it runs, and writes into it the
computer's name, its process id and when it started, so a second app can say who has the folder
open (made durable on a thread of its own, so the window does not wait for the disk). The OS
drops the lock when the process ends, however it ends: a file left by an app that
crashed on this computer is taken over by the next one. A file naming another computer is
reported and left alone, even when its lock can be taken: locks on a shared network folder do
not always reach across computers, so the other app may well still be running.

On a file system that offers no locks at all, the app still opens (a warning is logged) and only
the text in the file can tell a second app that the folder is open.

The file is emptied on close but never deleted: deleting a lock file lets a process that opened
it just before lock the deleted file while a third locks a new one.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import socket
import sys
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from outreach_app.domain.errors import FolderInUse, StoreError
from outreach_app.i18n import Text, _l

log = logging.getLogger(__name__)
LOCK_NAME = "outreach.lock"
_WINDOWS_LOCK_OFFSET = 0x4000_0000  # lock a byte far past the text, which others must read
_HELD = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES}  # what a lock held elsewhere raises


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int
    started_at: str  # ISO 8601, UTC

    def text(self) -> Text:
        try:
            since = datetime.fromisoformat(self.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            since = self.started_at
        return _l(
            "{host} (process {pid}, open since {since})", host=self.host, pid=self.pid, since=since
        )

    def describe(self) -> str:
        return self.text().english()


def this_computer() -> str:
    return socket.gethostname() or "this computer"


def _lock(fd: int) -> None:
    """Raises OSError when another process holds the lock."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _read_holder(fd: int) -> Holder | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 4096)
    if not raw.strip():
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        return Holder(
            host=str(data["host"]), pid=int(data["pid"]), started_at=str(data["started_at"])
        )
    except (ValueError, KeyError, TypeError):
        return Holder(host="an unknown computer", pid=0, started_at="")


def _write_holder(fd: int, holder: Holder) -> threading.Thread:
    """Writes who holds the lock; the thread returned makes it durable (on a network folder,
    seen by the other computers) while the app goes on opening: the window need not wait."""
    data = {"app": "outreach-tally", **asdict(holder)}
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, (json.dumps(data) + "\n").encode("utf-8"))
    syncing = threading.Thread(target=_sync, args=(fd,), name="folder-lock-sync", daemon=True)
    syncing.start()
    return syncing


def _sync(fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError:
        log.warning("could not write the folder lock to disk", exc_info=True)


def in_use_message(folder: Path, holder: Holder | None) -> Text:
    who = holder.text() if holder else _l("another process on this computer")
    return _l(
        "The data folder {folder} is open in Outreach Tally on {who}.", folder=folder, who=who
    )


class FolderLock:
    """Held by the app from start to close; `release()` (or the process ending) lets go."""

    def __init__(
        self,
        path: Path,
        fd: int,
        holder: Holder,
        took_over: Holder | None,
        remove: bool,
        syncing: threading.Thread | None = None,
    ) -> None:
        self._syncing = syncing  # the holder's fsync, joined before the file is emptied
        self.path = path
        self.holder = holder
        self.took_over = took_over  # the stale holder this one replaced, if any
        self._fd: int | None = fd
        self._remove = remove

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if self._syncing is not None:
            self._syncing.join()
        try:
            os.ftruncate(fd, 0)  # emptied while still locked: no one reads a half-cleared file
            if self._remove and sys.platform != "win32":
                self.path.unlink(missing_ok=True)  # while still locked
            _unlock(fd)
        except OSError:
            log.warning("could not clear the folder lock %s", self.path, exc_info=True)
        finally:
            os.close(fd)
        if self._remove and sys.platform == "win32":  # pragma: no cover - an open file stays
            with contextlib.suppress(OSError):
                self.path.unlink()


def _open(path: Path) -> tuple[int, bool]:
    """The lock file's descriptor, and whether this call created the file."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644), True
    except FileExistsError:
        return os.open(path, os.O_RDWR), False


def acquire(folder: Path, *, leave_no_trace: bool = False) -> FolderLock:
    """The folder's lock for this process, or FolderInUse naming who has the folder open.

    `leave_no_trace` (a short command such as `restore`): a lock file this call created is
    removed on release, so a refused command leaves the folder as it was. (The app keeps its
    file: removing one is only safe when no one else is about to open it.)
    """
    path = folder / LOCK_NAME
    try:
        fd, created = _open(path)
    except OSError as exc:
        raise StoreError(
            _l("Cannot create {path}: {reason}. Check the folder.", path=path, reason=exc.strerror)
        ) from None
    try:
        try:
            _lock(fd)
        except OSError as exc:
            if exc.errno not in _HELD:  # a file system without locks: the file's text only
                log.warning("the folder %s cannot be locked (%s)", folder, exc.strerror)
            else:
                raise FolderInUse(
                    _l(
                        "{message} Close the app there first.",
                        message=in_use_message(folder, _read_holder(fd)),
                    )
                ) from None
        previous = _read_holder(fd)
        me = this_computer()
        if previous is not None and previous.host != me:
            _unlock(fd)
            raise FolderInUse(
                _l(
                    "{message} Close the app there first. If it is no longer running there (that "
                    "computer crashed or was switched off), delete {path} and try again.",
                    message=in_use_message(folder, previous),
                    path=path,
                )
            )
        if previous is not None:
            log.warning("taking over the folder lock left by %s", previous.describe())
        holder = Holder(me, os.getpid(), datetime.now(UTC).isoformat(timespec="seconds"))
        syncing = _write_holder(fd, holder)
    except BaseException:
        os.close(fd)
        raise
    return FolderLock(
        path, fd, holder, previous, remove=created and leave_no_trace, syncing=syncing
    )
