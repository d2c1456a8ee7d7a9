"""Skill files and agent files as resources: listing, byte-exact reads, templates, errors."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server
from mcp.shared.exceptions import MCPError

from agent_mcp.catalog.catalog import Catalog

pytestmark = pytest.mark.anyio

DEMO = Path(__file__).parent / "data" / "catalog" / "skills" / "demo-skill"


async def _read_bytes(client: Client, uri: str) -> tuple[bytes, str | None]:
    result = await client.read_resource(uri)
    (content,) = result.contents
    if isinstance(content, types.TextResourceContents):
        return content.text.encode("utf-8"), content.mime_type
    return base64.b64decode(content.blob), content.mime_type


async def test_every_skill_file_and_agent_is_listed(client: Client) -> None:
    uris = {str(r.uri) for r in (await client.list_resources()).resources}
    assert {
        "agent://code-reviewer",
        "agent://minimal",
        "skill://demo-skill/SKILL.md",
        "skill://demo-skill/references/guide.md",
        "skill://demo-skill/crlf.txt",
        "skill://demo-skill/bom.md",
        "skill://demo-skill/assets/logo.png",
        "skill://demo-skill/scripts/run.sh",
        "skill://other-skill/SKILL.md",
    } == uris


async def test_skill_md_is_listed_as_markdown_with_its_description(client: Client) -> None:
    resources = {str(r.uri): r for r in (await client.list_resources()).resources}
    skill_md = resources["skill://demo-skill/SKILL.md"]
    assert skill_md.mime_type == "text/markdown"
    assert skill_md.description
    assert skill_md.description.startswith("A demonstration skill")
    assert skill_md.size == (DEMO / "SKILL.md").stat().st_size


@pytest.mark.parametrize(
    ("relpath", "mime"),
    [
        ("SKILL.md", "text/markdown"),
        ("crlf.txt", "text/plain"),
        ("bom.md", "text/markdown"),
        ("assets/logo.png", "image/png"),
        ("scripts/run.sh", "text/x-shellscript"),
    ],
)
async def test_reads_are_byte_exact(client: Client, relpath: str, mime: str) -> None:
    data, served_mime = await _read_bytes(client, f"skill://demo-skill/{relpath}")
    assert data == (DEMO / relpath).read_bytes()
    assert served_mime == mime


async def test_binary_file_is_served_as_a_blob(client: Client) -> None:
    result = await client.read_resource("skill://demo-skill/assets/logo.png")
    assert isinstance(result.contents[0], types.BlobResourceContents)


async def test_agent_file_is_readable_as_written(client: Client, data_dir: Path) -> None:
    data, mime = await _read_bytes(client, "agent://code-reviewer")
    assert data == (data_dir / "catalog" / "agents" / "code-reviewer.md").read_bytes()
    assert mime == "text/markdown"


async def test_templates_cover_skill_files_and_agents(client: Client) -> None:
    templates = (await client.list_resource_templates()).resource_templates
    assert [t.uri_template for t in templates] == ["skill://{name}/{path}", "agent://{name}"]


@pytest.mark.parametrize(
    "uri",
    [
        "skill://no-such-skill/SKILL.md",
        "skill://demo-skill/missing.md",
        "skill://demo-skill/../other-skill/SKILL.md",
        "skill://demo-skill/%2e%2e/other-skill/SKILL.md",
        "skill://demo-skill//etc/passwd",
        "skill://demo-skill/references\\guide.md",
        "agent://nobody",
        "file:///etc/passwd",
    ],
)
async def test_unknown_or_escaping_resources_are_invalid_params_naming_the_uri(
    client: Client, uri: str
) -> None:
    with pytest.raises(MCPError) as caught:
        await client.read_resource(uri)
    assert caught.value.code == types.INVALID_PARAMS
    data = caught.value.error.data
    assert isinstance(data, dict)
    assert data["uri"] == uri  # SEP-2164


async def test_unknown_file_error_suggests_the_closest_file(client: Client) -> None:
    with pytest.raises(MCPError) as caught:
        await client.read_resource("skill://demo-skill/SKIL.md")
    assert "SKILL.md" in caught.value.message


async def test_resources_paginate_with_opaque_cursors(
    test_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> None:
    async with Client(make_server(test_catalog, page_size=3), mode=era) as client:
        seen: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            page = await client.list_resources(cursor=cursor)
            pages += 1
            assert len(page.resources) <= 3
            seen += [str(r.uri) for r in page.resources]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert pages == 3
        assert len(seen) == len(set(seen)) == 9


async def test_a_bad_cursor_is_invalid_params(client: Client) -> None:
    with pytest.raises(MCPError) as caught:
        await client.list_resources(cursor="not-a-cursor")
    assert caught.value.code == types.INVALID_PARAMS
