"""JSON config files rewritten the way they were written.

Layout (indent, newlines, final newline, ``\\u`` escapes) is detected and reproduced, and
numbers are kept as their source text: ``1e400``, ``-0``, ``1.0`` and 5,000-digit integers
come back byte for byte (``json`` would write ``Infinity``, ``0``, or refuse to parse).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from agent_mcp.hosts.errors import HostError


@dataclass(frozen=True)
class Number:
    """A JSON number exactly as the file spelled it."""

    text: str


@dataclass(frozen=True)
class Layout:
    """How an existing file is written, so a rewrite looks like the original."""

    indent: str | None = "  "
    newline: str = "\n"
    final_newline: bool = True
    ascii_only: bool = False

    @classmethod
    def of(cls, text: str) -> Layout:
        if not text.strip():
            return cls()
        newline = "\r\n" if "\r\n" in text else "\n"
        match = re.search(r"\n([ \t]+)\S", text)
        indent = match.group(1) if match else None if "\n" not in text.strip() else "  "
        # Keep \u escapes if the file used them and has no raw non-ASCII characters.
        ascii_only = text.isascii() and "\\u" in text
        return cls(indent, newline, text.endswith("\n"), ascii_only)

    def dump(self, data: dict[str, Any]) -> str:
        text = self._value(data, 0)
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return text + (self.newline if self.final_newline else "")

    def _value(self, value: object, depth: int) -> str:
        # json.dumps cannot emit a number's source text, hence this small encoder; its
        # output matches json.dumps(indent=..., ensure_ascii=...) for everything else.
        if isinstance(value, Number):
            return value.text
        if isinstance(value, dict):
            items = cast("dict[str, Any]", value)
            parts = [f"{self._string(k)}: {self._value(v, depth + 1)}" for k, v in items.items()]
            return self._join("{", parts, "}", depth)
        if isinstance(value, list):
            values = cast("list[Any]", value)
            return self._join("[", [self._value(v, depth + 1) for v in values], "]", depth)
        if isinstance(value, str):
            return self._string(value)
        return json.dumps(value)

    def _string(self, value: str) -> str:
        return json.dumps(value, ensure_ascii=self.ascii_only)

    def _join(self, open_: str, parts: list[str], close: str, depth: int) -> str:
        if not parts:
            return open_ + close
        if self.indent is None:
            return open_ + ", ".join(parts) + close
        inner = "\n" + self.indent * (depth + 1)
        return open_ + inner + ("," + inner).join(parts) + "\n" + self.indent * depth + close


class JsonConfig:
    """A parsed JSON config: ``data`` to edit in place, ``render()`` to write it back."""

    def __init__(self, path: Path, text: str | None, *, hint: str = "") -> None:
        self.path = path
        self.layout = Layout.of(text or "")
        self.data: dict[str, Any] = _parse(path, text, hint) if text and text.strip() else {}
        self._before = copy.deepcopy(self.data)

    @property
    def changed(self) -> bool:
        return self.data != self._before

    def servers(self, key: str, *, create: bool) -> dict[str, Any] | None:
        if create:
            self.data.setdefault(key, {})
        servers = self.data.get(key)
        if servers is not None and not isinstance(servers, dict):
            raise HostError(
                f"{self.path}: {key!r} is not a JSON object; the file was left untouched"
            )
        return cast("dict[str, Any] | None", servers)

    def get(self, key: str, name: str) -> object:
        return (self.servers(key, create=False) or {}).get(name)

    def put(self, key: str, name: str, entry: dict[str, Any]) -> None:
        servers = self.servers(key, create=True)
        assert servers is not None
        servers[name] = entry

    def remove(self, key: str, name: str) -> None:
        del (self.servers(key, create=False) or {})[name]

    def render(self) -> str:
        return self.layout.dump(self.data)


def _parse(path: Path, text: str, hint: str) -> dict[str, Any]:
    try:
        data: object = json.loads(text, parse_int=Number, parse_float=Number, parse_constant=Number)
    except json.JSONDecodeError as error:
        raise HostError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); "
            f"the file was left untouched{hint}"
        ) from None
    except RecursionError:
        raise HostError(f"{path}: nested too deeply to edit; the file was left untouched") from None
    if not isinstance(data, dict):
        raise HostError(f"{path}: the top level is not a JSON object; the file was left untouched")
    return cast("dict[str, Any]", data)
