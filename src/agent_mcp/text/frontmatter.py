"""Markdown documents with YAML frontmatter, read lazily and safely.

Files are read through files/reading.py (checked at read time, bounded). Parsing is
total: every failure, including values PyYAML's constructor rejects, becomes a
``LoadError`` carrying a diagnostic with the file, the line and a fix. YAML aliases
are refused and the frontmatter's size and node count are bounded.
"""

from __future__ import annotations

import errno
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from agent_mcp.diagnostics import Diagnostic
from agent_mcp.errors import LoadError
from agent_mcp.files import reading
from agent_mcp.files.paths import Anchored
from agent_mcp.text.plain_yaml import plain_fields, quoted_as_claude_code

# Agent files and SKILL.md files are prose for a model; anything bigger than this is
# almost certainly a mistake (a generated file, a binary) and would flood a context.
MAX_DOCUMENT_BYTES = 1024 * 1024
# Real frontmatter is a few hundred bytes (the largest in a 300-plugin marketplace is
# under 1 KiB); the bound keeps YAML's cost per file small whatever a file holds.
MAX_FRONTMATTER_BYTES = 64 * 1024
_FENCE = "---"


@dataclass(frozen=True, slots=True)
class Frontmatter:
    """The parsed frontmatter of a document and where its body starts."""

    data: Mapping[str, Any]
    body_offset: int
    """Byte offset of the first body byte."""
    body_line: int
    """1-based line number of the first body line."""
    notes: tuple[Diagnostic, ...] = ()
    """Warnings about how the block was read (values quoted as Claude Code quotes them)."""


def _error(path: Path, code: str, message: str, fix: str, line: int | None = None) -> LoadError:
    return LoadError(Diagnostic(code, "error", path, message, fix, line))


def read_document(
    path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES, ref: Anchored | None = None
) -> bytes:
    """The bytes of an agent file or SKILL.md (at ``ref`` when known), read checked."""
    try:
        if ref is not None:
            return reading.read_checked(ref, max_bytes)
        return reading.read_document(path, max_bytes)
    except reading.Refused as exc:
        if exc.errno == errno.EFBIG:
            raise _error(
                path,
                "too-large",
                f"the file is over the {max_bytes}-byte limit",
                "move long material into supporting files (references/) and keep this file short",
            ) from None
        raise _error(
            path,
            "unreadable",
            f"cannot read the file ({exc.strerror})",
            "make it a regular, readable file (not a link, FIFO, socket or device)",
        ) from None
    except OSError as exc:
        raise _error(
            path,
            "unreadable",
            f"cannot read the file ({exc.strerror or exc.__class__.__name__})",
            "check that the file exists, is not a dangling symlink, and is readable",
        ) from None


def read_frontmatter(
    path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES, ref: Anchored | None = None
) -> Frontmatter:
    """Read ``path`` and parse its frontmatter block."""
    return parse_frontmatter(path, read_document(path, max_bytes=max_bytes, ref=ref))


def parse_frontmatter(path: Path, raw: bytes) -> Frontmatter:
    """Parse the frontmatter block at the top of ``raw`` (the bytes of ``path``).

    Total: every failure, whatever raised it, is a ``LoadError`` for this file.
    """
    # Only the block is scanned and decoded, by offsets: a SKILL.md is mostly body, and
    # at 10,000 skills splitting every file into lines was a measurable part of a load.
    newline = raw.find(b"\n")
    first = raw if newline < 0 else raw[: newline + 1]
    if _decode(path, first, 1).lstrip("\ufeff").rstrip() != _FENCE:
        raise _error(
            path,
            "no-frontmatter",
            "the file does not start with a '---' frontmatter block",
            "add a YAML block at the top: '---', 'name: ...', 'description: ...', '---'",
            line=1,
        )
    start = offset = len(first)
    while newline >= 0:
        if offset > MAX_FRONTMATTER_BYTES:
            _decode(path, raw[start:offset], 2)  # a bad byte before the limit is named first
            raise _error(
                path,
                "frontmatter-too-large",
                f"the frontmatter block is over {MAX_FRONTMATTER_BYTES} bytes",
                "keep only short fields in the frontmatter and move long text into the body",
                line=1,
            )
        newline = raw.find(b"\n", offset)
        line = raw[offset:] if newline < 0 else raw[offset:newline]
        if line.rstrip() == b"---":
            text = _decode(path, raw[start:offset], 2)
            body_offset = min(offset + len(line) + 1, len(raw))
            data, notes = _parse_yaml(path, text)
            return Frontmatter(data, body_offset, raw.count(b"\n", 0, offset) + 2, notes)
        offset += len(line) + 1
    _decode(path, raw[start:], 2)
    raise _error(
        path,
        "unterminated-frontmatter",
        "the frontmatter block opened on line 1 is never closed",
        "add a line containing only '---' after the last frontmatter field",
        line=1,
    )


