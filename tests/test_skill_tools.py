"""The skill tools for tools-only hosts, in both protocol eras, plus the context a host
pays before its first call (which must not grow with the number of skills)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import jsonschema
import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.instructions import INSTRUCTIONS_BUDGET
from agent_mcp.sources.local import collect_sources
from tests.test_skills_ext import BINARY, BOM_MD, CRLF_TXT, SKILL_MD_CRLF, write_marketplace

pytestmark = pytest.mark.anyio

SKILL_TOOLS = ["list_skills", "load_skill", "read_skill_file", "search_skills"]


@pytest.fixture
async def tools_client(
    tmp_path: Path, make_server: Callable[..., Server[Any]], era: str
) -> AsyncIterator[Client]:
    catalog = build_catalog(
        collect_sources(roots=[write_marketplace(tmp_path)], bundled=False, environ={})
    )
    async with Client(make_server(catalog), mode=era) as connected:
        yield connected


async def call(client: Client, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
    result = await client.call_tool(name, arguments)
    assert isinstance(result, types.CallToolResult)
    if not result.is_error:
        # What a strict host (the TypeScript SDK) does with every structured result.
        tools = {t.name: t for t in (await client.list_tools()).tools}
        jsonschema.validate(result.structured_content, tools[name].output_schema or {})
    return result


def text(result: types.CallToolResult) -> str:
    (content,) = result.content
    assert isinstance(content, types.TextContent)
    return content.text


async def test_the_four_tools_are_read_only_and_only_documents_come_as_plain_text(
    tools_client: Client,
) -> None:
    # Hosts that see an output schema hand their model the structured JSON, so the tools
    # that return a document (markdown to read) have none: the model gets the text.
    tools = {t.name: t for t in (await tools_client.list_tools()).tools}
    for name in SKILL_TOOLS:
        annotations = tools[name].annotations
        assert annotations is not None
        assert annotations.read_only_hint
    assert tools["list_skills"].output_schema is not None
    assert tools["search_skills"].output_schema is not None
    assert tools["load_skill"].output_schema is None
    assert tools["read_skill_file"].output_schema is None


async def test_list_skills_pages_through_every_skill(tools_client: Client) -> None:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        args: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        out: dict[str, Any] = (
            await call(tools_client, "list_skills", args)
        ).structured_content or {}
        seen += [s["path"] for s in out["skills"]]
        assert out["total"] == 3
        if (cursor := out["nextCursor"]) is None:
            break
    assert seen == ["alpha/dup", "alpha/tricky", "beta/dup"]


async def test_list_skills_rejects_a_bad_cursor_as_a_tool_error(tools_client: Client) -> None:
    result = await call(tools_client, "list_skills", {"cursor": "bogus"})
    assert result.is_error
    assert "cursor" in text(result)


async def test_load_skill_returns_skill_md_and_its_files(tools_client: Client) -> None:
    result = await call(tools_client, "load_skill", {"skill": "tricky"})
    assert result.structured_content is None
    body, files = text(result).split("\n\n---\nFiles of skill alpha/tricky (read_skill_file):\n")
    assert body == SKILL_MD_CRLF.decode()
    assert files.splitlines() == [
        f"- assets/logo.png ({len(BINARY)} bytes)",
        f"- references/bom.md ({len(BOM_MD)} bytes)",
        f"- references/crlf.txt ({len(CRLF_TXT)} bytes)",
        "- scripts/sub/tool.py (12 bytes)",
    ]


async def test_load_skill_accepts_a_path_or_a_uri(tools_client: Client) -> None:
    for ref in ("beta/dup", "skill://beta/dup/SKILL.md"):
        result = await call(tools_client, "load_skill", {"skill": ref})
        assert "Files of skill beta/dup (read_skill_file):" in text(result)


async def test_an_ambiguous_name_asks_for_the_path(tools_client: Client) -> None:
    result = await call(tools_client, "load_skill", {"skill": "dup"})
    assert result.is_error
    assert "alpha/dup, beta/dup" in text(result)


async def test_an_unknown_skill_is_a_tool_error_with_suggestions(tools_client: Client) -> None:
    result = await call(tools_client, "load_skill", {"skill": "trickie"})
    assert result.is_error
    assert "Did you mean: tricky" in text(result)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("references/crlf.txt", CRLF_TXT), ("references/bom.md", BOM_MD), ("SKILL.md", SKILL_MD_CRLF)],
)
async def test_read_skill_file_returns_text_byte_for_byte(
    tools_client: Client, path: str, expected: bytes
) -> None:
    result = await call(tools_client, "read_skill_file", {"skill": "alpha/tricky", "path": path})
    assert text(result).encode("utf-8") == expected
    assert result.structured_content is None


async def test_read_skill_file_returns_binary_as_an_embedded_resource(
    tools_client: Client,
) -> None:
    args = {"skill": "skill://alpha/tricky/assets/logo.png"}
    result = await call(tools_client, "read_skill_file", args)
    summary, embedded = result.content
    assert isinstance(summary, types.TextContent)
    assert "binary (image/png" in summary.text
    assert isinstance(embedded, types.EmbeddedResource)
    resource = embedded.resource
    assert isinstance(resource, types.BlobResourceContents)
    assert resource.uri == "skill://alpha/tricky/assets/logo.png"
    assert resource.mime_type == "image/png"
    assert base64.b64decode(resource.blob) == BINARY


@pytest.mark.parametrize("path", ["references/missing.md", "../dup/SKILL.md", "/etc/passwd"])
async def test_read_skill_file_refuses_unknown_paths_with_suggestions(
    tools_client: Client, path: str
) -> None:
    result = await call(tools_client, "read_skill_file", {"skill": "alpha/tricky", "path": path})
    assert result.is_error
    assert "has no file" in text(result)


async def test_search_skills_ranks_and_points_at_a_section(tools_client: Client) -> None:
    out: dict[str, Any] = (
        await call(tools_client, "search_skills", {"query": "exact bytes BOM", "limit": 2})
    ).structured_content or {}
    (best, *rest) = out["results"]
    assert best["path"] == "alpha/tricky"
    assert len(rest) <= 1
    assert best["snippetUri"] == "skill://alpha/tricky/SKILL.md"
    assert "bom" in best["snippet"].lower()


async def test_a_search_without_matches_is_an_empty_result(tools_client: Client) -> None:
    out: dict[str, Any] = (
        await call(tools_client, "search_skills", {"query": "kubernetes"})
    ).structured_content or {}
    assert out["results"] == []


async def test_an_empty_query_is_an_invalid_argument(tools_client: Client) -> None:
    result = await call(tools_client, "search_skills", {"query": ""})
    assert result.is_error


# Context cost ------------------------------------------------------------------------


def _many_skills(root: Path, count: int) -> Path:
    for i in range(count):
        folder = root / f"skill-{i:04d}"
        folder.mkdir(parents=True)
        (folder / "SKILL.md").write_text(
            f"---\nname: skill-{i:04d}\ndescription: Skill number {i}. Use in tests.\n---\nBody.\n"
        )
    return root


async def context_bytes(server: Server[Any], era: str) -> int:
    """Bytes a host receives before any call: instructions, tools/list, prompts/list."""
    async with Client(server, mode=era) as client:
        tools = await client.list_tools()
        prompts = await client.list_prompts()
        dumped = [
            r.model_dump(by_alias=True, mode="json", exclude_none=True) for r in (tools, prompts)
        ]
        return len((client.instructions or "").encode()) + len(json.dumps(dumped).encode())


async def test_context_cost_does_not_grow_with_the_number_of_skills(
    tmp_path: Path, make_server: Callable[..., Server[Any]], era: str
) -> None:
    # The instructions name skills up to a fixed byte budget, so context grows until the
    # budget is spent and not at all after it.
    sizes: list[int] = []
    for count in (3, 300, 900):
        catalog: Catalog = build_catalog(
            collect_sources(
                skills=[_many_skills(tmp_path / str(count), count)], bundled=False, environ={}
            )
        )
        sizes.append(await context_bytes(make_server(catalog), era))
    assert sizes[1] - sizes[0] <= INSTRUCTIONS_BUDGET
    assert sizes[1] == sizes[2]  # "297 more" and "897 more" are the same length
