"""Every ``AGENT_MCP_*`` variable and serve option, read once into one typed value.

``agent-mcp serve`` (stdio or ``--http``) and the ASGI factory both build a
:class:`Settings` with :meth:`Settings.from_env` (command-line options given as
overrides win over the environment) and turn it into sources with
:meth:`Settings.sources`, so they serve the same catalog from the same configuration.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_mcp.sources.git_spec import SCHEMES, is_git_url
from agent_mcp.sources.local import AGENTS_ENV, SKILLS_ENV, Source, collect_sources, env_paths

if TYPE_CHECKING:
    # Imported where used: serving local folders (the default) needs neither git nor
    # marketplaces, and a host waits for this process to start.
    from agent_mcp.sources import git

ROOTS_ENV = "AGENT_MCP_ROOTS"
_SCHEME_NAMES = frozenset(s.removesuffix("://") for s in SCHEMES)
_SCP_HOST = re.compile(r"^[\w.-]+@[\w.-]+$")
_PORT = re.compile(r"^\d+(/|$)")


def materialize_roots(
    roots: Iterable[Path | str], *, refresh: bool = False
) -> tuple[list[Path], list[git.Checkout]]:
    """``git.materialize_roots``, loading the git code only when a root is a URL (text):
    serving local folders, the default, needs none of it, and a host waits for start-up."""
    given = list(roots)
    if not any(isinstance(root, str) for root in given):
        return [root for root in given if isinstance(root, Path)], []
    from agent_mcp.sources import git

    return git.materialize_roots(given, refresh=refresh)


class SettingsError(ValueError):
    """A setting with a value that cannot be used; the message names it."""


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    return value in ("1", "true", "yes", "on")


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(v for v in env.get(name, "").replace(",", " ").split() if v)


def split_roots(text: str) -> list[str]:
    """A ``PATH``-style list of roots where an entry may be a git URL.

    On POSIX the separator ``:`` also ends a URL's scheme (``https://``) and the host of
    ``git@host:path``, so those pieces are joined back to the URL they came from.
    """
    if os.pathsep != ":":
        return [part for part in text.split(os.pathsep) if part.strip()]
    pieces = text.split(":")
    roots: list[str] = []
    index = 0
    while index < len(pieces):
        piece, index = pieces[index], index + 1
        rest = pieces[index] if index < len(pieces) else None
        if rest is not None and piece in _SCHEME_NAMES and rest.startswith("//"):
            piece, index = f"{piece}:{rest}", index + 1
            if index < len(pieces) and _PORT.match(pieces[index]):
                piece, index = f"{piece}:{pieces[index]}", index + 1
        elif rest and _SCP_HOST.match(piece) and not rest.startswith("//"):
            piece, index = f"{piece}:{rest}", index + 1
        if piece.strip():
            roots.append(piece)
    return roots


def _roots(env: Mapping[str, str]) -> tuple[Path | str, ...]:
    """``AGENT_MCP_ROOTS``: folders and git URLs, separated like ``PATH``."""
    return tuple(
        part if is_git_url(part) else Path(part).expanduser()
        for part in split_roots(env.get(ROOTS_ENV, ""))
    )


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
    roots: tuple[Path | str, ...] = ()
    """Folders, and git URLs (text) that ``resolve`` turns into their checkouts."""
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
            roots=_roots(env),
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

    def resolve(self, *, refresh: bool = False) -> tuple[Settings, list[git.Checkout]]:
        """These settings with each git root replaced by its checkout: from the cache
        without any network when there is one, else cloned (``refresh`` fetches)."""
        roots, checkouts = materialize_roots(self.roots, refresh=refresh)
        return replace(self, roots=tuple(roots)), checkouts

    def sync(self) -> list[git.Checkout]:
        """Fetch every git checkout served from: the git roots, then the remote plugins
        of the marketplaces among the roots (cloning the ones not fetched yet)."""
        settings, checkouts = self.resolve(refresh=True)
        from agent_mcp.sources import git
        from agent_mcp.sources.marketplace import remote_plugins

        plugins = remote_plugins(settings.folders())
        return checkouts + [git.materialize(spec, refresh=True) for spec in plugins]

    def sync_specs(self) -> list[git.GitSpec]:
        """What ``sync`` fetches, for a background refresh on a timer."""
        settings, _ = self.resolve()
        from agent_mcp.sources import git
        from agent_mcp.sources.marketplace import remote_plugins

        roots = [git.parse(root) for root in self.roots if isinstance(root, str)]
        return roots + remote_plugins(settings.folders())

    def folders(self) -> list[Path]:
        """The roots that are folders (after ``resolve``, all of them)."""
        return [root for root in self.roots if isinstance(root, Path)]

    def sources(self) -> list[Source]:
        """The one place settings become sources."""
        settings = self
        if any(isinstance(root, str) for root in self.roots):
            settings, checkouts = self.resolve()
            # Callers that show diagnostics call resolve() themselves; here they are logged.
            for checkout in checkouts:
                for diagnostic in checkout.diagnostics:
                    logging.getLogger("agent_mcp.git").warning("%s", diagnostic)
        return collect_sources(
            agents=self.agents,
            skills=self.skills,
            roots=settings.folders(),
            bundled=self.bundled,
            environ={
                AGENTS_ENV: os.pathsep.join(map(str, self.env_agents)),
                SKILLS_ENV: os.pathsep.join(map(str, self.env_skills)),
            },
        )
