"""Agents' decision trees, checklists and personas as MCP tools.

Tools (all read-only, idempotent, closed-world):

- ``<agent>__<tree-id>`` per decision tree, e.g. ``backend-developer__sync-vs-async``
  (``registry.tool_name``: only ``[A-Za-z0-9_-]``, at most 48 characters, long names cut
  and suffixed with a short hash). Input:
  for a one-level tree ``{"answer": <enum of its labels>}``; for a nested tree
  ``{"answers": [...]}``, the path of answers, where ``prefixItems`` constrains step *i* to
  the labels that can occur at depth *i* and ``items`` to all labels (for validators that
  predate ``prefixItems``); the server checks the path itself. Leaving answers out, or
  stopping early, returns the next question and its options, not an error. An answer that
  is not an option is an ``isError`` result listing the valid ones.
- ``<agent>__checklist`` per agent with checklist items: ``{"met": [ids]}`` -> what remains.
- ``load_agent``: the agent's persona, skills and task, the texts of its prompt, for hosts
  without prompt support.
- ``decide`` and ``checklist``: the generic forms, taking the agent (and framework) as
  arguments, for agents that do not get tools of their own. ``framework`` may also be a
  per-tree tool's name (``backend-developer__sync-vs-async``, or the dotted form of
  earlier releases).

Bounded surface: hosts cap tool counts (Cursor about 40) and every tool costs context
(a decision tool is about 1.6 KB of tools/list, mostly its output schema). Agents named
with ``--agent`` (``ServerOptions.focus``) get per-tree and checklist tools; without a
focus every agent gets them while their count stays within
``ServerOptions.framework_tool_budget`` (30), else none does. Any agent left out is
reachable through the two generic tools, listed only when such an agent exists. So this
family lists at most ``budget + 1`` tools without a focus, and the focused agents' own
tools + 3 with one, whatever the catalog size. Agent-name arguments are enums up to
``ENUM_CAP`` agents and plain strings beyond (errors then suggest close names), so the
generic tools do not grow with the catalog either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.errors import LoadError
from agent_mcp.features.decisions import Decision, InvalidAnswer, decide, relevance, tree_text
from agent_mcp.features.frameworks import DecisionTree, Frameworks, Node, agent_frameworks
from agent_mcp.features.persona import build_persona
from agent_mcp.server.state import ServerOptions
from agent_mcp.server.tools.framework_schemas import CHECKLIST_SCHEMA, DECISION_SCHEMA
from agent_mcp.server.tools.registry import ToolFailure, ToolOutput, ToolSpec, tool_name
from agent_mcp.text.words import did_you_mean

ENUM_CAP = 64
"""Agent names are an enum up to this many agents; beyond, a string (errors suggest names)."""


# Structured output -------------------------------------------------------------------


class _Wire(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class OptionOut(_Wire):
    label: str
    outcome: str | None
    next_question: str | None
    """Set when choosing this option leads to another question."""


class StepOut(_Wire):
    question: str | None
    answer: str
    outcome: str | None
    options: list[OptionOut]


class QuestionOut(_Wire):
    question: str | None
    options: list[OptionOut]


class SkillOut(_Wire):
    name: str
    uri: str
    score: int
    matched: list[str]


class DecisionOut(_Wire):
    agent: str
    framework: str
    title: str
    status: Literal["recommendation", "question"]
    recommendation: str | None
    path: list[StepOut]
    next: QuestionOut | None
    skills: list[SkillOut]
    """The agent's skills, most relevant to this framework and path first."""


class ItemOut(_Wire):
    id: str
    text: str
    section: str
    met: bool


class ChecklistOut(_Wire):
    agent: str
    items: list[ItemOut]
    remaining: list[str]
    complete: bool


# Surface -----------------------------------------------------------------------------


class AgentTools:
    """The tool provider for agents' frameworks (see the module docstring)."""

    def __init__(self, options: ServerOptions | None = None) -> None:
        self.options = options or ServerOptions()

    def tools(self, catalog: Catalog) -> Sequence[ToolSpec]:
        parsed = {a.name: _frameworks(a) for a in catalog.agents.values()}
        with_any = [n for n, f in parsed.items() if f.trees or f.checklists]
        focus = set(self.options.focus)
        if focus:
            own = [n for n in with_any if n in focus]
        else:
            count = sum(len(parsed[n].trees) + bool(parsed[n].checklists) for n in with_any)
            own = with_any if count <= self.options.framework_tool_budget else []
        specs = [_load_agent_tool(catalog)]
        for name in own:
            agent, frameworks = catalog.agents[name], parsed[name]
            specs += [_tree_tool(agent, tree) for tree in frameworks.trees]
            if frameworks.checklists:
                specs.append(_checklist_tool(agent, frameworks))
        rest = [n for n in with_any if n not in own]
        if any(parsed[n].trees for n in rest):
            specs.append(_generic_decide_tool([n for n in rest if parsed[n].trees]))
        if any(parsed[n].checklists for n in rest):
            specs.append(_generic_checklist_tool([n for n in rest if parsed[n].checklists]))
        return specs


def _frameworks(agent: Agent) -> Frameworks:
    # An unreadable body must not take tools/list down; validate reports it.
    try:
        return agent_frameworks(agent)
    except (LoadError, OSError):
        return Frameworks()


def _agent_arg(names: Sequence[str], what: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "description": what}
    if len(names) <= ENUM_CAP:
        schema["enum"] = list(names)
    return schema


