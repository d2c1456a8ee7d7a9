"""Lexical skill search: ranking behaviour, snippets, laziness, and quality on the
labelled query set against the wshobson corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.features.search import SearchIndex, SkillSearch, read_sections, terms
from agent_mcp.sources.local import collect_sources
from tests.corpus import CORPUS

# Measured with bench/search_quality.py: top-5 0.989 and MRR 0.963 on 89 queries. The
# floors leave room for one or two corpus edits, not for a ranking regression.
TOP5_FLOOR = 0.95
MRR_FLOOR = 0.92


def skill(root: Path, name: str, description: str, body: str) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        f"---\nname: {name}\ndescription: {description}\n---\n{body}", encoding="utf-8"
    )


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    skill(
        tmp_path,
        "canary-releases",
        "Roll out changes gradually. Use when shipping risky changes.",
        "# Canary releases\n\n## Traffic splitting\n\nSend 5% of traffic to the new version.\n\n"
        "## Rollback\n\nRoll back when the error rate climbs.\n\n```bash\n# Rollback comment\n"
        "kubectl rollout undo\n```\n",
    )
    skill(
        tmp_path,
        "postgres-tuning",
        "Tune PostgreSQL. Use when queries are slow.",
        "# Tuning\n\n## Indexes\n\nAdd indexes for slow queries; a canary query helps.\n",
    )
    skill(
        tmp_path,
        "i18n",
        "Übersetzungen und Zeichensätze. Use when translating interfaces.",
        "# Internationalisation\n\nStrings with accents: café, naïve, Ärger.\n",
    )
    return build_catalog(collect_sources(skills=[tmp_path], bundled=False, environ={}))


def paths(index: SearchIndex, query: str, limit: int = 5) -> list[str]:
    return [hit.skill.skill_path for hit in index.search(query, limit)]


def test_a_name_match_outranks_a_passing_mention(catalog: Catalog) -> None:
    index = SearchIndex(list(catalog.skills.values()))
    assert paths(index, "canary") == ["canary-releases", "postgres-tuning"]


def test_word_forms_and_case_meet(catalog: Catalog) -> None:
    index = SearchIndex(list(catalog.skills.values()))
    assert paths(index, "Rolling back releasing")[0] == "canary-releases"
    assert paths(index, "indexing queries")[0] == "postgres-tuning"


def test_stop_words_alone_match_nothing(catalog: Catalog) -> None:
    index = SearchIndex(list(catalog.skills.values()))
    assert index.search("how do I use the", 5) == []
    assert index.search("", 5) == []


def test_non_ascii_words_are_searchable(catalog: Catalog) -> None:
    index = SearchIndex(list(catalog.skills.values()))
    assert paths(index, "ärger CAFÉ") == ["i18n"]


def test_the_limit_caps_the_results(catalog: Catalog) -> None:
    index = SearchIndex(list(catalog.skills.values()))
    assert len(index.search("use", 1)) <= 1
    assert len(index.search("slow canary", 1)) == 1


def test_the_snippet_comes_from_the_best_section(catalog: Catalog) -> None:
    index = SearchIndex(list(catalog.skills.values()))
    (hit,) = index.search("rollback error rate", 1)
    assert hit.section == "Rollback"
    assert hit.snippet.startswith("Roll back when the error rate climbs.")
    assert hit.uri == "skill://canary-releases/SKILL.md"
    lines = hit.skill.skill_md.read_text(encoding="utf-8").splitlines()
    assert lines[hit.line - 1] == "## Rollback"


def test_comments_in_code_blocks_are_not_headings(catalog: Catalog) -> None:
    sections = read_sections(catalog.skills["canary-releases"])
    assert [s.heading for s in sections] == ["Canary releases", "Traffic splitting", "Rollback"]


def test_a_deleted_skill_md_is_still_found_by_its_description(catalog: Catalog) -> None:
    catalog.skills["postgres-tuning"].skill_md.unlink()
    index = SearchIndex(list(catalog.skills.values()))
    (hit,) = index.search("PostgreSQL", 1)
    assert hit.skill.name == "postgres-tuning"
    assert hit.snippet.startswith("Tune PostgreSQL")


def test_the_index_is_built_on_first_search_and_kept_per_catalog(
    catalog: Catalog, tmp_path: Path
) -> None:
    search = SkillSearch()
    assert search._current is None  # pyright: ignore[reportPrivateUsage]
    first = search.index(catalog)
    assert search.index(catalog) is first
    reloaded = build_catalog(catalog.sources)
    assert search.index(reloaded) is not first


def test_terms_are_lowercased_stemmed_and_stop_word_free() -> None:
    assert terms("The Deployments were deployed, deploying") == ["deployment", "deploy", "deploy"]
    assert terms("committing stopped policies") == ["commit", "stop", "policy"]


@pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason="no wshobson/agents checkout (set WSHOBSON_AGENTS; see tests/corpus.py)",
)
def test_quality_on_the_labelled_queries_stays_above_the_measured_floor() -> None:
    from bench.search_quality import evaluate

    quality = evaluate(CORPUS)
    assert quality.queries >= 40
    assert quality.top5 >= TOP5_FLOOR, quality.misses
    assert quality.mrr >= MRR_FLOOR, quality.misses
