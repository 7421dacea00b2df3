"""Reading and writing files safely: bounded reads, whole-or-nothing writes, input discovery.

- :func:`read_regular` reads a regular file only (never a named pipe, device or socket, which
  could block forever or never end), refuses it from its ``stat`` size before reading a byte
  when it is too large, and never reads more than the limit even if the file grows meanwhile.
- :func:`atomic_write` and :func:`private_temp` write through a temporary file of this run
  only (a unique name next to the target), then :func:`os.replace` it over the target: a reader
  sees the old file or the whole new one, and two runs writing the same target never share a
  temporary file.
- :func:`find_inputs` lists the files under the given paths without recursion (any depth),
  and names every entry it cannot use (unreadable folder, named pipe, broken link, link loop)
  with a one-line reason instead of skipping it.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from topictrack.errors import FileTooLargeError, TopictrackError, TranscriptError


class NotRegularFileError(TranscriptError):
    """The path is a named pipe, device, socket or folder, not a file to read."""


class OutputError(TopictrackError):
    """An output file could not be written; the message names it and says why."""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (the link leads back to itself)"
    return exc.strerror or str(exc)


def read_regular(path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises :class:`NotRegularFileError` for anything but a regular file (checked on the open
    descriptor, which is opened without blocking so a named pipe cannot stall the call),
    :class:`~topictrack.errors.FileTooLargeError` when the file is (or grows) larger than
    ``limit``, and :class:`~topictrack.errors.TranscriptError` when it cannot be opened.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise TranscriptError(path, f"cannot be read ({_reason(exc)})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(path, f"is {_kind(info.st_mode)}, not a transcript file")
        if info.st_size > limit:
            raise FileTooLargeError(path, _too_large(info.st_size, limit))
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileTooLargeError(path, _too_large(total, limit) + " (it grew while being read)")
        return b"".join(chunks)
    except OSError as exc:
        raise TranscriptError(path, f"cannot be read ({_reason(exc)})") from None
    finally:
        os.close(fd)


def _too_large(size: int, limit: int) -> str:
    return (f"file is {size / 2**20:.1f} MB; the reader accepts at most "
            f"{limit // 2**20} MB per transcript")


# --------------------------------------------------------------------------- writing


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target_folder(path: Path) -> Path:
    folder = path.parent
    if not folder.exists():
        raise OutputError(f"cannot write {path}: folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is not a folder")
    return folder


def check_writable_target(path) -> None:
    """Raise :class:`OutputError` now when ``path`` cannot be an output file (its folder is
    missing or is a file, or ``path`` is a folder), before any long work is done."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder")
    _target_folder(path)


def private_temp(path) -> str:
    """A new, empty temporary file next to ``path``, unique to this call (``.NAME.*.partial``).

    Its permissions are those a plain new file would get. The caller renames it over ``path``
    with :func:`os.replace` when it is complete, or deletes it.
    """
    path = Path(path)
    folder = _target_folder(path)
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".partial")
        try:
            os.fchmod(fd, 0o666 & ~_umask())
        finally:
            os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    return temp


def atomic_write(path, data) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` whole or not at all.

    On any failure (full disk, missing folder, no permission) the previous ``path`` is left as
    it was, the temporary file is removed and :class:`OutputError` says why.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    temp = private_temp(path)
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        discard(temp)
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    except BaseException:
        discard(temp)
        raise


def discard(temp) -> None:
    """Remove a temporary file if it is still there."""
    try:
        os.unlink(temp)
    except OSError:
        pass


class writing:
    """Context manager turning an :class:`OSError` while writing ``path`` into an
    :class:`OutputError` that names the file (a full disk, a folder that is a file...)."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {self.path}: {_reason(exc)}") from None
        return False


def writable_folder(folder) -> str | None:
    """None when files can be created in ``folder`` (made if missing), else the reason."""
    try:
        os.makedirs(folder, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".probe-")
        os.close(fd)
        os.unlink(temp)
    except OSError as exc:
        return _reason(exc)
    return None


# --------------------------------------------------------------------------- discovery


def _scandir(folder: str):
    """The entries of ``folder`` (a seam for tests that simulate unreadable folders)."""
    with os.scandir(folder) as entries:
        return list(entries)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def find_inputs(paths, *, skip_names=("__init__.py",)) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files under ``paths`` and the entries that cannot be inputs, with why.

    Files given directly are kept as given (they are checked when read). Folders are walked
    without recursion, following links to folders once each (a link back to a folder already
    walked is skipped, so a loop cannot repeat); hidden names and ``skip_names`` are left out.
    Returns ``(files, problems)``: files sorted, problems as ``(path, reason)`` for folders that
    cannot be listed, broken links, link loops and entries that are not regular files.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: set = set()
    problems: list = []
    for item in paths:
        item = Path(item)
        if not item.is_dir():
            files.add(item)
            continue
        seen = set()
        stack = [str(item)]
        while stack:
            folder = stack.pop()
            try:
                info = os.stat(folder)
                if (info.st_dev, info.st_ino) in seen:
                    continue
                seen.add((info.st_dev, info.st_ino))
                entries = _scandir(folder)
            except OSError as exc:
                problems.append((folder, f"folder cannot be read ({_reason(exc)})"))
                continue
            for entry in entries:
                if _hidden(entry.name):
                    continue
                full = entry.path
                try:
                    mode = os.stat(full).st_mode
                except OSError as exc:
                    if entry.is_symlink() and exc.errno == errno.ENOENT:
                        problems.append((full, "broken symbolic link: its target does not exist"))
                    else:
                        problems.append((full, f"cannot be read ({_reason(exc)})"))
                    continue
                if stat.S_ISDIR(mode):
                    stack.append(full)
                elif stat.S_ISREG(mode):
                    if entry.name not in skip_names:
                        files.add(Path(full))
                else:
                    problems.append((full, f"is {_kind(mode)}, not a transcript file"))
    return sorted(files), sorted(problems)
