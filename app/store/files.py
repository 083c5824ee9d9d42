"""Files the app writes: private, written whole, and never over something that matters.

- Private (POSIX): the data folder is 0700 and every file the app writes 0600, so other people
  with an account on the same computer cannot read the diary or a report. SQLite gives a
  database's WAL and shared-memory files the database file's own mode, so `make_private_database`
  makes that file 0600 before SQLite creates it, and takes group and other access away from
  files an older version left open. Owner bits are never added: a read-only file stays read-only.
- Whole: `atomic_file` writes a temporary file beside the destination, named `.facet-tmp-...`,
  flushes and fsyncs it, moves it into place and fsyncs the folder, so a crash or a full disk
  leaves the old file or the new one, never half of one.
- Left-overs: an export can record its temporary file in the data folder
  (`unfinished-exports/`); `remove_stale_temporaries`, run when the diary is opened, removes
  temporary files of exports that were interrupted (only names starting with `.facet-tmp-`,
  untouched for `STALE_AFTER_SECONDS`, whose writer is no longer running), never anything else.
- Never over what matters: a destination inside the data folder (the diary, its WAL and SHM,
  the backups) is refused with `DestinationRefused`; an existing file is refused, replaced, or
  kept with the new file saved under the next free name ("report (2).pdf"), as the caller asks.

This module sits in the store because the store's own files (the database, backups) need it
and the store may not import services (tests/test_layers.py); exporters in services use it too.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.i18n import N_

log = logging.getLogger(__name__)

POSIX = os.name == "posix"
FOLDER_MODE = 0o700
FILE_MODE = 0o600
TEMP_PREFIX = ".facet-tmp-"
PENDING_FOLDER = "unfinished-exports"
# A report of years of diary takes seconds; a temporary file untouched this long whose writer
# has gone is a left-over.
STALE_AFTER_SECONDS = 10 * 60
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
MOST_NUMBERED_NAMES = 999

IfExists = Literal["refuse", "replace", "new_name"]
# For a screen, where the folder is in sight; `check_destination`'s message names both paths.
DIARY_FOLDER = N_(
    "This is the folder where the app keeps your diary. Choose another folder, "
    "for example Documents."
)


class DestinationRefused(ValueError):
    """A file may not be written there; `str()` is one plain line saying why."""


# --- private modes ----------------------------------------------------------------------------


def make_private_folder(path: str | os.PathLike) -> Path:
    """Create `path` (and its parents) with the folder itself 0700, or take group and other
    access away from it when it already exists (Kivy makes the user data folder 0755)."""
    path = Path(path)
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    private_file_mode(path)
    return path


def private_file_mode(path: str | os.PathLike) -> None:
    """Take group and other access away from an existing file or folder; the owner's bits are
    kept as they are. A link, a missing file or one that is not ours is left alone."""
    if not POSIX:
        return
    try:
        status = os.lstat(path)
        mode = stat.S_IMODE(status.st_mode)
        if mode & 0o077 and not stat.S_ISLNK(status.st_mode):
            os.chmod(path, mode & 0o700)
    except FileNotFoundError:
        pass
    except OSError as error:  # not ours, a read-only disk, a FAT memory stick: nothing to do
        log.info("Could not make %s private: %s", path, error)


def make_private_database(path: str | os.PathLike) -> None:
    """Before SQLite opens the database at `path`: create it empty and 0600 when missing, so its
    WAL and shared-memory files are born 0600 too, and make an existing one and its side files
    private."""
    path = Path(path)
    if POSIX:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        except FileExistsError:
            pass
        except OSError:
            pass  # a folder that cannot be written to: SQLite reports it when it opens
    for file in (path, *(path.with_name(path.name + side) for side in SQLITE_SIDE_FILES)):
        private_file_mode(file)


# --- where a file may go ----------------------------------------------------------------------


def check_destination(path: str | os.PathLike, data_dir: str | os.PathLike) -> None:
    """Raise `DestinationRefused` when `path` is the data folder or inside it (the diary, its
    WAL and SHM files, the backups), however it is spelled (links, `..`, letter case)."""
    folder = Path(data_dir)
    if _is_inside(Path(path), folder):
        raise DestinationRefused(
            f"Not written: {path} is in the folder where the app keeps your diary ({folder}). "
            "Choose another folder, for example Documents."
        )


def database_folder(conn: sqlite3.Connection) -> Path | None:
    """The folder of the database `conn` has open (its data folder); None when in memory."""
    for _number, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file).parent if file else None
    return None


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        folder = folder.resolve()
        target = path.resolve()
    except (OSError, RuntimeError):  # a link loop: compare what can be compared
        folder, target = folder.absolute(), path.absolute()
    if target == folder or folder in target.parents:
        return True
    if not folder.exists():
        return False
    for candidate in (target, *target.parents):  # the same folder under another name
        with contextlib.suppress(OSError):
            if candidate.exists() and os.path.samefile(candidate, folder):
                return True
    return False


def numbered_names(path: Path) -> Iterator[Path]:
    """`path`, then "name (2).ext", "name (3).ext"... as a file manager names a second copy."""
    yield path
    for number in range(2, MOST_NUMBERED_NAMES + 1):
        yield path.with_name(f"{path.stem} ({number}){path.suffix}")


# --- writing a file whole ---------------------------------------------------------------------


@dataclass
class AtomicFile:
    temp: Path  # write here inside the `with` block
    path: Path  # where the file goes; after the block, where it went


@contextlib.contextmanager
def atomic_file(
    path: str | os.PathLike,
    *,
    if_exists: IfExists = "replace",
    data_dir: str | os.PathLike | None = None,
) -> Iterator[AtomicFile]:
    """Write a file whole: the caller writes `.temp`; when the block ends without an error it
    is fsynced and moved to `path` (0600), and the folder fsynced; on an error it is removed.

    `if_exists`: "refuse" raises FileExistsError (before any work, and again at the move, so
    a file that appears meanwhile is not replaced); "replace" replaces it; "new_name" keeps it
    and uses the next free name, see `numbered_names`. With `data_dir`, a destination inside
    the data folder is refused and the temporary file is recorded there, so that
    `remove_stale_temporaries` can find it after a crash."""
    path = Path(path)
    if data_dir is not None:
        check_destination(path, data_dir)
    if if_exists == "refuse" and (path.exists() or path.is_symlink()):
        raise _exists(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:  # a file where the folder should be: not "already exists"
        raise NotADirectoryError(
            errno.ENOTDIR, os.strerror(errno.ENOTDIR), error.filename
        ) from error
    handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)  # mkstemp: 0600
    os.close(handle)
    file = AtomicFile(Path(name), path)
    marker = _record_pending(file.temp, data_dir) if data_dir is not None else None
    try:
        yield file
        private_file_mode(file.temp)  # in case the writer made the file anew
        _fsync(file.temp)
        file.path = _move_into_place(file.temp, path, if_exists)
        _fsync_folder(path.parent)
    except BaseException:
        file.temp.unlink(missing_ok=True)
        raise
    finally:
        if marker is not None:
            _forget_pending(marker)


def write_atomically(
    path: str | os.PathLike,
    data: bytes,
    *,
    if_exists: IfExists = "replace",
    data_dir: str | os.PathLike | None = None,
) -> Path:
    """`data` written whole to `path` (see `atomic_file`); returns where it went."""
    with atomic_file(path, if_exists=if_exists, data_dir=data_dir) as file:
        file.temp.write_bytes(data)
    return file.path


def _exists(path: Path) -> FileExistsError:
    return FileExistsError(errno.EEXIST, "A file of that name already exists", str(path))


def _move_into_place(temp: Path, path: Path, if_exists: IfExists) -> Path:
    if if_exists == "replace":
        os.replace(temp, path)
        return path
    for candidate in numbered_names(path) if if_exists == "new_name" else (path,):
        if _move_unless_taken(temp, candidate):
            return candidate
    raise _exists(path)


def _move_unless_taken(temp: Path, target: Path) -> bool:
    """Move `temp` to `target` unless a file (or a link) is there already; False when one is.
    A hard link fails instead of replacing, so nothing that appears meanwhile is lost."""
    try:
        os.link(temp, target)
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links (a FAT memory stick)
        if target.exists() or target.is_symlink():
            return False
        os.rename(temp, target)
        return True
    temp.unlink()
    return True


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Windows cannot open a folder, and some file systems
    refuse the call: the file is in place by then, so that is not worth failing for."""
    if not POSIX:
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES):
            raise
    finally:
        os.close(descriptor)


