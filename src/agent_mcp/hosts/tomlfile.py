"""TOML config files (Codex's ``config.toml``) edited in place, comments and layout kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import tomlkit
from tomlkit.exceptions import ParseError
from tomlkit.items import Table

from agent_mcp.hosts.errors import HostError


class TomlConfig:
    """A parsed TOML config with the same small interface as :class:`JsonConfig`."""

    def __init__(self, path: Path, text: str | None, *, hint: str = "") -> None:
        self.path = path
        self._text = text or ""
        try:
            self.document = tomlkit.parse(text or "")
        except ParseError as error:
            raise HostError(
                f"{path}:{error.line}:{error.col}: not valid TOML ({_reason(error)}); "
                f"the file was left untouched{hint}"
            ) from None
        self._before = self.document.unwrap()

    @property
    def changed(self) -> bool:
        return self.document.unwrap() != self._before

    def _servers(self, key: str, *, create: bool) -> Table | None:
        servers: object = cast("Any", self.document).get(key)
        if servers is None and create:
            # A super-table renders as [key.name] headers only, as Codex's own CLI writes it.
            servers = tomlkit.table(is_super_table=True)
            self.document[key] = servers
        if servers is not None and not isinstance(servers, Table):
            raise HostError(
                f"{self.path}: {key!r} is not a TOML table; the file was left untouched"
            )
        return servers

    def get(self, key: str, name: str) -> object:
        servers = self._servers(key, create=False)
        value: Any = cast("Any", servers).get(name) if servers is not None else None
        return value.unwrap() if hasattr(value, "unwrap") else value

    def put(self, key: str, name: str, entry: dict[str, Any]) -> None:
        servers = self._servers(key, create=True)
        assert servers is not None
        table = tomlkit.table()
        for field, value in entry.items():
            table[field] = value
        servers[name] = table

    def remove(self, key: str, name: str) -> None:
        servers = self._servers(key, create=False)
        if servers is not None:
            del servers[name]

    def render(self) -> str:
        text = self.document.as_string()
        # tomlkit puts a blank line before a table it adds and keeps it when the table goes:
        # install then uninstall must give back the file as it was.
        if text.endswith("\n\n") and not self._text.endswith("\n\n"):
            text = text.rstrip("\n") + "\n"
        return text


def _reason(error: ParseError) -> str:
    # tomlkit's message ends with " at line X col Y", which the path:line:col prefix says.
    return str(error).split(" at line ")[0]
