"""Assembles the MCP server: wires each primitive's handlers to one lowlevel ``Server``.

The lowlevel server (rather than ``MCPServer``'s decorators) is used because the
catalog is dynamic: every list is computed from the catalog current at request time,
and errors, pagination and capabilities must follow the specification exactly.
"""

from __future__ import annotations

from typing import Any

from mcp.server import Server
from mcp.server.lowlevel.server import NotificationOptions
from mcp.server.models import InitializationOptions

import agent_mcp
from agent_mcp.catalog import Catalog
from agent_mcp.server.agent_tools import AgentTools
from agent_mcp.server.completions import CompletionHandlers
from agent_mcp.server.prompts import PromptHandlers
from agent_mcp.server.resources import ResourceHandlers
from agent_mcp.server.state import ServerOptions, ServerState
from agent_mcp.server.tools import ToolHandlers, ToolProvider


def tool_providers(options: ServerOptions | None = None) -> list[ToolProvider]:
    """Every tool family, in the order their tools are listed."""
    return [AgentTools(options)]


SERVER_NAME = "agent-mcp"


def instructions(catalog: Catalog, cap: int) -> str:
    """A few lines on how to use the server; bounded whatever the catalog size."""
    names = list(catalog.agents)
    shown = ", ".join(names[:cap])
    more = f" and {len(names) - cap} more (see prompts/list)" if len(names) > cap else ""
    agents_line = f"Agents: {shown}{more}." if names else "No agents are loaded."
    return "\n".join(
        [
            "Serves agent personas and their skills.",
            agents_line,
            "Use an agent's prompt (or the load_agent tool) to adopt its persona; read a "
            "skill's SKILL.md at skill://<skill>/SKILL.md before using the skill.",
        ]
    )


def build_server(state: ServerState) -> Server[Any]:
    prompts = PromptHandlers(state)
    resources = ResourceHandlers(state)
    completions = CompletionHandlers(state)
    tools = ToolHandlers(state, tool_providers(state.options))
    server: Server[Any] = Server(
        SERVER_NAME,
        version=agent_mcp.__version__,
        title="Agent MCP",
        instructions=instructions(state.catalog, state.options.instructions_agent_cap),
        on_list_prompts=prompts.list_prompts,
        on_get_prompt=prompts.get_prompt,
        on_list_resources=resources.list_resources,
        on_list_resource_templates=resources.list_templates,
        on_read_resource=resources.read_resource,
        on_completion=completions.complete,
        on_list_tools=tools.list_tools,
        on_call_tool=tools.call_tool,
    )
    return server


def initialization_options(server: Server[Any]) -> InitializationOptions:
    return server.create_initialization_options(NotificationOptions())
