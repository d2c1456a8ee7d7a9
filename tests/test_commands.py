"""Claude Code commands served as prompts: names, arguments, notes, @file, live reload."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any, cast

import mcp_types as types
import pytest
from mcp import Client

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.cli.listing import cmd_list
from agent_mcp.server import ServerState, build_server
from agent_mcp.sources.local import Source, collect_sources
from tests.conftest import DATA
from tests.test_live import watching

pytestmark = pytest.mark.anyio
MARKET = DATA / "marketplace"


@pytest.fixture
def market_catalog() -> Catalog:
    return build_catalog(collect_sources(roots=[MARKET], bundled=False, environ={}))


@pytest.fixture
async def market_client(market_catalog: Catalog, era: str) -> Any:
    async with Client(build_server(ServerState(market_catalog)), mode=era) as client:
        yield client


def _text(result: types.GetPromptResult) -> str:
    content = result.messages[0].content
    assert isinstance(content, types.TextContent)
    return content.text


async def test_plugin_commands_are_prompts_namespaced_by_plugin(market_client: Client) -> None:
    prompts = {p.name: p for p in (await market_client.list_prompts()).prompts}
    # Both plugins have a 'review' command; neither hides the other.
    assert {"review-kit:review", "ops-kit:review", "review-kit:git:commit"} <= prompts.keys()
    assert "unlisted:hidden" not in prompts  # not in marketplace.json, so not a plugin
    assert prompts["review-kit:review"].description == "Review the changes in a pull request"
    assert prompts["ops-kit:review"].description == "Review the runbook for an incident."
    arguments = prompts["review-kit:review"].arguments or []
    assert [(a.name, a.required) for a in arguments] == [("arguments", True)]
    assert "<pr-number or description>" in (arguments[0].description or "")


async def test_arguments_replace_dollar_arguments(market_client: Client) -> None:
    result = await market_client.get_prompt("review-kit:review", {"arguments": "PR 42"})
    text = _text(result)
    assert "Review PR 42 against" in text
    assert "$ARGUMENTS" not in text


async def test_bang_lines_and_allowed_tools_are_shown_never_run(market_client: Client) -> None:
    text = _text(await market_client.get_prompt("review-kit:review", {"arguments": "x"}))
    assert "!`git diff HEAD`" in text
    assert "This server never runs them" in text
    assert "Bash(git diff:*), Read" in text


async def test_at_file_inside_the_plugin_is_embedded(market_client: Client) -> None:
    result = await market_client.get_prompt("review-kit:review", {"arguments": "x"})
    embedded = [m.content for m in result.messages if isinstance(m.content, types.EmbeddedResource)]
    assert len(embedded) == 1
    resource = embedded[0].resource
    assert isinstance(resource, types.TextResourceContents)
    assert resource.uri == "command://review-kit:review/docs/guide.md"
    assert "Check tests first." in resource.text


def test_at_file_outside_the_plugin_is_reported(market_catalog: Catalog) -> None:
    refs = [d for d in market_catalog.diagnostics if d.code == "command-file-ref"]
    assert [(d.path.name, d.line, d.path.parent.parent.name) for d in refs] == [
        ("review.md", 3, "ops-kit")
    ]


async def test_positional_arguments_are_named_from_the_hint(market_client: Client) -> None:
    prompts = {p.name: p for p in (await market_client.list_prompts()).prompts}
    arguments = prompts["review-kit:git:commit"].arguments or []
    assert [(a.name, a.required) for a in arguments] == [("message", True), ("scope", False)]
    result = await market_client.get_prompt(
        "review-kit:git:commit", {"message": "fix login", "scope": "auth"}
    )
    assert 'message "fix login" for scope auth.' in _text(result)


async def test_only_the_required_argument_is_split_into_positions(market_client: Client) -> None:
    # Gemini CLI fills plain text into required arguments only.
    result = await market_client.get_prompt(
        "review-kit:git:commit", {"message": '"fix login" auth'}
    )
    assert 'message "fix login" for scope auth.' in _text(result)


async def test_plugin_json_custom_agent_path_is_served(market_client: Client) -> None:
    names = {p.name for p in (await market_client.list_prompts()).prompts}
    assert "reviewer" in names


def test_unknown_kind_is_an_error_not_skills(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    bogus = Source(cast(Any, "hooks"), tmp_path, "--test")
    catalog = build_catalog([bogus])
    assert [d.code for d in catalog.diagnostics] == ["unknown-kind"]
    assert not catalog.skills


def test_list_reports_commands_and_what_is_not_served(market_catalog: Catalog) -> None:
    out = io.StringIO()
    cmd_list(market_catalog, as_json=False, out=out, roots=[MARKET])
    text = out.getvalue()
    assert "Commands (3):" in text
    assert "/review-kit:git:commit <message> [scope]" in text
    assert "review-kit: hooks" in text
    assert "ops-kit: mcpServers" in text
    assert "[remote-plugin]" in text


def test_project_commands_namespace_subfolders(tmp_path: Path) -> None:
    commands = tmp_path / ".claude" / "commands"
    (commands / "frontend").mkdir(parents=True)
    (commands / "frontend" / "component.md").write_text("Make a component $1\n")
    (commands / "plain.md").write_text("Plain\n")
    catalog = build_catalog(collect_sources(roots=[tmp_path], bundled=False, environ={}))
    assert list(catalog.commands) == ["frontend:component", "plain"]


async def test_a_hint_written_as_claude_codes_docs_write_it_serves(
    tmp_path: Path, era: str
) -> None:
    # Not valid YAML; Claude Code quotes the value and reads on, and so does this server.
    commands = tmp_path / ".claude" / "commands"
    commands.mkdir(parents=True)
    (commands / "fix-issue.md").write_text(
        "---\nargument-hint: [pr-number] [priority] [assignee]\ndescription: Fix an issue\n---\n"
        "Fix #$1 with priority $2 and assign $3.\n"
    )
    catalog = build_catalog(collect_sources(roots=[tmp_path], bundled=False, environ={}))
    assert [d.code for d in catalog.diagnostics] == ["yaml-quoted"]
    async with Client(build_server(ServerState(catalog)), mode=era) as client:
        (prompt,) = (await client.list_prompts()).prompts
        assert [a.name for a in prompt.arguments or []] == ["pr-number", "priority", "assignee"]
        result = await client.get_prompt("fix-issue", {"pr-number": "7 high ana"})
    assert "Fix #7 with priority high and assign ana." in _text(result)


async def test_an_edited_command_reaches_clients(tmp_path: Path, era: str) -> None:
    root = tmp_path / "market"
    shutil.copytree(MARKET, root)
    sources = collect_sources(roots=[root], bundled=False, environ={})
    async with watching(root, era, sources) as (client, received, _):
        command = root / "plugins" / "ops-kit" / "commands" / "review.md"
        command.write_text("Review the edited runbook.\n")
        await received.wait_for({"prompts"})
        prompts = {p.name: p for p in (await client.list_prompts(cache_mode="bypass")).prompts}
        assert prompts["ops-kit:review"].description == "Review the edited runbook."


async def test_tools_only_hosts_list_and_load_commands(market_client: Client) -> None:
    listed = await market_client.call_tool("list_commands", {"query": "runbook"})
    assert not listed.is_error
    assert listed.structured_content is not None
    assert [c["name"] for c in listed.structured_content["commands"]] == ["ops-kit:review"]
    loaded = await market_client.call_tool(
        "load_command", {"name": "review-kit:git:commit", "arguments": '"fix login" auth'}
    )
    assert loaded.structured_content is not None
    assert 'message "fix login" for scope auth.' in loaded.structured_content["text"]


async def test_without_commands_no_command_tools_are_listed(client: Client) -> None:
    names = {t.name for t in (await client.list_tools()).tools}
    assert not names & {"list_commands", "load_command"}


def test_a_bracketed_hint_is_a_yaml_list_and_still_serves(tmp_path: Path) -> None:
    # `argument-hint: [message]` parses as a YAML list; Claude Code shows it joined.
    commands = tmp_path / ".claude" / "commands"
    commands.mkdir(parents=True)
    (commands / "commit.md").write_text("---\nargument-hint: [message]\n---\nCommit $ARGUMENTS\n")
    (commands / "ship.md").write_text("---\nargument-hint: [staging|production]\n---\nShip $1\n")
    catalog = build_catalog(collect_sources(roots=[tmp_path], bundled=False, environ={}))
    assert catalog.diagnostics == ()
    assert catalog.commands["commit"].argument_hint == "message"
    # A list of choices names no argument: the position's name is arg1.
    assert catalog.commands["ship"].argument_names() == ["arg1"]
