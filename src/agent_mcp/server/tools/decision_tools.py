"""Decision-tree tools: one per tree (``<agent>__<tree-id>``) and the generic ``decide``.

See ``agent_tools`` for which agents get tools of their own and the input shapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.features.frameworks import DecisionTree, Frameworks
from agent_mcp.server.tools.agent_inputs import (
    agent_arg,
    frameworks_of,
    object_schema,
    optional,
    required,
    strings,
)
from agent_mcp.server.tools.framework_schemas import DECISION_SCHEMA
from agent_mcp.server.tools.registry import ToolFailure, ToolOutput, ToolSpec, tool_name


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
        from agent_mcp.server.tools.framework_outputs import decision_output

        return decision_output(catalog, current, found, path)

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
        from agent_mcp.server.tools.framework_outputs import decision_output

        return decision_output(catalog, agent, tree, strings(arguments, "answers"))

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
