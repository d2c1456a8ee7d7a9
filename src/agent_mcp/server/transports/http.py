"""Serving over Streamable HTTP: an ASGI app factory, its settings, and ``serve --http``.

Run it under any ASGI server, with as many workers as you like::

    AGENT_MCP_TOKEN_FILE=/run/secrets/mcp-token AGENT_MCP_STATELESS=1 \\
      uvicorn --factory agent_mcp.server.transports.http:create_app --host 0.0.0.0 --workers 4

Configuration comes from :class:`agent_mcp.settings.Settings` (every ``AGENT_MCP_*``
variable and its option); docs/http.md lists them with the limits and their defaults.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import stat
import sys
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mcp.server.auth.middleware.auth_context import AuthContextMiddleware
from mcp.server.auth.middleware.bearer_auth import BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.provider import TokenVerifier
from mcp.server.auth.routes import build_resource_metadata_url, create_protected_resource_routes
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from pydantic import AnyHttpUrl, ConfigDict, TypeAdapter, ValidationError
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
from agent_mcp.server.transports.http_auth import JWTVerifier, OAuthSettings, StaticTokenVerifier
from agent_mcp.server.transports.http_guards import (
    ClientSessionCap,
    RepeatFilter,
    RequestIdCheck,
    configure_protocol,
)
from agent_mcp.settings import Settings, SettingsError

logger = logging.getLogger(__name__)

TOKEN_ENV = "AGENT_MCP_TOKEN"
TOKEN_FILE_ENV = "AGENT_MCP_TOKEN_FILE"
MIN_TOKEN_LENGTH = 16
HEALTH_PATH = "/healthz"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_BINDS = ("0.0.0.0", "::", "")


class HttpConfigError(ValueError):
    """A setting that cannot be served safely or at all; the message says what to do."""


def _list(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(v for v in environ.get(name, "").replace(",", " ").split() if v)


def is_loopback(host: str) -> bool:
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # a hostname: it may resolve to anything, so it counts as exposed
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return (mapped or address).is_loopback


def read_token_file(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").strip()
        mode = path.stat().st_mode
    except OSError as exc:
        raise HttpConfigError(f"cannot read the token file {path}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        logger.warning("the token file %s is readable by other users (chmod 600 it)", path)
    return token


def load_token(environ: Mapping[str, str], token_file: Path | None = None) -> str | None:
    """The shared bearer token, from ``AGENT_MCP_TOKEN`` or a token file, or None.

    There is deliberately no way to pass the token itself on the command line: argv is
    visible to every user of the machine (``ps``), the environment and files are not.
    """
    file = token_file or (Path(environ[TOKEN_FILE_ENV]) if environ.get(TOKEN_FILE_ENV) else None)
    inline = environ.get(TOKEN_ENV)
    if file is not None and inline:
        raise HttpConfigError(f"both {TOKEN_ENV} and a token file are set: use one of them")
    token = read_token_file(file) if file is not None else inline
    if token is None:
        return None
    if len(token) < MIN_TOKEN_LENGTH or not all("!" <= c <= "~" for c in token):
        raise HttpConfigError(
            f"the bearer token must be at least {MIN_TOKEN_LENGTH} printable ASCII characters "
            "without spaces; make one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'"
        )
    return token


# Issuer identifiers are compared as exact strings (RFC 8414), so "https://as.example" must
# not gain the trailing slash plain AnyHttpUrl validation adds; the SDK's models do the same.
_URL = TypeAdapter(AnyHttpUrl, config=ConfigDict(url_preserve_empty_path=True))


def load_oauth(environ: Mapping[str, str]) -> OAuthSettings | None:
    names = ("ISSUER", "RESOURCE", "JWKS_URL")
    values = {n: environ.get(f"AGENT_MCP_OAUTH_{n}", "").strip() for n in names}
    if not any(values.values()):
        return None
    missing = [f"AGENT_MCP_OAUTH_{n}" for n, v in values.items() if not v]
    if missing:
        raise HttpConfigError(f"OAuth resource-server mode also needs {', '.join(missing)}")
    return OAuthSettings(
        issuer=values["ISSUER"],
        resource=values["RESOURCE"],
        jwks_url=values["JWKS_URL"],
        audience=environ.get("AGENT_MCP_OAUTH_AUDIENCE") or None,
        scopes=_list(environ, "AGENT_MCP_OAUTH_SCOPES"),
    )


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Everything the HTTP app needs besides the catalog; see the module doc for the
    environment variables behind each field."""

    host: str = "127.0.0.1"
    """The address the server binds (used for the bind check and the default Host list)."""
    port: int = 8000
    path: str = "/mcp"
    stateless: bool = False
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    token: str | None = field(default=None, repr=False)
    oauth: OAuthSettings | None = None
    max_body_bytes: int = 1024 * 1024
    """Our requests are names and short task texts; 1 MiB leaves a wide margin."""
    insecure: bool = False
    max_sessions: int = 10_000
    max_sessions_per_client: int = 100
    session_idle_timeout: float = 30 * 60.0
    request_timeout: float = 10.0
    keep_alive_timeout: float = 5.0
    max_connections: int = 1000
    max_header_bytes: int = 64 * 1024
    shutdown_timeout: float = 5.0

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpSettings:
        try:
            return cls(
                host=settings.host,
                port=settings.port,
                path=settings.path,
                stateless=settings.stateless,
                allowed_hosts=settings.allowed_hosts,
                allowed_origins=settings.allowed_origins,
                token=load_token(
                    {TOKEN_ENV: settings.token} if settings.token else {}, settings.token_file
                ),
                oauth=load_oauth(settings.environ),
                max_body_bytes=settings.max_body_bytes,
                insecure=settings.insecure,
                max_sessions=settings.max_sessions,
                max_sessions_per_client=settings.max_sessions_per_client,
                session_idle_timeout=settings.session_idle_timeout,
                request_timeout=settings.request_timeout,
                keep_alive_timeout=settings.keep_alive_timeout,
                max_connections=settings.max_connections,
                max_header_bytes=settings.max_header_bytes,
                shutdown_timeout=settings.shutdown_timeout,
            )
        except SettingsError as exc:
            raise HttpConfigError(str(exc)) from None

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        token_file: Path | None = None,
        **overrides: Any,
    ) -> HttpSettings:
        try:
            settings = Settings.from_env(environ, token_file=token_file, **overrides)
        except SettingsError as exc:
            raise HttpConfigError(str(exc)) from None
        return cls.from_settings(settings)

    def __post_init__(self) -> None:
        if not self.path.startswith("/") or self.path == HEALTH_PATH:
            raise HttpConfigError(f"the MCP path must start with '/' and not be {HEALTH_PATH}")
        if self.token and self.oauth:
            raise HttpConfigError("choose one: a static bearer token or OAuth resource-server mode")
        if self.max_body_bytes <= 0:
            raise HttpConfigError("the request body limit must be a positive number of bytes")
        if self.oauth:
            for name in ("issuer", "resource", "jwks_url"):
                try:
                    _URL.validate_python(getattr(self.oauth, name))
                except ValidationError:
                    raise HttpConfigError(f"OAuth {name} must be an http(s) URL") from None

    @property
    def auth(self) -> str:
        return "oauth" if self.oauth else "token" if self.token else "none"

    def check_bind(self) -> None:
        """Refuse to expose an unauthenticated server beyond this machine."""
        if self.auth == "none" and not self.insecure and not is_loopback(self.host):
            raise HttpConfigError(
                f"refusing to serve {self.host} without authentication: anyone who can reach "
                f"it could use the server. Set {TOKEN_ENV} or {TOKEN_FILE_ENV} (--token-file), "
                "configure OAuth (AGENT_MCP_OAUTH_*), or pass --insecure if something in front "
                "of this server authenticates every request."
            )

    def transport_security(self) -> TransportSecuritySettings:
        """Host/Origin checks (DNS-rebinding protection): loopback names, the bound address,
        and what was allowed explicitly. A bare name also matches it with any port."""
        if "*" in self.allowed_hosts:
            return TransportSecuritySettings(enable_dns_rebinding_protection=False)
        hosts = [*LOOPBACK_HOSTS, *self.allowed_hosts]
        if self.host not in WILDCARD_BINDS and not is_loopback(self.host):
            hosts.append(f"[{self.host}]" if ":" in self.host else self.host)
        if self.oauth:
            # Clients reach an OAuth-protected server by its public name.
            hosts.append(urlsplit(self.oauth.resource).netloc)
        origins = [f"http://{h}" for h in LOOPBACK_HOSTS] + list(self.allowed_origins)
        return TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=_with_any_port(hosts),
            allowed_origins=_with_any_port(origins),
        )

    def verifier(self) -> TokenVerifier | None:
        if self.oauth:
            return JWTVerifier(self.oauth)
        return StaticTokenVerifier(self.token) if self.token else None


