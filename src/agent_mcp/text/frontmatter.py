"""Markdown documents with YAML frontmatter, read lazily and safely.

Startup reads only the frontmatter block (the file is read line by line up to the
closing fence); the body is read when someone asks for it. Every failure becomes a
``LoadError`` carrying a diagnostic with the file, the line and a fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.errors import LoadError

# Agent files and SKILL.md files are prose for a model; anything bigger than this is
# almost certainly a mistake (a generated file, a binary) and would flood a context.
MAX_DOCUMENT_BYTES = 1024 * 1024
_FENCE = "---"

# Plain scalars that YAML 1.1 (PyYAML's resolver) reads as something other than a
# string start with a digit, a sign, '.', '~', '<' or '=', or are one of these words.
_NOT_TEXT = frozenset(
    [
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "null",
        "Null",
        "NULL",
    ]
)
_SIMPLE_LINE = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_-]*):[ ]+(\S.*?)[ ]*$")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


@dataclass(frozen=True, slots=True)
class Frontmatter:
    """The parsed frontmatter of a document and where its body starts."""

    data: Mapping[str, Any]
    body_offset: int
    """Byte offset of the first body byte."""
    body_line: int
    """1-based line number of the first body line."""


def _error(path: Path, code: str, message: str, fix: str, line: int | None = None) -> LoadError:
    return LoadError(Diagnostic(code, "error", path, message, fix, line))


def read_frontmatter(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Frontmatter:
    """Read and parse only the frontmatter block of ``path``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _error(
            path,
            "unreadable",
            f"cannot read the file ({exc.strerror or exc.__class__.__name__})",
            "check that the file exists, is not a dangling symlink, and is readable",
        ) from exc
    if size > max_bytes:
        raise _error(
            path,
            "too-large",
            f"the file is {size} bytes, over the {max_bytes}-byte limit",
            "move long material into supporting files (references/) and keep this file short",
        )
    lines: list[bytes] = []
    offset = 0
    try:
        with path.open("rb") as handle:
            first = handle.readline()
            offset += len(first)
            if _decode(path, first, 1).lstrip("\ufeff").rstrip() != _FENCE:
                raise _error(
                    path,
                    "no-frontmatter",
                    "the file does not start with a '---' frontmatter block",
                    "add a YAML block at the top: '---', 'name: ...', 'description: ...', '---'",
                    line=1,
                )
            for raw in handle:
                offset += len(raw)
                if _decode(path, raw, len(lines) + 2).rstrip() == _FENCE:
                    break
                lines.append(raw)
            else:
                raise _error(
                    path,
                    "unterminated-frontmatter",
                    "the frontmatter block opened on line 1 is never closed",
                    "add a line containing only '---' after the last frontmatter field",
                    line=1,
                )
    except OSError as exc:
        raise _error(
            path,
            "unreadable",
            f"cannot read the file ({exc.strerror or exc.__class__.__name__})",
            "check the file's permissions",
        ) from exc
    text = b"".join(lines).decode("utf-8")
    data = _parse_yaml(path, text)
    return Frontmatter(data=data, body_offset=offset, body_line=len(lines) + 3)


def read_body(path: Path, frontmatter: Frontmatter) -> str:
    """Read the body of a document whose frontmatter was read before.

    The body is located again by its fence rather than by the stored offset: when a
    live-reloaded file is broken mid-edit, its last good frontmatter keeps serving and
    the offset may no longer match the bytes on disk.
    """
    with path.open("rb") as handle:
        raw = handle.read(MAX_DOCUMENT_BYTES + 1)
    start = frontmatter.body_offset
    if raw[start - 4 : start].rstrip(b"\r\n") != b"---":
        start = _body_start(raw)
    line = raw[:start].count(b"\n") + 1
    return _decode(path, raw[start:], line).lstrip("\r\n")


