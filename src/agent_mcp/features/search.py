"""Ranked lexical search over skills: BM25 with field boosts, built on first use.

Own implementation rather than a library: ``bm25s`` and ``rank_bm25`` need numpy (and
scipy), tokenise in Python just the same, and would add their import time to the
first search; at 10,000 skills the cost is all in tokenising and inverting, which is
done here with C-level bytes operations (``translate``/``split``/``Counter``) and
``map`` over ``array.append`` so no Python code runs per posting.

Scoring is BM25 over one bag of words per skill, in which each field's counts are
multiplied by its boost (name > description > headings > body, see the constants)
before saturation, with length normalisation on the weighted length. Stemming is
applied to the vocabulary once, after the build, not to every token.
"""

from __future__ import annotations

import heapq
import math
import threading
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import cast

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.catalog.skills import SKILL_FILE, Skill
from agent_mcp.text.markdown import Section, prose_headings, sections
from agent_mcp.text.words import STOP_BYTES as _STOP
from agent_mcp.text.words import stem as stem_word
from agent_mcp.text.words import terms, words

K1 = 2.0
B = 0.75
# Boosts are integer repeat counts (a field's words are counted this many times).
# Headings are also counted once as body, so their effective weight is one more.
NAME_BOOST = 6
PLUGIN_BOOST = 2
DESCRIPTION_BOOST = 4
HEADING_BOOST = 1
SNIPPET_CHARS = 280
MERGED_CACHE = 4096


@dataclass(frozen=True, slots=True)
class SearchHit:
    skill: Skill
    score: float
    section: str
    """Heading of the best-matching section ('' when only name/description matched)."""
    line: int
    snippet: str
    uri: str
    """URI of the file the snippet comes from, readable with resources/read."""


def read_sections(skill: Skill) -> list[Section]:
    """SKILL.md split at its markdown headings (headings inside code fences ignored)."""
    try:
        lines = skill.read(None).decode("utf-8", "replace").splitlines()
    except OSError:
        return []
    start = 0
    if lines and lines[0].lstrip("\ufeff").strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    return sections("\n".join(lines[start:]), start + 1)


