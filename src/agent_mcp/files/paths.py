"""Where served content lives: the one containment rule.

(What a client may send as a path inside a skill is checked in catalog/refs.py.)

A served file is named by an ``Anchored`` reference: a real (symlink-free) folder the
user configured, plus the path components below it. Reads walk those components one
by one without following links (files/reading.py), so what was checked at listing is
what is opened at read time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Anchored:
    """A file or folder below a trusted root, by its symlink-free components."""

    root: str
    """A real path: symlinks above it are the user's own configuration."""
    parts: tuple[str, ...]
    path: str = field(init=False, compare=False, repr=False)
    """``root`` joined with ``parts``: computed once, as a walk asks for it per file."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", os.path.join(self.root, *self.parts))

    def child(self, *parts: str) -> Anchored:
        return Anchored(self.root, (*self.parts, *parts))


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
    if not contains(root, real):
        return None
    rel = os.path.relpath(real, root)
    return Anchored(root, () if rel == "." else tuple(rel.split(os.sep)))


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
