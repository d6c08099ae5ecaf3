"""Files pkanban writes for the user (exports, backups) and files it reads from a path or stdin.

A write never goes through what is already at the target: a symlink, a device, a FIFO, a folder
or a socket is refused by name (root could otherwise turn /dev/null into a plain file), and an
existing regular file is replaced only when the user said so. The data goes to a private (0600)
temporary file in the target's folder, opened with O_EXCL|O_NOFOLLOW, is fsynced, and then
takes the target's name in one step — `os.link` when nothing may be overwritten (it fails
instead of clobbering a file that appeared meanwhile), `os.replace` when the user said to
replace — so a crash leaves the old file or the new one, never half of one.
"""

import errno
import os
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from itertools import count
from pathlib import Path
from typing import BinaryIO

from pkanban.domain.errors import InvalidInput
from pkanban.domain.text import clean_text

STDIN = "-"
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symlink"),
)
# Filesystems without hard links (FAT, some network mounts) say one of these to os.link.
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV}


class TargetExists(InvalidInput):
    """The target is an existing regular file and the user has not said to replace it."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"{shown(path)} exists — add --force to replace it")


def shown(path: Path | str) -> str:
    """A path as a message may quote it: no escape sequences or control characters."""
    return clean_text(str(path))


def check_target(path: Path, *, replace: bool = False) -> None:
    """Refuse a target that is not a new path or (with `replace`) an existing regular file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise InvalidInput(f"{shown(path)} is {kind}, not a file — name a new file")
    if not replace:
        raise TargetExists(path)


def write_file(
    path: Path,
    fill: Callable[[int, Path], None],
    *,
    replace: bool = False,
    next_free: bool = False,
) -> Path:
    """Write a new private file at `path` through `fill`, whole or not at all; return its path.

    `fill(descriptor, temporary_path)` writes the content, either to the open descriptor or to
    the (empty, private) file by its path, e.g. with SQLite's backup API. `replace` allows an
    existing regular file to be replaced; `next_free` instead takes the first free name of
    `path`, `path-2`, `path-3` … (for default names, which must never collide).
    """
    path = Path(path).expanduser()
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"No folder {shown(folder)} — create it first")
    if not next_free:
        check_target(path, replace=replace)
    temporary, descriptor = _open_temporary(path)
    try:
        try:
            fill(descriptor, temporary)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        written = _commit(temporary, path, replace=replace, next_free=next_free)
    finally:
        temporary.unlink(missing_ok=True)
    _sync(folder)
    return written


def write_bytes(path: Path, data: bytes, *, replace: bool = False, next_free: bool = False) -> Path:
    """`write_file` for content already in memory."""

    def fill(descriptor: int, _: Path) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]

    return write_file(path, fill, replace=replace, next_free=next_free)


@contextmanager
def open_input(path: Path | str) -> Iterator[tuple[str, Callable[[], BinaryIO]]]:
    """The name to report and an opener of an input file that reads it from the start on
    every call (an import reads its file twice, and never holds it whole); `-` is stdin.

    Standard input, a FIFO or a process substitution can be read only once: it is spooled
    first to private temporary file (0600, removed when the import ends). Only a folder or a
    missing path is refused.
    """
    if str(path) == STDIN:
        name, stream = "stdin", sys.stdin.buffer
    else:
        path = Path(path).expanduser()
        try:
            mode = os.stat(path).st_mode
        except OSError:
            raise InvalidInput(f"No file at {shown(path)}") from None
        if stat.S_ISDIR(mode):
            raise InvalidInput(f"{shown(path)} is a folder — name a file")
        if stat.S_ISREG(mode):
            yield path.name, lambda: path.open("rb")
            return
        name, stream = path.name, path.open("rb")
    with tempfile.NamedTemporaryFile(prefix="pkanban-import-") as spool:
        try:
            shutil.copyfileobj(stream, spool)
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
        spool.flush()
        yield name, lambda: open(spool.name, "rb")  # noqa: SIM115


def _open_temporary(path: Path) -> tuple[Path, int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    while True:
        # Room for the suffix within a file name's 255 bytes.
        name = os.fsencode(path.name)[:200].decode(errors="ignore")
        temporary = path.with_name(f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(temporary, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as error:
            raise InvalidInput(f"Cannot write in {shown(path.parent)}: {error.strerror}") from None
        os.fchmod(descriptor, 0o600)  # whatever the umask
        return temporary, descriptor


def _commit(temporary: Path, path: Path, *, replace: bool, next_free: bool) -> Path:
    """Give the finished temporary file its name: never over anything unless `replace`."""
    if replace:
        check_target(path, replace=True)  # again: it may have changed while we wrote
        os.replace(temporary, path)
        return path
    for candidate in candidate_names(path) if next_free else [path]:
        try:
            os.link(temporary, candidate, follow_symlinks=False)
            return candidate
        except FileExistsError:
            if not next_free:
                check_target(candidate)  # says what is there
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS:
                raise
            if next_free and os.path.lexists(candidate):
                continue
            check_target(candidate)  # no hard links here: check, then rename
            os.replace(temporary, candidate)
            return candidate
    raise TargetExists(path)


def candidate_names(path: Path) -> Iterator[Path]:
    """`path`, then `path-2`, `path-3` … (before the suffix): the names a default may take."""
    yield path
    for n in count(2):
        yield path.with_name(f"{path.stem}-{n}{path.suffix}")


def _sync(path: Path) -> None:
    """fsync a folder, so that a rename in it survives a power cut."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        with suppress(OSError):  # some filesystems cannot fsync a folder; the file was synced
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
