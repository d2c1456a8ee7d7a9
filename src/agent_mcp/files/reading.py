"""Every read of served content, checked at read time.

A listing is a promise made earlier; between it and a read, any component may have
been swapped for a symlink, a FIFO or a device. So each read walks the file's
components from its trusted root with ``O_NOFOLLOW`` (a link anywhere below the root
fails the walk), looks at the last one without opening it (a FIFO or device is never
opened), opens it non-blocking, checks the open descriptor is a regular file, and
reads at most ``limit`` bytes. A file that grew past the limit is an error, never a
truncated read: a cut-off file would be served under a digest of bytes nobody wrote.

On Linux the common case takes fewer system calls with the same guarantee: the file is
opened by its full symlink-free path (``O_NOFOLLOW`` guards the last component) and the
kernel's record of what was opened (``/proc/self/fd``) must be exactly that path. A link
swapped in above the file makes the record name somewhere else; then, as everywhere
else, the walk decides (and refuses).

Failures are ``Refused`` (an ``OSError``) whose message names no server path.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from agent_mcp.files.paths import Anchored

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 20


class Refused(OSError):
    """A read that the checks refused; ``strerror`` says why, without any path."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(code, reason)


def kind(mode: int) -> str:
    """What a non-regular file is, in words for a diagnostic."""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symlink"
    return "not a regular file"


_PROC_FD = "/proc/self/fd/"
_HAS_PROC_FD = os.path.isdir(_PROC_FD)


def open_checked(ref: Anchored) -> int:
    """A descriptor for the regular file at ``ref``, opened without following links."""
    return _open(ref)[0]


def _open(ref: Anchored) -> tuple[int, int]:
    """``open_checked``'s descriptor and the file's size when it was opened."""
    if ref.path == ref.root:
        raise Refused(errno.EISDIR, "it is a folder")
    if _HAS_PROC_FD:
        opened = _open_verified(ref.path)
        if opened is not None:
            return opened
    if os.open not in os.supports_dir_fd:  # pragma: no cover - not on POSIX
        fd = os.open(ref.path, _FILE_FLAGS)
        return fd, _check_regular(fd)
    folder = os.open(ref.root, _DIR_FLAGS)
    try:
        parts = ref.parts
        for part in parts[:-1]:
            try:
                inner = os.open(part, _DIR_FLAGS | _NOFOLLOW, dir_fd=folder)
            except OSError as exc:
                raise _refusal(exc) from None
            os.close(folder)
            folder = inner
        name = parts[-1]
        try:
            st = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except OSError as exc:
            raise _refusal(exc) from None
        if not stat.S_ISREG(st.st_mode):
            raise Refused(errno.EPERM, f"it is {kind(st.st_mode)}, not a regular file")
        try:
            fd = os.open(name, _FILE_FLAGS, dir_fd=folder)
        except OSError as exc:
            raise _refusal(exc) from None
    finally:
        os.close(folder)
    return fd, _check_regular(fd)


def _open_verified(path: str) -> tuple[int, int] | None:
    """The regular file at the symlink-free ``path``, if the kernel confirms that is what
    was opened; None when anything differs (the walk then decides, and says why)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None  # never open a FIFO or a device, even to refuse it
        fd = os.open(path, _FILE_FLAGS)
    except OSError:
        return None
    try:
        opened = os.readlink(f"{_PROC_FD}{fd}")
    except OSError:
        opened = None
    if opened != path:
        os.close(fd)
        return None
    return fd, _check_regular(fd)


def read_checked(ref: Anchored, limit: int) -> bytes:
    """The bytes of the regular file at ``ref``; ``Refused`` past ``limit`` bytes."""
    fd, size = _open(ref)
    try:
        return read_fd(fd, limit, size)
    finally:
        os.close(fd)


def read_fd(fd: int, limit: int, size: int = _CHUNK) -> bytes:
    """Up to ``limit`` bytes, then ``Refused``. ``size`` is what the file is expected to
    hold: asking for one byte more finds the end in one read, where a 1 MiB buffer per
    read would be allocated and shrunk for every small file."""
    parts: list[bytes] = []
    total = 0
    want = min(size, _CHUNK) + 1
    while True:
        try:
            chunk = os.read(fd, min(want, limit + 1 - total))
        except OSError as exc:
            raise _refusal(exc) from None
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        want = _CHUNK
        if total > limit:
            raise Refused(errno.EFBIG, f"it is over the {limit}-byte limit")


def read_document(path: Path, limit: int) -> bytes:
    """A file named by the user (an agent file, a SKILL.md), read with the same checks.

    The file itself must not be a link or a special file; its folder is trusted
    (callers check containment of links when they list).
    """
    return read_checked(Anchored.at(os.path.realpath(path.parent), path.name), limit)


def _check_regular(fd: int) -> int:
    """The size of the regular file open at ``fd``; closes it and refuses anything else."""
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise _refusal(exc) from None
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise Refused(errno.EPERM, f"it is {kind(st.st_mode)}, not a regular file")
    return st.st_size


def _refusal(exc: OSError) -> Refused:
    if exc.errno in (errno.ELOOP, errno.EMLINK, errno.ENOTDIR):
        # O_NOFOLLOW reports a link as ELOOP (EMLINK on FreeBSD).
        return Refused(errno.ELOOP, "a symlink appeared in its path since it was listed")
    code = exc.errno or errno.EIO
    return Refused(code, os.strerror(code))
