"""Stand-ins for the servers some skill examples talk to, for runs without those servers.

Each speaks only the part of the real client's API that the examples use, so an example
that grows beyond it fails loudly instead of testing something else. Copied next to an
example by tests/test_skill_examples.py; the example imports it under the real name.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from types import TracebackType

import aiosqlite


def SqliteConnectionPool(conninfo: str, **_options: object) -> aiosqlite.Connection:
    """`psycopg_pool.AsyncConnectionPool(...)` as `async with ... as pool` uses it.

    One SQLite connection stands for the pool; the Postgres options (autocommit,
    prepare_threshold, max_size) have no SQLite meaning and are ignored.
    """
    return aiosqlite.connect(conninfo)


ADVISORY_LOCK = "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))"
# Lock key -> the connection holding it: the server's lock table, shared by all sessions.
_held: dict[object, AdvisoryLockConnection] = {}


class _Row:
    def __init__(self, row: tuple[bool]) -> None:
        self._row = row

    async def fetchone(self) -> tuple[bool]:
        return self._row


class AdvisoryLockConnection:
    """psycopg's AsyncConnection reduced to transaction-level advisory locks."""

    @classmethod
    async def connect(cls, conninfo: str) -> AdvisoryLockConnection:
        return cls()

    async def __aenter__(self) -> AdvisoryLockConnection:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._release()

    @asynccontextmanager
    async def transaction(self) -> AsyncGenerator[None]:
        try:
            yield
        finally:
            self._release()  # an xact lock ends with its transaction, commit or rollback

    async def execute(self, query: str, params: tuple[object, ...]) -> _Row:
        if query != ADVISORY_LOCK:
            raise NotImplementedError(f"the stand-in knows only {ADVISORY_LOCK!r}")
        (key,) = params
        owner = _held.setdefault(key, self)
        return _Row((owner is self,))  # re-entrant for the session that holds it

    def _release(self) -> None:
        for key in [k for k, owner in _held.items() if owner is self]:
            del _held[key]
