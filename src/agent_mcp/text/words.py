"""Words: the one tokenizer, stemmer, slug and "did you mean" of the project.

Search ranks skills by the words they share with a query, and decision relevance by the
words a skill shares with a tree, so both must agree on what a word is: 'caching' and
'cache', 'queries' and 'query' are one term. Every name suggested in an error message
comes from :func:`suggest`, so every error suggests the same way.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

# Words that carry no topic: English function words, plus the boilerplate every skill
# description repeats ("Use when ...").
STOPWORDS = frozenset(
    """a about after all also an and any are as at be been before being but by can could
    do does doing for from had has have how i if in into is it its just me more most my
    need needs no not of on or our out over should so some such than that the their them
    then there these they this those through to too up us use used uses using very want
    was we were what when where which while who why will with would you your""".split()  # noqa: SIM905
)
STOP_BYTES = frozenset(word.encode() for word in STOPWORDS)

# Lowercased UTF-8 bytes: every byte that is not [a-z0-9] or part of a non-ASCII
# character becomes a space, so ``split()`` yields the words. Bytes, because the
# search index tokenises whole files and ``translate``/``split`` run in C.
_KEEP = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789") | frozenset(range(128, 256))
_TABLE = bytes(b if b in _KEEP else 0x20 for b in range(256))


def words(text: str | bytes) -> list[bytes]:
    """The words of ``text``: lowercased, as UTF-8 bytes (stop words included)."""
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    if not data.isascii():
        data = data.decode("utf-8", "replace").lower().encode("utf-8")
    return data.lower().translate(_TABLE).split()


def terms(text: str) -> list[str]:
    """The stemmed, stop-word-free terms of a query or a section."""
    return [stem(w.decode("utf-8", "replace")) for w in words(text) if w not in STOP_BYTES]


def keywords(text: str, min_length: int = 3) -> dict[str, str]:
    """Stemmed terms of ``text`` mapped to the first spelling seen (for showing which
    words matched)."""
    found: dict[str, str] = {}
    for raw in words(text):
        if len(raw) >= min_length and raw not in STOP_BYTES:
            word = raw.decode("utf-8", "replace")
            found.setdefault(stem(word), word)
    return found


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix stripper (plurals, -ing, -ed): joins 'deploying', 'deployed' and
    'deploys', and 'committing' with 'commit', without a stemming dependency."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5:
        return _undouble(word[:-3])
    if word.endswith("ed") and len(word) > 4:
        return _undouble(word[:-2])
    if word.endswith("es") and word[-3] in "sxz" and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _undouble(stem: str) -> str:
    # 'committ' -> 'commit', 'stopp' -> 'stop'; but 'install', 'press', 'buzz' stay.
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    return stem


def slug(text: str, limit: int = 64) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for part in parts:
        candidate = f"{out}-{part}" if out else part
        if len(candidate) > limit:
            break
        out = candidate
    return out or (parts[0][:limit] if parts else "")


# difflib costs about 0.1 ms a candidate and is quadratic in the word: comparing a
# request's word against 10,000 names would let any client burn a second of CPU per
# bad request, so large candidate sets are narrowed to names sharing the first letters
# (of the whole path, or of its last segment) first.
SUGGEST_POOL = 300
_MAX_WORD = 200


def suggest(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates closest to ``word``, best first (for "did you mean")."""
    pool = list(candidates)
    word = word[:_MAX_WORD]
    if len(pool) > SUGGEST_POOL:
        head, tail = word[:3], word.rsplit("/", 1)[-1][:3]
        pool = [c for c in pool if c[:3] == head or c.rsplit("/", 1)[-1][:3] == tail]
        pool = pool[:SUGGEST_POOL]
    import difflib  # only errors need it; startup should not pay for it

    return difflib.get_close_matches(word, pool, n=limit, cutoff=0.5)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a diagnostic's fix, or nothing."""
    near = suggest(word, candidates, limit=1)
    return f" (did you mean '{near[0]}'?)" if near else ""
