"""Search quality on the labelled query set: top-1, top-5 and MRR.

    uv run python bench/search_quality.py [--misses] [--corpus DIR]

Serves the wshobson marketplace the way ``--root`` does (skill paths carry the plugin
prefix), runs every query of tests/data/search_queries.json through the same index
``search_skills`` uses, and prints the three numbers (``--misses`` also lists every
query whose expected skill is not ranked first).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from agent_mcp.catalog.build import build_catalog
from agent_mcp.features.search import SearchIndex
from agent_mcp.sources.local import collect_sources

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.corpus import CORPUS  # noqa: E402  (the one place that finds the corpus)

QUERIES = REPO / "tests" / "data" / "search_queries.json"
DEPTH = 10  # ranks past this count as a miss for MRR


@dataclass(frozen=True)
class Quality:
    queries: int
    top1: float
    top5: float
    mrr: float
    misses: list[tuple[str, str, list[str]]]
    """(query, expected, what ranked above it) for each query not ranked first."""


def load_queries(path: Path = QUERIES) -> list[tuple[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(q["query"], q["expected"]) for q in data["queries"]]


def evaluate(corpus: Path = CORPUS, queries: list[tuple[str, str]] | None = None) -> Quality:
    catalog = build_catalog(collect_sources(roots=[corpus], bundled=False, environ={}))
    index = SearchIndex(list(catalog.skills.values()))
    queries = queries if queries is not None else load_queries()
    top1 = top5 = 0
    reciprocal = 0.0
    misses: list[tuple[str, str, list[str]]] = []
    for query, expected in queries:
        ranked = [hit.skill.skill_path for hit in index.search(query, DEPTH)]
        rank = ranked.index(expected) + 1 if expected in ranked else None
        top1 += rank == 1
        top5 += rank is not None and rank <= 5
        reciprocal += 1 / rank if rank else 0.0
        if rank != 1:
            misses.append((query, expected, ranked[: (rank or 4) - 1] or ranked[:3]))
    n = len(queries)
    return Quality(n, top1 / n, top5 / n, reciprocal / n, misses)


def main(argv: list[str] | None = None) -> int:
    assert __doc__ is not None
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--misses", action="store_true", help="list queries not ranked first")
    args = parser.parse_args(argv)
    quality = evaluate(args.corpus)
    print(f"queries {quality.queries}")
    print(f"top-1   {quality.top1:.3f}")
    print(f"top-5   {quality.top5:.3f}")
    print(f"MRR     {quality.mrr:.3f}")
    if args.misses:
        for query, expected, above in quality.misses:
            print(f"- {query!r}: expected {expected}; above it: {', '.join(above)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
