"""The state a server instance serves from: the current catalog and the options."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent_mcp.catalog import Catalog


@dataclass(slots=True)
class ServerOptions:
    page_size: int = 200
    """Entries per page of resources/list, prompts/list and skills/list."""
    instructions_agent_cap: int = 5
    """How many agents the server instructions name before summarising."""
    focus: tuple[str, ...] = ()
    """Agents given per-framework tools whatever the budget (``--agent NAME``)."""
    framework_tool_budget: int = 30
    """Without a focus, per-framework tools for every agent only up to this many tools."""


@dataclass(slots=True)
class ServerState:
    """Holds the catalog being served. Replacing ``catalog`` swaps it atomically:
    handlers read the attribute once per request and use that snapshot throughout."""

    catalog: Catalog
    options: ServerOptions = field(default_factory=ServerOptions)
