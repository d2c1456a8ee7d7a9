"""MIME types and text detection for served files."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

_KNOWN = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".txt": "text/plain",
    ".py": "text/x-python",
    ".sh": "text/x-shellscript",
    ".json": "application/json",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
    ".toml": "application/toml",
    ".csv": "text/csv",
    ".html": "text/html",
    ".xml": "application/xml",
    ".js": "text/javascript",
    ".ts": "text/x-typescript",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".pdf": "application/pdf",
}


def guess_mime(relpath: str) -> str | None:
    """A MIME type from the file name, or None when the name says nothing."""
    suffix = PurePosixPath(relpath).suffix.lower()
    return _KNOWN.get(suffix) or mimetypes.guess_type(relpath, strict=False)[0]


def as_text(data: bytes) -> str | None:
    """The bytes as text when they are UTF-8 without NULs, else None (serve as a blob).

    Decoding with plain ``utf-8`` keeps a BOM as U+FEFF and CRLF as-is, so the text
    re-encodes to exactly the bytes on disk.
    """
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def mime_for(relpath: str, text: str | None) -> str:
    guessed = guess_mime(relpath)
    if guessed:
        return guessed
    return "text/plain" if text is not None else "application/octet-stream"
