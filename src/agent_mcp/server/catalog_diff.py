"""What changed between two catalogs, as the change notifications clients must get.

Live reload computes this after each rebuild (``server.live``); each flag is one
``list_changed`` notification, and ``updated`` the URIs whose content changed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.refs import AGENT_SCHEME


@dataclass(frozen=True, slots=True)
class CatalogChange:
    prompts: bool
    resources: bool
    tools: bool
    agents: bool
    """The roster or an agent card (the Agents extension's ``agents/list``) changed."""
    updated: tuple[str, ...]
    """URIs of files whose content changed."""

    @property
    def any(self) -> bool:
        return self.prompts or self.resources or self.tools or self.agents or bool(self.updated)


def diff(old: Catalog, new: Catalog, changed: Collection[Path]) -> CatalogChange:
    """What clients must hear about when ``old`` becomes ``new``."""
    agents_old = {a.name: (a.description, a.path) for a in old.agents.values()}
    agents_new = {a.name: (a.description, a.path) for a in new.agents.values()}
    agent_files = {a.path for a in old.agents.values()} | {a.path for a in new.agents.values()}
    agent_edited = any(p in agent_files for p in changed)
    skills_old = {k: (s.description, s.directory) for k, s in old.skills.items()}
    skills_new = {k: (s.description, s.directory) for k, s in new.skills.items()}
    # Files added to or removed from an existing skill change the resource list too.
    file_sets_changed = any(
        old.skills[k] is not new.skills[k] and _file_set(old, k) != _file_set(new, k)
        for k in skills_old.keys() & skills_new.keys()
    )
    # A card is the agent's frontmatter plus the tools its body defines.
    cards = agents_old != agents_new or agent_edited
    return CatalogChange(
        prompts=cards or old.commands != new.commands,
        resources=agents_old.keys() != agents_new.keys()
        or skills_old != skills_new
        or file_sets_changed,
        # Decision-tree and checklist tools are derived from agent bodies.
        tools=cards,
        agents=cards,
        updated=tuple(sorted(_uris(new, changed) | _uris(old, changed))),
    )


def _file_set(catalog: Catalog, key: str) -> frozenset[str]:
    return frozenset(catalog.skills[key].files())


def _uris(catalog: Catalog, changed: Collection[Path]) -> set[str]:
    uris: set[str] = set()
    by_path = {a.path: a for a in catalog.agents.values()}
    skills_by_dir = {s.directory: s for s in catalog.skills.values()}
    for path in changed:
        if path in by_path:
            uris.add(f"{AGENT_SCHEME}{by_path[path].name}")
            continue
        for parent in path.parents:
            skill = skills_by_dir.get(parent)
            if skill is not None:
                uris.add(skill.uri(path.relative_to(parent).as_posix()))
                break
    return uris