# --- left-overs of interrupted exports --------------------------------------------------------


def _record_pending(temp: Path, data_dir: str | os.PathLike) -> Path | None:
    """A small file in the data folder naming `temp`, removed when the export ends."""
    marker = Path(data_dir) / PENDING_FOLDER / f"{os.getpid()}-{temp.name[len(TEMP_PREFIX) :]}"
    for _attempt in range(2):  # another export may remove the folder as it empties
        try:
            make_private_folder(marker.parent)
            descriptor = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileNotFoundError:
            continue
        except OSError as error:  # the export itself matters more than its clean-up note
            log.warning("Could not note the temporary file %s: %s", temp, error)
            return None
        with os.fdopen(descriptor, "wb") as out:
            out.write(os.fsencode(temp.resolve()))
        return marker
    return None


def _forget_pending(marker: Path) -> None:
    """Remove the marker, and its folder once empty, so the data folder holds only the diary."""
    marker.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # another export's marker is still there
        marker.parent.rmdir()


def remove_stale_temporaries(
    data_dir: str | os.PathLike, *, now: float | None = None
) -> list[Path]:
    """Remove what interrupted exports and writes left: files named `.facet-tmp-...` in the
    data folder and its subfolders, and those recorded in `unfinished-exports/`, when untouched
    for `STALE_AFTER_SECONDS` and their writer is no longer running. Returns what was removed."""
    now = time.time() if now is None else now
    folder = Path(data_dir)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    with contextlib.suppress(OSError):
        for candidate in [
            folder,
            *(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()),
        ]:
            for entry in candidate.iterdir():
                if _remove_if_stale(entry, now):
                    removed.append(entry)
    pending = folder / PENDING_FOLDER
    with contextlib.suppress(OSError):
        for marker in list(pending.iterdir()) if pending.is_dir() else []:
            if _is_fresh(marker, now) or _writer_running(marker.name):
                continue
            with contextlib.suppress(OSError, ValueError):
                temp = Path(os.fsdecode(marker.read_bytes()))
                if _remove_if_stale(temp, now):
                    removed.append(temp)
                if temp.is_symlink() or not temp.exists():
                    _forget_pending(marker)
    return removed


def _remove_if_stale(path: Path, now: float) -> bool:
    if not path.name.startswith(TEMP_PREFIX):
        return False
    try:
        status = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(status.st_mode) or now - status.st_mtime < STALE_AFTER_SECONDS:
        return False
    try:
        path.unlink()
    except OSError as error:
        log.warning("Could not remove the left-over %s: %s", path, error)
        return False
    return True


def _is_fresh(path: Path, now: float) -> bool:
    try:
        return now - path.stat().st_mtime < STALE_AFTER_SECONDS
    except OSError:
        return True


def _writer_running(marker_name: str) -> bool:
    """Whether the process that wrote the marker ("<pid>-...") still runs (POSIX only: on
    Windows signal 0 is not a question)."""
    pid_text = marker_name.split("-", 1)[0]
    if not POSIX or not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: it exists
        return True
    return True
