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
from dataclasses import dataclass, field
from pathlib import Path

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.files.paths import Anchored, anchor, contains
from agent_mcp.files.reading import kind

MAIN_FILE = "SKILL.md"
MAX_ENTRIES = 20_000
"""Folder entries looked at per skill, servable or not (hidden ones included)."""
MAX_SECONDS = 5.0
"""Wall time per skill listing; a tree that takes longer is hostile or on a dead mount."""


@dataclass(frozen=True, slots=True)
class ListedFile:
    """One servable file, by its path relative to the listed folder."""

    relpath: str
    """POSIX path relative to the folder, e.g. ``references/errors.md``."""
    path: Path
    """Where it was listed; for messages and change tracking, never opened."""
    size: int
    ref: Anchored
    """What reads open: the file's symlink-free components below the trusted root."""


@dataclass(slots=True)
class Listing:
    files: dict[str, ListedFile]
    diagnostics: list[Diagnostic]
    nested: list[str] = field(default_factory=lambda: [])
    """Relative folders below the top that hold their own SKILL.md."""
    over: str | None = None
    """Why the folder is not served at all (a limit was passed), or None."""


def folder_entries(folder: Path) -> list[os.DirEntry[str]]:
    """A folder's entries sorted by name, hidden ones left out (.git, .DS_Store)."""
    try:
        with os.scandir(folder) as scan:
            return sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return []


def list_files(directory: Path, ref: Anchored, max_files: int, max_bytes: int) -> Listing:
    """Every regular file under ``directory`` (whose anchored form is ``ref``).

    Hidden entries are skipped. Symlinks are followed only when their target stays
    inside the folder; special files (FIFOs, sockets, devices) are reported, never
    opened.
    """
    listing = Listing({}, [])
    real = ref.path
    try:
        top = os.stat(real)
    except OSError:
        return listing
    visited = {(top.st_dev, top.st_ino)}
    deadline = time.monotonic() + MAX_SECONDS
    seen = total = 0
    stack: list[tuple[str, str, Anchored]] = [(str(directory), "", ref)]
    while stack:
        folder, prefix, folder_ref = stack.pop()
        if time.monotonic() > deadline:
            listing.over = f"listing it took over {MAX_SECONDS:g} s"
            break
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            continue
        seen += len(entries)
        if seen > MAX_ENTRIES:
            listing.over = f"it has over {MAX_ENTRIES} entries"
            break
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{prefix}{entry.name}"
            found = _resolve(entry, folder_ref, real, listing)
            if found is None:
                continue
            st, entry_ref = found
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) not in visited:
                    visited.add((st.st_dev, st.st_ino))
                    stack.append((entry.path, rel + "/", entry_ref))
                continue
            if not stat.S_ISREG(st.st_mode):
                listing.diagnostics.append(_special(Path(entry.path), st.st_mode))
                continue
            if prefix and entry.name == MAIN_FILE:
                listing.nested.append(prefix.rstrip("/"))
            total += st.st_size
            if len(listing.files) >= max_files or total > max_bytes:
                listing.over = f"it has over {max_files} files or {max_bytes // (1024 * 1024)} MiB"
                stack.clear()
                break
            # ``rel`` is already POSIX: names joined with '/', and no name holds one.
            listing.files[rel] = ListedFile(rel, Path(entry.path), st.st_size, entry_ref)
    if MAIN_FILE in listing.files:
        # SKILL.md first: hosts read it before anything else.
        main = listing.files.pop(MAIN_FILE)
        listing.files = {MAIN_FILE: main, **dict(sorted(listing.files.items()))}
    else:
        listing.files = dict(sorted(listing.files.items()))
    listing.nested.sort()
    return listing


def _resolve(
    entry: os.DirEntry[str], folder_ref: Anchored, real: str, listing: Listing
) -> tuple[os.stat_result, Anchored] | None:
    """The entry's status and anchored form; None (maybe with a diagnostic) to skip it."""
    try:
        if not entry.is_symlink():
            return entry.stat(follow_symlinks=False), folder_ref.child(entry.name)
        target = os.path.realpath(entry.path)
        if not contains(real, target):
            listing.diagnostics.append(
                Diagnostic(
                    "symlink-escape",
                    "warning",
                    Path(entry.path),
                    "this symlink points outside the skill folder and is not served",
                    "copy the file into the skill folder instead of linking to it",
                )
            )
            return None
        target_ref = anchor(Path(target), folder_ref.root)
        if target_ref is None:
            return None
        return os.stat(target), target_ref
    except OSError:
        return None


def _special(path: Path, mode: int) -> Diagnostic:
    return Diagnostic(
        "special-file",
        "warning",
        path,
        f"this entry is {kind(mode)}, not a regular file, and is not served",
        "remove it from the served folder; only regular files and folders are served",
    )
