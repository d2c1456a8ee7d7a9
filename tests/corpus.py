"""Where a checkout of the wshobson/agents plugin marketplace (MIT) is, if there is one.

It is a real marketplace written by other people: about 200 agents and 180 skills, used
for compatibility, scale and search-quality checks. ``WSHOBSON_AGENTS`` names the folder;
otherwise a ``wshobson-agents`` folder at most three levels below the repository's parent
is used. Tests that need it skip when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_NAME = "wshobson-agents"


def find_corpus() -> Path:
    named = os.environ.get("WSHOBSON_AGENTS")
    if named:
        return Path(named)
    for pattern in (_NAME, f"*/{_NAME}", f"*/*/{_NAME}"):
        for candidate in sorted(REPO.parent.glob(pattern)):
            if (candidate / "plugins").is_dir():
                return candidate
    return REPO.parent / _NAME  # absent: callers skip


CORPUS = find_corpus()
