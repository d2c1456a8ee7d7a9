"""Streamable HTTP end to end: both eras, sessions and stateless, Host/Origin, auth, limits."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import httpx2
import jwt
import mcp_types as types
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.cli.main import main
from agent_mcp.server.transports.http import build_app
from agent_mcp.server.transports.http_auth import OAuthSettings
from agent_mcp.server.transports.http_settings import HttpConfigError, HttpSettings, load_token
from tests.http_support import (
    INITIALIZE,
    free_port,
    http_client,
    loopback_socket,
    serve_in_process,
    serve_subprocess,
)

pytestmark = pytest.mark.anyio

TOKEN = "test-token-0123456789abcdef"
ISSUER = "https://auth.example.com"
SKILL_MD = Path(__file__).parent / "data" / "catalog" / "skills" / "demo-skill" / "SKILL.md"
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}

Serve = Callable[..., AbstractAsyncContextManager[str]]


@pytest.fixture
def serve(test_catalog: Catalog) -> Serve:
    """``async with serve(**settings) as url``: the test catalog over HTTP on a free port."""

    def start(**settings: Any) -> AbstractAsyncContextManager[str]:
        sock = loopback_socket()
        port = sock.getsockname()[1]
        if callable(settings.get("oauth")):
            settings["oauth"] = settings["oauth"](f"http://127.0.0.1:{port}/mcp")
        return serve_in_process(build_app(test_catalog, HttpSettings(**settings)), sock)

    return start


@contextlib.asynccontextmanager
async def with_token(url: str, token: str, mode: str) -> AsyncGenerator[Client]:
    """A client sending ``Authorization: Bearer <token>`` on every request."""
    headers = {"Authorization": f"Bearer {token}"}
    async with http_client(headers=headers) as http:
        transport = streamable_http_client(url, http_client=http)
        async with Client(transport, mode=mode) as client:
            yield client


async def exercise(client: Client) -> None:
    """What a host does: list and get prompts, list and call tools, read a skill."""
    prompts = {p.name for p in (await client.list_prompts()).prompts}
    assert {"code-reviewer", "minimal"} <= prompts
    result = await client.get_prompt("code-reviewer", {"task": "Review PR #42"})
    last = result.messages[-1].content
    assert isinstance(last, types.TextContent)
    assert last.text.endswith("Review PR #42")
    tools = (await client.list_tools()).tools
    if tools:
        # Arguments may be wrong for whatever tool comes first: either answer proves the
        # round trip, and invalid arguments are an isError result, never a transport error.
        called = await client.call_tool(tools[0].name, {})
        assert called.content
    with pytest.raises(MCPError) as caught:
        await client.call_tool("no-such-tool", {})
    assert caught.value.code == types.INVALID_PARAMS
    read = await client.read_resource("skill://demo-skill/SKILL.md")
    content = read.contents[0]
    assert isinstance(content, types.TextResourceContents)
    assert content.text.encode() == SKILL_MD.read_bytes()


@pytest.mark.parametrize("stateless", [False, True], ids=["sessions", "stateless"])
async def test_each_era_lists_gets_calls_and_reads_over_http(
    serve: Serve, era: str, stateless: bool
) -> None:
    async with serve(stateless=stateless) as url, Client(f"{url}/mcp", mode=era) as client:
        await exercise(client)


async def test_sessions_mode_issues_a_session_id_and_stateless_answers_json(serve: Serve) -> None:
    async with serve() as url, http_client() as http:
        stateful = await http.post(f"{url}/mcp", json=INITIALIZE, headers=MCP_HEADERS)
    async with serve(stateless=True) as url, http_client() as http:
        stateless = await http.post(f"{url}/mcp", json=INITIALIZE, headers=MCP_HEADERS)
    assert stateful.status_code == stateless.status_code == 200
    assert stateful.headers.get("mcp-session-id")
    assert stateful.headers["content-type"].startswith("text/event-stream")
    assert "mcp-session-id" not in stateless.headers
    assert stateless.headers["content-type"].startswith("application/json")
    assert stateless.json()["result"]["serverInfo"]["name"] == "agent-mcp"


async def test_healthz_reports_liveness_and_catalog_counts(serve: Serve) -> None:
    async with serve(token=TOKEN) as url, http_client() as http:
        response = await http.get(f"{url}/healthz")  # no token: load balancers probe it
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert (body["agents"], body["skills"]) == (2, 2)


async def test_wrong_host_is_421_and_wrong_origin_is_403(serve: Serve) -> None:
    async with serve() as url, http_client() as http:
        host = await http.post(
            f"{url}/mcp", json=INITIALIZE, headers={**MCP_HEADERS, "Host": "evil.example"}
        )
        origin = await http.post(
            f"{url}/mcp",
            json=INITIALIZE,
            headers={**MCP_HEADERS, "Origin": "https://evil.example"},
        )
        local = await http.post(
            f"{url}/mcp", json=INITIALIZE, headers={**MCP_HEADERS, "Origin": url}
        )
    assert host.status_code == 421
    assert origin.status_code == 403
    assert local.status_code == 200


async def test_allowed_host_and_origin_are_accepted(serve: Serve) -> None:
    async with (
        serve(
            allowed_hosts=("mcp.example.com",), allowed_origins=("https://app.example.com",)
        ) as url,
        http_client() as http,
    ):
        response = await http.post(
            f"{url}/mcp",
            json=INITIALIZE,
            headers={
                **MCP_HEADERS,
                "Host": "mcp.example.com:443",
                "Origin": "https://app.example.com",
            },
        )
    assert response.status_code == 200


async def test_missing_or_wrong_token_is_401_with_www_authenticate(serve: Serve) -> None:
    async with serve(token=TOKEN) as url, http_client() as http:
        missing = await http.post(f"{url}/mcp", json=INITIALIZE, headers=MCP_HEADERS)
        wrong = await http.post(
            f"{url}/mcp",
            json=INITIALIZE,
            headers={**MCP_HEADERS, "Authorization": f"Bearer {TOKEN[:-1]}x"},
        )
    for response in (missing, wrong):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer ")
        assert response.json()["error"] == "invalid_token"


async def test_right_token_serves_both_eras(serve: Serve, era: str) -> None:
    async with serve(token=TOKEN) as url, with_token(f"{url}/mcp", TOKEN, era) as client:
        await exercise(client)


async def test_token_comes_from_the_environment_or_a_file_never_both(tmp_path: Path) -> None:
    file = tmp_path / "token"
    file.write_text(TOKEN + "\n")
    file.chmod(0o600)
    assert load_token({"AGENT_MCP_TOKEN": TOKEN}) == TOKEN
    assert load_token({}, file) == TOKEN
    assert load_token({"AGENT_MCP_TOKEN_FILE": str(file)}) == TOKEN
    assert load_token({}) is None
    with pytest.raises(HttpConfigError, match="use one of them"):
        load_token({"AGENT_MCP_TOKEN": TOKEN}, file)
    with pytest.raises(HttpConfigError, match="at least 16"):
        load_token({"AGENT_MCP_TOKEN": "short"})


def test_non_loopback_bind_without_auth_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("AGENT_MCP_")]:
        monkeypatch.delenv(name)
    assert main(["serve", "--http", "--host", "0.0.0.0", "--no-bundled"]) == 2
    assert "refusing to serve 0.0.0.0 without authentication" in capsys.readouterr().err
    HttpSettings(host="0.0.0.0", token=TOKEN).check_bind()
    HttpSettings(host="0.0.0.0", insecure=True).check_bind()
    HttpSettings(host="::1").check_bind()


async def test_factory_without_auth_refuses_clients_on_non_loopback_addresses(
    test_catalog: Catalog,
) -> None:
    # An external ASGI server binds before our code runs, so the app checks the socket
    # address each request arrived on (the client controls Host, not this).
    app = build_app(test_catalog, HttpSettings())
    transport = httpx2.ASGITransport(app=app, client=("203.0.113.9", 50000))
    async with http_client(transport=transport, base_url="http://10.0.0.5:8000") as http:
        response = await http.get("/healthz")
    assert response.status_code == 403
    assert "only answers loopback" in response.text


async def test_oversize_body_is_413(serve: Serve) -> None:
    async with serve(max_body_bytes=4096) as url, http_client() as http:
        big = {**INITIALIZE, "params": {**INITIALIZE["params"], "padding": "x" * 5000}}
        response = await http.post(f"{url}/mcp", content=json.dumps(big), headers=MCP_HEADERS)
    assert response.status_code == 413


async def test_resource_uris_cannot_reach_outside_the_roots(serve: Serve) -> None:
    async with serve(stateless=True) as url, Client(f"{url}/mcp") as client:
        for uri in ("skill://demo-skill/../../../../etc/passwd", "skill://demo-skill/%2e%2e/x"):
            with pytest.raises(MCPError):
                await client.read_resource(uri)


# OAuth resource-server mode -----------------------------------------------------------


class Issuer:
    """An authorization server's signing side: a key, its JWKS served over HTTP, and tokens."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": "k1", "use": "sig"}]}
        self.jwks_url = ""

    def mint(self, audience: str, scope: str = "mcp:read", iss: str = ISSUER) -> str:
        claims = {"iss": iss, "aud": audience, "sub": "alice", "scope": scope}
        claims |= {"exp": int(time.time()) + 300, "client_id": "host-app"}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})


