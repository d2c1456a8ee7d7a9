"""Diagnostics: what is wrong with a file, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found while loading the catalog.

    An ``error`` means the item was skipped; a ``warning`` means it still serves.
    ``code`` is a stable identifier that CI tooling can match on.
    """

    code: str
    severity: Severity
    path: Path
    message: str
    fix: str
    line: int | None = None

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity} [{self.code}] {self.message}. Fix: {self.fix}"

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "path": str(self.path),
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }
