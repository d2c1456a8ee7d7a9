"""The Skills extension (SEP-2640, ``io.modelcontextprotocol/skills``).

``skills/list`` and ``skills/get`` return complete manifests (every file with the
SHA-256 digest and size of the bytes ``resources/read`` serves), and
``resources/directory/read`` lists a directory's direct children. Files themselves are
read with plain ``resources/read`` (server/resources.py), which serves exact bytes.

The handlers answer in every protocol era: a 2025-11-25 client that sends
``skills/list`` anyway gets the same answer, and the capability is advertised
wherever the SDK advertises ``extensions``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import anyio
import mcp_types as types
from mcp.server import Server
from mcp.server.context import ServerRequestContext

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.refs import SKILL_SCHEME, check_relpath, split_skill_path
from agent_mcp.catalog.skills import MAX_SKILL_BYTES, SKILL_FILE, Skill
from agent_mcp.files.digests import DigestCache
from agent_mcp.files.paths import is_folder_within
from agent_mcp.server.errors import invalid_params
from agent_mcp.server.pagination import paginate
from agent_mcp.server.primitives.resources import skill_resources
from agent_mcp.server.state import ServerState
from agent_mcp.text.words import suggest

EXTENSION_ID = "io.modelcontextprotocol/skills"
DIRECTORY_MIME = "inode/directory"

# Freshness hints. Digests, not TTLs, protect integrity: a host holding a stale entry
# fails verification on read and refreshes with skills/get. So the TTL only decides how
# long a new or changed skill may stay unseen. A listing is the expensive call at
# 10,000 skills and skills change at the pace of human edits: one minute. skills/get is
# cheap and is exactly the call a host makes after a digest mismatch, so it must never
# be answered from a cache: 0. Scope is "private": every caller gets the same bytes,
# but the server cannot know whether its skills (often internal workflows) may be
# shared across authorization contexts, and "private" only costs cross-user caching.
LIST_TTL_MS = 60_000
GET_TTL_MS = 0
CACHE_SCOPE = "private"


class GetSkillParams(types.RequestParams):
    uri: str


class DirectoryReadParams(types.PaginatedRequestParams):
    uri: str


def skill_entry(skill: Skill, digests: DigestCache) -> dict[str, Any]:
    """A ``Skill`` entry: SKILL.md's URI, its frontmatter verbatim, every file once."""
    resources: list[dict[str, Any]] = []
    for relpath, file in skill.files().items():
        found = digests.get(file.ref, MAX_SKILL_BYTES)
        if found is None:
            continue  # removed since the listing: resources/read would fail on it too
        digest, size = found
        resources.append({"uri": skill.uri(relpath), "digest": f"sha256:{digest}", "size": size})
    return {"uri": skill.uri(), "frontmatter": skill.frontmatter_json(), "resources": resources}


