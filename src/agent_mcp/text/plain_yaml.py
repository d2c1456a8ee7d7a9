"""The exact fast path for frontmatter: ``key: plain text`` lines, parsed without YAML.

Most frontmatter is exactly that, and PyYAML's constructor costs ~0.1 ms a file, which
adds up to a second at 10,000 skills. Anything this module is not sure of goes to
PyYAML (``yaml_guard``), so the result is always what ``yaml.safe_load`` would give.
"""

from __future__ import annotations

import re
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
