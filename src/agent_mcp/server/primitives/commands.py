"""Claude Code commands as MCP prompts.

Arguments: a command using ``$1``..``$N`` gets one argument per position, named from
its ``argument-hint`` (``<file> [focus]``: ``file``, ``focus``) or ``arg1``..; the first
is required so that hosts filling only required arguments (Gemini CLI) still pass the
text, which is then split into positions. Any other command gets one ``arguments``
argument for ``$ARGUMENTS``, required when the body uses it.
"""

from __future__ import annotations

import mcp_types as types

from agent_mcp.catalog.commands import Command, expand, read_ref, unreadable_note
from agent_mcp.files.media import as_text, mime_for


def command_prompt(command: Command) -> types.Prompt:
    hint = command.argument_hint
    names = command.argument_names()
    if names:
        arguments = [
            types.PromptArgument(
                name=name,
                description=f"${i + 1}" + (f" (usage: {hint})" if hint else ""),
                required=i == 0,
            )
            for i, name in enumerate(names)
        ]
    else:
        arguments = [
            types.PromptArgument(
                name="arguments",
                description=(f"Usage: {hint}. " if hint else "")
                + "The text that replaces $ARGUMENTS.",
                required=command.uses_arguments,
            )
        ]
    return types.Prompt(
        name=command.name,
        title=f"/{command.name}",
        description=command.description,
        arguments=arguments,
    )


def _user_text(text: str) -> types.PromptMessage:
    return types.PromptMessage(role="user", content=types.TextContent(text=text))


def command_result(command: Command, arguments: dict[str, str]) -> types.GetPromptResult:
    expanded = expand(command, arguments)
    messages = [_user_text(expanded.text)]
    for ref, path in expanded.files:
        try:
            data = read_ref(command, path)
        except OSError:
            # Swapped for a link or a special file, grown past the limit, or removed since
            # the command was loaded: the checked read refuses it, and the model is told.
            messages.append(_user_text(unreadable_note(ref)))
            continue
        text = as_text(data)
        uri = f"command://{command.name}/{ref}"
        if text is None:
            content: types.ContentBlock = types.TextContent(
                text=f"@{ref} is a binary file; its content is not included."
            )
        else:
            content = types.EmbeddedResource(
                resource=types.TextResourceContents(
                    uri=uri, mime_type=mime_for(ref, text), text=text
                )
            )
        messages.append(types.PromptMessage(role="user", content=content))
    messages.extend(_user_text(unreadable_note(ref)) for ref in expanded.missing)
    return types.GetPromptResult(description=command.description, messages=messages)
