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
``agent_inputs.ENUM_CAP`` agents and plain strings beyond (errors then suggest close
names), so the generic tools do not grow with the catalog either.

The tools themselves live in ``decision_tools`` and ``checklist_tools``; ``load_agent``
is here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.state import ServerOptions
from agent_mcp.server.tools.agent_inputs import (
    agent_arg,
    frameworks_of,
    object_schema,
    optional,
    required,
)
from agent_mcp.server.tools.checklist_tools import checklist_tool, generic_checklist_tool
from agent_mcp.server.tools.decision_tools import generic_decide_tool, tree_tool
from agent_mcp.server.tools.registry import ToolOutput, ToolSpec

# Surface -----------------------------------------------------------------------------


class AgentTools:
    """The tool provider for agents' frameworks (see the module docstring)."""

    def __init__(self, options: ServerOptions | None = None) -> None:
        self.options = options or ServerOptions()

    def tools(self, catalog: Catalog) -> Sequence[ToolSpec]:
        parsed = {a.name: frameworks_of(a) for a in catalog.agents.values()}
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
            specs += [tree_tool(agent, tree) for tree in frameworks.trees]
            if frameworks.checklists:
                specs.append(checklist_tool(agent, frameworks))
        rest = [n for n in with_any if n not in own]
        if any(parsed[n].trees for n in rest):
            specs.append(generic_decide_tool([n for n in rest if parsed[n].trees]))
        if any(parsed[n].checklists for n in rest):
            specs.append(generic_checklist_tool([n for n in rest if parsed[n].checklists]))
        return specs


# Personas ----------------------------------------------------------------------------


def _load_agent_tool(catalog: Catalog) -> ToolSpec:
    names = list(catalog.agents)
    schema = object_schema(
        {
            "agent": agent_arg(names, "The agent to become."),
            "task": {"type": "string", "description": "What the agent should do (optional)."},
        },
        ["agent"],
    )

    def run(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
        from agent_mcp.features.persona import build_persona  # on first call, as in prompts.py

        agent = catalog.agent(required(arguments, "agent"))
        persona = build_persona(catalog, agent, optional(arguments, "task"))
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
