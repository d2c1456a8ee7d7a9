"""Building a catalog: load every source by its kind, reuse what did not change."""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from agent_mcp.catalog.agents import Agent, load_agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.commands import Command, load_command
from agent_mcp.catalog.kinds import KINDS
from agent_mcp.catalog.skills import SKILL_FILE, Skill, load_skill
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.errors import LoadError
from agent_mcp.files.listing import folder_entries
from agent_mcp.files.paths import Anchored, anchor, is_within, real_root
from agent_mcp.sources.local import SingleSource, Source
from agent_mcp.text.frontmatter import field_line
from agent_mcp.text.words import did_you_mean

T = TypeVar("T", Agent, Skill, Command)
MAX_SKILL_DEPTH = 8
"""Path segments a nested skill's path may have (plugin prefix included)."""
MAX_FILES_NESTED = 64
"""Nested skills per skill; a deeper pile is almost certainly vendored, not meant."""


def build_catalog(
    sources: Sequence[Source],
    previous: Catalog | None = None,
    changed: Collection[Path] = (),
    *,
    include_skills: bool = True,
) -> Catalog:
    """Load every source in order; earlier sources win name collisions.

    Given the ``previous`` catalog and the paths that ``changed`` since (from the
    watcher), only those files are parsed again; everything else is reused. A changed
    file that no longer loads keeps its last good version serving, with a diagnostic.

    ``include_skills=False`` loads the agents only: what the first answers to a host
    need (instructions, prompts/list, tools/list). The server completes the catalog in
    the background, so a 10,000-skill catalog starts as fast as an empty one.
    """
    reuse = _Reuse(previous, changed) if previous is not None else None
    agents: dict[str, Agent] = {}
    skills: dict[str, Skill] = {}
    commands: dict[str, Command] = {}
    diagnostics: list[Diagnostic] = []
    for source in sources:
        kind = KINDS.get(source.kind)
        if kind is None:
            diagnostics.append(
                Diagnostic(
                    "unknown-kind",
                    "error",
                    source.path,
                    f"{source.origin} gives this folder as '{source.kind}', which is not a "
                    "kind of item this server knows",
                    f"use one of: {', '.join(KINDS)}",
                )
            )
            continue
        if not (kind.eager or include_skills):
            continue
        if not source.path.is_dir():
            diagnostics.append(
                Diagnostic(
                    "missing-root",
                    "warning" if source.origin == "bundled" else "error",
                    source.path,
                    f"the {source.kind} folder given by {source.origin} does not exist",
                    "check the path, or remove it from the command line or environment",
                )
            )
            continue
        try:
            if source.kind == "agents":
                _load_agents(source, agents, diagnostics, reuse)
            elif source.kind == "commands":
                _load_commands(source, commands, diagnostics, reuse)
            else:
                _load_skills(source, skills, diagnostics, reuse)
        except Exception as exc:  # one bad folder must never take the others down
            diagnostics.append(
                Diagnostic(
                    "load-failed",
                    "error",
                    source.path,
                    f"loading this {source.kind} folder failed ({exc.__class__.__name__}: {exc})",
                    "check the folder's files; the rest of the catalog is served",
                )
            )
    by_name: dict[str, list[Skill]] = {}
    for skill in skills.values():
        by_name.setdefault(skill.name, []).append(skill)
    catalog = Catalog(
        agents=dict(sorted(agents.items())),
        skills=dict(sorted(skills.items())),
        diagnostics=(),
        sources=tuple(sources),
        _by_name={k: tuple(v) for k, v in by_name.items()},
        commands=dict(sorted(commands.items())),
    )
    for agent in catalog.agents.values() if include_skills else ():
        _, missing = catalog.agent_skills(agent)
        for name in missing:
            diagnostics.append(
                Diagnostic(
                    "unknown-skill",
                    "warning",
                    agent.path,
                    f"agent '{agent.name}' names skill '{name}', which no skills folder provides",
                    "add the skill with --skills DIR, or remove it from 'skills:'"
                    + did_you_mean(name, by_name),
                    field_line(agent.path, "skills"),
                )
            )
    return Catalog(
        agents=catalog.agents,
        skills=catalog.skills,
        diagnostics=tuple(diagnostics),
        sources=catalog.sources,
        complete=include_skills,
        _by_name=catalog._by_name,  # pyright: ignore[reportPrivateUsage]
        commands=catalog.commands,
    )


def _load_commands(
    source: Source, commands: dict[str, Command], out: list[Diagnostic], reuse: _Reuse | None
) -> None:
    for path in _command_files(source.path):
        if not _selected(source, path):
            continue
        if path.is_symlink() and not is_within(path, source.path):
            out.append(_escape(path))
            continue
        load = partial(load_command, path, source.path, source.namespace, source.base)
        command = _load(reuse, path, path, load, out)
        if command is None:
            continue
        existing = commands.get(command.name)
        if existing is not None:
            out.append(_collision("command", command.name, path, existing.path))
            continue
        commands[command.name] = command