class SearchIndex:
    """An inverted index of one catalog snapshot; immutable once built."""

    def __init__(self, skills: Sequence[Skill]) -> None:
        self.skills = list(skills)
        # Postings go straight into typed arrays (4 bytes an entry, not 8 plus an int
        # object): measured as fast as lists here, with 40% less peak memory.
        docs: defaultdict[bytes, array[int]] = defaultdict(lambda: array("I"))
        tfs: defaultdict[bytes, array[int]] = defaultdict(lambda: array("I"))
        lengths: list[int] = []
        append = cast("Callable[[array[int], int], None]", array.append)  # pyright: ignore[reportUnknownMemberType]
        for doc, skill in enumerate(self.skills):
            counts = self._document(skill)
            lengths.append(sum(counts.values()))
            keys = counts.keys()
            # Runs in C: one append per (word, skill) pair, no Python frame per posting.
            deque(map(append, map(docs.__getitem__, keys), repeat(doc)), maxlen=0)
            deque(map(append, map(tfs.__getitem__, keys), counts.values()), maxlen=0)
        self._postings = {word: (ids, tfs[word]) for word, ids in docs.items()}
        # Stemming the vocabulary (tens of thousands of words) instead of every token.
        self._merged: dict[str, tuple[array[int], array[int]]] = {}
        self._variants: dict[str, list[bytes]] = {}
        for word in self._postings:
            stem = stem_word(word.decode("utf-8", "replace"))
            self._variants.setdefault(stem, []).append(word)
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        # The per-skill part of BM25's denominator, computed once instead of per posting.
        self._norm = [K1 * (1 - B + B * n / average) for n in lengths]

    @staticmethod
    def _document(skill: Skill) -> Counter[bytes]:
        try:
            raw = skill.read(None)  # frontmatter included: name/description again
        except OSError:
            raw = b""  # still findable by name and description
        counts = Counter(words(raw))
        # Headings outside code blocks (a '# comment' in a shell block is no heading).
        counts.update(words(b" ".join(prose_headings(raw))) * HEADING_BOOST)
        counts.update(words(skill.description) * DESCRIPTION_BOOST)
        counts.update(words(skill.name) * NAME_BOOST)
        if skill.namespace:
            counts.update(words(skill.namespace) * PLUGIN_BOOST)
        for stop in _STOP.intersection(counts):
            counts.pop(stop)  # dict.pop: Counter's own __delitem__ is Python code
        return counts

    def __len__(self) -> int:
        return len(self.skills)

    def _matches(self, stem: str) -> tuple[array[int], array[int]] | None:
        """Skill ids and term frequencies of a stem, summed over its surface forms
        ('deploy', 'deploys', 'deployed'); merged on first use, then kept."""
        variants = self._variants.get(stem)
        if not variants:
            return None
        if len(variants) == 1:
            return self._postings[variants[0]]
        merged = self._merged.get(stem)
        if merged is None:
            counts: dict[int, int] = {}
            for variant in variants:
                ids, tfs = self._postings[variant]
                for doc, tf in zip(ids, tfs, strict=True):
                    counts[doc] = counts.get(doc, 0) + tf
            if len(self._merged) >= MERGED_CACHE:
                self._merged.clear()  # crude but bounded; common stems come right back
            merged = self._merged[stem] = (array("I", counts), array("I", counts.values()))
        return merged

    def idf(self, df: int) -> float:
        n = len(self.skills)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, limit: int = 5) -> list[SearchHit]:
        wanted = list(dict.fromkeys(terms(query)))
        scores: dict[int, float] = {}
        get = scores.get
        norm = self._norm
        idfs: dict[str, float] = {}
        for stem in wanted:
            matches = self._matches(stem)
            if matches is None:
                continue
            ids, tfs = matches
            idfs[stem] = idf = self.idf(len(ids))
            weight = idf * (K1 + 1)
            for doc, tf in zip(ids, tfs, strict=True):
                scores[doc] = get(doc, 0.0) + weight * tf / (tf + norm[doc])
        best = heapq.nlargest(limit, scores, key=scores.__getitem__)
        # Sections are matched on surface forms ('deploys', 'deployed'), so a snippet
        # needs no stemming: a Counter of raw words and a few lookups per section.
        forms = {stem: self._variants[stem] for stem in idfs}
        return [self._hit(self.skills[doc], scores[doc], idfs, forms) for doc in best]

    def _hit(
        self, skill: Skill, score: float, idfs: dict[str, float], forms: dict[str, list[bytes]]
    ) -> SearchHit:
        section = _best_section(read_sections(skill), idfs, forms)
        if section is None:
            return SearchHit(skill, score, "", 1, _clip(skill.description), skill.uri())
        every = {form for variants in forms.values() for form in variants}
        text = snippet(section.text, every) or _clip(skill.description)
        return SearchHit(skill, score, section.heading, section.line, text, skill.uri(SKILL_FILE))


def _best_section(
    sections: Iterable[Section], idfs: dict[str, float], forms: dict[str, list[bytes]]
) -> Section | None:
    """The section that best matches the query, scored like a small BM25 document with
    its heading boosted, and a bias toward short, focused sections."""
    best: tuple[float, Section] | None = None
    for section in sections:
        heading = Counter(words(section.heading))
        counts = Counter(words(section.text))
        length = sum(counts.values()) + 1
        score = 0.0
        for stem, idf in idfs.items():
            tf = sum(counts[f] + HEADING_BOOST * heading[f] for f in forms[stem])
            if tf:
                score += idf * tf / (tf + K1 * (0.25 + 0.75 * length / 120))
        if score > 0 and (best is None or score > best[0]):
            best = (score, section)
    return best[1] if best else None


def snippet(text: str, forms: set[bytes], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` from the first line holding one of the
    query's word ``forms`` (lowercased UTF-8, as :func:`words` gives them)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if not forms.isdisjoint(words(line))), 0)
    return _clip(" ".join(" ".join(lines[start:]).split()), width)


def _clip(text: str, width: int = SNIPPET_CHARS) -> str:
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[: cut if cut > width // 2 else width].rstrip() + " ..."


class SkillSearch:
    """Builds the index of a catalog on its first search and keeps the latest one.

    A reload swaps in a new catalog object, so the identity check rebuilds exactly
    when the catalog changed; the lock keeps two first searches from both building.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[Catalog, SearchIndex] | None = None

    def index(self, catalog: Catalog) -> SearchIndex:
        current = self._current
        if current is not None and current[0] is catalog:
            return current[1]
        with self._lock:
            current = self._current
            if current is None or current[0] is not catalog:
                current = (catalog, SearchIndex(list(catalog.skills.values())))
                self._current = current
            return current[1]

    def search(self, catalog: Catalog, query: str, limit: int = 5) -> list[SearchHit]:
        return self.index(catalog).search(query, limit)
