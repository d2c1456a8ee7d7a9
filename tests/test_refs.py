"""One reference resolver: every caller agrees on what a skill reference names."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_mcp.catalog.build import build_catalog
from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.refs import split_skill_path
from agent_mcp.errors import NotFound
from agent_mcp.sources.local import collect_sources
from tests.test_skills_ext import write_marketplace


@pytest.fixture
def marketplace(tmp_path: Path) -> Catalog:
    return build_catalog(
        collect_sources(roots=[write_marketplace(tmp_path)], bundled=False, environ={})
    )


def test_a_bare_name_shared_by_two_plugins_is_refused_with_both_paths(
    marketplace: Catalog,
) -> None:
    with pytest.raises(NotFound) as caught:
        marketplace.skill("dup")
    assert caught.value.suggestions == ("alpha/dup", "beta/dup")


def test_a_bare_name_resolves_to_the_callers_own_plugin_first(marketplace: Catalog) -> None:
    assert marketplace.skill("dup", namespace="beta").skill_path == "beta/dup"


@pytest.mark.parametrize("ref", ["tricky", "alpha/tricky", "skill://alpha/tricky/SKILL.md"])
def test_a_path_a_unique_name_and_a_uri_name_the_same_skill(marketplace: Catalog, ref: str) -> None:
    assert marketplace.skill(ref).skill_path == "alpha/tricky"


def test_uris_split_at_the_longest_skill_path(marketplace: Catalog) -> None:
    found = split_skill_path(marketplace.skills, "alpha/tricky/references/a%20b.md")
    assert found is not None
    assert (found[0].skill_path, found[1]) == ("alpha/tricky", "references/a b.md")
    assert split_skill_path(marketplace.skills, "nothing/here") is None
