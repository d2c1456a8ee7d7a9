"""Deep checks run by ``agent-mcp validate``: everything the lazy server defers.

Serving reads only frontmatter at startup; validation also reads every body, so
problems a host would hit later are reported now (listing problems are the catalog's).
"""

from __future__ import annotations

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.skills import MAX_BODY_LINES
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.errors import LoadError
from agent_mcp.features.frameworks import agent_frameworks


def deep_check(catalog: Catalog) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for agent in catalog.agents.values():
        try:
            agent.read_body()
            # Decision trees that stay prose: the server silently skips them, so say so here.
            found.extend(agent_frameworks(agent).diagnostics)
        except LoadError as exc:
            found.append(exc.diagnostic)
    for skill in catalog.skills.values():
        try:
            body = skill.read_body()
        except LoadError as exc:
            found.append(exc.diagnostic)
            continue
        lines = body.count("\n") + 1
        if lines > MAX_BODY_LINES:
            found.append(
                Diagnostic(
                    "body-too-long",
                    "warning",
                    skill.skill_md,
                    f"the SKILL.md body is {lines} lines; the specification recommends under "
                    f"{MAX_BODY_LINES}",
                    "move detailed material into references/*.md and link to it from SKILL.md",
                    skill.frontmatter.body_line,
                )
            )
    return found
