"""What a command's ``argument-hint`` says: its arguments, their choices, its options.

A hint is text for people (``<file> [focus]``, ``[staging|production]``, ``<target>
[--depth quick|standard] [--force]``). Only the common shapes are read: a group in
``<>`` or ``[]`` (or a bare word) is one part; ``a|b`` lists literal choices when every
choice is one word; ``--name`` opens an option, and ``--name a|b`` one with choices.
Anything else stays free text, and nothing is offered for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_GROUP = re.compile(r"<([^<>]*)>|\[([^\[\]]*)\]|(\S+)")
_CHOICE = re.compile(r"^[\w.:/,+=-]+$")
_NAME_BAD = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Part:
    word: str
    """The part's first word: a placeholder (``file``) or a choice (``staging``)."""
    choices: tuple[str, ...] = ()
    option: str | None = None
    """``--depth`` for an option; None for a positional part."""


def parts(hint: str | None) -> list[Part]:
    found: list[Part] = []
    for match in _GROUP.finditer((hint or "").strip().strip("\"'")):
        text = next((g for g in match.groups() if g is not None), "").strip()
        words = text.split()
        if not words:
            continue
        if words[0].startswith("--") and len(words[0]) > 2:
            option = words[0].split("=", 1)[0]
            found.append(Part(option, _choices(" ".join(words[1:])), option))
        else:
            found.append(Part(words[0], _choices(text) if "|" in text else ()))
    return found


def _choices(text: str) -> tuple[str, ...]:
    options = tuple(c.strip() for c in text.split("|"))
    if len(options) < 2 or not all(_CHOICE.match(c) and not c.startswith("-") for c in options):
        return ()
    return options


def argument_names(hint: str | None, count: int) -> list[str]:
    """Names for ``$1``..``$count``: a positional part's placeholder word, or ``argN``
    where the hint has no part or the part lists choices (a choice is not a name)."""
    positional = [p for p in parts(hint) if p.option is None]
    names: list[str] = []
    for index in range(count):
        part = positional[index] if index < len(positional) else None
        word = part.word.split("|", 1)[0] if part else ""
        name = _NAME_BAD.sub("-", word.lower()).strip("-")
        if not name or (part and part.choices) or name in names:
            name = f"arg{index + 1}"
        names.append(name)
    return names


def choices_at(hint: str | None, position: int) -> tuple[str, ...]:
    """The literal choices the hint lists for positional argument ``position`` (0-based)."""
    positional = [p for p in parts(hint) if p.option is None]
    return positional[position].choices if position < len(positional) else ()


def continuations(hint: str | None, typed: str) -> list[str]:
    """Whole values extending ``typed`` (one ``$ARGUMENTS`` text) by what the hint says
    may come next: the choices of the option just typed, else those of the next
    positional part, and options not used yet once the text reaches for one."""
    known = parts(hint)
    words = typed.split()
    current = "" if not typed or typed[-1].isspace() else words[-1]
    done = words[:-1] if current else words
    head = typed[: len(typed) - len(current)]
    options = {p.option: p for p in known if p.option}
    if done and done[-1] in options and options[done[-1]].choices:
        return [head + c for c in options[done[-1]].choices]
    position = 0
    for index, word in enumerate(done):
        taken = index > 0 and done[index - 1] in options and options[done[index - 1]].choices
        if not word.startswith("--") and not taken:
            position += 1
    offered = [head + c for c in choices_at(hint, position)]
    if current.startswith("-") or (done and not offered):
        used = {w.split("=", 1)[0] for w in done}
        offered += [head + o for o in options if o not in used]
    return offered
