"""Skill files and agent files as MCP resources."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.refs import AGENT_SCHEME
from agent_mcp.catalog.skills import MAX_SKILL_BYTES, SKILL_FILE, Skill
from agent_mcp.errors import NotFound
from agent_mcp.files.digests import DigestCache
from agent_mcp.files.media import as_text, mime_for
from agent_mcp.server.pagination import decode_position, encode_cursor
from agent_mcp.server.state import ServerState

SKILL_TEMPLATE = "skill://{name}/{path}"
AGENT_MIME = "text/markdown"
MANIFEST = "_manifest"
"""FastMCP's file inventory of a skill, read by its 2025-11-25 clients instead of the
Skills extension: ``{"skill": name, "files": [{"path", "size", "hash"}]}``."""


def skill_resources(skill: Skill, *, own_only: bool = False) -> list[types.Resource]:
    """The skill's files as resources. ``own_only`` leaves out the files of skills
    nested in it, which list them as their own (one URI, listed once)."""
    resources: list[types.Resource] = []
    nested = tuple(f"{n}/" for n in skill.listing().nested) if own_only else ()
    for relpath, file in skill.files().items():
        if nested and relpath.startswith(nested):
            continue
        is_main = relpath == SKILL_FILE
        resources.append(
            types.Resource(
                uri=skill.uri(relpath),
                # SEP-2640: a SKILL.md resource is named by its frontmatter name.
                name=skill.name if is_main else f"{skill.skill_path}/{relpath}",
                title=f"{skill.name} skill" if is_main else None,
                description=skill.description if is_main else None,
                mime_type=mime_for(relpath, None if _binary_suffix(relpath) else ""),
                size=file.size,
            )
        )
    return resources


def _binary_suffix(relpath: str) -> bool:
    # Listing must not open every file, so text-or-binary is judged by name here;
    # resources/read looks at the bytes and says exactly.
    return mime_for(relpath, "").split("/")[0] in ("image", "audio", "video") or relpath.endswith(
        (".pdf", ".zip", ".gz", ".tar", ".whl", ".bin")
    )


def _positions(
    catalog: Catalog, start: tuple[int, int]
) -> Iterator[tuple[tuple[int, int], types.Resource]]:
    """Resources in a fixed order, each with its position: agents first, then skills.

    Position ``(0, i)`` is agent ``i``; ``(1 + s, f)`` is file ``f`` of skill ``s``. Cursors
    carry positions, so a page never needs to list the skills before it.
    """
    section, index = start
    agents = list(catalog.agents.values())
    if section == 0:
        for i in range(index, len(agents)):
            agent = agents[i]
            yield (
                (0, i),
                types.Resource(
                    uri=f"{AGENT_SCHEME}{agent.name}",
                    name=f"agent:{agent.name}",
                    title=f"{agent.title} (agent file)",
                    description=agent.description,
                    mime_type=AGENT_MIME,
                ),
            )
        section, index = 1, 0
    skills = list(catalog.skills.values())
    for s in range(section - 1, len(skills)):
        entries = skill_resources(skills[s], own_only=True)
        for f in range(index if s == section - 1 else 0, len(entries)):
            yield (1 + s, f), entries[f]


def _resource_page(
    catalog: Catalog, start: tuple[int, ...], page_size: int
) -> types.ListResourcesResult:
    page: list[types.Resource] = []
    next_cursor: str | None = None
    for position, resource in _positions(catalog, (start[0], start[1])):
        if len(page) == page_size:
            next_cursor = encode_cursor(*position)
            break
        page.append(resource)
    return types.ListResourcesResult(resources=page, next_cursor=next_cursor)


class ResourceHandlers:
    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.digests = DigestCache()

    async def list_resources(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        start = decode_position(params.cursor if params else None, width=2)
        catalog = await self.state.full_catalog()
        # Each skill's files are listed on first use: disk work, off the loop.
        return await anyio.to_thread.run_sync(
            _resource_page, catalog, start, self.state.options.page_size
        )

    async def list_templates(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(
            resource_templates=[
                types.ResourceTemplate(
                    uri_template=SKILL_TEMPLATE,
                    name="skill-file",
                    title="Skill file",
                    description="A file of a skill: {name} is the skill (with its plugin prefix "
                    "when it has one), {path} the file inside it, e.g. SKILL.md.",
                ),
                types.ResourceTemplate(
                    uri_template="agent://{name}",
                    name="agent-file",
                    title="Agent file",
                    description="An agent definition file, as written.",
                    mime_type=AGENT_MIME,
                ),
            ]
        )

    async def read_resource(
        self, ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        catalog = await self.state.full_catalog()
        return await anyio.to_thread.run_sync(read, catalog, str(params.uri), self.digests)


def read(
    catalog: Catalog, uri: str, digests: DigestCache | None = None
) -> types.ReadResourceResult:
    """Read one resource: the exact bytes on disk, as text when they are UTF-8.

    An agent serves the bytes it was loaded from (its prompt's version); a skill file
    is read now, checked as it opens (files/reading.py).
    """
    if uri.startswith(AGENT_SCHEME):
        agent = catalog.agent_from_uri(uri)
        data = agent.read_bytes()
        relpath = agent.path.name
    else:
        try:
            skill, file = catalog.resolve_uri(uri)
        except NotFound:
            manifest = _manifest(catalog, uri, digests or DigestCache())
            if manifest is None:
                raise
            return manifest
        data = skill.read(file)
        relpath = file.relpath
    text = as_text(data)
    mime = mime_for(relpath, text)
    if text is not None:
        content: types.TextResourceContents | types.BlobResourceContents = (
            types.TextResourceContents(uri=uri, mime_type=mime, text=text)
        )
    else:
        content = types.BlobResourceContents(
            uri=uri, mime_type=mime, blob=base64.b64encode(data).decode("ascii")
        )
    return types.ReadResourceResult(contents=[content])


def _manifest(catalog: Catalog, uri: str, digests: DigestCache) -> types.ReadResourceResult | None:
    """``skill://<path>/_manifest`` of a served skill (a real file of that name wins)."""
    head, _, last = uri.rpartition("/")
    skill = catalog.skills.get(head.removeprefix("skill://")) if last == MANIFEST else None
    if skill is None:
        return None
    files: list[dict[str, Any]] = []
    for relpath, file in skill.files().items():
        found = digests.get(file.ref, MAX_SKILL_BYTES)
        if found is not None:
            files.append({"path": relpath, "size": found[1], "hash": f"sha256:{found[0]}"})
    text = json.dumps({"skill": skill.name, "files": files}, indent=2)
    return types.ReadResourceResult(
        contents=[types.TextResourceContents(uri=uri, mime_type="application/json", text=text)]
    )
