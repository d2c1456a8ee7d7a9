"""Checklist tools: one per agent with checklist items (``<agent>__checklist``) and the
generic ``checklist``: pass the ids already met, get what remains."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.features.frameworks import Frameworks
from agent_mcp.server.tools.agent_inputs import (
    agent_arg,
    object_schema,
    required,
    strings,
)
from agent_mcp.server.tools.framework_schemas import CHECKLIST_SCHEMA
from agent_mcp.server.tools.registry import ToolOutput, ToolSpec, tool_name


def checklist_tool(agent: Agent, frameworks: Frameworks) -> ToolSpec:
    ids = [item.id for _, item in frameworks.checklist_items()]
    titles = ", ".join(c.title for c in frameworks.checklists)
    schema = object_schema(
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
        from agent_mcp.server.tools.framework_outputs import checklist_output

        return checklist_output(catalog.agent(agent.name), strings(arguments, "met"))

    return ToolSpec(
        name=tool_name(agent.name, "checklist"),
        title=f"{agent.title}: {titles}",
        description=f"The {agent.name} agent's checklist ({titles}, {len(ids)} items). Pass the "
        "ids already met; returns what remains and whether the list is complete.",
        input_schema=schema,
        run=run,
        output_schema=CHECKLIST_SCHEMA,
    )


def generic_checklist_tool(agents: Sequence[str]) -> ToolSpec:
    schema = object_schema(
        {
            "agent": agent_arg(agents, "The agent whose checklist to use."),
            "met": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Ids of the items already satisfied.",
            },
        },
        ["agent"],
    )

    def run(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
        agent = catalog.agent(required(arguments, "agent"))
        from agent_mcp.server.tools.framework_outputs import checklist_output

        return checklist_output(agent, strings(arguments, "met"))

    return ToolSpec(
        name="checklist",
        title="An agent's checklist",
        description="An agent's quality checklist with stable item ids; pass the ids already "
        "met to get what remains and whether the list is complete.",
        input_schema=schema,
        run=run,
        output_schema=CHECKLIST_SCHEMA,
    )
