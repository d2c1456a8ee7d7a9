"""Parsing decision trees, checklists and workflows out of agent bodies (domain layer)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from agent_mcp.catalog.agents import Agent, load_agent
from agent_mcp.catalog.build import build_catalog
from agent_mcp.cli.main import main
from agent_mcp.features.checks import deep_check
from agent_mcp.features.decisions import Decision, InvalidAnswer, decide, relevance
from agent_mcp.features.frameworks import (
    UNPARSED,
    DecisionTree,
    Frameworks,
    agent_frameworks,
    parse_frameworks,
)
from agent_mcp.sources.local import bundled_dir, collect_sources

DATA = Path(__file__).parent / "data" / "frameworks"
SEED = bundled_dir() / "agents" / "backend-developer.md"
STYLES = DATA / "agents" / "tree-styles.md"
BROKEN = DATA / "malformed" / "broken-trees.md"

# The seed's three trees, copied by hand from agents/backend-developer.md.
SEED_TREES = {
    "sync-vs-async": (
        "Sync vs Async",
        "Operation type?",
        [
            ("Database (async driver)", "async def"),
            ("HTTP calls", "async def + httpx"),
            ("File I/O", "def (sync) or aiofiles"),
            ("CPU-intensive", "def (sync) + process pool"),
            ("Sync library", "def (sync)"),
        ],
    ),
    "data-access-pattern": (
        "Data Access Pattern",
        "Query complexity?",
        [
            ("Simple CRUD", "Repository pattern"),
            ("Complex queries", "Query builder / raw SQL"),
            ("Cross-aggregate", "Domain service"),
            ("Read-heavy", "CQRS (separate read models)"),
        ],
    ),
    "caching-strategy": (
        "Caching Strategy",
        "Data characteristics?",
        [
            ("Static/rarely changes", "Cache aggressively"),
            ("User-specific", "Per-user cache keys"),
            ("Frequently updated", "Short TTL or no cache"),
            ("Computed/expensive", "Cache with invalidation"),
        ],
    ),
}


def _agent(path: Path) -> Agent:
    agent, _ = load_agent(path)
    return agent


def _frameworks(path: Path) -> Frameworks:
    return agent_frameworks(_agent(path))


def _tree(path: Path, tree_id: str) -> DecisionTree:
    tree = _frameworks(path).tree(tree_id)
    assert tree is not None, tree_id
    return tree


def _walk(tree: DecisionTree, answers: list[str]) -> Decision:
    result = decide(tree, answers)
    assert isinstance(result, Decision), result
    return result


# Decision trees ----------------------------------------------------------------------


def test_seed_has_its_three_trees_with_labels_and_outcomes_as_written() -> None:
    trees = _frameworks(SEED).trees
    assert [t.id for t in trees] == list(SEED_TREES)
    for tree in trees:
        title, question, options = SEED_TREES[tree.id]
        assert (tree.title, tree.root.question) == (title, question)
        assert [(o.label, o.outcome) for o in tree.root.options] == options
        assert all(o.next is None for o in tree.root.options)


@pytest.mark.parametrize("path", [SEED, STYLES], ids=["seed", "styles"])
def test_every_label_and_outcome_is_a_substring_of_its_source_line(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for tree in _frameworks(path).trees:
        assert lines[tree.line - 1].strip() == tree.root.question
        for node in tree.nodes():
            for option in node.options:
                source = lines[option.line - 1]
                assert option.label in source
                if option.outcome is not None:
                    assert source.rstrip().endswith(option.outcome)
                    assert source.index(option.label) < source.index(option.outcome)


def test_unicode_tree_nests_three_levels_by_column() -> None:
    tree = _tree(STYLES, "release-channel")
    assert tree.depth() == 3
    result = _walk(tree, ["Yes", "Yes", "No"])
    assert result.recommendation == "Hold: design a migration first"
    assert [s.node.question for s in result.steps] == [
        "Is the change user-visible?",
        "Does it break an API?",
        "Is there a migration path?",
    ]
    assert _walk(tree, ["No"]).recommendation == "Patch release"


def test_ascii_pipe_and_backtick_tree_with_ascii_arrows() -> None:
    tree = _tree(STYLES, "storage-pipe-and-backtick")
    assert tree.labels_by_depth() == [
        ["Relational", "Documents"],
        ["Under 10 GB", "Over 10 GB"],
        ["AWS", "Other"],
    ]
    assert _walk(tree, ["Relational", "Over 10 GB", "AWS"]).recommendation == "Aurora PostgreSQL"
    assert _walk(tree, ["Documents"]).recommendation == "MongoDB (or Postgres JSONB)"


def test_ascii_plus_tree() -> None:
    tree = _tree(STYLES, "plus-variant")
    assert _walk(tree, ["Browser", "No"]).recommendation == "HTTP cache headers"
    assert _walk(tree, ["Server"]).recommendation == "Redis"


def test_ascii_backslash_tree() -> None:
    tree = _tree(STYLES, "backslash-variant")
    assert _walk(tree, ["4+ people", "no"]).recommendation == "Modular monolith"
    assert _walk(tree, ["1-3 people"]).recommendation == "Monolith"


def test_four_levels_keep_arrows_inside_outcomes() -> None:
    tree = _tree(STYLES, "four-levels")
    assert tree.depth() == 4
    assert _walk(tree, ["a", "b", "c", "d"]).recommendation == (
        "The deepest outcome, with → an arrow inside"
    )
    assert _walk(tree, ["a", "b", "c", "e"]).recommendation == "Another: with -> arrows"


def test_bare_branches_open_sub_questions() -> None:
    tree = _tree(STYLES, "arbitration")
    # "YES → Count confirmed hypotheses" with children: the outcome is the next question.
    partial = _walk(tree, ["YES"])
    assert partial.next is not None
    assert partial.next.question == "Count confirmed hypotheses"
    # "0 confirmed" has no arrow and several children: they answer no new question.
    zero = _walk(tree, ["YES", "0 confirmed"])
    assert zero.next is not None
    assert zero.next.question is None
    assert zero.next.labels() == ["Any medium confidence?", "All low/falsified?"]
    # "1 confirmed" has a single bare child: that child is the question.
    one = _walk(tree, ["YES", "1 confirmed"])
    assert one.next is not None
    assert one.next.question == "High confidence?"
    assert _walk(tree, ["YES", "1 confirmed", "NO"]).recommendation == "Recommend verification"


def test_decide_reports_the_next_question_for_a_partial_path() -> None:
    tree = _tree(STYLES, "release-channel")
    start = _walk(tree, [])
    assert start.next is tree.root
    assert start.recommendation is None
    middle = _walk(tree, ["Yes"])
    assert middle.next is not None
    assert middle.next.labels() == ["Yes", "No"]
    assert middle.recommendation is None


def test_decide_rejects_an_answer_that_is_not_an_option() -> None:
    tree = _tree(STYLES, "storage-pipe-and-backtick")
    result = decide(tree, ["Relational", "Huge"])
    assert isinstance(result, InvalidAnswer)
    assert (result.position, result.valid) == (1, ("Under 10 GB", "Over 10 GB"))
    assert "Under 10 GB; Over 10 GB" in result.message


def test_decide_rejects_answers_past_the_recommendation() -> None:
    result = decide(_tree(STYLES, "plus-variant"), ["Server", "Yes"])
    assert isinstance(result, InvalidAnswer)
    assert result.valid == ()
    assert "already reached its recommendation" in result.message


def test_decide_accepts_a_unique_case_insensitive_match() -> None:
    result = _walk(_tree(SEED, "sync-vs-async"), ["  http CALLS "])
    assert result.steps[0].chosen.label == "HTTP calls"


def test_file_trees_and_code_comments_are_not_decision_trees() -> None:
    frameworks = _frameworks(STYLES)
    assert [t.id for t in frameworks.trees] == [
        "release-channel",
        "storage-pipe-and-backtick",
        "plus-variant",
        "backslash-variant",
        "arbitration",
        "four-levels",
    ]
    assert frameworks.diagnostics == ()


def test_two_trees_under_one_heading_get_distinct_ids() -> None:
    text = "## Choice\n```\nFirst?\n├── a → x\n└── b → y\n\nSecond?\n└── c → z\n```\n"
    trees = parse_frameworks(text, Path("x.md")).trees
    assert [(t.id, t.root.question) for t in trees] == [
        ("choice", "First?"),
        ("choice-2", "Second?"),
    ]


def test_a_heading_named_checklist_does_not_take_the_checklist_tool_name() -> None:
    text = "## Checklist\n```\nReady?\n└── yes → ship\n```\n"
    assert [t.id for t in parse_frameworks(text, Path("x.md")).trees] == ["checklist-2"]


def test_an_unclosed_fence_still_yields_its_tree() -> None:
    text = "## Last\n```\nDone?\n└── yes → stop\n"
    assert [t.id for t in parse_frameworks(text, Path("x.md")).trees] == ["last"]


# Malformed blocks --------------------------------------------------------------------


def test_each_malformed_block_becomes_a_diagnostic_and_the_rest_still_parse() -> None:
    frameworks = _frameworks(BROKEN)
    assert [t.id for t in frameworks.trees] == ["still-fine"]
    lines = BROKEN.read_text(encoding="utf-8").splitlines()
    found = {d.message.split("'")[1]: d for d in frameworks.diagnostics}
    assert set(found) == {
        "Misaligned",
        "No Outcome",
        "Empty Outcome",
        "Duplicate Answer",
        "Stray Text",
        "No Branches Drawn",
    }
    for diagnostic in found.values():
        assert diagnostic.code == UNPARSED
        assert diagnostic.severity == "warning"
        assert diagnostic.path == BROKEN
        assert diagnostic.fix

    # Each points at the offending line of the file.
    def at(title: str) -> str:
        line = found[title].line
        assert line is not None
        return lines[line - 1]

    assert at("Misaligned") == " └── c → third"
    assert at("No Outcome") == "└── b"
    assert at("Empty Outcome") == "├── a →"
    assert at("Duplicate Answer") == "└── a → second"
    assert at("Stray Text").strip() == "some stray note"
    assert at("No Branches Drawn") == "Which one?"
    assert "draws no branches" in found["No Branches Drawn"].message


def test_validate_reports_unparsed_trees(capsys: pytest.CaptureFixture[str]) -> None:
    catalog = build_catalog(collect_sources(agents=[BROKEN.parent], bundled=False, environ={}))
    assert sum(d.code == UNPARSED for d in deep_check(catalog)) == 6
    assert main(["validate", str(BROKEN), "--json"]) == 0  # warnings: it still serves
    payload = json.loads(capsys.readouterr().out)
    assert sum(d["code"] == UNPARSED for d in payload["diagnostics"]) == 6


def test_the_bundled_agent_validates_without_framework_diagnostics() -> None:
    catalog = build_catalog(collect_sources(environ={}))
    assert [d for d in deep_check(catalog) if d.code == UNPARSED] == []


# Checklists --------------------------------------------------------------------------


def test_seed_checklist_items_have_slug_ids() -> None:
    (checklist,) = _frameworks(SEED).checklists
    assert checklist.title == "Quality Checklist"
    assert [i.id for i in checklist.items] == [
        "api-follows-rest-conventions",
        "input-validation-with-pydantic",
        "proper-error-handling-and-responses",
        "authentication-authorization-in-place",
        "database-queries-are-optimized",
        "no-n-1-query-problems",
        "migrations-are-reversible",
        "tests-cover-happy-path-and-edge-cases",
        "secrets-not-hardcoded",
        "logging-for-debugging",
    ]
    assert not any(i.checked for i in checklist.items)


def test_checklist_items_keep_text_ticks_and_deduplicated_ids() -> None:
    (checklist,) = _frameworks(STYLES).checklists
    assert [(i.id, i.text, i.checked) for i in checklist.items] == [
        ("changelog-updated", "Changelog **updated**", False),
        ("version-bumped-in-pyproject-toml", "Version bumped in `pyproject.toml`", True),
        ("tests-pass", "Tests pass", False),
        ("tests-pass-2", "Tests pass", False),
        ("see-the-guide", "See [the guide](https://example.com/guide)", False),
    ]


def test_checklist_ids_survive_edits_to_other_items() -> None:
    before = "## Done\n- [ ] Alpha\n- [ ] Beta\n- [ ] Gamma\n"
    after = "## Done\n- [ ] New first\n- [ ] Alpha\n- [ ] Gamma changed\n"
    ids_before = {
        i.text: i.id for c in parse_frameworks(before, Path("a")).checklists for i in c.items
    }
    ids_after = {
        i.text: i.id for c in parse_frameworks(after, Path("a")).checklists for i in c.items
    }
    assert ids_before["Alpha"] == ids_after["Alpha"] == "alpha"
    assert ids_after["New first"] == "new-first"


# Workflows ---------------------------------------------------------------------------


def test_seed_has_four_workflows_named_without_when() -> None:
    workflows = _frameworks(SEED).workflows
    assert [(w.id, w.title) for w in workflows] == [
        ("starting-a-task", "When Starting a Task"),
        ("designing-apis", "When Designing APIs"),
        ("working-with-database", "When Working with Database"),
        ("debugging", "When Debugging"),
    ]
    designing = workflows[1]
    assert designing.steps == (
        "Define resource and endpoints",
        "Design request/response schemas",
        "Plan validation and error handling",
        "Consider authentication requirements",
        "Document with OpenAPI",
    )
    assert designing.markdown.splitlines()[0] == "1. Define resource and endpoints"


def test_workflow_markdown_keeps_nested_lines_as_written() -> None:
    (workflow,) = _frameworks(STYLES).workflows
    assert workflow.id == "cutting-a-release"
    assert workflow.steps == ("Freeze the branch", "Run the full suite", "Tag and publish")
    assert workflow.markdown == (
        "1. Freeze the branch\n2. Run the full suite\n   - including slow tests\n3. Tag and publish"
    )


def test_a_heading_followed_by_prose_or_bullets_is_not_a_workflow() -> None:
    text = "## Intro\nSome words.\n1. not directly after\n\n### Bullets\n- a\n- b\n"
    assert parse_frameworks(text, Path("x.md")).workflows == ()


# Caching and relevance ---------------------------------------------------------------


def test_parse_results_are_cached_until_the_file_changes(tmp_path: Path) -> None:
    copy = tmp_path / "tree-styles.md"
    shutil.copy(STYLES, copy)
    agent = _agent(copy)
    first = agent_frameworks(agent)
    assert agent_frameworks(agent) is first
    copy.write_text(copy.read_text(encoding="utf-8").replace("Patch release", "Hotfix"))
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    # A reload builds a new Agent for the edited file; its frameworks are parsed afresh.
    tree = agent_frameworks(_agent(copy)).tree("release-channel")
    assert tree is not None
    assert _walk(tree, ["No"]).recommendation == "Hotfix"


def test_relevance_counts_the_path_taken_twice() -> None:
    plain = relevance("storage choice", "", "Chooses storage for documents")
    weighted = relevance("storage choice", "documents", "Chooses storage for documents")
    assert plain.score == 1
    assert plain.matched == ("storage",)
    assert weighted.score == 2
    assert weighted.matched == ("documents", "storage")