@pytest.fixture
async def issuer() -> AsyncIterator[Issuer]:
    found = Issuer()

    async def jwks(_request: Request) -> JSONResponse:
        return JSONResponse(found.jwks)

    app = Starlette(routes=[Route("/jwks", jwks)])
    async with serve_in_process(app, loopback_socket()) as url:
        found.jwks_url = f"{url}/jwks"
        yield found


async def test_oauth_mode_accepts_issuer_tokens_for_this_resource_only(
    serve: Serve, issuer: Issuer
) -> None:
    def oauth(resource: str) -> OAuthSettings:
        return OAuthSettings(
            issuer=ISSUER, resource=resource, jwks_url=issuer.jwks_url, scopes=("mcp:read",)
        )

    async with serve(oauth=oauth) as url, http_client() as http:
        resource = f"{url}/mcp"
        metadata = (await http.get(f"{url}/.well-known/oauth-protected-resource/mcp")).json()
        assert metadata["authorization_servers"] == [ISSUER]
        assert metadata["resource"] == resource

        async def post(token: str) -> httpx2.Response:
            headers = {**MCP_HEADERS, "Authorization": f"Bearer {token}"}
            return await http.post(resource, json=INITIALIZE, headers=headers)

        assert (await post(issuer.mint(resource))).status_code == 200
        unauthenticated = await http.post(resource, json=INITIALIZE, headers=MCP_HEADERS)
        assert unauthenticated.status_code == 401
        assert "oauth-protected-resource/mcp" in unauthenticated.headers["www-authenticate"]
        assert (await post(issuer.mint("https://elsewhere.example/mcp"))).status_code == 401
        assert (await post(issuer.mint(resource, iss="https://evil.example"))).status_code == 401
        assert (await post(issuer.mint(resource, scope="other"))).status_code == 403
        async with with_token(resource, issuer.mint(resource), "2026-07-28") as client:
            await exercise(client)


