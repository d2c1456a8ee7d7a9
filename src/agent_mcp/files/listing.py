"""Listing served folders: loop-safe, bounded, and honest about what it left out.

A skill's listing is the set of files a host may read, so it is all or nothing: a
skill past the file-count or size limits (or the entry and time bounds that keep a
hostile tree from stalling the server) is reported as over, not cut short. Folders
are remembered by device and inode, so links such as ``a -> .`` and ``b -> .`` are
walked once, not 2^40 times.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.files.paths import Anchored, anchor, contains
from agent_mcp.files.reading import kind

MAIN_FILE = "SKILL.md"
MAX_ENTRIES = 20_000
"""Folder entries looked at per skill, servable or not (hidden ones included)."""
MAX_SECONDS = 5.0
"""Wall time per skill listing; a tree that takes longer is hostile or on a dead mount."""


class ListedFile(NamedTuple):
    """One servable file, by its path relative to the listed folder."""

    relpath: str
    """POSIX path relative to the folder, e.g. ``references/errors.md``."""
    size: int
    base: Anchored
    """The listed folder, or the target of the link the file was reached through
    (shared by their files: a path string per file was a tenth of a catalog's memory)."""
    tail: str
    """The file's path below ``base`` ('' when ``base`` is the file itself)."""

    @property
    def ref(self) -> Anchored:
        """What reads open: the file's symlink-free path below the trusted root."""
        return self.base.child(self.tail) if self.tail else self.base

    @property
    def path(self) -> Path:
        """Where the file really is; for messages, never opened."""
        return Path(self.ref.path)


@dataclass(frozen=True, slots=True)
class Listing:
    files: dict[str, ListedFile]
    diagnostics: tuple[Diagnostic, ...] = ()
    nested: tuple[str, ...] = ()
    """Relative folders below the top that hold their own SKILL.md."""
    over: str | None = None
    """Why the folder is not served at all (a limit was passed), or None."""


_NAME = attrgetter("name")


def folder_entries(folder: Path) -> list[os.DirEntry[str]]:
    """A folder's entries sorted by name, hidden ones left out (.git, .DS_Store)."""
    try:
        with os.scandir(folder) as scan:
            return sorted((e for e in scan if not e.name.startswith(".")), key=_NAME)
    except OSError:
        return []


def list_files(directory: Path, ref: Anchored, max_files: int, max_bytes: int) -> Listing:
    """Every regular file under ``directory`` (whose anchored form is ``ref``).

    Hidden entries are skipped. Symlinks are followed only when their target stays
    inside the folder; special files (FIFOs, sockets, devices) are reported, never
    opened.
    """
    files: dict[str, ListedFile] = {}
    notes: list[Diagnostic] = []
    nested: list[str] = []
    over: str | None = None
    # Filled on the first folder met: most skills have none, and a folder cannot
    # contain itself except through a link, which is a folder met too.
    visited: set[tuple[int, int]] | None = None
    deadline = time.monotonic() + MAX_SECONDS
    seen = total = 0
    # (folder, its relpath prefix, the base its files hang from, the prefix's length there)
    stack: list[tuple[str, str, Anchored, int]] = [(str(directory), "", ref, 0)]
    while stack:
        folder, prefix, base, cut = stack.pop()
        if time.monotonic() > deadline:
            over = f"listing it took over {MAX_SECONDS:g} s"
            break
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError:
            continue
        seen += len(entries)
        if seen > MAX_ENTRIES:
            over = f"it has over {MAX_ENTRIES} entries"
            break
        if len(entries) > 1:
            # By name, so diagnostics come out in the same order on every load.
            entries.sort(key=_NAME)
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_symlink():
                    found = _follow(entry, ref, notes)
                    if found is None:
                        continue
                    st, entry_ref = found
                else:
                    st, entry_ref = entry.stat(follow_symlinks=False), None
            except OSError:
                continue
            mode = st.st_mode
            if stat.S_ISDIR(mode):
                if visited is None:
                    try:
                        top = os.stat(ref.path)
                    except OSError:
                        return Listing({})  # the folder is gone
                    visited = {(top.st_dev, top.st_ino)}
                if (st.st_dev, st.st_ino) not in visited:
                    visited.add((st.st_dev, st.st_ino))
                    inner = f"{prefix}{name}/"
                    if entry_ref is None:
                        stack.append((entry.path, inner, base, cut))
                    else:
                        stack.append((entry.path, inner, entry_ref, len(inner)))
                continue
            if not stat.S_ISREG(mode):
                notes.append(_special(Path(entry.path), mode))
                continue
            if name == MAIN_FILE:
                name = MAIN_FILE  # one string for every skill's SKILL.md
                if prefix:
                    nested.append(prefix[:-1])
            total += st.st_size
            if len(files) >= max_files or total > max_bytes:
                over = f"it has over {max_files} files or {max_bytes // (1024 * 1024)} MiB"
                stack.clear()
                break
            # ``rel`` is already POSIX: names joined with '/', and no name holds one.
            rel = f"{prefix}{name}" if prefix else name
            if entry_ref is not None:
                files[rel] = ListedFile(rel, st.st_size, entry_ref, "")
            else:
                files[rel] = ListedFile(rel, st.st_size, base, rel[cut:] if cut else rel)
    return Listing(_ordered(files), tuple(notes), tuple(sorted(nested)), over)


def _ordered(files: dict[str, ListedFile]) -> dict[str, ListedFile]:
    """SKILL.md first (hosts read it before anything else), then by path."""
    if len(files) < 2:
        return files
    main = files.pop(MAIN_FILE, None)
    rest = dict(sorted(files.items()))
    return rest if main is None else {MAIN_FILE: main, **rest}


def _follow(
    entry: os.DirEntry[str], ref: Anchored, notes: list[Diagnostic]
) -> tuple[os.stat_result, Anchored] | None:
    """A link's target status and anchored form; None (maybe with a diagnostic) to skip it."""
    target = os.path.realpath(entry.path)
    if not contains(ref.path, target):
        notes.append(
            Diagnostic(
                "symlink-escape",
                "warning",
                Path(entry.path),
                "this symlink points outside the skill folder and is not served",
                "copy the file into the skill folder instead of linking to it",
            )
        )
        return None
    target_ref = anchor(Path(target), ref.root)
    if target_ref is None:
        return None
    return os.stat(target), target_ref


def _special(path: Path, mode: int) -> Diagnostic:
    return Diagnostic(
        "special-file",
        "warning",
        path,
        f"this entry is {kind(mode)}, not a regular file, and is not served",
        "remove it from the served folder; only regular files and folders are served",
    )
