"""Typed field readers shared by the agent and skill loaders.

Each reader turns a frontmatter value into the type the field needs, or raises a
``LoadError`` whose diagnostic names the field, its line and an example of the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.errors import LoadError
from agent_mcp.text.frontmatter import field_line

T = TypeVar("T")


class FieldReader:
    """Reads fields from one document's frontmatter, reporting against that file."""

    def __init__(self, path: Path, data: Mapping[str, Any]) -> None:
        self.path = path
        self.data = data

    def error(self, key: str, code: str, message: str, fix: str) -> LoadError:
        return LoadError(
            Diagnostic(code, "error", self.path, message, fix, field_line(self.path, key))
        )

    def warning(self, key: str, code: str, message: str, fix: str) -> Diagnostic:
        return Diagnostic(code, "warning", self.path, message, fix, field_line(self.path, key))

    def lenient(self, read: Callable[[str], T], key: str, warnings: list[Diagnostic]) -> T | None:
        """``read(key)``, but a bad value is a warning (and None) instead of an error: for
        fields the server keeps as written but does not act on, where refusing the whole
        item would lose everything else it offers."""
        try:
            return read(key)
        except LoadError as exc:
            d = exc.diagnostic
            kept = "; it is kept as written and ignored here"
            warnings.append(Diagnostic(d.code, "warning", d.path, d.message + kept, d.fix, d.line))
            return None

    def required_str(self, key: str, example: str) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise LoadError(
                Diagnostic(
                    "missing-field",
                    "error",
                    self.path,
                    f"the required field '{key}' is missing or empty",
                    f"add '{key}: {example}' to the frontmatter",
                    field_line(self.path, key) or 2,
                )
            )
        if not isinstance(value, str):
            raise self.error(
                key,
                "invalid-type",
                f"'{key}' must be a string, not a {_type_name(value)}",
                f"write it as text, e.g. '{key}: {example}' (quote it if YAML reads it as "
                "another type)",
            )
        return value.strip()

    def optional_str(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.error(
                key,
                "invalid-type",
                f"'{key}' must be a string, not a {_type_name(value)}",
                f"write '{key}' as a single line of text",
            )
        return str(value)

    def optional_int(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(
                key,
                "invalid-type",
                f"'{key}' must be a whole number, not a {_type_name(value)}",
                f"write it as e.g. '{key}: 10'",
            )
        return value

    def optional_bool(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error(
                key,
                "invalid-type",
                f"'{key}' must be true or false, not a {_type_name(value)}",
                f"write '{key}: true' or '{key}: false'",
            )
        return value

    def name_list(self, key: str) -> tuple[str, ...] | None:
        """A list given either as ``a, b, c`` or as a YAML list of strings."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        if isinstance(value, list):
            items: list[str] = []
            for item in cast("list[object]", value):
                if not isinstance(item, str):
                    raise self.error(
                        key,
                        "invalid-type",
                        f"'{key}' has a {_type_name(item)} item; every item must be a name",
                        f"write '{key}: a, b' or a YAML list of names",
                    )
                if item.strip():
                    items.append(item.strip())
            return tuple(items)
        raise self.error(
            key,
            "invalid-type",
            f"'{key}' must be a comma-separated string or a list, not a {_type_name(value)}",
            f"write '{key}: a, b' or a YAML list of names",
        )


def _type_name(value: object) -> str:
    names: dict[type, str] = {
        dict: "mapping",
        list: "list",
        bool: "boolean",
        int: "number",
        float: "number",
    }
    return names.get(type(value), type(value).__name__)
