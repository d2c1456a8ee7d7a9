"""completion/complete for the resource templates and prompt arguments."""

from __future__ import annotations

import mcp_types as types
import pytest
from mcp import Client

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
