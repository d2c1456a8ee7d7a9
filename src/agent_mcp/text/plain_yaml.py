"""The exact fast path for frontmatter: ``key: plain text`` lines, parsed without YAML.

Most frontmatter is exactly that, and PyYAML's constructor costs ~0.1 ms a file, which
adds up to a second at 10,000 skills. Anything this module is not sure of goes to
PyYAML (``yaml_guard``), so the result is always what ``yaml.safe_load`` would give.
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
_SIMPLE_LINE = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_-]*):[ ]+(\S.*?)[ ]*$")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _plainly_text(scalar: str) -> bool:
    """True when YAML reads this plain scalar as a string (False: not sure)."""
    first = scalar[0]
    return first.isascii() and first.isalpha() and scalar not in _NOT_TEXT


def plain_fields(text: str) -> dict[str, Any] | None:
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
