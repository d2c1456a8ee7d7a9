"""``agent-mcp serve --http``: the HTTP app in one uvicorn process, with its limits."""

from __future__ import annotations

import logging
import sys
from typing import Any

import agent_mcp
from agent_mcp.server.transports import http_guards, http_settings
from agent_mcp.server.transports.http import app_from_settings
from agent_mcp.server.transports.http_guards import RepeatFilter, configure_protocol
from agent_mcp.server.transports.http_settings import WILDCARD_BINDS, HttpSettings
from agent_mcp.settings import Settings

logger = logging.getLogger(__name__)


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
    app, catalog = app_from_settings(http)
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
    for name in ("uvicorn.error", __name__, http_settings.__name__, http_guards.__name__):
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
