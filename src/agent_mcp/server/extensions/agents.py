"""The Agents extension (draft ``io.modelcontextprotocol/agents``, MCP Agents WG).

``agents/list`` returns agent cards (name, description, capabilities as routing labels)
and ``agents/get`` one agent: its instructions (the persona with its skills, the text of
its prompt) and its own tools, exactly as tools/list lists them. Both results carry
``ttlMs`` and ``cacheScope``. When the server watches its roots it declares
``listChanged``, and a client that declared the extension and put ``agentsListChanged``
in its ``subscriptions/listen`` filter gets ``notifications/agents/list_changed`` when
the roster or a card changes (``server.listen``). The extension exists only in the
2026-07-28 era: it is declared there alone, and a 2025-era client calling its methods
gets -32601 as for any method the server does not have.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mcp_types as types
from mcp.server import Server
from mcp.server.context import ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp_types import METHOD_NOT_FOUND
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog, NotFound
from agent_mcp.errors import LoadError
from agent_mcp.server.errors import invalid_params
from agent_mcp.server.pagination import paginate
from agent_mcp.server.state import ServerState

if TYPE_CHECKING:
    from agent_mcp.server.tools.registry import ToolSpec

EXTENSION_ID = "io.modelcontextprotocol/agents"
# Agents change at the pace of human edits; a listing may be a minute old. A single
# agent is cheap to fetch again, so it is never served from a cache.
LIST_TTL_MS = 60_000
GET_TTL_MS = 0
CACHE_SCOPE = "private"
LIST_CHANGED_FILTER = "agentsListChanged"
"""The ``subscriptions/listen`` filter key a client opts in with."""
LIST_CHANGED = "notifications/agents/list_changed"


@dataclass(frozen=True, slots=True)
class AgentsListChanged:
    """The roster or an agent card changed (an event for the listen streams)."""


def negotiated(ctx: ServerRequestContext[Any]) -> bool:
    """Whether the client declared the extension on this request."""
    capabilities = ctx.session.client_capabilities
    return capabilities is not None and EXTENSION_ID in (capabilities.extensions or {})


Specs = Callable[[Catalog], "Mapping[str, ToolSpec]"]


# ``{name}`` (plus prompts' optional arguments, unused here): an existing params model,
# as defining one more pydantic model costs the handshake several milliseconds.
GetAgentParams = types.GetPromptRequestParams


class AgentsExtension:
    def __init__(self, state: ServerState, specs: Specs) -> None:
        self.state = state
        self.specs = specs

    def register(self, server: Server[Any]) -> None:
        server.add_request_handler("agents/list", types.PaginatedRequestParams, self.list_agents)
        server.add_request_handler("agents/get", GetAgentParams, self.get_agent)
        # listChanged only when changes are pushed at all (see server.live).
        server.extensions[EXTENSION_ID] = {"listChanged": True} if self.state.options.watch else {}

    async def list_agents(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams
    ) -> dict[str, Any]:
        _modern_only(ctx)
        catalog = self.state.catalog
        page, next_cursor = paginate(
            list(catalog.agents.values()), params.cursor, self.state.options.page_size
        )
        result: dict[str, Any] = {
            "agents": [self._card(catalog, agent) for agent in page],
            "ttlMs": LIST_TTL_MS,
            "cacheScope": CACHE_SCOPE,
        }
        if next_cursor is not None:
            result["nextCursor"] = next_cursor
        return result

    async def get_agent(
        self, ctx: ServerRequestContext[Any], params: GetAgentParams
    ) -> dict[str, Any]:
        _modern_only(ctx)
        from agent_mcp.features.persona import build_persona

        catalog = await self.state.full_catalog()
        try:
            agent = catalog.agent(params.name)
        except NotFound as exc:
            data: dict[str, Any] = {"reason": "agent_not_found", "name": params.name}
            if exc.suggestions:
                data["suggestions"] = list(exc.suggestions)
            raise invalid_params(str(exc), **data) from None
        persona = build_persona(catalog, agent)
        tools = [
            spec.to_wire().model_dump(mode="json", by_alias=True, exclude_none=True)
            for spec in self._own_tools(catalog, agent)
        ]
        # The draft's GetAgentResult: the agent's name, not its card (agents/list has that).
        return {
            "agent": agent.name,
            "instructions": "\n\n".join(persona.texts()),
            "tools": tools,
            "ttlMs": GET_TTL_MS,
            "cacheScope": CACHE_SCOPE,
        }

    def _card(self, catalog: Catalog, agent: Agent) -> dict[str, Any]:
        # Routing labels: what the agent can be asked about, from what it declares.
        labels = [f"skill:{name}" for name in agent.skills]
        labels += [f"tool:{spec.name}" for spec in self._own_tools(catalog, agent)]
        card: dict[str, Any] = {
            "name": agent.name,
            "title": agent.title,
            "description": agent.description,
            "capabilities": labels,
        }
        return card

    def _own_tools(self, catalog: Catalog, agent: Agent) -> list[ToolSpec]:
        # Imported on first use: the handshake does not need the parsers.
        from agent_mcp.features.frameworks import agent_frameworks
        from agent_mcp.server.tools.registry import tool_name

        specs = self.specs(catalog)
        try:
            frameworks = agent_frameworks(agent)
        except (LoadError, OSError):  # an unreadable body has no tools; validate says why
            return []
        names = [tool_name(agent.name, t.id) for t in frameworks.trees]
        names.append(tool_name(agent.name, "checklist"))
        return [specs[n] for n in names if n in specs]


def _modern_only(ctx: ServerRequestContext[Any]) -> None:
    if ctx.protocol_version not in MODERN_PROTOCOL_VERSIONS:
        raise MCPError(METHOD_NOT_FOUND, "Method not found")
