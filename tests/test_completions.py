"""completion/complete for the resource templates and prompt arguments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import mcp_types as types
import pytest
from mcp import Client

from agent_mcp.catalog.build import build_catalog
from agent_mcp.server import ServerState, build_server
from agent_mcp.sources.local import collect_sources

pytestmark = pytest.mark.anyio

SKILL_TEMPLATE = types.ResourceTemplateReference(uri="skill://{name}/{path}")


async def test_skill_names_complete_by_prefix(client: Client) -> None:
    result = await client.complete(SKILL_TEMPLATE, {"name": "name", "value": "de"})
    assert result.completion.values == ["demo-skill"]


async def test_empty_prefix_offers_every_skill(client: Client) -> None:
    result = await client.complete(SKILL_TEMPLATE, {"name": "name", "value": ""})
    assert result.completion.values == ["demo-skill", "other-skill"]
    assert result.completion.total == 2


async def test_file_paths_complete_within_the_named_skill(client: Client) -> None:
    result = await client.complete(
        SKILL_TEMPLATE, {"name": "path", "value": "ref"}, context_arguments={"name": "demo-skill"}
    )
    assert result.completion.values == ["references/guide.md"]


async def test_file_paths_without_a_skill_complete_to_nothing(client: Client) -> None:
    result = await client.complete(SKILL_TEMPLATE, {"name": "path", "value": ""})
    assert result.completion.values == []


async def test_agent_template_completes_agent_names(client: Client) -> None:
    ref = types.ResourceTemplateReference(uri="agent://{name}")
    result = await client.complete(ref, {"name": "name", "value": "co"})
    assert result.completion.values == ["code-reviewer"]


async def test_task_argument_without_workflows_completes_to_nothing(client: Client) -> None:
    ref = types.PromptReference(name="code-reviewer")
    result = await client.complete(ref, {"name": "task", "value": "rev"})
    assert result.completion.values == []


async def test_task_argument_offers_the_agents_workflows(bundled_client: Client) -> None:
    ref = types.PromptReference(name="backend-developer")
    result = await bundled_client.complete(ref, {"name": "task", "value": "design"})
    assert result.completion.values == ["Designing APIs"]
    everything = await bundled_client.complete(ref, {"name": "task", "value": ""})
    assert len(everything.completion.values) == 4


@pytest.fixture
async def commands_client(data_dir: Path, era: str) -> AsyncIterator[Client]:
    # A Claude Code user folder whose commands carry argument hints.
    sources = collect_sources(roots=[data_dir / "claude_home"], bundled=False, environ={})
    async with Client(build_server(ServerState(build_catalog(sources))), mode=era) as client:
        yield client


async def test_a_positional_argument_offers_the_hints_choices(commands_client: Client) -> None:
    # `argument-hint: [staging|production]` on a command using $1.
    ref = types.PromptReference(name="ship-kit:ship")
    result = await commands_client.complete(ref, {"name": "arg1", "value": ""})
    assert result.completion.values == ["staging", "production"]
    result = await commands_client.complete(ref, {"name": "arg1", "value": "prod"})
    assert result.completion.values == ["production"]


async def test_arguments_text_offers_the_options_and_their_choices(
    commands_client: Client,
) -> None:
    # `<target> [--depth quick|standard|comprehensive] [--force]` on a $ARGUMENTS command.
    ref = types.PromptReference(name="audit")

    async def values(typed: str) -> list[str]:
        result = await commands_client.complete(ref, {"name": "arguments", "value": typed})
        return result.completion.values

    assert await values("") == [], "the target is free text: nothing is guessed"
    assert await values("api/ --d") == ["api/ --depth"]
    assert await values("api/ --depth ") == [
        "api/ --depth quick",
        "api/ --depth standard",
        "api/ --depth comprehensive",
    ]
    assert await values("api/ --depth quick ") == ["api/ --depth quick --force"]


async def test_a_free_text_command_argument_completes_to_nothing(commands_client: Client) -> None:
    ref = types.PromptReference(name="review-kit:review")
    result = await commands_client.complete(ref, {"name": "arguments", "value": "4"})
    assert result.completion.values == []