def _body_start(raw: bytes) -> int:
    lines = raw.splitlines(keepends=True)
    offset = len(lines[0]) if lines else 0
    for line in lines[1:]:
        offset += len(line)
        if line.rstrip() == b"---":
            return offset
    return 0


def _decode(path: Path, raw: bytes, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = line + raw[: exc.start].count(b"\n")
        raise _error(
            path,
            "not-utf8",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            "re-save the file as UTF-8",
            line=bad_line,
        ) from exc


def _plainly_text(scalar: str) -> bool:
    """True when YAML reads this plain scalar as a string (False: not sure)."""
    first = scalar[0]
    return first.isascii() and first.isalpha() and scalar not in _NOT_TEXT


def _fast_parse(text: str) -> dict[str, Any] | None:
    """Parse frontmatter made only of ``key: plain text`` lines, or return None.

    Most frontmatter is exactly that, and PyYAML's constructor costs ~0.1 ms a file,
    which adds up to a second at 10,000 skills. Only lines whose key and value YAML
    itself resolves as plain strings are accepted (``yes``, ``1.0``, ``null``, dates,
    quotes, flow syntax, comments and continuation lines all fall back to PyYAML), so
    the result is always what ``yaml.safe_load`` would give.
    """
    data: dict[str, Any] = {}
    for line in text.split("\n"):
        line = line.removesuffix("\r")
        if not line:
            continue
        if not line.isprintable():  # tabs, control and odd line-break characters
            return None
        match = _SIMPLE_LINE.match(line)
        if match is None:
            return None
        key, value = match.group(1), match.group(2)
        if value[0] in _INDICATORS or ": " in value or " #" in value or value.endswith(":"):
            return None
        if not (_plainly_text(key) and _plainly_text(value)):
            return None
        data[key] = value
    return data


def _parse_yaml(path: Path, text: str) -> Mapping[str, Any]:
    fast = _fast_parse(text)
    if fast is not None:
        return fast
    # Imported here: most frontmatter takes the fast path, and PyYAML costs ~10 ms of
    # startup that a host waits through.
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data: object = YAMLHandler().load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # +2: marks are 0-based and the block starts after the opening fence.
        line = mark.line + 2 if mark is not None else None
        problem = exc.problem or "invalid YAML"
        raise _error(
            path,
            "yaml-syntax",
            f"the frontmatter is not valid YAML: {problem}",
            "quote values that contain ': ' or start with a special character, "
            "and indent nested keys consistently",
            line=line,
        ) from exc
    except yaml.YAMLError as exc:
        raise _error(
            path,
            "yaml-syntax",
            f"the frontmatter is not valid YAML: {exc}",
            "fix the YAML syntax",
            line=2,
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _error(
            path,
            "frontmatter-not-mapping",
            f"the frontmatter is a YAML {type(data).__name__}, not a mapping of fields",
            "write the frontmatter as 'key: value' lines",
            line=2,
        )
    mapping = cast("dict[object, Any]", data)
    return {str(k): v for k, v in mapping.items()}


def field_line(path: Path, key: str) -> int | None:
    """The line of ``key:`` in the frontmatter, for pointing diagnostics at it."""
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number > 1 and raw.rstrip() == b"---":
                    return None
                if raw.startswith(key.encode() + b":"):
                    return number
    except OSError:
        return None
    return None


def to_json_value(value: Any) -> Any:
    """YAML values as JSON: dates become ISO strings, keys become strings."""
    if isinstance(value, dict):
        mapping = cast("dict[object, Any]", value)
        return {str(k): to_json_value(v) for k, v in mapping.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in cast("list[Any]", value)]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def is_within(path: Path, root: Path) -> bool:
    """True when ``path`` (after resolving symlinks) lies inside ``root``."""
    try:
        real = Path(os.path.realpath(path))
        real_root = Path(os.path.realpath(root))
    except (OSError, ValueError):
        return False
    return real == real_root or real_root in real.parents
