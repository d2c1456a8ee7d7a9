"""Agents as prompts, through a real client in both protocol eras.

Every prompt is one user message (Gemini CLI reads only the first), holding the persona,
the skills and the task in that order.
"""

from __future__ import annotations

import mcp_types as types
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

pytestmark = pytest.mark.anyio


def _only_text(result: types.GetPromptResult) -> str:
    (message,) = result.messages
    assert message.role == "user"
    assert isinstance(message.content, types.TextContent)
    return message.content.text


async def test_each_agent_is_listed_as_a_prompt_with_an_optional_task(client: Client) -> None:
    prompts = {p.name: p for p in (await client.list_prompts()).prompts}
    assert {"code-reviewer", "minimal"} <= set(prompts)
    reviewer = prompts["code-reviewer"]
    assert reviewer.title == "Code Reviewer"
    assert reviewer.description
    assert reviewer.description.startswith("Reviews pull requests")
    (argument,) = reviewer.arguments or []
    assert (argument.name, argument.required) == ("task", False)


async def test_prompt_without_task_is_one_message_with_persona_then_skills(
    client: Client,
) -> None:
    text = _only_text(await client.get_prompt("code-reviewer"))
    assert text.startswith("You are a meticulous code reviewer.")
    skills = text.index("\n\n## Skills\n\n")
    assert text.index("skill://demo-skill/SKILL.md") > skills
    assert "A demonstration skill" in text[skills:]
    assert "## Task" not in text


async def test_prompt_reports_skills_the_catalog_lacks(client: Client) -> None:
    text = _only_text(await client.get_prompt("code-reviewer"))
    assert "Not available on this server" in text
    assert "absent-skill" in text


async def test_prompt_with_task_ends_its_only_message_with_the_task(client: Client) -> None:
    result = await client.get_prompt("code-reviewer", {"task": "Review PR #42"})
    text = _only_text(result)
    assert text.endswith("\n\n## Task\n\nReview PR #42")
    assert text.index("## Skills") < text.index("## Task")


async def test_agent_without_skills_gets_only_its_persona(client: Client) -> None:
    assert _only_text(await client.get_prompt("minimal")) == "You are minimal."


async def test_unknown_prompt_is_invalid_params_with_suggestions(client: Client) -> None:
    with pytest.raises(MCPError) as caught:
        await client.get_prompt("code-reviewr")
    assert caught.value.code == types.INVALID_PARAMS
    assert "code-reviewer" in caught.value.message


async def test_bundled_backend_developer_prompt_serves_the_seed_body(
    bundled_client: Client,
) -> None:
    result = await bundled_client.get_prompt("backend-developer", {"task": "Design a REST API"})
    text = _only_text(result)
    assert text.startswith("You are a Senior Backend Developer")
    for skill in ("api-design", "fastapi", "architecture-patterns", "langgraph"):
        assert f"skill://{skill}/SKILL.md" in text
    assert text.endswith("Design a REST API")
