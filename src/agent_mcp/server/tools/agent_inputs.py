"""What the agent tools share: their argument schemas and readers, and an agent's
frameworks read so that an unreadable body never fails a listing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from agent_mcp.catalog.agents import Agent
from agent_mcp.errors import LoadError
from agent_mcp.features.frameworks import Frameworks, agent_frameworks
from agent_mcp.server.tools.registry import ToolFailure

ENUM_CAP = 64
"""Agent names are an enum up to this many agents; beyond, a string (errors suggest names)."""


def frameworks_of(agent: Agent) -> Frameworks:
    # An unreadable body must not take tools/list down; validate reports it.
    try:
        return agent_frameworks(agent)
    except (LoadError, OSError):
        return Frameworks()


def agent_arg(names: Sequence[str], what: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "description": what}
    if len(names) <= ENUM_CAP:
        schema["enum"] = list(names)
    return schema


def object_schema(properties: Mapping[str, Any], required: Sequence[str] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": dict(properties)}
    if required:
        schema["required"] = list(required)
    return schema


def strings(arguments: Mapping[str, Any], key: str) -> list[str]:
    value: object = arguments.get(key, [])
    items = cast("list[object]", value) if isinstance(value, list) else None
    if items is None or not all(isinstance(v, str) for v in items):
        raise ToolFailure(f"Invalid arguments: '{key}' must be an array of strings.")
    return [str(v) for v in items]


def optional(arguments: Mapping[str, Any], key: str) -> str | None:
    value = arguments.get(key)
    if value is not None and not isinstance(value, str):
        raise ToolFailure(f"Invalid arguments: '{key}' must be a string.")
    return value


def required(arguments: Mapping[str, Any], key: str) -> str:
    value = optional(arguments, key)
    if value is None:
        raise ToolFailure(f"Invalid arguments: '{key}' is required.")
    return value
