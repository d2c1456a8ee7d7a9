"""The domain catalog: fields, roots and layouts, laziness, lookups."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.refs import check_relpath
from agent_mcp.errors import InvalidReference, NotFound
from agent_mcp.sources.local import AGENTS_ENV, SKILLS_ENV, collect_sources, project_sources

DATA = Path(__file__).parent / "data" / "catalog"


def test_agent_fields_are_modelled_and_unknown_ones_kept(test_catalog: Catalog) -> None:
    agent = test_catalog.agent("code-reviewer")
    assert agent.tools == ("Read", "Grep", "Glob")
    assert agent.skills == ("demo-skill", "absent-skill")
    assert (agent.model, agent.color, agent.permission_mode, agent.max_turns) == (
        "sonnet",
        "green",
        "plan",
        12,
    )
    assert agent.extra == {"customField": "kept as written"}


def test_seed_writes_skills_as_a_comma_separated_string(bundled_catalog: Catalog) -> None:
    agent = bundled_catalog.agent("backend-developer")
    assert agent.skills == ("api-design", "fastapi", "architecture-patterns", "langgraph")
    assert agent.model == "opus"


def test_skill_fields_follow_the_agent_skills_spec(test_catalog: Catalog) -> None:
    skill = test_catalog.skill("demo-skill")
    assert skill.license == "MIT"
    assert skill.metadata == {"owner": "tests"}
    assert skill.allowed_tools == ("Read", "Grep")
    assert skill.uri() == "skill://demo-skill/SKILL.md"


def test_an_agent_serves_the_version_it_was_loaded_from(tmp_path: Path) -> None:
    agents = tmp_path / "agents"
    agents.mkdir()
    path = agents / "lazy.md"
    path.write_bytes(b"---\nname: lazy\ndescription: d\n---\nfine body\n")
    catalog = build_catalog(collect_sources(agents=[agents], bundled=False, environ={}))
    # Edited after loading: frontmatter, body and bytes stay one version until a reload.
    path.write_bytes(b"---\nname: lazy\ndescription: d\n---\nnew body\n")
    assert catalog.agent("lazy").read_body() == "fine body\n"
    assert catalog.agent("lazy").read_bytes().endswith(b"fine body\n")


def test_readme_in_an_agents_folder_is_not_an_agent(test_catalog: Catalog) -> None:
    assert "readme" not in {a.lower() for a in test_catalog.agents}
    assert not [d for d in test_catalog.diagnostics if d.path.name == "README.md"]


def test_skill_files_are_listed_with_skill_md_first(test_catalog: Catalog) -> None:
    files = list(test_catalog.skill("demo-skill").files())
    assert files[0] == "SKILL.md"
    assert files[1:] == sorted(files[1:])


def test_environment_variables_add_path_lists(tmp_path: Path) -> None:
    environ = {AGENTS_ENV: f"{DATA / 'agents'}", SKILLS_ENV: f"{tmp_path}:{DATA / 'skills'}"}
    sources = collect_sources(bundled=False, environ=environ)
    assert [(s.kind, s.path) for s in sources] == [
        ("agents", DATA / "agents"),
        ("skills", tmp_path),
        ("skills", DATA / "skills"),
    ]


def test_explicit_folders_come_before_the_bundled_default() -> None:
    sources = collect_sources(agents=[DATA / "agents"], environ={})
    assert sources[0].origin == "--agents"
    assert sources[-1].origin == "bundled"


def test_claude_code_project_layout_is_recognised(tmp_path: Path) -> None:
    (tmp_path / ".claude" / "agents").mkdir(parents=True)
    (tmp_path / ".claude" / "skills").mkdir()
    kinds = [(s.kind, s.path.relative_to(tmp_path)) for s in project_sources(tmp_path)]
    assert kinds == [("agents", Path(".claude/agents")), ("skills", Path(".claude/skills"))]


def test_marketplace_plugins_get_namespaced_skills(tmp_path: Path) -> None:
    for plugin in ("alpha", "beta"):
        skill = tmp_path / "plugins" / plugin / "skills" / "same-name"
        skill.mkdir(parents=True)
        (skill / "SKILL.md").write_text(f"---\nname: same-name\ndescription: {plugin}\n---\nb\n")
    catalog = build_catalog(collect_sources(roots=[tmp_path], bundled=False, environ={}))
    assert list(catalog.skills) == ["alpha/same-name", "beta/same-name"]
    assert catalog.skill("beta/same-name").uri() == "skill://beta/same-name/SKILL.md"
    assert not catalog.diagnostics


@pytest.mark.parametrize(
    "relpath",
    ["", "../x", "a/../../x", "/etc/passwd", "C:/x", "a\\b", "a\x00b", "a//b", "./a", "x" * 5000],
)
def test_escaping_or_malformed_paths_are_rejected(relpath: str) -> None:
    with pytest.raises(InvalidReference):
        check_relpath(relpath)


def test_unknown_names_suggest_the_closest(test_catalog: Catalog) -> None:
    with pytest.raises(NotFound) as caught:
        test_catalog.skill("demo-skil")
    assert caught.value.suggestions[0] == "demo-skill"
