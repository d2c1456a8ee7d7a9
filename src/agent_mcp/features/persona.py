"""What an agent becomes in a conversation: its persona, its skills, the task."""

from __future__ import annotations

from dataclasses import dataclass

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog


@dataclass(frozen=True, slots=True)
class SkillRef:
    name: str
    description: str
    uri: str


@dataclass(frozen=True, slots=True)
class Persona:
    """The parts a host drops into a conversation, in order."""

    agent: str
    persona: str
    skills: tuple[SkillRef, ...]
    missing_skills: tuple[str, ...]
    task: str | None

    def skills_text(self) -> str | None:
        if not self.skills and not self.missing_skills:
            return None
        lines = [
            "## Skills",
            "",
            f"The {self.agent} agent works with these skills. Before relying on one, read its "
            "SKILL.md at the URI given (resources/read, or the load_skill tool) and follow it.",
            "",
        ]
        lines += [f"- **{s.name}** ({s.uri}): {s.description}" for s in self.skills]
        if self.missing_skills:
            lines += [
                "",
                "Not available on this server (named by the agent, but not loaded): "
                + ", ".join(self.missing_skills)
                + ".",
            ]
        return "\n".join(lines)

    def task_text(self) -> str | None:
        return f"## Task\n\n{self.task}" if self.task else None

    def texts(self) -> list[str]:
        """The persona, the skills and the task, as separate texts (absent ones left out)."""
        parts = [self.persona, self.skills_text(), self.task_text()]
        return [p for p in parts if p]


def build_persona(catalog: Catalog, agent: Agent, task: str | None = None) -> Persona:
    skills, missing = catalog.agent_skills(agent)
    refs = tuple(SkillRef(s.name, s.description, s.uri()) for s in skills)
    task = task.strip() if task and task.strip() else None
    return Persona(agent.name, agent.read_body().strip(), refs, tuple(missing), task)
