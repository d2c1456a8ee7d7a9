"""Decision, checklist and persona tools and workflow prompts, through the SDK client.

Every test runs in both protocol eras (the ``era`` fixture of conftest.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server
from mcp.shared.exceptions import MCPError

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.sources.local import collect_sources
from tests.corpus import CORPUS
from tests.test_frameworks import SEED_TREES

pytestmark = pytest.mark.anyio

DATA = Path(__file__).parent / "data" / "frameworks"
# What every host's model API accepts once the host has prefixed the name with
# `mcp__agent-mcp__` (16 characters; the API limit is 64).
TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,48}$")
LONG_NAMES = Path(__file__).parent / "data" / "long_names"
SEED_TOOLS = [
    "load_agent",
    "backend-developer__sync-vs-async",
    "backend-developer__data-access-pattern",
    "backend-developer__caching-strategy",
    "backend-developer__checklist",
]
SEED_OPTIONS = [
    (tree_id, label, outcome)
    for tree_id, (_, _, options) in SEED_TREES.items()
    for label, outcome in options
]


def _catalog(**kwargs: Any) -> Catalog:
    return build_catalog(collect_sources(environ={}, **kwargs))


@pytest.fixture
def styles_catalog() -> Catalog:
    """The bundled agent plus the test agent with nested trees and its two skills."""
    return _catalog(agents=[DATA / "agents"], skills=[DATA / "skills"])


@pytest.fixture
async def styles_client(
    styles_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> AsyncIterator[Client]:
    async with Client(make_server(styles_catalog), mode=era) as connected:
        yield connected


async def _all_tools(client: Client) -> dict[str, types.Tool]:
    tools: dict[str, types.Tool] = {}
    cursor: str | None = None
    while True:
        page = await client.list_tools(cursor=cursor)
        tools.update({t.name: t for t in page.tools})
        cursor = page.next_cursor
        if cursor is None:
            return tools


def _is_agent_tool(name: str) -> bool:
    # Other providers (skill tools) share tools/list; these tests look at this family only.
    return name in ("load_agent", "decide", "checklist") or "__" in name


async def _tools(client: Client) -> dict[str, types.Tool]:
    return {n: t for n, t in (await _all_tools(client)).items() if _is_agent_tool(n)}


def _text(result: types.CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


async def _ok(client: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(name, arguments)
    assert not result.is_error, _text(result)
    assert result.structured_content is not None
    return result.structured_content


async def _error(client: Client, name: str, arguments: dict[str, Any]) -> str:
    result = await client.call_tool(name, arguments)
    assert result.is_error
    return _text(result)


# tools/list --------------------------------------------------------------------------


async def test_bundled_default_lists_one_tool_per_tree_plus_checklist_and_load_agent(
    bundled_client: Client,
) -> None:
    tools = await _tools(bundled_client)
    assert list(tools) == SEED_TOOLS
    for tool in tools.values():
        assert TOOL_NAME.match(tool.name)
        assert tool.title
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.idempotent_hint is True
        assert tool.annotations.open_world_hint is False
        assert tool.annotations.destructive_hint is False


async def test_decision_tool_describes_its_question_and_constrains_the_answer(
    bundled_client: Client,
) -> None:
    tool = (await _tools(bundled_client))["backend-developer__sync-vs-async"]
    assert tool.description is not None
    assert "Question: Operation type?" in tool.description
    answer = tool.input_schema["properties"]["answer"]
    assert answer["enum"] == [label for label, _ in SEED_TREES["sync-vs-async"][2]]
    assert tool.output_schema is not None
    assert set(tool.output_schema["required"]) >= {"recommendation", "path", "next", "skills"}


async def test_nested_tree_constrains_each_step_of_the_path(styles_client: Client) -> None:
    tool = (await _tools(styles_client))["tree-styles__storage-pipe-and-backtick"]
    answers = tool.input_schema["properties"]["answers"]
    assert [step["enum"] for step in answers["prefixItems"]] == [
        ["Relational", "Documents"],
        ["Under 10 GB", "Over 10 GB"],
        ["AWS", "Other"],
    ]
    assert answers["maxItems"] == 3


# Decision tools ----------------------------------------------------------------------


@pytest.mark.parametrize(("tree_id", "label", "outcome"), SEED_OPTIONS)
async def test_every_seed_option_returns_the_outcome_as_written(
    bundled_client: Client, tree_id: str, label: str, outcome: str
) -> None:
    result = await bundled_client.call_tool(f"backend-developer__{tree_id}", {"answer": label})
    assert not result.is_error
    data = result.structured_content
    assert data is not None
    assert data["status"] == "recommendation"
    assert data["recommendation"] == outcome
    (step,) = data["path"]
    assert (step["question"], step["answer"], step["outcome"]) == (
        SEED_TREES[tree_id][1],
        label,
        outcome,
    )
    assert [(o["label"], o["outcome"]) for o in step["options"]] == SEED_TREES[tree_id][2]
    assert data["next"] is None
    assert f"Recommendation: {outcome}" in _text(result)


async def test_missing_answer_returns_the_question_and_options(bundled_client: Client) -> None:
    result = await bundled_client.call_tool("backend-developer__caching-strategy", {})
    assert not result.is_error
    data = result.structured_content
    assert data is not None
    assert data["status"] == "question"
    assert data["recommendation"] is None
    assert data["next"]["question"] == "Data characteristics?"
    assert [o["label"] for o in data["next"]["options"]] == [
        label for label, _ in SEED_TREES["caching-strategy"][2]
    ]
    assert "Next question: Data characteristics?" in _text(result)


async def test_invalid_answer_is_a_tool_error_listing_the_options(bundled_client: Client) -> None:
    text = await _error(bundled_client, "backend-developer__data-access-pattern", {"answer": "ORM"})
    assert "('ORM') is not an option" in text
    for label, _ in SEED_TREES["data-access-pattern"][2]:
        assert label in text


async def test_decision_returns_the_agents_skills_with_uris(bundled_client: Client) -> None:
    data = await _ok(bundled_client, "backend-developer__sync-vs-async", {"answer": "HTTP calls"})
    names = [s["name"] for s in data["skills"]]
    assert sorted(names) == sorted(["api-design", "fastapi", "architecture-patterns", "langgraph"])
    assert all(s["uri"] == f"skill://{s['name']}/SKILL.md" for s in data["skills"])
    scores = [s["score"] for s in data["skills"]]
    assert scores == sorted(scores, reverse=True)


async def test_the_structured_result_says_what_to_do_next(bundled_client: Client) -> None:
    # Codex, fast-agent and Claude Code hand their model this form, not the text.
    done = await _ok(bundled_client, "backend-developer__sync-vs-async", {"answer": "HTTP calls"})
    assert done["nextStep"].startswith("Read before acting: ")
    relevant = [s for s in done["skills"] if s["score"]]
    assert all(f"<{s['uri']}>" in done["nextStep"] for s in relevant)
    asked = await _ok(bundled_client, "backend-developer__sync-vs-async", {})
    assert asked["nextStep"].startswith("Call again with the answers so far")


async def test_skills_are_ranked_by_the_tree_and_the_path(styles_client: Client) -> None:
    storage = await _ok(
        styles_client, "tree-styles__storage-pipe-and-backtick", {"answers": ["Documents"]}
    )
    assert storage["skills"][0]["name"] == "storage-picker"
    assert "mongodb" in storage["skills"][0]["matched"]
    release = await _ok(styles_client, "tree-styles__release-channel", {"answers": ["No"]})
    assert release["skills"][0]["name"] == "release-notes"


async def test_nested_path_walks_to_the_recommendation(styles_client: Client) -> None:
    data = await _ok(
        styles_client, "tree-styles__release-channel", {"answers": ["Yes", "Yes", "Yes"]}
    )
    assert data["recommendation"] == "Major release with migration guide"
    assert [s["answer"] for s in data["path"]] == ["Yes", "Yes", "Yes"]
    assert [s["question"] for s in data["path"]] == [
        "Is the change user-visible?",
        "Does it break an API?",
        "Is there a migration path?",
    ]


async def test_partial_nested_path_returns_the_next_question(styles_client: Client) -> None:
    data = await _ok(styles_client, "tree-styles__backslash-variant", {"answers": ["4+ people"]})
    assert data["status"] == "question"
    assert data["next"]["question"] == "Are teams independent?"
    assert [o["label"] for o in data["next"]["options"]] == ["yes", "no"]
    first_options = data["path"][0]["options"]
    assert first_options[1] == {
        "label": "4+ people",
        "outcome": "Are teams independent?",
        "nextQuestion": "Are teams independent?",
    }


async def test_invalid_answer_deep_in_the_path_lists_that_steps_options(
    styles_client: Client,
) -> None:
    text = await _error(
        styles_client, "tree-styles__storage-pipe-and-backtick", {"answers": ["Relational", "Big"]}
    )
    assert "Answer 2 ('Big') is not an option" in text
    assert "Under 10 GB; Over 10 GB" in text


async def test_answers_past_the_recommendation_are_a_tool_error(styles_client: Client) -> None:
    text = await _error(styles_client, "tree-styles__plus-variant", {"answers": ["Server", "Yes"]})
    assert "already reached its recommendation" in text


async def test_malformed_arguments_are_a_tool_error(styles_client: Client) -> None:
    text = await _error(styles_client, "tree-styles__plus-variant", {"answers": "Server"})
    assert "must be an array of strings" in text


# Checklist ---------------------------------------------------------------------------


async def test_checklist_lists_items_with_ids_and_what_remains(bundled_client: Client) -> None:
    data = await _ok(bundled_client, "backend-developer__checklist", {})
    assert len(data["items"]) == 10
    assert data["complete"] is False
    assert data["items"][0] == {
        "id": "api-follows-rest-conventions",
        "text": "API follows REST conventions",
        "section": "Quality Checklist",
        "met": False,
    }
    met = ["secrets-not-hardcoded", "no-n-1-query-problems"]
    partial = await _ok(bundled_client, "backend-developer__checklist", {"met": met})
    assert len(partial["remaining"]) == 8
    assert not set(met) & set(partial["remaining"])
    every = [item["id"] for item in data["items"]]
    done = await _ok(bundled_client, "backend-developer__checklist", {"met": every})
    assert done["remaining"] == []
    assert done["complete"] is True


async def test_checklist_rejects_unknown_ids_listing_valid_ones(bundled_client: Client) -> None:
    text = await _error(bundled_client, "backend-developer__checklist", {"met": ["secrets"]})
    assert "Unknown checklist ids: 'secrets'" in text
    assert "secrets-not-hardcoded" in text


# load_agent --------------------------------------------------------------------------


async def test_load_agent_returns_the_prompt_texts(bundled_client: Client) -> None:
    prompt = await bundled_client.get_prompt("backend-developer", {"task": "Add pagination"})
    expected = [m.content.text for m in prompt.messages if isinstance(m.content, types.TextContent)]
    result = await bundled_client.call_tool(
        "load_agent", {"agent": "backend-developer", "task": "Add pagination"}
    )
    assert not result.is_error
    assert [_text(result)] == expected
    assert expected[0].endswith("## Task\n\nAdd pagination")


async def test_load_agent_unknown_agent_is_a_tool_error(bundled_client: Client) -> None:
    text = await _error(bundled_client, "load_agent", {"agent": "backend-develop"})
    assert "backend-developer" in text


# Workflow prompts --------------------------------------------------------------------


async def test_each_seed_workflow_is_a_prompt_with_an_optional_task(
    bundled_client: Client,
) -> None:
    prompts = {p.name: p for p in (await bundled_client.list_prompts()).prompts}
    names = [
        "backend-developer/starting-a-task",
        "backend-developer/designing-apis",
        "backend-developer/working-with-database",
        "backend-developer/debugging",
    ]
    assert [n for n in prompts if "/" in n] == names
    for name in names:
        (argument,) = prompts[name].arguments or []
        assert (argument.name, argument.required) == ("task", False)
        result = await bundled_client.get_prompt(name, {"task": "Orders API"})
        (message,) = result.messages
        assert isinstance(message.content, types.TextContent)
        text = message.content.text
        title = (prompts[name].title or "").split(": ")[1]
        assert text.startswith("You are a Senior Backend Developer")
        workflow, task = text.index(f"\n\n## Workflow: {title}\n\n"), text.index("## Task")
        assert text.index("## Skills") < workflow < task
        assert text.endswith("\n\n## Task\n\nOrders API")


async def test_workflow_prompt_carries_the_steps_as_written(bundled_client: Client) -> None:
    result = await bundled_client.get_prompt("backend-developer/designing-apis")
    texts = [m.content.text for m in result.messages if isinstance(m.content, types.TextContent)]
    assert len(texts) == 1
    assert texts[0].endswith(
        "1. Define resource and endpoints\n2. Design request/response schemas\n"
        "3. Plan validation and error handling\n4. Consider authentication requirements\n"
        "5. Document with OpenAPI"
    )


async def test_unknown_workflow_prompt_is_invalid_params(bundled_client: Client) -> None:
    with pytest.raises(MCPError) as caught:
        await bundled_client.get_prompt("backend-developer/designing-api")
    assert caught.value.error.code == types.INVALID_PARAMS
    assert "backend-developer/designing-apis" in caught.value.error.message


async def test_prompt_pagination_covers_agents_and_workflows(
    styles_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> None:
    async with Client(make_server(styles_catalog, page_size=2), mode=era) as client:
        names: list[str] = []
        cursor: str | None = None
        while True:
            page = await client.list_prompts(cursor=cursor)
            assert len(page.prompts) <= 2
            names += [p.name for p in page.prompts]
            cursor = page.next_cursor
            if cursor is None:
                break
    assert len(names) == len(set(names)) == 1 + 4 + 1 + 1
    assert "tree-styles/cutting-a-release" in names


# Tool names --------------------------------------------------------------------------


def _assert_host_safe(tools: dict[str, types.Tool], listed: int) -> None:
    assert len(tools) == listed  # no two tools share a name
    bad = [name for name in tools if not TOOL_NAME.match(name)]
    assert not bad


async def test_every_bundled_tool_name_fits_every_host(bundled_client: Client) -> None:
    page = await bundled_client.list_tools()
    _assert_host_safe({t.name: t for t in page.tools}, len(page.tools))
    assert "backend-developer__sync-vs-async" in {t.name for t in page.tools}


async def test_long_agent_and_tree_names_are_shortened_uniquely_and_stay_callable(
    make_server: Callable[..., Server[Any]], era: str
) -> None:
    catalog = _catalog(agents=[LONG_NAMES / "agents"], bundled=False)
    async with Client(make_server(catalog), mode=era) as client:
        page = await client.list_tools()
        tools = {t.name: t for t in page.tools}
        _assert_host_safe(tools, len(page.tools))
        long_ones = [n for n in tools if n.startswith("platform-reliability")]
        # Two agents whose names share their first 51 characters: three trees (two of
        # them sharing a long prefix) and a checklist, all cut to the same head.
        assert len(long_ones) == 4
        for name in long_ones:
            if "met" in tools[name].input_schema["properties"]:
                data = await _ok(client, name, {"met": []})
                assert data["remaining"] == ["status-page-updated", "timeline-written"]
            else:
                data = await _ok(client, name, {"answer": "Yes"})
                assert data["status"] == "recommendation"
    again = {t.name for t in (await _list_with(make_server, catalog, era))}
    assert again == set(tools)  # deterministic across servers


async def _list_with(
    make_server: Callable[..., Server[Any]], catalog: Catalog, era: str
) -> list[types.Tool]:
    async with Client(make_server(catalog), mode=era) as client:
        return list((await client.list_tools()).tools)


async def test_generic_decide_accepts_a_tree_tools_name_as_the_framework(
    styles_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> None:
    server = make_server(styles_catalog, framework_tool_budget=0)
    async with Client(server, mode=era) as client:
        for framework in ("backend-developer__sync-vs-async", "backend-developer.sync-vs-async"):
            arguments = {"agent": "backend-developer", "framework": framework}
            data = await _ok(client, "decide", {**arguments, "answers": ["HTTP calls"]})
            assert data["framework"] == "sync-vs-async"


@pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason="no wshobson/agents checkout (set WSHOBSON_AGENTS; see tests/corpus.py)",
)
async def test_every_corpus_tool_name_fits_every_host_even_with_every_agent_focused(
    make_server: Callable[..., Server[Any]],
) -> None:
    catalog = _catalog(roots=[CORPUS])
    server = make_server(catalog, focus=tuple(catalog.agents), page_size=100_000)
    async with Client(server, mode="legacy") as client:
        page = await client.list_tools()
    assert sum("__" in t.name for t in page.tools) >= 5  # the corpus's own trees, checklists
    _assert_host_safe({t.name: t for t in page.tools}, len(page.tools))


# Bounded surface ---------------------------------------------------------------------


async def test_over_budget_agents_share_generic_decide_and_checklist_tools(
    styles_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> None:
    server = make_server(styles_catalog, framework_tool_budget=4)
    async with Client(server, mode=era) as client:
        tools = await _tools(client)
        assert list(tools) == ["load_agent", "decide", "checklist"]
        agents = tools["decide"].input_schema["properties"]["agent"]["enum"]
        assert agents == ["backend-developer", "tree-styles"]
        data = await _ok(
            client,
            "decide",
            {"agent": "tree-styles", "framework": "arbitration", "answers": ["YES", "1 confirmed"]},
        )
        assert data["next"]["question"] == "High confidence?"
        listing = await _error(client, "decide", {"agent": "backend-developer"})
        assert "sync-vs-async (Operation type?)" in listing
        remaining = await _ok(client, "checklist", {"agent": "tree-styles", "met": ["tests-pass"]})
        assert "tests-pass" not in remaining["remaining"]


async def test_focused_agents_get_their_own_tools_and_others_the_generic_ones(
    styles_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> None:
    server = make_server(styles_catalog, focus=("backend-developer",))
    async with Client(server, mode=era) as client:
        tools = await _tools(client)
    assert list(tools) == [*SEED_TOOLS, "decide", "checklist"]
    assert tools["decide"].input_schema["properties"]["agent"]["enum"] == ["tree-styles"]


@pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason="no wshobson/agents checkout (set WSHOBSON_AGENTS; see tests/corpus.py)",
)
async def test_whole_corpus_stays_within_host_tool_caps(
    make_server: Callable[..., Server[Any]], era: str
) -> None:
    catalog = _catalog(roots=[CORPUS])
    assert len(catalog.agents) > 150
    async with Client(make_server(catalog), mode=era) as client:
        listed = await client.list_tools()
    size = len(json.dumps(listed.model_dump(mode="json", by_alias=True, exclude_none=True)))
    assert len([t for t in listed.tools if _is_agent_tool(t.name)]) <= 30 + 3
    assert len(listed.tools) <= 40  # Cursor's cap, the tightest among common hosts
    assert size < 64_000, size