def _command_files(folder: Path, depth: int = 0) -> list[Path]:
    """``*.md`` files under ``folder``; subfolders namespace them (``sub/x.md``: ``sub:x``)."""
    found: list[Path] = []
    for entry in folder_entries(folder):
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False) and depth < 8:
            found += _command_files(path, depth + 1)
        elif path.suffix == ".md" and path.name.lower() != "readme.md":
            found.append(path)
    return found


def _load_agents(
    source: Source, agents: dict[str, Agent], out: list[Diagnostic], reuse: _Reuse | None
) -> None:
    root = real_root(source.path)
    for entry in folder_entries(source.path):
        path = Path(entry.path)
        if path.suffix != ".md" or path.name.lower() == "readme.md" or not _selected(source, path):
            continue
        ref = _anchored(entry, root)
        if ref is None:
            out.append(_escape(path))
            continue
        agent = _load(reuse, path, path, partial(load_agent, path, source.namespace, ref), out)
        if agent is None:
            continue
        existing = agents.get(agent.name)
        if existing is not None:
            out.append(_collision("agent", agent.name, path, existing.path))
            continue
        agents[agent.name] = agent


def _anchored(entry: os.DirEntry[str], root: str) -> Anchored | None:
    """The entry below the source's real root; None when it is a link leading out.

    Resolving paths is costly at 10,000 skills, so only links are resolved.
    """
    try:
        link = entry.is_symlink()
    except OSError:
        return None
    return anchor(Path(entry.path), root) if link else Anchored(root, (entry.name,))


def _load_skills(
    source: Source, skills: dict[str, Skill], out: list[Diagnostic], reuse: _Reuse | None
) -> None:
    root = real_root(source.path)
    for entry in folder_entries(source.path):
        directory = Path(entry.path)
        if not entry.is_dir() or not _selected(source, directory):
            continue
        skill_md = directory / SKILL_FILE
        try:
            md_link = stat.S_ISLNK(os.lstat(skill_md).st_mode)
        except OSError:
            out.append(
                Diagnostic(
                    "missing-skill-md",
                    "warning",
                    directory,
                    "this folder in a skills root has no SKILL.md, so it is not a skill",
                    "add a SKILL.md with 'name' and 'description' frontmatter, or move the folder",
                )
            )
            continue
        ref = _anchored(entry, root)
        md_ref = anchor(skill_md, root) if md_link else None
        if ref is None or (md_link and md_ref is None):
            out.append(_escape(skill_md if ref is not None else directory))
            continue
        load = partial(load_skill, directory, source.namespace, ref, None, md_ref)
        skill = _load(reuse, directory, skill_md, load, out, keep_last_good=False)
        if skill is None or not _servable(skill, out):
            continue
        for found in [skill, *_nested(skill, reuse, out)]:
            existing = skills.get(found.skill_path)
            if existing is not None:
                out.append(_collision("skill", found.skill_path, found.skill_md, existing.skill_md))
                continue
            skills[found.skill_path] = found


def _servable(skill: Skill, out: list[Diagnostic]) -> bool:
    """False (with an error) for a skill past the limits: a host is promised every file
    of a skill, so a partial one is not served at all. Lists the skill's files now."""
    listing = skill.listing()
    out.extend(listing.diagnostics)
    if listing.over is None:
        return True
    out.append(
        Diagnostic(
            "skill-too-large",
            "error",
            skill.skill_md,
            f"the skill is not served: {listing.over}",
            "split the skill, or move large assets and generated files out of its folder",
        )
    )
    return False


def _nested(skill: Skill, reuse: _Reuse | None, out: list[Diagnostic]) -> list[Skill]:
    """Skills whose SKILL.md lies below ``skill``'s: served as skills of their own, at
    the enclosing skill's path plus the folders between (their files stay part of the
    enclosing skill too)."""
    found: list[Skill] = []
    assert skill.ref is not None
    for relpath in skill.listing().nested[:MAX_FILES_NESTED]:
        parts = relpath.split("/")
        if len(parts) + 1 + (skill.namespace is not None) > MAX_SKILL_DEPTH:
            continue
        directory = skill.directory.joinpath(*parts)
        parent = posixpath.join(skill.parent or "", skill.name, *parts[:-1])
        load = partial(load_skill, directory, skill.namespace, skill.ref.child(*parts), parent)
        nested = _load(reuse, directory, directory / SKILL_FILE, load, out, keep_last_good=False)
        if nested is not None:
            found.append(nested)
    return found


class _Reuse:
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


def _load(
    reuse: _Reuse | None,
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


def _selected(source: Source, path: Path) -> bool:
    return not isinstance(source, SingleSource) or path.name == source.only


def _collision(kind: str, name: str, loser: Path, winner: Path) -> Diagnostic:
    return Diagnostic(
        "name-collision",
        "warning",
        loser,
        f"{kind} '{name}' is also defined in {winner}, which comes first and is served",
        f"rename one of them, or drop one folder if they are the same {kind}",
        field_line(loser, "name"),
    )


def _escape(path: Path) -> Diagnostic:
    return Diagnostic(
        "symlink-escape",
        "error",
        path,
        "this symlink points outside its root folder and is not served",
        "copy the file into the folder instead of linking to it",
    )
