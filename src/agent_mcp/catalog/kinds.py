"""The kinds of item a catalog holds, and where layouts keep them.

Adding a kind means an entry here, its model and loader under ``catalog/``, and the
server primitive that turns it into wire types; the build and the layouts read this
table instead of naming kinds themselves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    folder: str
    """The folder name layouts keep this kind in (``.claude/<folder>``, ``<plugin>/<folder>``)."""
    eager: bool
    """Loaded before the first answers (what instructions and prompts/list need)."""


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("agents", "agents", eager=True),
        Kind("skills", "skills", eager=False),
        Kind("commands", "commands", eager=True),
    )
}
