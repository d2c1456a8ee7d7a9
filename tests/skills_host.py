"""A host's side of the Skills extension (SEP-2640): request and result models.

Shared by the tests and the skills benchmark, which both talk to the server as a host
that knows the extension would.
"""

from __future__ import annotations

from typing import Any, Literal

import mcp_types as types


class ListSkillsRequest(types.Request[types.PaginatedRequestParams, Literal["skills/list"]]):
    method: Literal["skills/list"] = "skills/list"


class GetSkillParams(types.RequestParams):
    uri: str


class GetSkillRequest(types.Request[GetSkillParams, Literal["skills/get"]]):
    method: Literal["skills/get"] = "skills/get"


class DirectoryParams(types.PaginatedRequestParams):
    uri: str


class DirectoryRequest(types.Request[DirectoryParams, Literal["resources/directory/read"]]):
    method: Literal["resources/directory/read"] = "resources/directory/read"


class SkillResource(types.Result):
    uri: str
    digest: str
    size: int


class SkillEntry(types.Result):
    uri: str
    frontmatter: dict[str, Any]
    resources: list[SkillResource]


class ListSkillsResult(types.Result):
    skills: list[SkillEntry]
    next_cursor: str | None = None
    ttl_ms: int
    cache_scope: str


class GetSkillResult(types.Result):
    skill: SkillEntry
    ttl_ms: int
    cache_scope: str


class DirectoryResult(types.Result):
    resources: list[types.Resource]
    next_cursor: str | None = None
