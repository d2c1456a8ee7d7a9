"""The Skills extension (SEP-2640) through the SDK client: skills/list, skills/get,
resources/directory/read, and a host that verifies every listed file by digest.

The custom methods are sent with the public ``ClientSession.send_request`` and request
and result models defined here, as a host implementing the extension would.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
import yaml
from mcp import Client
from mcp.server import Server
from mcp.shared.exceptions import MCPError

from agent_mcp.catalog import skills as skills_mod
from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.files import digests as digests_module
from agent_mcp.server.extensions import skills as skills_ext
from agent_mcp.server.extensions.skills import CACHE_SCOPE, GET_TTL_MS, LIST_TTL_MS
from agent_mcp.sources.local import Source, collect_sources
from tests.skills_host import (
    DirectoryParams,
    DirectoryRequest,
    DirectoryResult,
    GetSkillParams,
    GetSkillRequest,
    GetSkillResult,
    ListSkillsRequest,
    ListSkillsResult,
)

pytestmark = pytest.mark.anyio

SKILL_MD_CRLF = (
    b"---\r\nname: tricky\r\n"
    b"description: Files whose bytes must survive exactly. Use when testing.\r\n"
    b"license: MIT\r\nmetadata:\r\n  owner: tests\r\ncustom-field: [1, 2]\r\n---\r\n\r\n"
    b"# Tricky\r\n\r\nSee references/bom.md.\r\n"
)
BOM_MD = b"\xef\xbb\xbf# Starts with a BOM\n\nand \xc3\xa9 accents.\n"
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x80not utf-8 \xc3\x28"
CRLF_TXT = b"line one\r\nline two\r\n"


def write_marketplace(root: Path) -> Path:
    """A plugin marketplace exercising what a host must verify byte for byte: a CRLF
    SKILL.md, a BOM file, a binary file, nested and empty folders, and two plugins
    that both have a skill named ``dup``."""
    tricky = root / "plugins" / "alpha" / "skills" / "tricky"
    files = {
        "SKILL.md": SKILL_MD_CRLF,
        "references/bom.md": BOM_MD,
        "references/crlf.txt": CRLF_TXT,
        "assets/logo.png": BINARY,
        "scripts/sub/tool.py": b"print('hi')\n",
    }
    for relpath, data in files.items():
        (tricky / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tricky / relpath).write_bytes(data)
    (tricky / "templates").mkdir()
    for plugin in ("alpha", "beta"):
        dup = root / "plugins" / plugin / "skills" / "dup"
        dup.mkdir(parents=True)
        text = f"---\nname: dup\ndescription: The {plugin} dup skill. Use in tests.\n---\nBody.\n"
        (dup / "SKILL.md").write_bytes(text.encode())
    return root


@pytest.fixture
def market_catalog(tmp_path: Path) -> Catalog:
    return build_catalog(
        collect_sources(roots=[write_marketplace(tmp_path)], bundled=False, environ={})
    )


async def list_pages(client: Client) -> list[ListSkillsResult]:
    pages: list[ListSkillsResult] = []
    cursor: str | None = None
    with anyio.fail_after(10):
        while True:
            request = ListSkillsRequest(params=types.PaginatedRequestParams(cursor=cursor))
            pages.append(await client.session.send_request(request, ListSkillsResult))
            cursor = pages[-1].next_cursor
            if cursor is None:
                return pages


async def get_skill(client: Client, uri: str) -> GetSkillResult:
    request = GetSkillRequest(params=GetSkillParams(uri=uri))
    return await client.session.send_request(request, GetSkillResult)


async def read_directory(client: Client, uri: str, cursor: str | None = None) -> DirectoryResult:
    request = DirectoryRequest(params=DirectoryParams(uri=uri, cursor=cursor))
    return await client.session.send_request(request, DirectoryResult)


async def read_bytes(client: Client, uri: str) -> bytes:
    (content,) = (await client.read_resource(uri)).contents
    if isinstance(content, types.TextResourceContents):
        return content.text.encode("utf-8")
    return base64.b64decode(content.blob)


@pytest.fixture
async def market(
    market_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> AsyncIterator[Client]:
    async with Client(make_server(market_catalog, page_size=1), mode=era) as connected:
        yield connected


# Declaration -------------------------------------------------------------------------


async def test_extension_is_declared_with_directory_read_alongside_resources(
    market_catalog: Catalog, make_server: Callable[..., Server[Any]]
) -> None:
    async with Client(make_server(market_catalog), mode="auto") as client:
        capabilities = client.server_capabilities
        assert capabilities.extensions
        assert capabilities.extensions[skills_ext.EXTENSION_ID] == {"directoryRead": True}
        assert capabilities.resources is not None


# skills/list -------------------------------------------------------------------------


async def test_a_host_verifies_every_listed_file_by_digest_and_size(
    market: Client, market_catalog: Catalog
) -> None:
    verified: dict[str, bytes] = {}
    for page in await list_pages(market):
        for entry in page.skills:
            for resource in entry.resources:
                data = await read_bytes(market, resource.uri)
                assert len(data) == resource.size, resource.uri
                assert resource.digest == "sha256:" + hashlib.sha256(data).hexdigest()
                verified[resource.uri] = data
    base = "skill://alpha/tricky/"
    assert verified[base + "SKILL.md"] == SKILL_MD_CRLF
    assert verified[base + "references/bom.md"] == BOM_MD
    assert verified[base + "references/crlf.txt"] == CRLF_TXT
    assert verified[base + "assets/logo.png"] == BINARY
    assert len(verified) == sum(len(s.files()) for s in market_catalog.skills.values())


async def test_the_golden_catalog_verifies_too(client: Client, test_catalog: Catalog) -> None:
    (page,) = await list_pages(client)
    for entry in page.skills:
        for resource in entry.resources:
            data = await read_bytes(client, resource.uri)
            assert (len(data), resource.digest) == (
                resource.size,
                "sha256:" + hashlib.sha256(data).hexdigest(),
            )
    assert len(page.skills) == len(test_catalog.skills)


async def test_pages_hold_whole_skills_and_cover_each_skill_once(
    market: Client, market_catalog: Catalog
) -> None:
    pages = await list_pages(market)
    assert [len(p.skills) for p in pages] == [1] * len(market_catalog.skills)
    by_uri = {entry.uri: entry for page in pages for entry in page.skills}
    assert sorted(by_uri) == sorted(s.uri() for s in market_catalog.skills.values())
    for skill in market_catalog.skills.values():
        listed = [r.uri for r in by_uri[skill.uri()].resources]
        assert listed == [skill.uri(relpath) for relpath in skill.files()]
        assert listed[0] == skill.uri()  # SKILL.md itself is listed, first


async def test_equal_names_from_two_plugins_are_two_skills(market: Client) -> None:
    entries = [e for page in await list_pages(market) for e in page.skills]
    dups = {e.uri: e.frontmatter["name"] for e in entries if e.frontmatter["name"] == "dup"}
    assert dups == {"skill://alpha/dup/SKILL.md": "dup", "skill://beta/dup/SKILL.md": "dup"}


async def test_frontmatter_is_the_yaml_verbatim_and_ends_the_uri(market: Client) -> None:
    entries = [e for page in await list_pages(market) for e in page.skills]
    tricky = next(e for e in entries if e.uri == "skill://alpha/tricky/SKILL.md")
    block = SKILL_MD_CRLF.decode().split("---")[1]
    assert tricky.frontmatter == yaml.safe_load(block)
    assert tricky.frontmatter["custom-field"] == [1, 2]
    for entry in entries:
        assert entry.uri.removesuffix("/SKILL.md").rsplit("/", 1)[1] == entry.frontmatter["name"]


async def test_results_carry_the_chosen_cache_hints(market: Client) -> None:
    page = (await list_pages(market))[0]
    assert (page.ttl_ms, page.cache_scope) == (LIST_TTL_MS, CACHE_SCOPE)
    got = await get_skill(market, "skill://beta/dup/SKILL.md")
    assert (got.ttl_ms, got.cache_scope) == (GET_TTL_MS, CACHE_SCOPE)


async def test_a_bad_cursor_is_invalid_params(market: Client) -> None:
    request = ListSkillsRequest(params=types.PaginatedRequestParams(cursor="not-a-cursor"))
    with pytest.raises(MCPError) as caught:
        await market.session.send_request(request, ListSkillsResult)
    assert caught.value.error.code == types.INVALID_PARAMS


# skills/get --------------------------------------------------------------------------


async def test_get_returns_the_listed_entry(market: Client) -> None:
    entries = [e for page in await list_pages(market) for e in page.skills]
    for entry in entries:
        assert (await get_skill(market, entry.uri)).skill == entry


@pytest.mark.parametrize(
    "uri",
    [
        "skill://alpha/missing/SKILL.md",
        "skill://dup/SKILL.md",  # a bare name is no skill path once prefixed by a plugin
        "skill://alpha/tricky/references/bom.md",  # a file, not a SKILL.md
        "skill://alpha/tricky",
        "https://example.com/SKILL.md",
    ],
)
async def test_get_of_anything_but_a_served_skill_md_is_invalid_params(
    market: Client, uri: str
) -> None:
    with pytest.raises(MCPError) as caught:
        await get_skill(market, uri)
    assert caught.value.error.code == types.INVALID_PARAMS


async def test_get_suggests_the_closest_skill(market: Client) -> None:
    with pytest.raises(MCPError) as caught:
        await get_skill(market, "skill://alpha/trickyy/SKILL.md")
    assert "skill://alpha/tricky/SKILL.md" in caught.value.error.message


async def test_an_edit_changes_the_digest_and_size(market: Client, market_catalog: Catalog) -> None:
    uri = "skill://alpha/tricky/references/crlf.txt"
    before = {
        r.uri: r for r in (await get_skill(market, "skill://alpha/tricky/SKILL.md")).skill.resources
    }
    path = market_catalog.skills["alpha/tricky"].files()["references/crlf.txt"].path
    stat = path.stat()
    path.write_bytes(b"line ONE\r\nline two\r\n")  # same size: only the mtime tells
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = {
        r.uri: r for r in (await get_skill(market, "skill://alpha/tricky/SKILL.md")).skill.resources
    }
    assert after[uri].digest != before[uri].digest
    assert (
        after[uri].digest == "sha256:" + hashlib.sha256(await read_bytes(market, uri)).hexdigest()
    )
    path.write_bytes(b"short")
    resized = {
        r.uri: r for r in (await get_skill(market, "skill://alpha/tricky/SKILL.md")).skill.resources
    }
    assert resized[uri].size == 5


def test_unchanged_files_are_hashed_once(
    market_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = hashlib.sha256

    def counting(data: bytes) -> Any:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(digests_module.hashlib, "sha256", counting)
    # The fixture's files were written just now: let them count as settled.
    monkeypatch.setattr(digests_module, "RACY_NS", 0)
    digests = skills_ext.DigestCache()
    skill = market_catalog.skills["alpha/tricky"]
    first = skills_ext.skill_entry(skill, digests)
    assert len(calls) == len(skill.files())
    assert skills_ext.skill_entry(skill, digests) == first
    assert len(calls) == len(skill.files())


# resources/directory/read ------------------------------------------------------------


async def _children(client: Client, uri: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    cursor: str | None = None
    with anyio.fail_after(10):
        while True:
            result = await read_directory(client, uri, cursor)
            found.update({r.uri: r.mime_type for r in result.resources})
            if (cursor := result.next_cursor) is None:
                return found


async def test_a_skill_root_lists_its_files_and_folders(market: Client) -> None:
    base = "skill://alpha/tricky"
    assert await _children(market, base) == {
        f"{base}/SKILL.md": "text/markdown",
        f"{base}/assets": "inode/directory",
        f"{base}/references": "inode/directory",
        f"{base}/scripts": "inode/directory",
    }


async def test_a_folder_lists_only_its_direct_children(market: Client) -> None:
    base = "skill://alpha/tricky"
    assert await _children(market, f"{base}/scripts") == {f"{base}/scripts/sub": "inode/directory"}
    children = await _children(market, f"{base}/references/")  # trailing slash tolerated
    assert set(children) == {f"{base}/references/bom.md", f"{base}/references/crlf.txt"}


async def test_file_children_carry_name_and_size(market: Client) -> None:
    result = await read_directory(market, "skill://alpha/tricky/assets")
    (logo,) = result.resources
    assert (logo.name, logo.mime_type, logo.size) == ("logo.png", "image/png", len(BINARY))


async def test_an_empty_folder_is_an_empty_directory(market: Client) -> None:
    assert (await read_directory(market, "skill://alpha/tricky/templates")).resources == []


async def test_a_plugin_prefix_lists_its_skill_roots(market: Client) -> None:
    assert await _children(market, "skill://alpha") == {
        "skill://alpha/dup": "inode/directory",
        "skill://alpha/tricky": "inode/directory",
    }


@pytest.mark.parametrize(
    "uri",
    [
        "skill://alpha/tricky/SKILL.md",
        "skill://alpha/tricky/nope",
        "skill://alpha/tricky/../dup",
        "skill://gamma",
        "file:///etc",
    ],
)
async def test_a_directory_read_of_a_file_or_nothing_is_invalid_params(
    market: Client, uri: str
) -> None:
    with pytest.raises(MCPError) as caught:
        await read_directory(market, uri)
    assert caught.value.error.code == types.INVALID_PARAMS


# SEP-2640 corners ----------------------------------------------------------------------


def _sep_corners(root: Path) -> Catalog:
    outer = root / "outer"
    inner = outer / "sub" / "inner"
    inner.mkdir(parents=True)
    (outer / "SKILL.md").write_bytes(b"---\nname: outer\ndescription: Outer. Use in tests.\n---\n")
    (inner / "SKILL.md").write_bytes(b"---\nname: inner\ndescription: Inner. Use in tests.\n---\n")
    (inner / "notes.md").write_bytes(b"# Notes\n")
    big = root / "big"
    big.mkdir()
    (big / "SKILL.md").write_bytes(b"---\nname: big\ndescription: Big. Use in tests.\n---\n")
    for n in range(skills_mod.MAX_FILES):
        (big / f"{n}.txt").write_bytes(b"x")
    return build_catalog([Source("skills", root, "test")])


async def test_a_nested_skill_is_its_own_skill_and_part_of_the_enclosing_one(
    tmp_path: Path, make_server: Callable[..., Server[Any]], era: str
) -> None:
    catalog = _sep_corners(tmp_path)
    async with Client(make_server(catalog), mode=era) as client:
        entries = {s.uri: s for page in await list_pages(client) for s in page.skills}
        inner = entries["skill://outer/sub/inner/SKILL.md"]
        assert inner.frontmatter["name"] == "inner"
        assert {r.uri for r in inner.resources} == {
            "skill://outer/sub/inner/SKILL.md",
            "skill://outer/sub/inner/notes.md",
        }
        outer = {r.uri: r.digest for r in entries["skill://outer/SKILL.md"].resources}
        assert {r.uri: r.digest for r in inner.resources}.items() <= outer.items()
        notes = await read_bytes(client, "skill://outer/sub/inner/notes.md")
        assert notes == b"# Notes\n"
        listed = [str(r.uri) for r in (await client.list_resources()).resources]
        assert len(listed) == len(set(listed))
        assert "skill://outer/sub/inner/notes.md" in listed


async def test_a_skill_over_the_limits_is_not_served_at_all(
    tmp_path: Path, make_server: Callable[..., Server[Any]], era: str
) -> None:
    catalog = _sep_corners(tmp_path)
    (diagnostic,) = [d for d in catalog.diagnostics if d.code == "skill-too-large"]
    assert diagnostic.severity == "error"
    assert "not served" in diagnostic.message
    async with Client(make_server(catalog), mode=era) as client:
        uris = {s.uri for page in await list_pages(client) for s in page.skills}
        assert "skill://big/SKILL.md" not in uris
        with pytest.raises(MCPError):
            await client.read_resource("skill://big/SKILL.md")


async def test_a_skill_md_resource_is_named_by_its_frontmatter_name(market: Client) -> None:
    resources = (await market.list_resources()).resources
    cursor = None
    names: dict[str, str] = {}
    with anyio.fail_after(10):
        while True:
            page = await market.list_resources(cursor=cursor)
            names.update({str(r.uri): r.name for r in page.resources})
            if (cursor := page.next_cursor) is None:
                break
    assert resources
    assert names["skill://alpha/tricky/SKILL.md"] == "tricky"
    assert names["skill://alpha/tricky/references/bom.md"] == "alpha/tricky/references/bom.md"


async def test_the_fastmcp_manifest_lists_every_file_with_its_digest(market: Client) -> None:
    raw = await read_bytes(market, "skill://alpha/tricky/_manifest")
    manifest = json.loads(raw)
    assert manifest["skill"] == "tricky"
    files = {f["path"]: f for f in manifest["files"]}
    assert next(iter(files)) == "SKILL.md"
    bom = await read_bytes(market, "skill://alpha/tricky/references/bom.md")
    assert files["references/bom.md"] == {
        "path": "references/bom.md",
        "size": len(bom),
        "hash": "sha256:" + hashlib.sha256(bom).hexdigest(),
    }
    entry = (await get_skill(market, "skill://alpha/tricky/SKILL.md")).skill
    assert {f["hash"] for f in files.values()} == {r.digest for r in entry.resources}