def _has_port(value: str) -> bool:
    # After an IPv6 literal's "]", or after the scheme: "[::1]:80", "https://h:8443", "h:*".
    tail = value.rsplit("]", 1)[-1] if "]" in value else value.split("//", 1)[-1]
    port = tail.rpartition(":")[2] if ":" in tail else ""
    return port == "*" or port.isdigit()


def _with_any_port(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in dict.fromkeys(values):
        out.append(value)
        if not _has_port(value):
            out.append(f"{value}:*")
    return out


def catalog_from_settings(settings: Settings) -> Catalog:
    return build_catalog(settings.sources())


def catalog_from_env(environ: Mapping[str, str] | None = None) -> Catalog:
    return catalog_from_settings(Settings.from_env(environ))


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
            build_resource_metadata_url(_URL.validate_python(oauth.resource)) if oauth else None
        )
        endpoint = RequireAuthMiddleware(endpoint, list(oauth.scopes) if oauth else [], metadata)
        if oauth:
            routes += create_protected_resource_routes(
                resource_url=_URL.validate_python(oauth.resource),
                authorization_servers=[_URL.validate_python(oauth.issuer)],
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


def app_from_settings(
    settings: Settings, http: HttpSettings | None = None
) -> tuple[Starlette, Catalog, HttpSettings]:
    """The one place settings become an HTTP app (``serve --http`` and the factory)."""
    http = http or HttpSettings.from_settings(settings)
    catalog = catalog_from_settings(settings)
    return build_app(catalog, http, ServerOptions.from_settings(settings)), catalog, http


def create_app() -> Starlette:
    """ASGI factory for uvicorn/gunicorn/hypercorn: configured from the environment only.

    Each worker process calls it and builds its own catalog from the same folders, and
    each watches them (set ``AGENT_MCP_WATCH=0`` to turn that off).
    """
    return app_from_settings(Settings.from_env())[0]


def uvicorn_options(settings: HttpSettings) -> dict[str, Any]:
    """uvicorn's own limits plus the guarded protocol (see ``http_guards``)."""
    return {
        "http": configure_protocol(settings.request_timeout, settings.max_connections),
        "timeout_keep_alive": settings.keep_alive_timeout,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_graceful_shutdown": settings.shutdown_timeout,
        # Beyond the connection cap a connection is closed at once (GuardedH11Protocol);
        # this bounds requests in flight so a flood is refused with 503, not queued.
        "limit_concurrency": settings.max_connections + 100,
    }


def serve_http(settings: Settings) -> None:
    """``agent-mcp serve --http``: one process, uvicorn, until Ctrl+C."""
    import uvicorn

    http = HttpSettings.from_settings(settings)
    http.check_bind()  # before loading anything: a refused bind should be quick
    app, catalog, http = app_from_settings(settings, http)
    if http.host in WILDCARD_BINDS and not http.allowed_hosts:
        logger.warning(
            "bound to all interfaces, but only loopback Host headers are accepted: add "
            "--allowed-host with the name clients use (or '*' behind a checking proxy)"
        )
    host = f"[{http.host}]" if ":" in http.host else http.host
    print(
        f"agent-mcp {agent_mcp.__version__}: serving {len(catalog.agents)} agents and "
        f"{len(catalog.skills)} skills at http://{host}:{http.port}{http.path} "
        f"(auth: {http.auth}, {'stateless' if http.stateless else 'sessions'})",
        file=sys.stderr,
    )
    # A flood of broken connections must not become a flood of identical log lines.
    for name in ("uvicorn.error", __name__, "agent_mcp.server.transports.http_guards"):
        logging.getLogger(name).addFilter(RepeatFilter())
    config = uvicorn.Config(
        app,
        host=http.host,
        port=http.port,
        access_log=False,
        server_header=False,
        **uvicorn_options(http),
    )
    uvicorn.Server(config).run()
