"""Agents as MCP prompts: ``prompts/list`` and ``prompts/get``."""

from __future__ import annotations

from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext

from agent_mcp.agents import Agent
from agent_mcp.persona import build_persona
from agent_mcp.server.errors import translate_errors
from agent_mcp.server.pagination import paginate
from agent_mcp.server.state import ServerState

TASK_ARGUMENT = types.PromptArgument(
    name="task",
    description="What you want the agent to do (optional). Appended after the persona.",
    required=False,
)


def agent_prompt(agent: Agent) -> types.Prompt:
    return types.Prompt(
        name=agent.name,
        title=agent.title,
        description=agent.description,
        arguments=[TASK_ARGUMENT],
    )


class PromptHandlers:
    def __init__(self, state: ServerState) -> None:
        self.state = state

    async def list_prompts(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        catalog = self.state.catalog
        prompts = [agent_prompt(a) for a in catalog.agents.values()]
        page, next_cursor = paginate(
            prompts, params.cursor if params else None, self.state.options.page_size
        )
        return types.ListPromptsResult(prompts=list(page), next_cursor=next_cursor)

    @translate_errors
    async def get_prompt(
        self, ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        catalog = self.state.catalog
        agent = catalog.agent(params.name)
        task = (params.arguments or {}).get("task")
        persona = build_persona(catalog, agent, task)
        messages = [
            types.PromptMessage(role="user", content=types.TextContent(text=text))
            for text in persona.texts()
        ]
        return types.GetPromptResult(description=agent.description, messages=messages)
