"""The error boundary: whatever a handler meets, the client gets a spec-exact error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from mcp import Client
from mcp.server import Server
from mcp.shared.exceptions import MCPError
from mcp_types import INTERNAL_ERROR, INVALID_PARAMS

from agent_mcp.catalog.agents import Agent
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.errors import InvalidCursor

pytestmark = pytest.mark.anyio


async def test_an_unexpected_exception_is_internal_error_without_traceback_or_path(
    test_catalog: Catalog,
    make_server: Callable[..., Server[Any]],
    era: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "/srv/private/agents/code-reviewer.md"

    def broken(self: Agent) -> str:
        raise RuntimeError(f"disk gremlin at {secret}")

    monkeypatch.setattr(Agent, "read_body", broken)
    async with Client(make_server(test_catalog), mode=era) as client:
        with pytest.raises(MCPError) as caught:
            await client.get_prompt("code-reviewer")
        # The server keeps answering after the failure.
        assert (await client.list_resources()).resources
    error = caught.value.error
    assert error.code == INTERNAL_ERROR
    assert "prompts/get" in error.message
    assert secret not in error.message
    assert "Traceback" not in error.message
    # The details stay in the server log, with the request id to match them up.
    assert any(secret in (r.exc_text or "") or secret in r.getMessage() for r in caplog.records)


async def test_a_domain_error_raised_anywhere_maps_to_invalid_params(
    test_catalog: Catalog,
    make_server: Callable[..., Server[Any]],
    era: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(self: Agent) -> str:
        raise InvalidCursor("Invalid cursor.")

    monkeypatch.setattr(Agent, "read_body", refuse)
    async with Client(make_server(test_catalog), mode=era) as client:
        with pytest.raises(MCPError) as caught:
            await client.get_prompt("code-reviewer")
    assert caught.value.error.code == INVALID_PARAMS
    assert caught.value.error.message == "Invalid cursor."
