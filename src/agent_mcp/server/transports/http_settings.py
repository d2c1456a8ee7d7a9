"""The HTTP transport's settings: ``Settings`` with the bearer token read and checked and
OAuth configured, plus the checks that refuse what cannot be served safely.

Every field but ``oauth`` is a ``Settings`` field (settings.py reads each from its
``AGENT_MCP_*`` variable or option); docs/http.md lists them with their defaults.
"""

from __future__ import annotations

import ipaddress
import logging
import stat
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mcp.server.auth.provider import TokenVerifier
from mcp.server.transport_security import TransportSecuritySettings
from pydantic import AnyHttpUrl, ConfigDict, TypeAdapter, ValidationError

from agent_mcp.server.transports.http_auth import JWTVerifier, OAuthSettings, StaticTokenVerifier
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
URL = TypeAdapter(AnyHttpUrl, config=ConfigDict(url_preserve_empty_path=True))


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
class HttpSettings(Settings):
    """What the HTTP app is built from: the settings, with ``token`` the bearer token
    itself (read from ``token_file`` or ``AGENT_MCP_TOKEN`` and checked) and ``oauth``
    read from the environment. Build it with :meth:`from_settings`."""

    oauth: OAuthSettings | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpSettings:
        values = {f.name: getattr(settings, f.name) for f in fields(Settings)}
        try:
            values["token"] = load_token(
                {TOKEN_ENV: settings.token} if settings.token else {}, settings.token_file
            )
            values["oauth"] = load_oauth(settings.environ)
            return cls(**values)
        except SettingsError as exc:
            raise HttpConfigError(str(exc)) from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> HttpSettings:
        try:
            settings = Settings.from_env(environ, **overrides)
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
                    URL.validate_python(getattr(self.oauth, name))
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
