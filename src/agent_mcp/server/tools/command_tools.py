"""Claude Code commands as tools, for hosts without prompts (Codex CLI never asks for them).

- ``list_commands``: a page of commands (name, description, argument hint).
- ``load_command``: a command with its arguments filled in, as its prompt would give it.

Two fixed tools, offered only when the catalog holds commands, so tools/list does not
grow with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.server.tools import fixed_schemas as schemas
from agent_mcp.server.tools.registry import ToolOutput, ToolSpec


class CommandTools:
    def tools(self, catalog: Catalog) -> Sequence[ToolSpec]:
        if not catalog.commands:
            return []
        return [
            ToolSpec(
                "list_commands",
                "List commands",
                "List the slash commands (Claude Code commands) this server holds, with "
                "their argument hints. Then call load_command.",
                schemas.LIST_COMMANDS_IN,
                _list_commands,
                schemas.COMMAND_LIST_OUT,
            ),
            ToolSpec(
                "load_command",
                "Load command",
                "Load a slash command's instructions with its arguments filled in, and "
                "follow them.",
                schemas.LOAD_COMMAND_IN,
                _load_command,
                schemas.LOADED_COMMAND_OUT,
            ),
        ]


def _list_commands(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
    from agent_mcp.server.tools.command_calls import list_commands

    return list_commands(catalog, arguments)


def _load_command(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
    from agent_mcp.server.tools.command_calls import load_command

    return load_command(catalog, arguments)
