"""Words: the stop words and the light stemmer shared by search and skill relevance.

Both rank skills by the words they share with a query or a decision tree, so both must
agree on what a word is: 'caching' and 'cache', 'queries' and 'query' are one term.
"""

from __future__ import annotations

import functools

# Words that carry no topic: English function words, plus the boilerplate every skill
# description repeats ("Use when ...").
STOPWORDS = frozenset(
    """a about after all also an and any are as at be been before being but by can could
    do does doing for from had has have how i if in into is it its just me more most my
    need needs no not of on or our out over should so some such than that the their them
    then there these they this those through to too up us use used uses using very want
    was we were what when where which while who why will with would you your""".split()  # noqa: SIM905
)


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
