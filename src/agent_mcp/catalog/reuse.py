"""Incremental rebuilds: what a build may take from the previous catalog, and what a
broken file serves meanwhile (its last good version, or nothing)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar, cast

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.commands import Command
from agent_mcp.catalog.skills import Skill
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.errors import LoadError

T = TypeVar("T", Agent, Skill, Command)


class Reuse:
    """What an incremental rebuild may take from the previous catalog.

    Items are keyed by where they live: an agent by its file, a skill by its folder.
    """

    def __init__(self, previous: Catalog, changed: Collection[Path]) -> None:
        self.items: dict[Path, Agent | Skill | Command] = {
            a.path: a for a in previous.agents.values()
        }
        self.items.update({s.directory: s for s in previous.skills.values()})
        self.items.update({c.path: c for c in previous.commands.values()})
        self.warnings: dict[Path, list[Diagnostic]] = {}
        for d in previous.diagnostics:
            if d.severity == "warning" and d.code in _ITEM_WARNINGS:
                self.warnings.setdefault(d.path, []).append(d)
        # A skill is dirty when anything inside its folder changed, so every changed
        # path marks itself and its parents.
        self.dirty: set[Path] = set()
        for path in changed:
            self.dirty.add(path)
            self.dirty.update(path.parents)

    def unchanged(self, key: Path, file: Path) -> tuple[Any, list[Diagnostic]] | None:
        """The previous item at ``key`` with its warnings, if nothing there changed."""
        if key in self.dirty or key not in self.items:
            return None
        return self.items[key], self.warnings.get(file, [])


def load_or_reuse(
    reuse: Reuse | None,
    key: Path,
    file: Path,
    load: Callable[[], tuple[T, list[Diagnostic]]],
    out: list[Diagnostic],
    *,
    keep_last_good: bool = True,
) -> T | None:
    """Reuse an unchanged item, or load it; a broken one keeps its last good version
    when ``keep_last_good`` (agents and commands, whose bytes are kept with them), else
    stops serving (skills: a folder of files cannot be kept; see CONTRIBUTING.md)."""
    kept = reuse.unchanged(key, file) if reuse else None
    if kept is not None:
        item, warnings = kept
    else:
        try:
            item, warnings = load()
        except Exception as exc:
            diagnostic = exc.diagnostic if isinstance(exc, LoadError) else _crashed(file, exc)
            last_good = reuse.items.get(key) if reuse and keep_last_good else None
            out.append(_kept(diagnostic) if last_good else diagnostic)
            return cast("T | None", last_good)
    out.extend(warnings)
    return cast("T", item)


def _crashed(file: Path, exc: Exception) -> Diagnostic:
    return Diagnostic(
        "load-failed",
        "error",
        file,
        f"the file could not be loaded ({type(exc).__name__}: {str(exc)[:200]})",
        "check the file's frontmatter and encoding; if it looks right, report this",
    )


# Warnings that belong to one item and travel with it when it is reused.
_ITEM_WARNINGS = frozenset({"unknown-field", "invalid-type"})


def _kept(diagnostic: Diagnostic) -> Diagnostic:
    return replace(
        diagnostic,
        message=diagnostic.message + " (the last good version keeps serving until this is fixed)",
    )
