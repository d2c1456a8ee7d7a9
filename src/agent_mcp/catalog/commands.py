"""Claude Code slash commands (``commands/**/*.md``): model, loader and expansion.

A command's name follows Claude Code: ``sub/name.md`` is ``sub:name``, and a plugin's
commands carry the plugin's name in front (``plugin:sub:name``), so equal names from
different plugins never collide. Segments keep to ``[A-Za-z0-9_-]`` and join with ``:``,
which the prompt-serving hosts accept in prompt names (Claude Code and Gemini CLI both
namespace their own commands with it).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.errors import LoadError
from agent_mcp.files import reading
from agent_mcp.files.paths import anchor, is_within, real_root
from agent_mcp.text.fields import FieldReader
from agent_mcp.text.frontmatter import (
    MAX_DOCUMENT_BYTES,
    Frontmatter,
    body_of,
    parse_frontmatter,
    read_document,
)
from agent_mcp.text.markdown import scan

_SEGMENT_BAD = re.compile(r"[^A-Za-z0-9_-]+")
_POSITIONAL = re.compile(r"\$([1-9])")
_FILE_REF = re.compile(r"(?:^|(?<=\s))@([\w./-]*[\w/-])")
_BANG = re.compile(r"!`[^`\n]+`")
_CODE_SPAN = re.compile(r"`[^`]*`")
BANG_NOTE = (
    "Note: !`command` below marks a shell command whose output Claude Code would insert. "
    "This server never runs them: run them yourself if you can, or ask the user for "
    "their output."
)


@dataclass(frozen=True, slots=True, eq=False)
class Command:
    name: str
    description: str
    path: Path
    base: Path | None
    """The folder ``@file`` references resolve against (the project or plugin root)."""
    frontmatter: Frontmatter | None = field(repr=False)
    namespace: str | None = None
    argument_hint: str | None = None
    allowed_tools: tuple[str, ...] | None = None
    positional: int = 0
    """The highest ``$N`` the body uses."""
    uses_arguments: bool = False
    raw: bytes = field(default=b"", repr=False)
    """The bytes the command was loaded from: what it serves until it loads again."""

    def read_body(self) -> str:
        if self.frontmatter is None:
            return self.raw.decode("utf-8", "replace")
        return body_of(self.path, self.raw, self.frontmatter)

    def argument_names(self) -> list[str]:
        """Names for ``$1``..``$N``: from ``argument-hint`` where it names them."""
        # Imported here: a server with no commands (the default) never parses a hint.
        from agent_mcp.catalog.hints import argument_names

        return argument_names(self.argument_hint, self.positional)


def _segment(text: str) -> str:
    return _SEGMENT_BAD.sub("-", text).strip("-") or "command"


def command_name(relpath: Path, namespace: str | None) -> str:
    parts = [*((namespace and [namespace]) or []), *relpath.with_suffix("").parts]
    return ":".join(_segment(p) for p in parts)


def load_command(
    path: Path, folder: Path, namespace: str | None, base: Path | None
) -> tuple[Command, list[Diagnostic]]:
    """Load a command file; frontmatter is optional (most commands have none)."""
    warnings: list[Diagnostic] = []
    raw = read_document(path)
    try:
        fm: Frontmatter | None = parse_frontmatter(path, raw)
    except LoadError as exc:
        if exc.diagnostic.code != "no-frontmatter":
            raise
        fm = None
    data: Mapping[str, Any] = fm.data if fm else {}
    warnings.extend(fm.notes if fm else ())
    reader = FieldReader(path, data)
    name = command_name(path.relative_to(folder), namespace)
    command = Command(name, "", path, base, fm, namespace, raw=raw)
    body = command.read_body()
    description = reader.optional_str("description") or _first_line(body) or name
    tools: Any = data.get("allowed-tools")
    allowed = (
        tuple(t.strip() for t in tools.split(",") if t.strip())
        if isinstance(tools, str)
        else tuple(str(t) for t in cast("list[Any]", tools))
        if isinstance(tools, list)
        else None
    )
    positions = [int(n) for n in _POSITIONAL.findall(body)]
    command = Command(
        name,
        description,
        path,
        base,
        fm,
        namespace,
        argument_hint=_hint(data.get("argument-hint")) or reader.optional_str("argument-hint"),
        allowed_tools=allowed,
        positional=max(positions, default=0),
        uses_arguments="$ARGUMENTS" in body,
        raw=raw,
    )
    for ref, line in file_refs(body, fm.body_line if fm else 1):
        target = resolve_ref(command, ref)
        if target is None:
            warnings.append(
                Diagnostic(
                    "command-file-ref",
                    "warning",
                    path,
                    f"'@{ref}' names no file inside the served folder (it is missing, or "
                    "outside it), so the prompt mentions it without its content",
                    "keep referenced files inside the project or plugin, or drop the '@' "
                    "(or put the name in backticks) when it is not a file",
                    line,
                )
            )
    return command, warnings


def _hint(value: Any) -> str | None:
    """``argument-hint: [message]`` is a YAML list; Claude Code shows it as its items
    joined with commas (JavaScript's ``String(list)``), and so does this server."""
    if not isinstance(value, list):
        return None
    return ",".join(str(item) for item in cast("list[Any]", value)) or None


def _first_line(body: str) -> str:
    for line in body.splitlines():
        text = line.strip().lstrip("#").strip()
        if text:
            return text[:300]
    return ""


def file_refs(body: str, first_line: int = 1) -> list[tuple[str, int]]:
    """``@path`` mentions in prose; code (fenced or inline) is left alone, since ``@`` there
    is a decorator or a package scope, not a file."""
    refs: list[tuple[str, int]] = []
    for number, line, _ in scan(body, first_line).prose:
        for match in _FILE_REF.finditer(_CODE_SPAN.sub("", line)):
            if "/" in match.group(1) or "." in match.group(1):
                refs.append((match.group(1), number))
    return refs


def resolve_ref(command: Command, ref: str) -> Path | None:
    """The file ``@ref`` names, when it lies inside the command's served root."""
    if command.base is None or ref.startswith("/"):
        return None
    target = command.base / ref
    if not is_within(target, command.base) or not target.is_file():
        return None
    return target


def read_ref(command: Command, target: Path) -> bytes:
    """The bytes of an ``@file`` target, read through the checked file layer (no link
    out of the root, no special file, at most a document's size). Raises OSError."""
    assert command.base is not None
    ref = anchor(target, real_root(command.base))
    if ref is None:
        raise reading.Refused(1, "it lies outside the served root")
    return reading.read_checked(ref, MAX_DOCUMENT_BYTES)


@dataclass(frozen=True, slots=True)
class Expanded:
    text: str
    files: list[tuple[str, Path]]
    """``@file`` references inside the served root, with the files they name."""
    missing: list[str]
    """``@file`` references naming nothing readable inside the served root."""


def unreadable_note(ref: str) -> str:
    """What the model is told in place of an ``@file`` this server will not read."""
    return (
        f"@{ref} could not be read here (it is not a regular file inside the served "
        "folder, or it is too large); its content is not included."
    )


def expand(command: Command, arguments: Mapping[str, str]) -> Expanded:
    """The command's text with its arguments filled in, as Claude Code would.

    Hosts fill prompt arguments differently: Claude Code maps words to arguments in
    order, Gemini CLI puts all the text into the first required one. So when only the
    first positional argument arrives, it is split into ``$1``..``$N`` shell-style.
    """
    body = command.read_body()
    names = command.argument_names()
    values = [arguments.get(n, "") for n in names]
    if names and values[0] and not any(values[1:]):
        try:
            split = shlex.split(values[0])
        except ValueError:
            split = values[0].split()
        values = (split + [""] * len(names))[: len(names)]
        values[-1] = " ".join(split[len(names) - 1 :]) if split else ""
    everything = arguments.get("arguments", "") if not names else " ".join(v for v in values if v)
    text = _POSITIONAL.sub(
        lambda m: values[int(m.group(1)) - 1] if int(m.group(1)) <= len(values) else "", body
    )
    text = text.replace("$ARGUMENTS", everything)
    if everything and not command.uses_arguments and not names:
        text += f"\n\nARGUMENTS: {everything}"
    notes: list[str] = []
    if _BANG.search(body):
        notes.append(BANG_NOTE)
    if command.allowed_tools:
        notes.append(
            "Note: in Claude Code this command may use these tools: "
            f"{', '.join(command.allowed_tools)} (shown for reference; nothing is enforced here)."
        )
    if notes:
        text = "\n".join(notes) + "\n\n" + text
    files: list[tuple[str, Path]] = []
    missing: list[str] = []
    for ref, _ in file_refs(body):
        target = resolve_ref(command, ref)
        if target is None:
            missing.append(ref)
        else:
            files.append((ref, target))
    return Expanded(text, files, missing)
