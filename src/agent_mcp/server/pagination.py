"""Opaque cursors for paginated lists.

A cursor is an offset into the list, base64-encoded with a version tag so that a
cursor from another server or a hand-edited one fails cleanly with -32602.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

from agent_mcp.server.errors import invalid_params

T = TypeVar("T")
_TAG = "am1:"


_MAX_DIGITS = 18
_BAD = "Invalid cursor: pass back a nextCursor exactly as received."


def encode_cursor(*position: int) -> str:
    text = _TAG + ".".join(str(p) for p in position)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_position(cursor: str | None, width: int = 1) -> tuple[int, ...]:
    """The position a cursor encodes: ``width`` non-negative integers."""
    if cursor is None:
        return (0,) * width
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise invalid_params(_BAD) from None
    parts = text[len(_TAG) :].split(".")
    # A position past any real list is refused before int(): a few thousand digits would
    # otherwise hit Python's int-parsing limit and escape as an unexpected error.
    if (
        not text.startswith(_TAG)
        or len(parts) != width
        or not all(p.isdigit() and len(p) <= _MAX_DIGITS for p in parts)
    ):
        raise invalid_params(_BAD)
    return tuple(int(p) for p in parts)


def paginate(
    items: Sequence[T], cursor: str | None, page_size: int
) -> tuple[Sequence[T], str | None]:
    (start,) = decode_position(cursor)
    if start > len(items):
        raise invalid_params("Invalid cursor: it points past the end of the list.")
    end = start + page_size
    return items[start:end], (encode_cursor(end) if end < len(items) else None)
