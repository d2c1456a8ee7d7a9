"""Reading and replacing a host's config file without losing anyone's data.

- A symlinked config is followed: the target is edited and the link kept.
- Only regular files are read; a FIFO, device, socket or folder is refused after a stat,
  and the open itself is non-blocking, so nothing can make us wait on a pipe.
- A read-only config is refused, not replaced (renaming over it would succeed).
- Writers hold a lock on the config's folder (on Windows, on a `.agent-mcp.lock` file in
  it), and the file is re-read under the lock: if it changed since it was planned (another
  install, or the host itself), the caller plans again.
- The previous version is saved as a backup created 0600 from its first byte; the new text
  goes to a temporary file renamed over the original, so no half-written config is left.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from collections.abc import Generator
from datetime import datetime
from pathlib import Path

from agent_mcp.hosts.errors import HostError

MAX_BYTES = 64 * 1024 * 1024
"""Larger than any real config (~/.claude.json with years of history is a few MiB)."""


class Stale(Exception):
    """The file changed between planning and writing; plan again."""


def target(path: Path) -> Path:
    """The file to edit: ``path``, or where its symlinks lead."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def read(path: Path) -> bytes | None:
    """The file's bytes, or None when there is none yet."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    _check(path, info.st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        # Swapped for something else since the stat: look at what was actually opened.
        _check(path, os.fstat(fd).st_mode)
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > MAX_BYTES:
                raise HostError(f"{path}: over {MAX_BYTES >> 20} MiB; the file was left untouched")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _check(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise HostError(f"{path}: is a folder, not a config file; nothing was written")
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise HostError(f"{path}: is {kind}, not a regular file; nothing was read or written")


def check_writable(path: Path) -> None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    # Mode bits, not os.access: root may write anything, but a read-only config is a choice.
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise HostError(
            f"{path}: is read-only (mode {stat.S_IMODE(info.st_mode):04o}); the file was left "
            "untouched. Make it writable (chmod u+w) to install, or edit it by hand"
        )


LOCK_NAME = ".agent-mcp.lock"


@contextlib.contextmanager
def locked(folder: Path) -> Generator[None, None, None]:
    """Exclusive among agent-mcp processes editing files in ``folder``."""
    if sys.platform == "win32":
        # Windows cannot lock a folder; a byte of a lock file beside the config serves.
        # LK_LOCK retries for about 10 s, then raises OSError (another install is stuck).
        import msvcrt

        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)
        return
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def replace(
    path: Path, text: str, expected: bytes | None, *, new_mode: int, now: datetime | None = None
) -> Path | None:
    """Write ``text`` over ``path`` if it still holds ``expected``; returns the backup made.

    ``new_mode`` is for a file that did not exist (the umask applies); an existing file
    keeps its own mode.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path.parent):
        if read(path) != expected:
            raise Stale(str(path))
        check_writable(path)
        backup = _backup(path, expected, now or datetime.now()) if expected is not None else None
        mode = stat.S_IMODE(os.stat(path).st_mode) if expected is not None else None
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(
            temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if mode is not None else new_mode
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                if mode is not None:
                    # Keep the original's permissions: ~/.claude.json, for one, is private.
                    os.chmod(temp, mode)
                stream.write(text)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return backup


def _backup(path: Path, content: bytes, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    counter = 1
    while True:
        suffix = stamp if counter == 1 else f"{stamp}-{counter}"
        backup = path.with_name(f"{path.name}.{suffix}.bak")
        try:
            # 0600 from the first byte: the config may hold tokens.
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            counter += 1
            continue
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
        return backup
