"""What the command tools do when called (``command_tools`` lists them), with the
models that validate their input and shape their output: imported on the first call."""

from __future__ import annotations

from pydantic import Field

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.commands import expand, read_ref, unreadable_note
from agent_mcp.server.tools.registry import ToolOutput, WireModel, validated

LIST_PAGE = 100


class ListCommandsIn(WireModel):
    query: str = Field("", description="Only commands whose name or description contains this.")
    offset: int = Field(0, ge=0, description="How many matching commands to skip.")


class CommandSummary(WireModel):
    name: str
    description: str
    argument_hint: str | None


class CommandList(WireModel):
    commands: list[CommandSummary]
    total: int


class LoadCommandIn(WireModel):
    name: str = Field(description="Command name as list_commands gives it, e.g. plugin:review.")
    arguments: str = Field("", description="The text typed after the command ($ARGUMENTS).")


class LoadedCommand(WireModel):
    name: str
    text: str
    files: list[str]


@validated(ListCommandsIn)
def list_commands(catalog: Catalog, args: ListCommandsIn) -> ToolOutput:
    needle = args.query.lower()
    matching = [
        c
        for c in catalog.commands.values()
        if needle in c.name.lower() or needle in c.description.lower()
    ]
    page = matching[args.offset : args.offset + LIST_PAGE]
    summaries = [
        CommandSummary(name=c.name, description=c.description, argument_hint=c.argument_hint)
        for c in page
    ]
    lines = [
        f"- /{s.name}{' ' + s.argument_hint if s.argument_hint else ''}: {s.description}"
        for s in summaries
    ]
    more = len(matching) - args.offset - len(page)
    tail = f"\n{more} more: call again with offset {args.offset + len(page)}." if more > 0 else ""
    text = f"Commands ({len(matching)}):\n" + "\n".join(lines) + tail
    return ToolOutput(text, CommandList(commands=summaries, total=len(matching)))


@validated(LoadCommandIn)
def load_command(catalog: Catalog, args: LoadCommandIn) -> ToolOutput:
    command = catalog.command(args.name.removeprefix("/"))
    names = command.argument_names()
    values = {names[0]: args.arguments} if names else {"arguments": args.arguments}
    expanded = expand(command, values)
    text = expanded.text
    for ref, path in expanded.files:
        try:
            body = read_ref(command, path).decode("utf-8", "replace")
        except OSError:
            body = unreadable_note(ref)
        text += f"\n\n--- @{ref} ---\n" + body
    for ref in expanded.missing:
        text += f"\n\n--- @{ref} ---\n" + unreadable_note(ref)
    files = [ref for ref, _ in expanded.files]
    return ToolOutput(text, LoadedCommand(name=command.name, text=expanded.text, files=files))
