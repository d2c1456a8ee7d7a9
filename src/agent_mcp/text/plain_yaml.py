"""The exact fast path for frontmatter: the shapes people write, parsed without YAML.

Most frontmatter is ``key: text`` lines, a ``description: >-`` block and a ``metadata:``
map of quoted strings. PyYAML costs ~10 ms to import (a host waits for that at start-up)
and ~0.1 ms a file (a second at 10,000 skills). Anything this module is not sure of goes
to PyYAML (``yaml_guard``), so the result is always what ``yaml.safe_load`` would give.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

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
_KEY_LINE = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_-]*):(?:[ ]+(\S.*?))?[ ]*$")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_BLOCK_HEADERS = frozenset((">", ">-", "|", "|-"))


def _plainly_text(scalar: str) -> bool:
    """True when YAML reads this plain scalar as a string (False: not sure)."""
    first = scalar[0]
    return first.isascii() and first.isalpha() and scalar not in _NOT_TEXT


def plain_fields(text: str) -> dict[str, Any] | None:
    """Parse frontmatter in the shapes people write, or return None.

    Accepted: ``key: value`` lines whose value is plain text or a quoted string with no
    escapes; ``key: >-`` (or ``>``, ``|``, ``|-``) over evenly indented lines; and
    ``key:`` over evenly indented ``sub: value`` lines (``metadata``). Only values that
    YAML itself resolves as strings are accepted (``yes``, ``1.0``, ``null``, dates,
    escapes, flow syntax, comments, blank or more-indented lines inside a block all fall
    back to PyYAML), so the result is always what ``yaml.safe_load`` would give.
    """
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    data: dict[str, Any] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        match = _KEY_LINE.match(line)
        if match is None or not line.isprintable() or not _plainly_text(match.group(1)):
            return None  # tabs, control and odd line-break characters are not printable
        raw = match.group(2)
        value: str | dict[str, str] | None
        if raw is None:
            value, i = _mapping(lines, i)
        elif raw in _BLOCK_HEADERS:
            value, i = _block(lines, i, raw)
        else:
            value = _scalar(raw)
        if value is None:
            return None
        data[match.group(1)] = value
    return data


def _scalar(raw: str) -> str | None:
    """A one-line value YAML reads as exactly this string, or None (not sure)."""
    if len(raw) > 1 and raw[0] == raw[-1] and raw[0] in "'\"":
        inner = raw[1:-1]
        # No escapes (double) and no doubled quotes (single): the text is as written.
        return None if raw[0] in inner or "\\" in inner else inner
    if raw[0] in _INDICATORS or ": " in raw or " #" in raw or raw.endswith(":"):
        return None
    return raw if _plainly_text(raw) else None


def _indented(lines: list[str], i: int) -> tuple[int, list[str]]:
    """The run of lines from ``i`` indented exactly like the first of them (which must
    be indented), and the index after it. A line indented otherwise ends the run; the
    caller's top-level parse then refuses it unless it starts at column 0."""
    run: list[str] = []
    width = len(lines[i]) - len(lines[i].lstrip(" ")) if i < len(lines) else 0
    while width and i < len(lines):
        line = lines[i]
        if len(line) <= width or line[:width].strip(" ") or line[width] == " ":
            break
        run.append(line[width:])
        i += 1
    return i, run


def _block(lines: list[str], i: int, header: str) -> tuple[str | None, int]:
    """A folded (``>``) or literal (``|``) block scalar with no blank, more-indented or
    trailing-space lines: then folding is joining with spaces, and clipping is one
    final line break (``-`` strips it)."""
    end, run = _indented(lines, i)
    if not run or any(not line.isprintable() or line.endswith(" ") for line in run):
        return None, end
    value = (" " if header[0] == ">" else "\n").join(run)
    return (value if header.endswith("-") else value + "\n"), end


def _mapping(lines: list[str], i: int) -> tuple[dict[str, str] | None, int]:
    """``key:`` over evenly indented ``sub: value`` lines, each value one line."""
    end, run = _indented(lines, i)
    mapping: dict[str, str] = {}
    for line in run:
        match = _KEY_LINE.match(line)
        if match is None or not line.isprintable() or not _plainly_text(match.group(1)):
            return None, end
        value = _scalar(match.group(2)) if match.group(2) is not None else None
        if value is None:
            return None, end
        mapping[match.group(1)] = value
    return (mapping or None), end


# Claude Code's second try at frontmatter that is not valid YAML, so that files written
# for it (``argument-hint: [pr] [priority]``, ``description: Use C# here: fast``) load
# here too: a top-level ``key: value`` line whose value YAML would read as syntax is
# taken as one quoted string; a value already quoted, or a flow list that parses, stays.
_RETRY_LINE = re.compile(r"^([a-zA-Z_-]+):\s+([^\r\n]+)$")  # a CRLF line stays, as there
_YAML_SYNTAX = re.compile(r"[{}[\]*&#!|>%@`]|: ")


def quoted_as_claude_code(text: str, is_list: Callable[[str], bool]) -> tuple[str, list[int]]:
    """``text`` with such values quoted (and leading tabs as two spaces each), and the
    1-based lines changed. ``is_list`` says whether a ``[...]`` value parses as a list."""
    out: list[str] = []
    changed: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = _RETRY_LINE.match(line)
        value = match.group(2) if match else ""
        keep = (
            not match
            or (len(value) > 1 and value[0] == value[-1] and value[0] in "'\"")
            or (value.startswith("[") and value.endswith("]") and is_list(value))
            or not _YAML_SYNTAX.search(value)
        )
        if keep:
            out.append(line)
            continue
        assert match is not None
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        out.append(f'{match.group(1)}: "{escaped}"')
        changed.append(number)
    retried = re.sub(r"(?m)^\t+", lambda m: "  " * len(m.group(0)), "\n".join(out))
    return retried, changed
