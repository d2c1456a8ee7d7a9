"""Serving over Streamable HTTP: the ASGI app, and the factory external servers call.

Run it under any ASGI server, with as many workers as you like::

    AGENT_MCP_TOKEN_FILE=/run/secrets/mcp-token AGENT_MCP_STATELESS=1 \\
      uvicorn --factory agent_mcp.server.transports.http:create_app --host 0.0.0.0 --workers 4

Configuration comes from :class:`agent_mcp.settings.Settings` (every ``AGENT_MCP_*``
variable and its option), made into ``http_settings.HttpSettings``; docs/http.md lists
them with the limits and their defaults. ``serve --http`` runs the same app under
uvicorn (``http_serve``).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable

from mcp.server.auth.middleware.auth_context import AuthContextMiddleware
from mcp.server.auth.middleware.bearer_auth import BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.routes import build_resource_metadata_url, create_protected_resource_routes
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

import agent_mcp
from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.app import build_server
from agent_mcp.server.state import ServerOptions, ServerState
from agent_mcp.server.transports.http_guards import ClientSessionCap, RequestIdCheck
from agent_mcp.server.transports.http_settings import (
    HEALTH_PATH,
    TOKEN_ENV,
    TOKEN_FILE_ENV,
    URL,
    HttpSettings,
    is_loopback,
)
from agent_mcp.settings import Settings


class LoopbackOnly:
    """Without authentication, answer only connections that arrived on a loopback address.

    ``serve --http`` refuses such a bind outright; an external ASGI server (``uvicorn
    --host 0.0.0.0``) binds before our code runs, so the factory enforces it per request.
    ``Host`` cannot be trusted for this (the client writes it); the socket address can.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        server = scope.get("server")
        # A unix socket ((path, None)) or an unknown address is local to this machine.
        if (
            scope["type"] == "http"
            and server
            and server[1] is not None
            and not is_loopback(server[0])
        ):
            response = PlainTextResponse(
                "agent-mcp has no authentication configured, so it only answers loopback "
                f"clients. Set {TOKEN_ENV}/{TOKEN_FILE_ENV} or AGENT_MCP_OAUTH_*, or "
                "AGENT_MCP_INSECURE=1 behind an authenticating proxy.\n",
                status_code=403,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def build_app(
    catalog: Catalog,
    settings: HttpSettings,
    options: ServerOptions | None = None,
    *,
    state: ServerState | None = None,
) -> Starlette:
    """The MCP endpoint, protected-resource metadata (OAuth mode) and ``/healthz``.

    Assembled from the SDK's own parts rather than ``Server.streamable_http_app()``: that
    helper only installs bearer auth together with an OAuth issuer, and a shared static
    token has none.
    """
    state = state or ServerState(catalog, options or ServerOptions())
    manager = StreamableHTTPSessionManager(
        app=build_server(state),
        # Stateless serving answers in JSON so any worker can take any request.
        json_response=settings.stateless,
        stateless=settings.stateless,
        security_settings=settings.transport_security(),
        max_request_body_size=settings.max_body_bytes,
        session_idle_timeout=settings.session_idle_timeout,
        max_sessions=settings.max_sessions,
    )
    endpoint: ASGIApp = RequestIdCheck(StreamableHTTPASGIApp(manager), settings.max_body_bytes)
    if not settings.stateless:
        endpoint = ClientSessionCap(endpoint, manager, settings.max_sessions_per_client)
    routes: list[BaseRoute] = [Route(HEALTH_PATH, _health(state, settings), methods=["GET"])]
    middleware: list[Middleware] = []
    verifier = settings.verifier()
    if verifier is not None:
        middleware = [
            Middleware(AuthenticationMiddleware, backend=BearerAuthBackend(verifier)),
            Middleware(AuthContextMiddleware),
        ]
        oauth = settings.oauth
        metadata = (
            build_resource_metadata_url(URL.validate_python(oauth.resource)) if oauth else None
        )
        endpoint = RequireAuthMiddleware(endpoint, list(oauth.scopes) if oauth else [], metadata)
        if oauth:
            routes += create_protected_resource_routes(
                resource_url=URL.validate_python(oauth.resource),
                authorization_servers=[URL.validate_python(oauth.issuer)],
                scopes_supported=list(oauth.scopes) or None,
                resource_name="agent-mcp",
            )
    routes.append(Route(settings.path, endpoint))
    if settings.auth == "none" and not settings.insecure:
        middleware.insert(0, Middleware(LoopbackOnly))

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncGenerator[None]:
        async with manager.run():
            yield

    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def _health(state: ServerState, settings: HttpSettings) -> Callable[[Request], Awaitable[Response]]:
    async def health(_request: Request) -> Response:
        catalog = state.catalog
        return JSONResponse(
            {
                "status": "ok",
                "version": agent_mcp.__version__,
                "agents": len(catalog.agents),
                "skills": len(catalog.skills),
                "skipped": sum(d.severity == "error" for d in catalog.diagnostics),
                "stateless": settings.stateless,
            }
        )

    return health


def app_from_settings(settings: HttpSettings) -> tuple[Starlette, Catalog]:
    """The one place settings become an HTTP app (``serve --http`` and the factory)."""
    catalog = build_catalog(settings.sources())
    return build_app(catalog, settings, ServerOptions.from_settings(settings)), catalog


def create_app() -> Starlette:
    """ASGI factory for uvicorn/gunicorn/hypercorn: configured from the environment only.

    Each worker process calls it and builds its own catalog from the same folders, and
    each watches them (set ``AGENT_MCP_WATCH=0`` to turn that off).
    """
    return app_from_settings(HttpSettings.from_settings(Settings.from_env()))[0]
