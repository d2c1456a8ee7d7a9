"""Decision-tree tools: one per tree (``<agent>__<tree-id>``) and the generic ``decide``.

See ``agent_tools`` for which agents get tools of their own and the input shapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.features.decisions import Decision, InvalidAnswer, decide, relevance, tree_text
from agent_mcp.features.frameworks import DecisionTree, Frameworks, Node
from agent_mcp.server.tools.agent_inputs import (
    agent_arg,
    frameworks_of,
    object_schema,
    optional,
    required,
    strings,
)
from agent_mcp.server.tools.framework_schemas import DECISION_SCHEMA
from agent_mcp.server.tools.registry import ToolFailure, ToolOutput, ToolSpec, WireModel, tool_name


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


def tree_tool(agent: Agent, tree: DecisionTree) -> ToolSpec:
    levels = tree.labels_by_depth()
    nested = len(levels) > 1
    if nested:
        prefix = [{"type": "string", "enum": labels} for labels in levels]
        union = list(dict.fromkeys(label for labels in levels for label in labels))
        answers = {
            "type": "array",
            "description": "Answers in order, one per question, starting with: "
            f"{tree.question}. Stop early to get the next question.",
            "prefixItems": prefix,
            "items": {"type": "string", "enum": union},
            "maxItems": len(levels),
        }
        schema = object_schema({"answers": answers})
        how = (
            'Pass {"answers": [...]}, one answer per question; a partial path returns the '
            "next question."
        )
    else:
        answer = {"type": "string", "enum": levels[0], "description": tree.question}
        schema = object_schema({"answer": answer})
        how = 'Pass {"answer": <option>}; without it, returns the question and options.'
    description = (
        f"{tree.title}: decision framework of the {agent.name} agent. "
        f"Question: {tree.question} {how}"
    )

    def run(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
        if nested:
            path = strings(arguments, "answers")
        else:
            single = optional(arguments, "answer")
            path = [] if single is None else [single]
        current = catalog.agent(agent.name)
        found = frameworks_of(current).tree(tree.id)
        if found is None:
            raise ToolFailure(f"The {agent.name} agent no longer has the '{tree.title}' framework.")
        return _decision_output(catalog, current, found, path)

    return ToolSpec(
        name=tool_name(agent.name, tree.id),
        title=f"{agent.title}: {tree.title}",
        description=description,
        input_schema=schema,
        run=run,
        output_schema=DECISION_SCHEMA,
    )


def generic_decide_tool(agents: Sequence[str]) -> ToolSpec:
    schema = object_schema(
        {
            "agent": agent_arg(agents, "The agent whose decision framework to use."),
            "framework": {
                "type": "string",
                "description": "The framework's id (slug of its heading, e.g. sync-vs-async). "
                "Leave it out to get an error listing the agent's frameworks.",
            },
            "answers": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Answers in order, one per question; empty or partial returns "
                "the next question and its options.",
            },
        },
        ["agent"],
    )

    def run(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
        agent = catalog.agent(required(arguments, "agent"))
        frameworks = frameworks_of(agent)
        wanted = optional(arguments, "framework")
        tree = _find_tree(agent, frameworks, wanted) if wanted else None
        if tree is None:
            listing = "; ".join(f"{t.id} ({t.question})" for t in frameworks.trees) or "none"
            lead = f"Unknown framework '{wanted}'." if wanted else "Give a framework."
            raise ToolFailure(f"{lead} The {agent.name} agent's frameworks: {listing}.")
        return _decision_output(catalog, agent, tree, strings(arguments, "answers"))

    return ToolSpec(
        name="decide",
        title="Decide with an agent's decision framework",
        description="Walks one of an agent's decision trees: give agent, framework and the "
        f"answers so far; returns the recommendation or the next question. {len(agents)} "
        "agents have frameworks; load_agent shows an agent's guidance in full.",
        input_schema=schema,
        run=run,
        output_schema=DECISION_SCHEMA,
    )


def _find_tree(agent: Agent, frameworks: Frameworks, wanted: str) -> DecisionTree | None:
    """The tree named by its id, its tool's name, or the dotted name of earlier releases."""
    found = frameworks.tree(wanted)
    if found is not None:
        return found
    for tree in frameworks.trees:
        if wanted in (tool_name(agent.name, tree.id), f"{agent.name}.{tree.id}"):
            return tree
    return None


def _options(node: Node) -> list[OptionOut]:
    return [
        OptionOut(
            label=o.label,
            outcome=o.outcome,
            next_question=(o.next.question or o.label) if o.next else None,
        )
        for o in node.options
    ]


def _decision_output(
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
