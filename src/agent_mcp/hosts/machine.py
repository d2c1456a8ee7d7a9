"""The running system as far as config files care: OS, home, environment, the user's folder.

Tests build a :class:`Machine` by hand to lay out a macOS, Windows or Linux home inside a
temporary folder.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

OSName = Literal["macos", "windows", "linux"]
Scope = Literal["user", "workspace"]


@dataclass(frozen=True)
class Machine:
    """The parts of the running system that decide where config files live."""

    os: OSName
    home: Path
    environ: Mapping[str, str] = field(default_factory=dict[str, str])
    cwd: Path = Path()
    """The folder the user ran the command in: the workspace, and the base of relative paths."""

    @classmethod
    def current(cls) -> Machine:
        system = platform.system()
        name: OSName = (
            "macos" if system == "Darwin" else "windows" if system == "Windows" else "linux"
        )
        return cls(name, Path.home(), dict(os.environ), user_folder(os.environ))

    def appdata(self) -> Path:
        return Path(self.environ.get("APPDATA") or self.home / "AppData" / "Roaming")

    def xdg_config(self) -> Path:
        return Path(self.environ.get("XDG_CONFIG_HOME") or self.home / ".config")

    def app_config(self, app: str) -> Path:
        """The per-user folder an Electron app named ``app`` keeps its settings in."""
        if self.os == "macos":
            return self.home / "Library" / "Application Support" / app
        if self.os == "windows":
            return self.appdata() / app
        return self.xdg_config() / app


def user_folder(environ: Mapping[str, str]) -> Path:
    """The folder the user's shell is in, which may not be this process's working folder.

    ``uv run --directory CHECKOUT agent-mcp install ...`` switches to the checkout before
    starting us, but leaves the shell's ``$PWD`` as it was; the project the user means is
    that one. A ``$PWD`` that is not an existing absolute folder is ignored.
    """
    pwd = environ.get("PWD")
    if pwd and os.path.isabs(pwd) and os.path.isdir(pwd):
        return Path(pwd)
    return Path.cwd()
