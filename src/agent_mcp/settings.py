"""Every ``AGENT_MCP_*`` variable and serve option, read once into one typed value.

``agent-mcp serve`` (stdio or ``--http``) and the ASGI factory both build a
:class:`Settings` with :meth:`Settings.from_env` (command-line options given as
overrides win over the environment) and turn it into sources with
:meth:`Settings.sources`, so they serve the same catalog from the same configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from agent_mcp.sources.local import AGENTS_ENV, SKILLS_ENV, Source, collect_sources, env_paths

ROOTS_ENV = "AGENT_MCP_ROOTS"


class SettingsError(ValueError):
    """A setting with a value that cannot be used; the message names it."""


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    return value in ("1", "true", "yes", "on")


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(v for v in env.get(name, "").replace(",", " ").split() if v)


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if not value > 0:
        raise SettingsError(f"{name} must be positive, not {raw!r}")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    # What to serve
    agents: tuple[Path, ...] = ()
    skills: tuple[Path, ...] = ()
    roots: tuple[Path, ...] = ()
    env_agents: tuple[Path, ...] = ()
    """``AGENT_MCP_AGENTS``: searched after the command line's folders."""
    env_skills: tuple[Path, ...] = ()
    bundled: bool = True
    watch: bool = True
    focus: tuple[str, ...] = ()
    # HTTP
    host: str = "127.0.0.1"
    port: int = 8000
    path: str = "/mcp"
    stateless: bool = False
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    token: str | None = field(default=None, repr=False)
    token_file: Path | None = None
    insecure: bool = False
    # Limits (docs/http.md lists each with its variable)
    max_body_bytes: int = 1024 * 1024
    max_sessions: int = 10_000
    max_sessions_per_client: int = 100
    session_idle_timeout: float = 30 * 60.0
    notify_timeout: float = 5.0
    request_timeout: float = 10.0
    keep_alive_timeout: float = 5.0
    max_connections: int = 1000
    max_header_bytes: int = 64 * 1024
    shutdown_timeout: float = 5.0
    environ: Mapping[str, str] = field(default_factory=lambda: dict[str, str](), repr=False)
    """The environment read (OAuth settings are read from it by the HTTP layer)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from the environment; overrides that are not None win (the CLI passes
        every option, None when not given). Roots given on both are served, the
        command line's first."""
        env = dict(os.environ if environ is None else environ)
        token_file = env.get("AGENT_MCP_TOKEN_FILE")
        settings = cls(
            roots=tuple(env_paths(env, ROOTS_ENV)),
            env_agents=tuple(env_paths(env, AGENTS_ENV)),
            env_skills=tuple(env_paths(env, SKILLS_ENV)),
            bundled=not _flag(env, "AGENT_MCP_NO_BUNDLED"),
            watch=_flag(env, "AGENT_MCP_WATCH", default=True),
            path=env.get("AGENT_MCP_HTTP_PATH") or "/mcp",
            stateless=_flag(env, "AGENT_MCP_STATELESS"),
            allowed_hosts=_list(env, "AGENT_MCP_ALLOWED_HOSTS"),
            allowed_origins=_list(env, "AGENT_MCP_ALLOWED_ORIGINS"),
            token=env.get("AGENT_MCP_TOKEN") or None,
            token_file=Path(token_file) if token_file else None,
            insecure=_flag(env, "AGENT_MCP_INSECURE"),
            max_body_bytes=int(_number(env, "AGENT_MCP_MAX_BODY_BYTES", 1024 * 1024)),
            max_sessions=int(_number(env, "AGENT_MCP_MAX_SESSIONS", 10_000)),
            max_sessions_per_client=int(_number(env, "AGENT_MCP_MAX_SESSIONS_PER_CLIENT", 100)),
            session_idle_timeout=_number(env, "AGENT_MCP_SESSION_IDLE_TIMEOUT", 30 * 60.0),
            notify_timeout=_number(env, "AGENT_MCP_NOTIFY_TIMEOUT", 5.0),
            request_timeout=_number(env, "AGENT_MCP_REQUEST_TIMEOUT", 10.0),
            keep_alive_timeout=_number(env, "AGENT_MCP_KEEP_ALIVE_TIMEOUT", 5.0),
            max_connections=int(_number(env, "AGENT_MCP_MAX_CONNECTIONS", 1000)),
            max_header_bytes=int(_number(env, "AGENT_MCP_MAX_HEADER_BYTES", 64 * 1024)),
            environ=env,
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        if "roots" in given:
            given["roots"] = (*given["roots"], *settings.roots)
        return replace(settings, **given)

    def sources(self) -> list[Source]:
        """The one place settings become sources."""
        return collect_sources(
            agents=self.agents,
            skills=self.skills,
            roots=self.roots,
            bundled=self.bundled,
            environ={
                AGENTS_ENV: os.pathsep.join(map(str, self.env_agents)),
                SKILLS_ENV: os.pathsep.join(map(str, self.env_skills)),
            },
        )
