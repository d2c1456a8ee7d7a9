"""Loading one source folder by its kind: agent files, command files, skill folders
(with the skills nested in them). Each loader adds what it found to the build's maps,
and every problem to its diagnostics; names taken by an earlier source stay taken."""

from __future__ import annotations

import os
import posixpath
import stat
from functools import partial
from pathlib import Path

from agent_mcp.catalog.agents import Agent, load_agent
from agent_mcp.catalog.commands import Command, load_command
from agent_mcp.catalog.reuse import Reuse, T, load_or_reuse
from agent_mcp.catalog.skills import SKILL_FILE, Skill, load_skill
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.files.listing import folder_entries
from agent_mcp.files.paths import Anchored, anchor, is_within, real_root
from agent_mcp.sources.source import SingleSource, Source
from agent_mcp.text.frontmatter import field_line

MAX_SKILL_DEPTH = 8
"""Path segments a nested skill's path may have (plugin prefix included)."""
MAX_FILES_NESTED = 64
"""Nested skills per skill; a deeper pile is almost certainly vendored, not meant."""


def load_commands(
    source: Source, commands: dict[str, Command], out: list[Diagnostic], reuse: Reuse | None
) -> None:
    for path in _command_files(source.path):
        if not _selected(source, path):
            continue
        if path.is_symlink() and not is_within(path, source.path):
            out.append(_escape(path))
            continue
        load = partial(load_command, path, source.path, source.namespace, source.base)
        command = load_or_reuse(reuse, path, path, load, out)
        if command is not None:
            _keep_first(commands, command.name, command, "command", out)


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


def load_agents(
    source: Source, agents: dict[str, Agent], out: list[Diagnostic], reuse: Reuse | None
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
        agent = load_or_reuse(
            reuse, path, path, partial(load_agent, path, source.namespace, ref), out
        )
        if agent is not None:
            _keep_first(agents, agent.name, agent, "agent", out)


def _anchored(entry: os.DirEntry[str], root: str) -> Anchored | None:
    """The entry below the source's real root; None when it is a link leading out.

    Resolving paths is costly at 10,000 skills, so only links are resolved.
    """
    try:
        link = entry.is_symlink()
    except OSError:
        return None
    return anchor(Path(entry.path), root) if link else Anchored.at(root, entry.name)


def load_skills(
    source: Source, skills: dict[str, Skill], out: list[Diagnostic], reuse: Reuse | None
) -> None:
    root = real_root(source.path)
    for entry in folder_entries(source.path):
        directory = Path(entry.path)
        if not entry.is_dir() or not _selected(source, directory):
            continue
        try:
            md_link = stat.S_ISLNK(os.lstat(os.path.join(entry.path, SKILL_FILE)).st_mode)
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
        skill_md = directory / SKILL_FILE
        ref = _anchored(entry, root)
        md_ref = anchor(skill_md, root) if md_link else None
        if ref is None or (md_link and md_ref is None):
            out.append(_escape(skill_md if ref is not None else directory))
            continue
        load = partial(load_skill, directory, source.namespace, ref, None, md_ref, skill_md)
        skill = load_or_reuse(reuse, directory, skill_md, load, out, keep_last_good=False)
        if skill is None or not _servable(skill, out):
            continue
        for found in [skill, *_nested(skill, reuse, out)]:
            _keep_first(skills, found.skill_path, found, "skill", out)


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


def _nested(skill: Skill, reuse: Reuse | None, out: list[Diagnostic]) -> list[Skill]:
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
        nested = load_or_reuse(
            reuse, directory, directory / SKILL_FILE, load, out, keep_last_good=False
        )
        if nested is not None:
            found.append(nested)
    return found


def _selected(source: Source, path: Path) -> bool:
    return not isinstance(source, SingleSource) or path.name == source.only


def _keep_first(items: dict[str, T], key: str, item: T, kind: str, out: list[Diagnostic]) -> None:
    """Add ``item`` unless an earlier source took ``key``: the first one is served."""
    existing = items.get(key)
    if existing is None:
        items[key] = item
        return
    loser = _file(item)
    out.append(
        Diagnostic(
            "name-collision",
            "warning",
            loser,
            f"{kind} '{key}' is also defined in {_file(existing)}, which comes first and is served",
            f"rename one of them, or drop one folder if they are the same {kind}",
            field_line(loser, "name"),
        )
    )


def _file(item: Agent | Skill | Command) -> Path:
    return item.skill_md if isinstance(item, Skill) else item.path


def _escape(path: Path) -> Diagnostic:
    return Diagnostic(
        "symlink-escape",
        "error",
        path,
        "this symlink points outside its root folder and is not served",
        "copy the file into the folder instead of linking to it",
    )
