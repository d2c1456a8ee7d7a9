"""Agents as prompts, through a real client in both protocol eras."""

from __future__ import annotations

import mcp_types as types
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

pytestmark = pytest.mark.anyio


def _texts(result: types.GetPromptResult) -> list[str]:
    return [m.content.text for m in result.messages if isinstance(m.content, types.TextContent)]


async def test_each_agent_is_listed_as_a_prompt_with_an_optional_task(client: Client) -> None:
    prompts = {p.name: p for p in (await client.list_prompts()).prompts}
    assert {"code-reviewer", "minimal"} <= set(prompts)
    reviewer = prompts["code-reviewer"]
    assert reviewer.title == "Code Reviewer"
    assert reviewer.description
    assert reviewer.description.startswith("Reviews pull requests")
    assert reviewer.arguments is not None
    assert reviewer.arguments == [
        types.PromptArgument(
            name="task", description=reviewer.arguments[0].description, required=False
        )
    ]


async def test_prompt_without_task_returns_persona_and_skills(client: Client) -> None:
    result = await client.get_prompt("code-reviewer")
    texts = _texts(result)
    assert all(m.role == "user" for m in result.messages)
    assert texts[0].startswith("You are a meticulous code reviewer.")
    assert "skill://demo-skill/SKILL.md" in texts[1]
    assert "A demonstration skill" in texts[1]
    assert len(texts) == 2


async def test_prompt_reports_skills_the_catalog_lacks(client: Client) -> None:
    skills_text = _texts(await client.get_prompt("code-reviewer"))[1]
    assert "Not available on this server" in skills_text
    assert "absent-skill" in skills_text


async def test_prompt_with_task_appends_the_task(client: Client) -> None:
    result = await client.get_prompt("code-reviewer", {"task": "Review PR #42"})
    assert _texts(result)[-1] == "## Task\n\nReview PR #42"


async def test_agent_without_skills_gets_only_its_persona(client: Client) -> None:
    assert _texts(await client.get_prompt("minimal")) == ["You are minimal."]


async def test_unknown_prompt_is_invalid_params_with_suggestions(client: Client) -> None:
    with pytest.raises(MCPError) as caught:
        await client.get_prompt("code-reviewr")
    assert caught.value.code == types.INVALID_PARAMS
    assert "code-reviewer" in caught.value.message


async def test_bundled_backend_developer_prompt_serves_the_seed_body(
    bundled_client: Client,
) -> None:
    result = await bundled_client.get_prompt("backend-developer", {"task": "Design a REST API"})
    texts = _texts(result)
    assert texts[0].startswith("You are a Senior Backend Developer")
    for skill in ("api-design", "fastapi", "architecture-patterns", "langgraph"):
        assert f"skill://{skill}/SKILL.md" in texts[1]
    assert texts[-1].endswith("Design a REST API")
