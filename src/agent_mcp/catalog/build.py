"""Building a catalog: load every source by its kind, reuse what did not change."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.commands import Command
from agent_mcp.catalog.kinds import KINDS
from agent_mcp.catalog.loaders import load_agents, load_commands, load_skills
from agent_mcp.catalog.reuse import Reuse
from agent_mcp.catalog.skills import Skill
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.sources.source import Source
from agent_mcp.text.frontmatter import field_line
from agent_mcp.text.words import did_you_mean


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
    reuse = Reuse(previous, changed) if previous is not None else None
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
                load_agents(source, agents, diagnostics, reuse)
            elif source.kind == "commands":
                load_commands(source, commands, diagnostics, reuse)
            else:
                load_skills(source, skills, diagnostics, reuse)
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


def completed(catalog: Catalog) -> Catalog:
    """The catalog with its skills loaded (the agents are reused, not parsed again)."""
    return catalog if catalog.complete else build_catalog(catalog.sources, previous=catalog)
