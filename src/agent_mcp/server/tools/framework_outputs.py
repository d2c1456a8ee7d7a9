"""What the decision and checklist tools return (``decision_tools`` and
``checklist_tools`` list them): the output models, their texts, and the walk. Imported on
the first call, so that listing tools builds no model (the listed output schemas are the
constants in ``framework_schemas``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.features.decisions import Decision, InvalidAnswer, decide, relevance, tree_text
from agent_mcp.features.frameworks import DecisionTree, Node
from agent_mcp.server.tools.agent_inputs import frameworks_of
from agent_mcp.server.tools.registry import ToolFailure, ToolOutput, WireModel
from agent_mcp.text.words import did_you_mean

# Decisions ---------------------------------------------------------------------------


class OptionOut(WireModel):
    label: str
    outcome: str | None
    next_question: str | None
    """Set when choosing this option leads to another question."""


class StepOut(WireModel):
    question: str | None
    answer: str
    outcome: str | None
    options: list[OptionOut]


class QuestionOut(WireModel):
    question: str | None
    options: list[OptionOut]


class SkillOut(WireModel):
    name: str
    uri: str
    score: int
    matched: list[str]


class DecisionOut(WireModel):
    agent: str
    framework: str
    title: str
    status: Literal["recommendation", "question"]
    recommendation: str | None
    path: list[StepOut]
    next: QuestionOut | None
    skills: list[SkillOut]
    """The agent's skills, most relevant to this framework and path first."""
    next_step: str
    """What to do with this result, in words: most hosts hand their model this
    structured form rather than the text, so the guidance lives here too."""


def _options(node: Node) -> list[OptionOut]:
    return [
        OptionOut(
            label=o.label,
            outcome=o.outcome,
            next_question=(o.next.question or o.label) if o.next else None,
        )
        for o in node.options
    ]


def decision_output(
    catalog: Catalog, agent: Agent, tree: DecisionTree, answers: Sequence[str]
) -> ToolOutput:
    result = decide(tree, answers)
    if isinstance(result, InvalidAnswer):
        raise ToolFailure(result.message)
    path = [
        StepOut(
            question=s.node.question,
            answer=s.chosen.label,
            outcome=s.chosen.outcome,
            options=_options(s.node),
        )
        for s in result.steps
    ]
    upcoming = None
    if result.next is not None:
        upcoming = QuestionOut(question=result.next.question, options=_options(result.next))
    skills = _ranked_skills(catalog, agent, result)
    if upcoming is not None:
        step = "Call again with the answers so far plus one of the next question's options."
    elif skills:
        relevant = [s for s in skills if s.score] or skills
        step = "Read before acting: " + ", ".join(f"{s.name} <{s.uri}>" for s in relevant) + "."
    else:
        step = "Apply the recommendation."
    out = DecisionOut(
        agent=agent.name,
        framework=tree.id,
        title=tree.title,
        status="question" if result.next else "recommendation",
        recommendation=result.recommendation,
        path=path,
        next=upcoming,
        skills=skills,
        next_step=step,
    )
    return ToolOutput(_decision_text(out), out)


def _ranked_skills(catalog: Catalog, agent: Agent, result: Decision) -> list[SkillOut]:
    skills, _ = catalog.agent_skills(agent)
    subject = tree_text(result.tree)
    taken = " ".join(f"{s.chosen.label} {s.chosen.outcome or ''}" for s in result.steps)
    scored: list[SkillOut] = []
    for skill in skills:
        rel = relevance(subject, taken, f"{skill.name.replace('-', ' ')} {skill.description}")
        scored.append(
            SkillOut(name=skill.name, uri=skill.uri(), score=rel.score, matched=list(rel.matched))
        )
    # Stable sort: equal scores keep the order the agent lists its skills in.
    return sorted(scored, key=lambda s: -s.score)


def _decision_text(out: DecisionOut) -> str:
    lines = [f"{out.title} ({out.agent} decision framework)"]
    lines += [f"{s.question or 'Choose'} → {s.answer}" for s in out.path]
    if out.next is not None:
        lines.append(f"Next question: {out.next.question or 'choose one of'}")
        for o in out.next.options:
            tail = f" → {o.outcome}" if o.outcome else ""
            lines.append(f"- {o.label}{tail}")
        lines.append("Call again with the answers so far plus one of these options.")
    else:
        lines.append(f"Recommendation: {out.recommendation}")
    if out.skills:
        relevant = [s for s in out.skills if s.score] or out.skills
        lines.append("Skills to read: " + ", ".join(f"{s.name} <{s.uri}>" for s in relevant))
    return "\n".join(lines)


# Checklists --------------------------------------------------------------------------


class ItemOut(WireModel):
    id: str
    text: str
    section: str
    met: bool


class ChecklistOut(WireModel):
    agent: str
    items: list[ItemOut]
    remaining: list[str]
    complete: bool


def checklist_output(agent: Agent, met: Sequence[str]) -> ToolOutput:
    entries = frameworks_of(agent).checklist_items()
    if not entries:
        raise ToolFailure(f"The {agent.name} agent has no checklist.")
    known = [item.id for _, item in entries]
    unknown = [m for m in met if m not in known]
    if unknown:
        named = ", ".join(f"'{u}'" + did_you_mean(u, known) for u in unknown)
        raise ToolFailure(f"Unknown checklist ids: {named}. Valid ids: {', '.join(known)}.")
    done = set(met)
    items = [ItemOut(id=i.id, text=i.text, section=c.title, met=i.id in done) for c, i in entries]
    remaining = [i for i in items if not i.met]
    out = ChecklistOut(
        agent=agent.name, items=items, remaining=[i.id for i in remaining], complete=not remaining
    )
    header = f"{agent.name} checklist: {len(items) - len(remaining)}/{len(items)} met."
    if not remaining:
        return ToolOutput(header + " Complete.", out)
    rows = [f"- [ ] {i.text} (id: {i.id})" for i in remaining]
    return ToolOutput("\n".join([header, "Remaining:", *rows]), out)