class SkillsExtension:
    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.digests = DigestCache()

    def register(self, server: Server[Any]) -> None:
        server.add_request_handler("skills/list", types.PaginatedRequestParams, self.list_skills)
        server.add_request_handler("skills/get", GetSkillParams, self.get_skill)
        server.add_request_handler(
            "resources/directory/read", DirectoryReadParams, self.read_directory
        )
        server.extensions[EXTENSION_ID] = {"directoryRead": True}

    async def list_skills(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams
    ) -> dict[str, Any]:
        skills = list((await self.state.full_catalog()).skills.values())
        # Pages count whole entries, so a skill's manifest is never split across pages.
        # (Hashing the next page in a worker thread while this one travels was tried:
        # 3% faster at 10,000 skills, as the GIL serialises the work; not worth a thread.)
        page, next_cursor = paginate(skills, params.cursor, self.state.options.page_size)
        # Listing and hashing every file of a page is disk and CPU work: off the loop,
        # so a 10,000-skill walk never delays another request (a ping, a read).
        entries = await anyio.to_thread.run_sync(
            lambda: [skill_entry(skill, self.digests) for skill in page]
        )
        result: dict[str, Any] = {
            "skills": entries,
            "ttlMs": LIST_TTL_MS,
            "cacheScope": CACHE_SCOPE,
        }
        if next_cursor is not None:
            result["nextCursor"] = next_cursor
        return result

    async def get_skill(
        self, ctx: ServerRequestContext[Any], params: GetSkillParams
    ) -> dict[str, Any]:
        catalog = await self.state.full_catalog()
        skill = await anyio.to_thread.run_sync(self._skill_at, catalog, params.uri)
        entry = await anyio.to_thread.run_sync(skill_entry, skill, self.digests)
        return {
            "skill": entry,
            "ttlMs": GET_TTL_MS,
            "cacheScope": CACHE_SCOPE,
        }

    def _skill_at(self, catalog: Catalog, uri: str) -> Skill:
        rest = uri[len(SKILL_SCHEME) :] if uri.startswith(SKILL_SCHEME) else ""
        found = split_skill_path(catalog.skills, rest)
        if found is None or found[1] != SKILL_FILE:
            if found is not None:
                raise invalid_params(f"{uri} is not a SKILL.md; the skill is {found[0].uri()}.")
            near = suggest(unquote(rest.removesuffix("/" + SKILL_FILE)), catalog.skills)
            hint = f" Did you mean: {', '.join(catalog.skills[p].uri() for p in near)}?"
            raise invalid_params(f"No skill is served at {uri}.{hint if near else ''}")
        skill, _ = catalog.resolve_uri(uri)  # the same lookup resources/read makes
        return skill

    # Not a CacheableResult in the extension's schema, so no ttlMs/cacheScope: a
    # directory read is defined as a live observation of the server's current view.
    async def read_directory(
        self, ctx: ServerRequestContext[Any], params: DirectoryReadParams
    ) -> dict[str, Any]:
        catalog = await self.state.full_catalog()
        children = await anyio.to_thread.run_sync(directory_children, catalog, params.uri)
        page, next_cursor = paginate(children, params.cursor, self.state.options.page_size)
        result: dict[str, Any] = {"resources": list(page)}
        if next_cursor is not None:
            result["nextCursor"] = next_cursor
        return result


def directory_children(catalog: Catalog, uri: str) -> list[dict[str, Any]]:
    """The direct children of the directory resource at ``uri``, as Resource dicts.

    Directories are the skill roots (``skill://plugin/name``), folders inside skills
    (``skill://name/references``), and plugin prefixes (``skill://plugin``). The spec
    writes directory URIs without a trailing slash; one is tolerated.
    """
    if not uri.startswith(SKILL_SCHEME):
        raise invalid_params(f"No directory resource at {uri}.")
    rest = uri[len(SKILL_SCHEME) :].removesuffix("/")
    found = split_skill_path(catalog.skills, rest)
    if found is not None:
        return _skill_children(found[0], found[1], uri)
    prefix = unquote(rest)
    roots = [s for s in catalog.skills.values() if s.namespace == prefix and not s.parent]
    if roots:
        return [_directory(f"{SKILL_SCHEME}{s.skill_path}", s.name) for s in roots]
    near = suggest(prefix, catalog.skills)
    hint = f" Did you mean: {', '.join(SKILL_SCHEME + n for n in near)}?" if near else ""
    raise invalid_params(f"No directory resource at {uri}.{hint}")


def _skill_children(skill: Skill, relpath: str, uri: str) -> list[dict[str, Any]]:
    files = skill.files()
    if relpath in files:
        raise invalid_params(f"{uri} is not a directory resource.")
    prefix = f"{relpath}/" if relpath else ""
    children: list[dict[str, Any]] = []
    folders: set[str] = set()
    for resource in skill_resources(skill):
        child = str(resource.uri)[len(skill.uri("")) :]
        if not child.startswith(prefix):
            continue
        name, _, deeper = child[len(prefix) :].partition("/")
        if deeper:
            if name not in folders:
                folders.add(name)
                children.append(_directory(skill.uri(prefix + name), name))
        else:
            wire = resource.model_copy(update={"name": name})
            children.append(wire.model_dump(by_alias=True, mode="json", exclude_none=True))
    if not children and relpath and not _empty_folder(skill, relpath):
        raise invalid_params(f"No directory resource at {uri}.")
    return children


def _empty_folder(skill: Skill, relpath: str) -> bool:
    """A folder with nothing servable in it is still a directory (its listing is [])."""
    check_relpath(relpath)
    if any(part.startswith(".") for part in relpath.split("/")):
        return False
    return is_folder_within(skill.directory / relpath, skill.directory)


def _directory(uri: str, name: str) -> dict[str, Any]:
    return {"uri": uri, "name": name, "mimeType": DIRECTORY_MIME}