# The real entry points, as child processes -----------------------------------------------


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    file = tmp_path / "token"
    file.write_text(TOKEN)
    file.chmod(0o600)
    return file


@pytest.fixture
async def cli_server(token_file: Path, data_dir: Path) -> AsyncIterator[str]:
    port = free_port()
    argv = ["-m", "agent_mcp", "serve", "--http", "--port", str(port), "--no-bundled"]
    argv += ["--root", str(data_dir / "catalog"), "--token-file", str(token_file)]
    async with serve_subprocess(argv, port) as url:
        yield url


async def test_cli_serve_http_requires_the_token_from_its_file(cli_server: str) -> None:
    async with http_client() as http:
        denied = await http.post(f"{cli_server}/mcp", json=INITIALIZE, headers=MCP_HEADERS)
    assert denied.status_code == 401
    async with with_token(f"{cli_server}/mcp", TOKEN, "legacy") as client:
        await exercise(client)


@pytest.mark.skipif(sys.platform == "win32", reason="uvicorn workers need fork/spawn on POSIX")
async def test_factory_serves_both_eras_with_two_workers(data_dir: Path) -> None:
    port = free_port()
    env = {
        "AGENT_MCP_ROOTS": str(data_dir / "catalog"),
        "AGENT_MCP_NO_BUNDLED": "1",
        "AGENT_MCP_STATELESS": "1",
    }
    argv = ["-m", "uvicorn", "--factory", "agent_mcp.server.transports.http:create_app"]
    argv += ["--port", str(port), "--workers", "2", "--log-level", "warning"]
    async with serve_subprocess(argv, port, env) as url:
        # Several connections, so both workers are likely to answer some of them.
        for _ in range(2):
            for mode in ("legacy", "2026-07-28"):
                async with Client(f"{url}/mcp", mode=mode) as client:
                    await exercise(client)


async def _prompt_names(url: str) -> set[str]:
    async with Client(f"{url}/mcp", mode="legacy") as client:
        return {p.name for p in (await client.list_prompts()).prompts}


async def test_cli_and_factory_serve_the_same_catalog_from_the_same_environment(
    data_dir: Path,
) -> None:
    env = {"AGENT_MCP_ROOTS": str(data_dir / "catalog"), "AGENT_MCP_NO_BUNDLED": "1"}
    cli_port, factory_port = free_port(), free_port()
    cli = ["-m", "agent_mcp", "serve", "--http", "--no-watch", "--port", str(cli_port)]
    factory = ["-m", "uvicorn", "--factory", "agent_mcp.server.transports.http:create_app"]
    factory += ["--port", str(factory_port), "--log-level", "warning"]
    async with serve_subprocess(cli, cli_port, env) as cli_url:
        from_cli = await _prompt_names(cli_url)
    async with serve_subprocess(factory, factory_port, {**env, "AGENT_MCP_WATCH": "0"}) as url:
        from_factory = await _prompt_names(url)
    assert from_cli == from_factory
    assert {"code-reviewer", "minimal"} <= from_cli
    assert "backend-developer" not in from_cli  # the bundled agent: AGENT_MCP_NO_BUNDLED
