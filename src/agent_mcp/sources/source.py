"""What a source is: one folder of one kind of item, and where it came from.

The layouts (``local``, ``marketplace``, ``git``) all produce these, and the catalog
build reads nothing else of them; keeping the type apart lets every layout module
import it without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

SourceKind = Literal["agents", "skills", "commands"]
KIND_FOLDERS: tuple[SourceKind, ...] = ("agents", "skills", "commands")


@dataclass(frozen=True, slots=True)
class Source:
    """One folder of agents (``*.md`` files) or of skills (``<name>/SKILL.md`` folders)."""

    kind: SourceKind
    path: Path
    origin: str
    """Where the folder came from, for reports: ``bundled``, ``--agents``, ``--root``, ..."""
    namespace: str | None = None
    """Set for marketplace plugins, so equal names from different plugins never collide."""
    base: Path | None = None
    """The project or plugin folder this source belongs to (``@file`` in commands)."""


@dataclass(frozen=True, slots=True)
class SingleSource(Source):
    """A source restricted to one agent file or one skill folder."""

    only: str = ""