def body_of(path: Path, raw: bytes, frontmatter: Frontmatter) -> str:
    """The body of the document whose bytes are ``raw`` and frontmatter ``frontmatter``."""
    start = frontmatter.body_offset
    if raw[max(start - 5, 0) : start].rstrip(b"\r\n")[-3:] != b"---":
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


def _parse_yaml(path: Path, text: str) -> tuple[Mapping[str, Any], tuple[Diagnostic, ...]]:
    fast = plain_fields(text)
    if fast is not None:
        return fast, ()
    try:
        return _load_yaml(path, text), ()
    except LoadError as exc:
        if exc.diagnostic.code != "yaml-syntax":
            raise
        first = exc
    retried, changed = quoted_as_claude_code(text, _is_list)
    if not changed:
        raise first
    try:
        data = _load_yaml(path, retried)
    except LoadError:
        raise first from None
    lines = ", ".join(str(n + 1) for n in changed)  # +1: the block starts after '---'
    key = text.split("\n")[changed[0] - 1].split(":")[0]
    note = Diagnostic(
        "yaml-quoted",
        "warning",
        path,
        f"the frontmatter is not valid YAML; the value on line(s) {lines} was read as "
        "quoted text, as Claude Code reads it (other tools may refuse the file)",
        f'put the value in double quotes: {key}: "..."',
        changed[0] + 1,
    )
    return data, (note,)


def _is_list(value: str) -> bool:
    from agent_mcp.text.yaml_guard import load_yaml

    try:
        return isinstance(load_yaml(value), list)
    except Exception:  # any failure to parse means: not a list
        return False


def _load_yaml(path: Path, text: str) -> Mapping[str, Any]:
    # Imported here: most frontmatter takes the fast path, and PyYAML costs ~10 ms of
    # startup that a host waits through.
    import yaml

    from agent_mcp.text.yaml_guard import Refused, load_yaml, value_line

    try:
        data = load_yaml(text)
    except Refused as exc:
        raise _error(path, exc.code, exc.message, exc.fix, line=exc.line + 2) from None
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
        ) from None
    except Exception as exc:
        raise _error(
            path,
            "yaml-value",
            f"the frontmatter has a value YAML cannot read ({type(exc).__name__}: "
            f"{str(exc)[:200]})",
            "quote the value so it is read as text (dates must be real dates)",
            line=value_line(text),
        ) from None
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
        raw = reading.read_document(path, MAX_DOCUMENT_BYTES)
    except OSError:
        return None
    for number, line in enumerate(raw.split(b"\n")[:2000], start=1):
        if number > 1 and line.rstrip() == b"---":
            return None
        if line.startswith(key.encode() + b":"):
            return number
    return None


def to_json_value(value: Any) -> Any:
    """YAML values as JSON: dates become ISO strings, keys become strings.

    Everything YAML's safe loader can build maps to a value any JSON encoder accepts:
    sets become lists, non-finite floats and integers past 64 bits become strings.
    """
    if isinstance(value, dict):
        mapping = cast("dict[object, Any]", value)
        return {str(k): to_json_value(v) for k, v in mapping.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in cast("list[Any]", value)]
    if isinstance(value, (set, frozenset)):
        return sorted((to_json_value(v) for v in cast("set[Any]", value)), key=str)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        return str(value)
    return value
