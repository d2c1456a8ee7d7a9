"""A bounded look at the skills before they are loaded, for the server's instructions.

Skills load in the background after a host's first answers, but the instructions are
sent with the very first answer, and some hosts show their model nothing else before
a call. So the first few skills' frontmatter is read up front (at most ``limit`` files,
whatever the catalog size) and the skill folders are counted from their directory
entries alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agent_mcp.catalog.skills import SKILL_FILE
from agent_mcp.errors import LoadError
from agent_mcp.files.listing import folder_entries
from agent_mcp.sources.source import Source
from agent_mcp.text.frontmatter import read_frontmatter


@dataclass(frozen=True, slots=True)
class SkillPreview:
    first: list[tuple[str, str]]
    """(name, description) of the first skills in source order, as far as ``limit``."""
    total: int
    """Folders in the skills sources (nested skills not counted). A folder without a
    SKILL.md counts too: telling costs a system call per folder, 0.1 s at 10,000, on
    the way to a host's first answer; the real load reports such folders."""


def preview_skills(sources: Sequence[Source], limit: int) -> SkillPreview:
    first: list[tuple[str, str]] = []
    total = 0
    for source in sources:
        if source.kind != "skills":
            continue
        for entry in folder_entries(source.path):
            if not entry.is_dir():
                continue
            total += 1
            if len(first) < limit:
                described = _described(Path(entry.path, SKILL_FILE))
                if described is not None:
                    first.append(described)
    return SkillPreview(first, total)


def _described(skill_md: Path) -> tuple[str, str] | None:
    """Name and description as written; None for a file that does not load (the real
    load reports it)."""
    try:
        data = read_frontmatter(skill_md).data
    except LoadError:
        return None
    name, description = data.get("name"), data.get("description")
    if isinstance(name, str) and isinstance(description, str):
        return name, description
    return None
