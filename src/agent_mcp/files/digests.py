"""SHA-256 digests of served files that are true for the bytes a read serves now.

A digest is reused only while the file's device, inode, size, mtime and ctime all
hold. ctime is the key that matters: ``cp -p``, ``rsync -t``, ``tar -x`` and
``os.utime`` restore an old mtime after writing same-size content, but any write or
utime sets ctime to now, and no user call sets it back. The status is read from the
file's symlink-free path with lstat, so a swap for a link is a miss too (and the
read then refuses it).

File timestamps tick coarsely (a few milliseconds on Linux), so two writes within one
tick can leave every key field equal. As git does with its "racy" index entries, a
digest is only remembered for a file whose ctime is older than ``RACY_NS``: a file
changed just now is hashed again on every request until it settles.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time

from agent_mcp.files.paths import Anchored
from agent_mcp.files.reading import open_checked, read_fd

_Key = tuple[int, int, int, int, int]
RACY_NS = 2_000_000_000


def _key(st: os.stat_result) -> _Key:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class DigestCache:
    """Digests computed on first use (never at startup) and again only after a change.

    The size reported is the length of the bytes hashed, so digest and size always
    describe the same content even if the file changes between listing and read.
    """

    def __init__(self) -> None:
        # Keyed by the path string: hashing a Path object case-folds its parts every
        # time, which was a quarter of a first 10,000-skill listing.
        self._entries: dict[str, tuple[_Key, str, int]] = {}

    def get(self, ref: Anchored, limit: int) -> tuple[str, int] | None:
        """``(hex digest, size)`` of the file now at ``ref``, or None when it cannot be
        served (gone, swapped for a link or a special file, over ``limit``)."""
        path = ref.path
        cached = self._entries.get(path)
        if cached is not None:
            try:
                st = os.lstat(path)
            except OSError:
                return None
            if stat.S_ISREG(st.st_mode) and _key(st) == cached[0]:
                return cached[1], cached[2]
        try:
            fd = open_checked(ref)
        except OSError:
            return None
        try:
            before = os.fstat(fd)
            data = read_fd(fd, limit, before.st_size)
            after = os.fstat(fd)
        except OSError:
            return None
        finally:
            os.close(fd)
        digest = hashlib.sha256(data).hexdigest()
        settled = time.time_ns() - after.st_ctime_ns > RACY_NS
        if settled and _key(before) == _key(after):
            self._entries[path] = (_key(after), digest, len(data))
        return digest, len(data)
