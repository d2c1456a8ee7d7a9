"""Compatibility with a real plugin marketplace written by other people (wshobson/agents)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from agent_mcp.catalog.build import build_catalog
from agent_mcp.features.checks import deep_check
from agent_mcp.sources.local import collect_sources
from tests.corpus import CORPUS

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason="no wshobson/agents checkout (set WSHOBSON_AGENTS; see tests/corpus.py)",
)


def test_every_valid_file_loads_and_every_invalid_one_is_diagnosed() -> None:
    catalog = build_catalog(collect_sources(roots=[CORPUS], bundled=False, environ={}))
    agent_files = sorted(CORPUS.glob("plugins/*/agents/*.md"))
    skill_files = sorted(CORPUS.glob("plugins/*/skills/*/SKILL.md"))
    errors = [d for d in catalog.diagnostics if d.severity == "error"]
    loaded = {a.path for a in catalog.agents.values()} | {
        s.skill_md for s in catalog.skills.values()
    }
    collisions = {d.path for d in catalog.diagnostics if d.code == "name-collision"}
    # Every file is accounted for: it loaded, or it has an error, or it lost a name collision.
    for path in [*agent_files, *skill_files]:
        assert path in loaded or path in {d.path for d in errors} or path in collisions, path
    assert len(catalog.agents) + len(collisions & set(agent_files)) + len(
        [d for d in errors if d.path in agent_files]
    ) == len(agent_files)
    assert len(catalog.skills) >= 175


def test_known_problems_in_the_corpus_are_reported() -> None:
    catalog = build_catalog(collect_sources(roots=[CORPUS], bundled=False, environ={}))
    codes = Counter(d.code for d in [*catalog.diagnostics, *deep_check(catalog)])
    assert codes["name-mismatch"] >= 1


def test_validate_over_the_corpus_finishes_and_reports() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "agent_mcp", "validate", str(CORPUS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1  # the corpus has one skill whose name differs from its folder
    assert "agents, " in proc.stdout.splitlines()[-1]