def _object(properties: Mapping[str, Any], required: Sequence[str] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": dict(properties)}
    if required:
        schema["required"] = list(required)
    return schema


def _strings(arguments: Mapping[str, Any], key: str) -> list[str]:
    value: object = arguments.get(key, [])
    items = cast("list[object]", value) if isinstance(value, list) else None
    if items is None or not all(isinstance(v, str) for v in items):
        raise ToolFailure(f"Invalid arguments: '{key}' must be an array of strings.")
    return [str(v) for v in items]


def _optional(arguments: Mapping[str, Any], key: str) -> str | None:
    value = arguments.get(key)
    if value is not None and not isinstance(value, str):
        raise ToolFailure(f"Invalid arguments: '{key}' must be a string.")
    return value


def _required(arguments: Mapping[str, Any], key: str) -> str:
    value = _optional(arguments, key)
    if value is None:
        raise ToolFailure(f"Invalid arguments: '{key}' is required.")
    return value


# Decision trees ----------------------------------------------------------------------


def _tree_tool(agent: Agent, tree: DecisionTree) -> ToolSpec:
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
        schema = _object({"answers": answers})
        how = (
            'Pass {"answers": [...]}, one answer per question; a partial path returns the '
            "next question."
        )
    else:
        answer = {"type": "string", "enum": levels[0], "description": tree.question}
        schema = _object({"answer": answer})
        how = 'Pass {"answer": <option>}; without it, returns the question and options.'
    description = (
        f"{tree.title}: decision framework of the {agent.name} agent. "
        f"Question: {tree.question} {how}"
    )

    def run(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
        if nested:
            path = _strings(arguments, "answers")
        else:
            single = _optional(arguments, "answer")
            path = [] if single is None else [single]
        current = catalog.agent(agent.name)
        found = _frameworks(current).tree(tree.id)
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


def _generic_decide_tool(agents: Sequence[str]) -> ToolSpec:
    schema = _object(
        {
            "agent": _agent_arg(agents, "The agent whose decision framework to use."),
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
        agent = catalog.agent(_required(arguments, "agent"))
        frameworks = _frameworks(agent)
        wanted = _optional(arguments, "framework")
        tree = _find_tree(agent, frameworks, wanted) if wanted else None
        if tree is None:
            listing = "; ".join(f"{t.id} ({t.question})" for t in frameworks.trees) or "none"
            lead = f"Unknown framework '{wanted}'." if wanted else "Give a framework."
            raise ToolFailure(f"{lead} The {agent.name} agent's frameworks: {listing}.")
        return _decision_output(catalog, agent, tree, _strings(arguments, "answers"))

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
    out = DecisionOut(
        agent=agent.name,
        framework=tree.id,
        title=tree.title,
        status="question" if result.next else "recommendation",
        recommendation=result.recommendation,
        path=path,
        next=upcoming,
        skills=_ranked_skills(catalog, agent, result),
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


def _checklist_tool(agent: Agent, frameworks: Frameworks) -> ToolSpec:
    ids = [item.id for _, item in frameworks.checklist_items()]
    titles = ", ".join(c.title for c in frameworks.checklists)
    schema = _object(
        {
            "met": {
                "type": "array",
                "items": {"type": "string", "enum": ids},
                "uniqueItems": True,
                "description": "Ids of the items already satisfied.",
            }
        }
    )

    def run(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
        return _checklist_output(catalog.agent(agent.name), _strings(arguments, "met"))

    return ToolSpec(
        name=tool_name(agent.name, "checklist"),
        title=f"{agent.title}: {titles}",
        description=f"The {agent.name} agent's checklist ({titles}, {len(ids)} items). Pass the "
        "ids already met; returns what remains and whether the list is complete.",
        input_schema=schema,
        run=run,
        output_schema=CHECKLIST_SCHEMA,
    )


def _generic_checklist_tool(agents: Sequence[str]) -> ToolSpec:
    schema = _object(
        {
            "agent": _agent_arg(agents, "The agent whose checklist to use."),
            "met": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Ids of the items already satisfied.",
            },
        },
        ["agent"],
    )

    def run(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
        agent = catalog.agent(_required(arguments, "agent"))
        return _checklist_output(agent, _strings(arguments, "met"))

    return ToolSpec(
        name="checklist",
        title="An agent's checklist",
        description="An agent's quality checklist with stable item ids; pass the ids already "
        "met to get what remains and whether the list is complete.",
        input_schema=schema,
        run=run,
        output_schema=CHECKLIST_SCHEMA,
    )


def _checklist_output(agent: Agent, met: Sequence[str]) -> ToolOutput:
    entries = _frameworks(agent).checklist_items()
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


# Personas ----------------------------------------------------------------------------


def _load_agent_tool(catalog: Catalog) -> ToolSpec:
    names = list(catalog.agents)
    schema = _object(
        {
            "agent": _agent_arg(names, "The agent to become."),
            "task": {"type": "string", "description": "What the agent should do (optional)."},
        },
        ["agent"],
    )

    def run(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
        agent = catalog.agent(_required(arguments, "agent"))
        persona = build_persona(catalog, agent, _optional(arguments, "task"))
        return ToolOutput("\n\n".join(persona.texts()))

    return ToolSpec(
        name="load_agent",
        title="Load an agent persona",
        description="Returns an agent's persona (system prompt), its skills and your task: the "
        "same content as the agent's prompt, for hosts without prompt support. Adopt it for the "
        "rest of the task.",
        input_schema=schema,
        run=run,
    )
