"""Assembles the MCP server: wires each primitive's handlers to one lowlevel ``Server``.

The lowlevel server (rather than ``MCPServer``'s decorators) is used because the
catalog is dynamic: every list is computed from the catalog current at request time,
and errors, pagination and capabilities must follow the specification exactly.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import mcp_types as types
from mcp.server import Server
from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.server.lowlevel.server import NotificationOptions
from mcp.server.models import InitializationOptions
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

import agent_mcp
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.preview import preview_skills
from agent_mcp.server.errors import error_boundary
from agent_mcp.server.extensions.agents import EXTENSION_ID as AGENTS_EXTENSION
from agent_mcp.server.extensions.agents import AgentsExtension
from agent_mcp.server.extensions.skills import SkillsExtension
from agent_mcp.server.instructions import PREVIEW_LIMIT, instructions
from agent_mcp.server.live import LiveUpdates
from agent_mcp.server.primitives.completions import CompletionHandlers
from agent_mcp.server.primitives.prompts import PromptHandlers
from agent_mcp.server.primitives.resources import ResourceHandlers
from agent_mcp.server.state import ServerOptions, ServerState
from agent_mcp.server.tools.registry import ToolHandlers, ToolProvider


def tool_providers(options: ServerOptions | None = None) -> list[ToolProvider]:
    """Every tool family, in the order their tools are listed."""
    # Imported on first use (see ToolHandlers): not needed to answer the handshake.
    from agent_mcp.server.tools.agent_tools import AgentTools
    from agent_mcp.server.tools.command_tools import CommandTools
    from agent_mcp.server.tools.skill_tools import SkillTools

    return [AgentTools(options), SkillTools(), CommandTools()]


SERVER_NAME = "agent-mcp"


def build_server(state: ServerState) -> Server[Any]:
    prompts = PromptHandlers(state)
    resources = ResourceHandlers(state)
    completions = CompletionHandlers(state)
    tools = ToolHandlers(state, lambda: tool_providers(state.options))
    live = LiveUpdates(state)
    server: Server[Any] = AgentServer(
        state,
        SERVER_NAME,
        version=agent_mcp.__version__,
        title="Agent MCP",
        on_list_prompts=prompts.list_prompts,
        on_get_prompt=prompts.get_prompt,
        on_list_resources=resources.list_resources,
        on_list_resource_templates=resources.list_templates,
        on_read_resource=resources.read_resource,
        on_completion=completions.complete,
        on_list_tools=tools.list_tools,
        on_call_tool=tools.call_tool,
        lifespan=_lifespan(state, live),
        get_tool_input_schema=tools.input_schema,
    )
    # Outermost after the SDK's tracing, so it also covers the other middleware.
    server.middleware.insert(1, error_boundary())
    SkillsExtension(state).register(server)  # skills/list, skills/get, directory read
    AgentsExtension(state, tools.specs).register(server)  # agents/list, agents/get
    if state.options.watch:
        # Registered only when changes are actually pushed, so the advertised
        # capabilities (`subscribe`, `listChanged`) are true in both eras.
        server.add_request_handler(
            "resources/subscribe", types.SubscribeRequestParams, live.subscribe
        )
        server.add_request_handler(
            "resources/unsubscribe", types.UnsubscribeRequestParams, live.unsubscribe
        )
        server.add_request_handler(
            "subscriptions/listen", types.SubscriptionsListenRequestParams, live.streams
        )
        server.middleware.append(live.track_sessions)
    server.middleware.append(_mark_answered(state))
    server.add_request_handler("logging/setLevel", types.SetLevelRequestParams, live.set_level)
    return server


class AgentServer(Server[Any]):
    """The lowlevel server, advertising ``listChanged`` truthfully to 2025-era clients.

    The stock server's default initialization options say ``listChanged: false``
    whatever the server does; transports that build the options themselves (the
    in-memory and HTTP ones) call this override.
    """

    def __init__(self, state: ServerState, *args: Any, **kwargs: Any) -> None:
        self._state = state
        # Read now, at start-up (not in a handler): the instructions go out with the
        # first answer, before the skills load in the background.
        self._preview = (
            None if state.catalog.complete else preview_skills(state.catalog.sources, PREVIEW_LIMIT)
        )
        self._written: tuple[Catalog, str] | None = None
        super().__init__(*args, **kwargs)
        self._notifications = NotificationOptions(
            prompts_changed=state.options.watch,
            resources_changed=state.options.watch,
            tools_changed=state.options.watch,
        )

    @property
    def instructions(self) -> str | None:  # pyright: ignore[reportIncompatibleVariableOverride]
        """Written for the catalog being served when they are asked for (handshakes and
        ``server/discover``), so a reload or the background skill load shows there."""
        catalog = self._state.catalog
        if self._written is None or self._written[0] is not catalog:
            self._written = (catalog, instructions(catalog, self._preview))
        return self._written[1]

    @instructions.setter
    def instructions(self, value: str | None) -> None:
        pass  # the stock constructor sets them; here they follow the catalog

    def create_initialization_options(
        self,
        notification_options: NotificationOptions | None = None,
        experimental_capabilities: dict[str, dict[str, Any]] | None = None,
        extensions: dict[str, dict[str, Any]] | None = None,
    ) -> InitializationOptions:
        return super().create_initialization_options(
            notification_options or self._notifications, experimental_capabilities, extensions
        )

    def get_capabilities(
        self,
        notification_options: NotificationOptions | None = None,
        experimental_capabilities: dict[str, dict[str, Any]] | None = None,
        extensions: dict[str, dict[str, Any]] | None = None,
        *,
        protocol_version: str | None = None,
    ) -> types.ServerCapabilities:
        capabilities = super().get_capabilities(
            notification_options,
            experimental_capabilities,
            extensions,
            protocol_version=protocol_version,
        )
        if protocol_version in MODERN_PROTOCOL_VERSIONS:
            # logging/setLevel is gone in 2026-07-28 and this server sends no
            # per-request logs, so advertising logging there would be untrue.
            capabilities.logging = None
        elif capabilities.extensions:
            # The Agents extension is defined for the 2026-07-28 era only.
            # (A new dict: this one may be the server's own map, shared by every era.)
            capabilities.extensions = {
                k: v for k, v in capabilities.extensions.items() if k != AGENTS_EXTENSION
            }
        return capabilities


_HANDSHAKE = frozenset({"initialize", "server/discover", "notifications/initialized"})


def _mark_answered(state: ServerState) -> ServerMiddleware[Any]:
    async def mark(ctx: ServerRequestContext[Any], call_next: CallNext) -> HandlerResult:
        result = await call_next(ctx)
        if ctx.method not in _HANDSHAKE:
            state.answered.set()
        return result

    return mark


def _lifespan(state: ServerState, live: LiveUpdates) -> Any:
    async def after_first_answers(work: Callable[[], Awaitable[object]]) -> None:
        await state.settled()
        await work()

    @asynccontextmanager
    async def lifespan(server: Server[Any]) -> AsyncGenerator[dict[str, Any]]:
        async with anyio.create_task_group() as tasks:
            if not state.catalog.complete:
                # The skills load once the host has its first answers (a request that
                # needs them earlier loads them itself).
                tasks.start_soon(after_first_answers, state.full_catalog)
            if state.options.watch:
                tasks.start_soon(after_first_answers, live.watch)
            try:
                yield {"live": live}
            finally:
                tasks.cancel_scope.cancel()

    return lifespan


def initialization_options(server: Server[Any]) -> InitializationOptions:
    return server.create_initialization_options()
