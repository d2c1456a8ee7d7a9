"""``completion/complete`` for prompt arguments (agents' tasks, commands' arguments) and
the resource templates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.commands import Command
from agent_mcp.errors import LoadError, NotFound
from agent_mcp.server.primitives.resources import SKILL_TEMPLATE
from agent_mcp.server.state import ServerState

MAX_VALUES = 100  # the spec's cap per response


def _complete(candidates: Iterable[str], prefix: str) -> types.CompleteResult:
    # One pass, no membership tests: a keystroke against 10,000 names stays linear.
    needle = prefix.lower()
    starts: list[str] = []
    contains: list[str] = []
    for candidate in candidates:
        folded = candidate.lower()
        if folded.startswith(needle):
            starts.append(candidate)
        elif needle in folded:
            contains.append(candidate)
    matches = starts + contains
    return types.CompleteResult(
        completion=types.Completion(
            values=matches[:MAX_VALUES], total=len(matches), has_more=len(matches) > MAX_VALUES
        )
    )


def _command_values(command: Command, argument: str, value: str) -> list[str]:
    """What the command's ``argument-hint`` lists: the choices for a positional argument
    (``[staging|production]``), or for the one ``arguments`` text the choices and
    options that may come next. Free-text parts offer nothing rather than a guess."""
    from agent_mcp.catalog.hints import choices_at, continuations  # only with commands

    hint = command.argument_hint
    names = command.argument_names()
    if argument in names:
        return list(choices_at(hint, names.index(argument)))
    if argument == "arguments" and not names:
        return continuations(hint, value)
    return []


class CompletionHandlers:
    def __init__(self, state: ServerState) -> None:
        self.state = state

    async def complete(
        self, ctx: ServerRequestContext[Any], params: types.CompleteRequestParams
    ) -> types.CompleteResult:
        catalog = await self.state.full_catalog()
        # Listing a skill's files and parsing an agent's workflows touch the disk.
        return await anyio.to_thread.run_sync(_answer, catalog, params)


def _answer(catalog: Catalog, params: types.CompleteRequestParams) -> types.CompleteResult:
    ref = params.ref
    argument = params.argument
    context = (params.context.arguments if params.context else None) or {}
    if isinstance(ref, types.ResourceTemplateReference):
        if ref.uri == SKILL_TEMPLATE and argument.name == "name":
            return _complete(catalog.skills, argument.value)
        if ref.uri == SKILL_TEMPLATE and argument.name == "path":
            name = context.get("name")
            if name is None:
                return _complete([], argument.value)
            try:
                skill = catalog.skill(name)
            except NotFound:
                return _complete([], argument.value)
            return _complete(skill.files(), argument.value)
        if ref.uri == "agent://{name}" and argument.name == "name":
            return _complete(catalog.agents, argument.value)
        return _complete([], argument.value)
    command = catalog.commands.get(ref.name)
    if command is not None and ref.name not in catalog.agents:
        return _complete(_command_values(command, argument.name, argument.value), argument.value)
    # An agent prompt's 'task' is free text; its workflows ("When Designing APIs")
    # are the tasks the agent says it knows how to do, so they make good starters.
    agent = catalog.agents.get(ref.name)
    if agent is None or argument.name != "task":
        return _complete([], argument.value)
    from agent_mcp.features.frameworks import agent_frameworks  # parsers load on first use

    try:
        workflows = agent_frameworks(agent).workflows
    except LoadError:
        return _complete([], argument.value)
    return _complete([w.title.removeprefix("When ") for w in workflows], argument.value)
