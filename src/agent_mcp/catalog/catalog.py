"""The catalog: every agent and skill from every source, plus what went wrong.

A catalog is immutable once built. Reloading builds a new one and swaps it in whole,
so a reader always sees one consistent catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import unquote

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.commands import Command
from agent_mcp.catalog.refs import (
    AGENT_SCHEME,
    SKILL_SCHEME,
    check_length,
    check_relpath,
    clip,
    resolve_skill,
    split_skill_path,
)
from agent_mcp.catalog.skills import Skill, SkillFile
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.errors import NotFound
from agent_mcp.sources.source import Source
from agent_mcp.text.words import suggest

T = TypeVar("T", Agent, Skill)


@dataclass(frozen=True, slots=True)
class Catalog:
    agents: Mapping[str, Agent]
    skills: Mapping[str, Skill]
    """Keyed by skill path (``[namespace/]name``)."""
    diagnostics: tuple[Diagnostic, ...] = ()
    sources: tuple[Source, ...] = ()
    complete: bool = True
    """False while only the agents are loaded (see ``build.build_catalog(include_skills=...)``)."""
    _by_name: Mapping[str, tuple[Skill, ...]] = field(default_factory=lambda: {}, repr=False)
    commands: Mapping[str, Command] = field(default_factory=lambda: {})
    """Keyed by command name (``[plugin:][sub:]name``)."""

    # Lookups ---------------------------------------------------------------------------

    def agent(self, name: str) -> Agent:
        try:
            return self.agents[name]
        except KeyError:
            raise NotFound(f"Unknown agent '{name}'.", suggest(name, self.agents)) from None

    def skill(self, ref: str, namespace: str | None = None) -> Skill:
        """A skill by path, bare name or SKILL.md URI (see ``refs.resolve_skill``)."""
        return resolve_skill(self.skills, self._by_name, ref, namespace)

    def skill_for(self, agent: Agent, name: str) -> Skill | None:
        """The skill an agent means by ``name``: its own plugin's first, then a unique one."""
        try:
            return self.skill(name, agent.namespace)
        except NotFound:
            return None

    def agent_skills(self, agent: Agent) -> tuple[list[Skill], list[str]]:
        """The agent's skills that the catalog has, and the names it lacks."""
        found: list[Skill] = []
        missing: list[str] = []
        for name in agent.skills:
            skill = self.skill_for(agent, name)
            if skill is None:
                missing.append(name)
            else:
                found.append(skill)
        return found, missing

    def skill_file(self, skill_path: str, relpath: str) -> tuple[Skill, SkillFile]:
        skill = self.skill(skill_path)
        relpath = check_relpath(relpath)
        files = skill.files()
        try:
            return skill, files[relpath]
        except KeyError:
            raise NotFound(
                f"Skill '{skill.skill_path}' has no file '{relpath}'.", suggest(relpath, files)
            ) from None

    def resolve_uri(self, uri: str) -> tuple[Skill, SkillFile]:
        """Map a ``skill://<skill-path>/<file>`` URI to a file of the catalog."""
        check_length(uri)
        if not uri.startswith(SKILL_SCHEME):
            raise NotFound(f"Unknown resource '{clip(uri)}'.")
        rest = uri[len(SKILL_SCHEME) :]
        found = split_skill_path(self.skills, rest)
        if found is None or not found[1]:
            head = unquote(rest.split("/")[0])
            raise NotFound(f"Unknown skill in '{clip(uri)}'.", suggest(head, self.skills))
        return self.skill_file(found[0].skill_path, found[1])

    def command(self, name: str) -> Command:
        try:
            return self.commands[name]
        except KeyError:
            raise NotFound(f"Unknown command '{name}'.", suggest(name, self.commands)) from None

    def agent_from_uri(self, uri: str) -> Agent:
        return self.agent(unquote(uri[len(AGENT_SCHEME) :]))
