"""The Agents extension (draft io.modelcontextprotocol/agents), in both protocol eras."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import mcp_types as types
import pytest
from mcp import Client
from mcp.server import Server
from mcp.shared.exceptions import MCPError

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.extensions.agents import EXTENSION_ID

pytestmark = pytest.mark.anyio


class ListAgentsRequest(types.Request[types.PaginatedRequestParams, Literal["agents/list"]]):
    method: Literal["agents/list"] = "agents/list"


class GetAgentParams(types.RequestParams):
    name: str


class GetAgentRequest(types.Request[GetAgentParams, Literal["agents/get"]]):
    method: Literal["agents/get"] = "agents/get"


class AnyResult(types.Result):
    """Keeps every field of the answer (the extension's shape is checked as JSON)."""

    model_config = types.Result.model_config | {"extra": "allow"}


async def _list(client: Client) -> dict[str, Any]:
    request = ListAgentsRequest(params=types.PaginatedRequestParams())
    result = await client.session.send_request(request, AnyResult)
    return result.model_dump(by_alias=True)


async def _get(client: Client, name: str) -> dict[str, Any]:
    request = GetAgentRequest(params=GetAgentParams(name=name))
    result = await client.session.send_request(request, AnyResult)
    return result.model_dump(by_alias=True)


async def test_declared_only_in_the_2026_era(
    bundled_catalog: Catalog, make_server: Callable[..., Server[Any]], era: str
) -> None:
    async with Client(make_server(bundled_catalog), mode=era) as client:
        declared = EXTENSION_ID in (client.server_capabilities.extensions or {})
    assert declared == (era != "legacy")


async def test_a_2025_client_gets_method_not_found(
    bundled_catalog: Catalog, make_server: Callable[..., Server[Any]]
) -> None:
    async with Client(make_server(bundled_catalog), mode="legacy") as client:
        with pytest.raises(MCPError) as caught:
            await _list(client)
    assert caught.value.code == types.METHOD_NOT_FOUND


async def test_agents_list_gives_cards_with_routing_labels_and_cache_hints(
    bundled_catalog: Catalog, make_server: Callable[..., Server[Any]]
) -> None:
    async with Client(make_server(bundled_catalog), mode="auto") as client:
        listed = await _list(client)
    (card,) = listed["agents"]
    assert card["name"] == "backend-developer"
    assert card["description"].startswith("Use this agent")
    assert "skill:fastapi" in card["capabilities"]
    assert "tool:backend-developer__sync-vs-async" in card["capabilities"]
    assert listed["ttlMs"] == 60_000
    assert listed["cacheScope"] == "private"


async def test_agents_get_gives_the_persona_and_the_agents_own_tools_as_listed(
    bundled_catalog: Catalog, make_server: Callable[..., Server[Any]]
) -> None:
    async with Client(make_server(bundled_catalog), mode="auto") as client:
        got = await _get(client, "backend-developer")
        prompt = await client.get_prompt("backend-developer")
        listed = {
            t.name: t.model_dump(mode="json", by_alias=True, exclude_none=True)
            for t in (await client.list_tools()).tools
        }
    assert got["agent"] == "backend-developer"
    first = prompt.messages[0].content
    assert isinstance(first, types.TextContent)
    assert got["instructions"] == first.text
    names = [tool["name"] for tool in got["tools"]]
    assert names == [
        "backend-developer__sync-vs-async",
        "backend-developer__data-access-pattern",
        "backend-developer__caching-strategy",
        "backend-developer__checklist",
    ]
    assert got["tools"] == [listed[name] for name in names]
    assert (got["ttlMs"], got["cacheScope"]) == (0, "private")


async def test_unknown_agent_is_invalid_params_with_reason_agent_not_found(
    bundled_catalog: Catalog, make_server: Callable[..., Server[Any]]
) -> None:
    async with Client(make_server(bundled_catalog), mode="auto") as client:
        with pytest.raises(MCPError) as caught:
            await _get(client, "backend-develper")
    assert caught.value.code == types.INVALID_PARAMS
    data = caught.value.error.data
    assert isinstance(data, dict)
    assert data["reason"] == "agent_not_found"
    assert "backend-developer" in data["suggestions"]
