"""Bearer-token checks for the HTTP transport, behind the SDK's ``TokenVerifier`` interface.

Two verifiers plug into the SDK's ``BearerAuthBackend`` / ``RequireAuthMiddleware``, which
answer 401 with ``WWW-Authenticate: Bearer ...`` (and 403 ``insufficient_scope``):

- :class:`StaticTokenVerifier`: one shared secret (``AGENT_MCP_TOKEN`` or a token file);
- :class:`JWTVerifier`: OAuth 2.1 resource-server mode. Access tokens are JWTs signed by
  the authorization server; the signature (keys from its JWKS), issuer, audience and
  expiry are checked here, required scopes by the SDK middleware.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import anyio.to_thread
import jwt
from mcp.server.auth.provider import AccessToken

logger = logging.getLogger(__name__)

STATIC_CLIENT_ID = "agent-mcp-token"

# Asymmetric algorithms only: accepting HS* would let anyone holding the (public) JWKS
# forge tokens, and "none" is never acceptable.
JWT_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).digest()


class StaticTokenVerifier:
    """Accepts exactly one token, compared in constant time."""

    def __init__(self, token: str) -> None:
        # Comparing fixed-length digests means neither the position of the first wrong
        # byte nor the expected token's length shows in the response time.
        self._expected = _digest(token)

    async def verify_token(self, token: str) -> AccessToken | None:
        if hmac.compare_digest(_digest(token), self._expected):
            return AccessToken(token=token, client_id=STATIC_CLIENT_ID, scopes=[])
        return None


@dataclass(frozen=True, slots=True)
class OAuthSettings:
    """OAuth resource-server settings (RFC 9728 metadata plus JWT access-token checks)."""

    issuer: str
    """The authorization server; tokens must carry exactly this ``iss``."""
    resource: str
    """This server's public MCP URL, e.g. ``https://mcp.example.com/mcp``: advertised in the
    protected-resource metadata, and the default audience."""
    jwks_url: str
    """Where the authorization server publishes its signing keys."""
    audience: str | None = None
    """The ``aud`` tokens must carry, when the authorization server uses something other
    than :attr:`resource` (an API identifier, say)."""
    scopes: tuple[str, ...] = ()
    """Scopes every token must have; a token without them gets 403 ``insufficient_scope``."""
    leeway_seconds: int = 30
    """Clock skew tolerated on ``exp`` and ``nbf``."""

    @property
    def expected_audience(self) -> str:
        return self.audience or self.resource


def token_scopes(claims: Mapping[str, Any]) -> list[str]:
    """Scopes from ``scope`` (RFC 9068: space-separated) or ``scp`` (a list, or a string)."""
    for key in ("scope", "scp"):
        value = claims.get(key)
        if isinstance(value, str):
            return value.split()
        if isinstance(value, list):
            return [str(item) for item in cast("list[object]", value)]
    return []


class JWTVerifier:
    """Validates JWT access tokens issued for this server by one authorization server."""

    def __init__(self, settings: OAuthSettings) -> None:
        self.settings = settings
        # Keys are fetched lazily and cached (JWK set for 5 minutes); an unknown key id
        # triggers one refetch, so key rotation at the issuer needs no restart.
        self._jwks = jwt.PyJWKClient(settings.jwks_url, cache_keys=True, timeout=10)

    async def verify_token(self, token: str) -> AccessToken | None:
        s = self.settings
        try:
            # The JWKS fetch is blocking urllib I/O: keep it off the event loop.
            key = await anyio.to_thread.run_sync(self._jwks.get_signing_key_from_jwt, token)
            claims = jwt.decode(
                token,
                key,
                algorithms=list(JWT_ALGORITHMS),
                audience=s.expected_audience,
                issuer=s.issuer,
                leeway=s.leeway_seconds,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWKClientConnectionError as exc:
            logger.warning("cannot fetch the signing keys from %s: %s", s.jwks_url, exc)
            return None
        except jwt.PyJWTError as exc:
            logger.info("rejected a bearer token: %s", exc)
            return None
        subject = claims.get("sub")
        client = claims.get("client_id") or claims.get("azp") or subject or "unknown"
        return AccessToken(
            token=token,
            client_id=str(client),
            scopes=token_scopes(claims),
            expires_at=int(claims["exp"]),
            # The audience was checked above; recording it lets the SDK's own
            # resource check (if ever enabled) agree.
            resource=s.expected_audience,
            subject=str(subject) if subject is not None else None,
            # The issuer is part of the principal a stateful session is bound to.
            claims={"iss": claims["iss"]},
        )
