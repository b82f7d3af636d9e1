"""Writing a file that holds people's data: whole or not at all, and readable by its owner alone.

A file is written under a temporary name in the folder it goes to, flushed to the disk, and only
then renamed to the name asked for, so nobody ever reads half a file and a failure leaves nothing
behind: neither the file nor the temporary one. It is created readable and writable by its owner
only (:data:`FILE_MODE`). Whatever goes wrong (a missing folder, a name that is a folder, a full
disk, a folder that cannot be written to) is :class:`FileNotWritten`, which names the file and
says why in a few plain words.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_file(folder / "map.json", b"{}")
>>> oct((folder / "map.json").stat().st_mode & 0o777)
'0o600'
>>> write_file(folder / "map.json", b"[]", replace=False)
Traceback (most recent call last):
...
ecomap.files.FileNotWritten: .../map.json: it already exists; nothing was written
>>> write_file(folder / "nowhere" / "map.json", b"{}")
Traceback (most recent call last):
...
ecomap.files.FileNotWritten: .../nowhere/map.json: the folder .../nowhere does not exist; nothing was written
>>> sorted(p.name for p in folder.iterdir())
['map.json']
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ecomap.errors import EcomapError

__all__ = ["FILE_MODE", "FileNotWritten", "check_writable", "new_file", "write_file"]

#: The mode of every file Ecomap writes: its owner may read and write it, nobody else may read it.
FILE_MODE = 0o600

#: Why a file could not be written, in a few plain words, by the error the system gave.
_REASONS = {
    errno.ENOENT: "the folder {folder} does not exist",
    errno.ENOTDIR: "{folder} is not a folder",
    errno.EISDIR: "it is a folder",
    errno.EEXIST: "it already exists",
    errno.ENOSPC: "there is no room left on the disk",
    errno.EDQUOT: "there is no room left on the disk",
    errno.EFBIG: "it is too large for the disk",
    errno.EACCES: "the folder {folder} cannot be written to",
    errno.EPERM: "the folder {folder} cannot be written to",
    errno.EROFS: "the folder {folder} is on a disk that cannot be written to",
    errno.ENAMETOOLONG: "the name is too long",
}
#: The reason given for a file that exists and is not an ordinary file (a device, a pipe, a socket).
_NOT_A_FILE = "it is not an ordinary file (a device, a pipe or a socket)"
#: Systems where a hard link is not possible: an existing file is then looked for just before the rename.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV}


class FileNotWritten(EcomapError):
    """A file that could not be written; nothing was left behind. ``reason`` says why in a few plain words."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}; nothing was written")


def _not_written(path: Path, exc: OSError) -> FileNotWritten:
    reason = _REASONS.get(exc.errno or 0, exc.strerror or "it cannot be written")
    return FileNotWritten(path, reason.format(folder=path.parent))


def check_writable(path: str | Path, *, replace: bool = True) -> Path:
    """The file to write for ``path`` (a link followed to what it names), or :class:`FileNotWritten` now.

    Says early, before the work of making a file, what would stop it being written: a missing
    folder, a name that is a folder or a device, or (with ``replace=False``) a file already there.
    A full disk or a folder that cannot be written to shows only when writing.

    Examples
    --------
    >>> check_writable("/dev/null")
    Traceback (most recent call last):
    ...
    ecomap.files.FileNotWritten: /dev/null: it is not an ordinary file (a device, a pipe or a socket); nothing ...
    """
    target = Path(os.path.realpath(path))
    shown = Path(path)
    try:
        found = target.stat()
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise _not_written(shown, exc) from None
    if found is not None:
        if stat.S_ISDIR(found.st_mode):
            raise FileNotWritten(shown, _REASONS[errno.EISDIR])
        if not stat.S_ISREG(found.st_mode):
            raise FileNotWritten(shown, _NOT_A_FILE)
        if not replace:
            raise FileNotWritten(shown, _REASONS[errno.EEXIST])
    elif not target.parent.exists():
        raise FileNotWritten(shown, _REASONS[errno.ENOENT].format(folder=shown.parent))
    elif not target.parent.is_dir():
        raise FileNotWritten(shown, _REASONS[errno.ENOTDIR].format(folder=shown.parent))
    return target


def _sync_folder(folder: Path) -> None:
    # The rename is on the disk once the folder is; a system that cannot sync a folder still renamed.
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _put_in_place(temporary: Path, target: Path, shown: Path, *, replace: bool) -> None:
    if replace:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)  # fails if a file appeared there meanwhile: nothing is overwritten
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if target.exists():
            raise FileNotWritten(shown, _REASONS[errno.EEXIST]) from None
        os.replace(temporary, target)
    else:
        temporary.unlink()


@contextmanager
def new_file(path: str | Path, *, replace: bool = True) -> Iterator[Path]:
    """A temporary file beside ``path`` to write; when the block ends it is synced and renamed to ``path``.

    The temporary file exists (empty, mode :data:`FILE_MODE`) when the block starts. If the block
    raises, or the file cannot be put in place, the temporary file is removed and ``path`` is as it
    was; an :class:`OSError` from the block is about writing the file, and becomes :class:`FileNotWritten`.
    With ``replace=False`` an existing file is never overwritten, even one that appears meanwhile.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with new_file(folder / "notes.txt") as temporary:
    ...     _ = temporary.write_text("whole")
    >>> (folder / "notes.txt").read_text()
    'whole'
    """
    shown = Path(path)
    target = check_writable(path, replace=replace)
    try:
        descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise _not_written(shown, exc) from None
    os.close(descriptor)  # mkstemp made it FILE_MODE, whatever the umask
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as written:
            os.fsync(written.fileno())
        _put_in_place(temporary, target, shown, replace=replace)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _not_written(shown, exc) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def write_file(path: str | Path, data: bytes, *, replace: bool = True) -> None:
    """Write ``data`` to ``path`` whole, or raise :class:`FileNotWritten` and leave nothing behind.

    With ``replace=False`` an existing file is kept and the write refused.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_file(folder / "map.csv", b"Name\\n")
    >>> (folder / "map.csv").read_bytes()
    b'Name\\n'
    """
    with new_file(path, replace=replace) as temporary, temporary.open("wb") as handle:
        handle.write(data)
