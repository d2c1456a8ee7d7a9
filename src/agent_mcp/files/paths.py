"""Where served content lives: the one containment rule.

(What a client may send as a path inside a skill is checked in catalog/refs.py.)

A served file is named by an ``Anchored`` reference: a real (symlink-free) folder the
user configured, plus the path components below it. Reads walk those components one
by one without following links (files/reading.py), so what was checked at listing is
what is opened at read time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple


class Anchored(NamedTuple):
    """A file or folder below a trusted root, by its symlink-free path.

    A tuple, not a dataclass: a listing makes one per file, and a frozen dataclass with a
    derived field cost about 2 us each (a tenth of a 10,000-skill load).
    """

    root: str
    """A real path: symlinks above it are the user's own configuration."""
    path: str
    """``root`` joined with the components below it; never holds a symlink."""

    @classmethod
    def at(cls, root: str, *parts: str) -> Anchored:
        top = cls(root, root)
        return top.child(*parts) if parts else top

    @property
    def parts(self) -> tuple[str, ...]:
        """The components below ``root`` (names never hold a ``/``), for the walk."""
        rest = self.path[len(self.root) :].lstrip(os.sep)
        return tuple(rest.split(os.sep)) if rest else ()

    def child(self, *parts: str) -> Anchored:
        # Joined by hand: os.path.join's checks cost more than the rest of a listed file.
        base = self.path if not self.path.endswith(os.sep) else self.path[:-1]
        return Anchored(self.root, os.sep.join((base, *parts)))


def real_root(folder: Path) -> str:
    return os.path.realpath(folder)


def anchor(path: Path, root: str) -> Anchored | None:
    """``path`` as components below the real ``root``, or None when it resolves outside.

    Resolving costs a few system calls per component, so callers resolve only what
    is (or lies behind) a symlink and build the rest with ``Anchored.child``.
    """
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return None
    return Anchored(root, real) if contains(root, real) else None


def contains(real_folder: str, real_path: str) -> bool:
    """True when the resolved ``real_path`` is ``real_folder`` or lies inside it."""
    return real_path == real_folder or real_path.startswith(real_folder.rstrip(os.sep) + os.sep)


def is_within(path: Path, root: Path) -> bool:
    """True when ``path`` (after resolving symlinks) lies inside ``root``."""
    try:
        return contains(os.path.realpath(root), os.path.realpath(path))
    except (OSError, ValueError):
        return False


def is_folder_within(path: Path, root: Path) -> bool:
    """True when ``path`` is a folder that (after resolving symlinks) lies inside ``root``."""
    return path.is_dir() and is_within(path, root)
