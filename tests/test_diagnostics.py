"""The broken-file corpus: every diagnostic fires on its file, names the line, offers a fix,
and never stops the rest of the catalog from serving."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agent_mcp.catalog.build import build_catalog
from agent_mcp.diagnostics import Diagnostic
from agent_mcp.features.checks import deep_check
from agent_mcp.sources.local import Source

BROKEN = Path(__file__).parent / "data" / "broken"
VALID = Path(__file__).parent / "data" / "catalog"


def _diagnostics(*sources: Source) -> list[Diagnostic]:
    catalog = build_catalog(list(sources))
    return [*catalog.diagnostics, *deep_check(catalog)]


def _broken_sources() -> list[Source]:
    return [
        Source("agents", BROKEN / "agents", "test"),
        Source("skills", BROKEN / "skills", "test"),
        Source("agents", VALID / "agents", "test"),
        Source("skills", VALID / "skills", "test"),
    ]


@pytest.mark.parametrize(
    ("relpath", "code", "severity", "line"),
    [
        ("agents/bad-yaml.md", "yaml-syntax", "error", 3),
        ("agents/no-frontmatter.md", "no-frontmatter", "error", 1),
        ("agents/unterminated.md", "unterminated-frontmatter", "error", 1),
        ("agents/missing-name.md", "missing-field", "error", 2),
        ("agents/missing-description.md", "missing-field", "error", 2),
        # Claude Code fields the server does not act on: a bad value warns, the agent serves.
        ("agents/wrong-type.md", "invalid-type", "warning", 4),
        ("agents/numeric-name.md", "invalid-type", "error", 2),
        ("agents/bad-name.md", "invalid-name", "error", 2),
        ("agents/not-utf8.md", "not-utf8", "error", 3),
        ("agents/list-frontmatter.md", "frontmatter-not-mapping", "error", 2),
        ("skills/name-mismatch/SKILL.md", "name-mismatch", "error", 2),
        ("skills/Bad_Name/SKILL.md", "invalid-name", "error", 2),
        ("skills/long-description/SKILL.md", "description-too-long", "error", 3),
        ("skills/long-compat/SKILL.md", "compatibility-too-long", "error", 4),
        ("skills/bad-metadata/SKILL.md", "invalid-metadata", "error", 4),
        ("skills/bad-allowed-tools/SKILL.md", "invalid-allowed-tools", "error", 4),
        ("skills/no-skill-md", "missing-skill-md", "warning", None),
        ("skills/unknown-field/SKILL.md", "unknown-field", "warning", 4),
        ("skills/long-body/SKILL.md", "body-too-long", "warning", 5),
        ("skills/body-not-utf8/SKILL.md", "not-utf8", "error", 6),
    ],
)
def test_each_broken_file_gets_its_diagnostic(
    relpath: str, code: str, severity: str, line: int | None
) -> None:
    path = BROKEN / relpath
    found = [d for d in _diagnostics(*_broken_sources()) if d.path == path]
    assert [(d.code, d.severity, d.line) for d in found] == [(code, severity, line)]
    (diagnostic,) = found
    assert diagnostic.message
    assert diagnostic.fix
    assert str(path) in str(diagnostic)


def test_broken_files_never_stop_valid_ones_from_loading() -> None:
    catalog = build_catalog(_broken_sources())
    assert {"code-reviewer", "minimal"} <= set(catalog.agents)
    assert {"demo-skill", "other-skill", "unknown-field", "long-body"} <= set(catalog.skills)
    assert "bad-yaml" not in catalog.agents


def test_oversize_file_is_skipped(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text("---\nname: big\ndescription: huge\n---\n" + "x" * (1024 * 1024 + 1))
    (diagnostic,) = _diagnostics(Source("agents", tmp_path, "test"))
    assert diagnostic.code == "too-large"


def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.md", tmp_path / "dangling.md")
    (diagnostic,) = _diagnostics(Source("agents", tmp_path, "test"))
    assert diagnostic.code == "unreadable"
    assert diagnostic.path == tmp_path / "dangling.md"


def test_symlink_escaping_its_root_is_not_loaded(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\nname: outside\ndescription: d\n---\nbody\n")
    root = tmp_path / "agents"
    root.mkdir()
    os.symlink(outside, root / "outside.md")
    catalog = build_catalog([Source("agents", root, "test")])
    assert not catalog.agents
    assert [d.code for d in catalog.diagnostics] == ["symlink-escape"]


def test_name_collisions_resolve_to_the_first_source_and_are_reported(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "twin.md").write_text(
            f"---\nname: twin\ndescription: from {folder.name}\n---\nb\n"
        )
    catalog = build_catalog([Source("agents", first, "a"), Source("agents", second, "b")])
    assert catalog.agents["twin"].description == "from first"
    (diagnostic,) = catalog.diagnostics
    assert diagnostic.code == "name-collision"
    assert diagnostic.path == second / "twin.md"
    assert str(first / "twin.md") in diagnostic.message


def test_missing_folder_given_explicitly_is_an_error(tmp_path: Path) -> None:
    (diagnostic,) = _diagnostics(Source("skills", tmp_path / "nope", "--skills"))
    assert (diagnostic.code, diagnostic.severity) == ("missing-root", "error")


def test_agent_naming_an_absent_skill_is_warned_not_fatal() -> None:
    catalog = build_catalog(
        [Source("agents", VALID / "agents", "t"), Source("skills", VALID / "skills", "t")]
    )
    (diagnostic,) = [d for d in catalog.diagnostics if d.code == "unknown-skill"]
    assert "absent-skill" in diagnostic.message
    assert diagnostic.line == 7
    assert "code-reviewer" in catalog.agents


def test_a_bad_value_in_a_field_the_server_does_not_use_keeps_the_agent(tmp_path: Path) -> None:
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "lenient.md").write_text(
        "---\nname: lenient\ndescription: Has odd Claude Code fields.\nmaxTurns: many\n"
        "color: [red]\nbackground: sometimes\nmodel: sonnet\n---\nThe persona.\n"
    )
    catalog = build_catalog([Source("agents", agents, "test")])
    agent = catalog.agent("lenient")
    assert (agent.max_turns, agent.color, agent.background, agent.model) == (
        None,
        None,
        None,
        "sonnet",
    )
    assert agent.frontmatter.data["maxTurns"] == "many"  # kept as written
    assert sorted((d.code, d.severity, d.line) for d in catalog.diagnostics) == [
        ("invalid-type", "warning", 4),
        ("invalid-type", "warning", 5),
        ("invalid-type", "warning", 6),
    ]
