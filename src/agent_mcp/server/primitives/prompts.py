"""Agents as MCP prompts: ``prompts/list`` and ``prompts/get``.

A prompt is ONE user message holding the persona, the skills, any workflow and the task:
Gemini CLI uses only a prompt's first message, so anything in a second one is lost there,
and every other host reads one message as well as several. The sole argument is ``task``,
because Claude Code maps typed words to arguments in order (see docs/hosts.md for what a
user types in each host).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.errors import LoadError, NotFound
from agent_mcp.server.pagination import paginate
from agent_mcp.server.primitives.commands import command_prompt, command_result
from agent_mcp.server.state import ServerState
from agent_mcp.text.words import suggest

if TYPE_CHECKING:
    from agent_mcp.features.frameworks import Frameworks, Workflow

PART_BREAK = "\n\n"
"""Between persona, skills, workflow and task: each part starts with its own heading."""

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


def workflow_prompt(agent: Agent, workflow: Workflow) -> types.Prompt:
    return types.Prompt(
        name=f"{agent.name}/{workflow.id}",
        title=f"{agent.title}: {workflow.title}",
        description=f"The {agent.name} agent's workflow '{workflow.title}' "
        f"({len(workflow.steps)} steps, starting: {workflow.steps[0]}).",
        arguments=[TASK_ARGUMENT],
    )


def _frameworks(agent: Agent) -> Frameworks:
    # The parsers load on first use: answering the handshake does not need them.
    from agent_mcp.features.frameworks import agent_frameworks

    return agent_frameworks(agent)


def _workflows(agent: Agent) -> tuple[Workflow, ...]:
    # Bodies are parsed on first listing (then cached); a broken body only loses its
    # workflows here, while the agent's own prompt reports the error when fetched.
    try:
        return _frameworks(agent).workflows
    except (LoadError, OSError):
        return ()


class PromptHandlers:
    def __init__(self, state: ServerState) -> None:
        self.state = state

    async def list_prompts(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        catalog = self.state.catalog
        # Workflow prompts come from parsing agent bodies: disk and CPU, off the loop.
        prompts = await anyio.to_thread.run_sync(_all_prompts, catalog)
        page, next_cursor = paginate(
            prompts, params.cursor if params else None, self.state.options.page_size
        )
        return types.ListPromptsResult(prompts=list(page), next_cursor=next_cursor)

    async def get_prompt(
        self, ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        catalog = await self.state.full_catalog()
        return await anyio.to_thread.run_sync(_get_prompt, catalog, params)


def _all_prompts(catalog: Catalog) -> list[types.Prompt]:
    return [
        prompt
        for a in catalog.agents.values()
        for prompt in (agent_prompt(a), *(workflow_prompt(a, w) for w in _workflows(a)))
    ] + [command_prompt(c) for c in catalog.commands.values() if c.name not in catalog.agents]


def _get_prompt(catalog: Catalog, params: types.GetPromptRequestParams) -> types.GetPromptResult:
    command = catalog.commands.get(params.name)
    if command is not None and params.name not in catalog.agents:
        return command_result(command, dict(params.arguments or {}))
    agent_name, slash, workflow_id = params.name.partition("/")
    agent = catalog.agent(agent_name)
    task = (params.arguments or {}).get("task")
    # Imported here, as the tool implementations are: a cold start lists, it does not get.
    from agent_mcp.features.persona import build_persona

    persona = build_persona(catalog, agent, task)
    texts = persona.texts()
    if slash:
        workflow = _frameworks(agent).workflow(workflow_id)
        if workflow is None:
            names = [f"{agent.name}/{w.id}" for w in _workflows(agent)]
            raise NotFound(f"Unknown prompt '{params.name}'.", suggest(params.name, names))
        # The workflow goes after persona and skills, before the task it applies to.
        steps = f"## Workflow: {workflow.title}\n\nFollow these steps in order.\n\n"
        texts = [t for t in (persona.persona, persona.skills_text()) if t]
        texts += [steps + workflow.markdown, *filter(None, [persona.task_text()])]
    message = types.PromptMessage(
        role="user", content=types.TextContent(text=PART_BREAK.join(texts))
    )
    return types.GetPromptResult(description=agent.description, messages=[message])
