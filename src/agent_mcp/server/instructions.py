"""The server's instructions: how to use it, then the catalog, one line per entry.

Claude Code hides tool descriptions behind its tool search and Codex shows only the
first line of the instructions before one, so the first line stands alone (what is
served, which tools to start with) and the catalog follows within a fixed budget.
"""

from __future__ import annotations

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.preview import SkillPreview

INSTRUCTIONS_BUDGET = 2048
"""Bytes of server instructions at most, whatever the catalog size. Claude Code hides tool
descriptions behind its tool search, so the instructions are what its model always sees:
they name the agents and skills, one line each, as far as this budget goes."""
PREVIEW_LIMIT = 40
"""Skills read up front for instructions sent before the skills load (see ``preview``);
more than the budget ever shows."""
_LINE_CHARS = 80


def instructions(catalog: Catalog, preview: SkillPreview | None = None) -> str:
    """The instructions for ``catalog``; before its skills are loaded, ``preview``
    stands in for them (without one, the skills the agents name are listed by name)."""
    if catalog.complete or preview is None:
        total = len(catalog.skills) if catalog.complete else None
    else:
        total = preview.total
    agents = [_entry(a.name, a.description) for a in catalog.agents.values()]
    if catalog.complete:
        skills = [_entry(s.name, s.description) for s in catalog.skills.values()]
    elif preview is not None:
        skills = [_entry(name, description) for name, description in preview.first]
    else:
        named = dict.fromkeys(n for a in catalog.agents.values() for n in a.skills)
        skills = [f"- {name}" for name in named]
    lines = [
        _summary(list(catalog.agents), total),
        "Use an agent's prompt (or the load_agent tool) to adopt its persona; read a skill's "
        "SKILL.md at skill://<skill>/SKILL.md before using the skill.",
        "Without resource support: search_skills finds a skill, load_skill reads it, "
        "read_skill_file reads its other files. Decision-framework tools answer the agent's "
        "decision trees.",
    ]
    # Room kept for the closing pointer, so it always fits; agents get at most half of
    # the rest when there are skills too, so both kinds are always shown.
    room = INSTRUCTIONS_BUDGET - len("\n".join(lines).encode()) - 200
    agent_room = room // 2 if skills else room
    shown_agents, more_agents = _fit("Agents (prompts):", agents, agent_room)
    used = len("\n".join(shown_agents).encode())
    shown_skills, more_skills = _fit("Skills:", skills, room - used)
    if total is not None:
        more_skills = total - (len(shown_skills) - 1 if shown_skills else 0)
    lines += shown_agents + shown_skills
    more = [f"{more_agents} more agents (prompts/list names them all)"] if more_agents else []
    if more_skills > 0:
        more.append(f"{more_skills} more skills (search_skills finds one by topic)")
    if more:
        lines.append(f"Not shown: {' and '.join(more)}.")
    return "\n".join(lines)


def _summary(agents: list[str], skills: int | None) -> str:
    """The first line, complete on its own."""
    if not agents:
        who = "no agent personas"
    elif len(agents) <= 3:
        who = f"the agent persona{'s' if len(agents) > 1 else ''} {', '.join(agents)}"
    else:
        who = f"{len(agents)} agent personas"
    what = f"{skills} skill{'' if skills == 1 else 's'}" if skills is not None else "skills"
    return (
        f"Serves {who} and {what}: load_agent adopts a persona; search_skills, load_skill "
        "and read_skill_file find and read skills."
    )


def _fit(title: str, entries: list[str], room: int) -> tuple[list[str], int]:
    """The section's title and the entries that fit in ``room`` bytes, and how many not."""
    if not entries:
        return [], 0
    shown = [title]
    room -= len(title.encode()) + 1
    for count, line in enumerate(entries):
        cost = len(line.encode()) + 1
        if cost > room:
            return (shown if len(shown) > 1 else []), len(entries) - count
        room -= cost
        shown.append(line)
    return shown, 0


def _entry(name: str, description: str) -> str:
    line = f"- {name}: {' '.join(description.split())}"
    return line if len(line) <= _LINE_CHARS else line[: _LINE_CHARS - 1].rstrip() + "…"
