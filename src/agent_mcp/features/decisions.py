"""Walking a decision tree, and which skills bear on the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from agent_mcp.features.frameworks import DecisionTree, Node, Option
from agent_mcp.text.words import keywords

# Deciding ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    node: Node = field(repr=False)
    chosen: Option


@dataclass(frozen=True, slots=True)
class Decision:
    tree: DecisionTree = field(repr=False)
    steps: tuple[Step, ...]
    next: Node | None
    """The question still to answer; ``None`` once a recommendation is reached."""

    @property
    def recommendation(self) -> str | None:
        return self.steps[-1].chosen.outcome if self.next is None and self.steps else None


@dataclass(frozen=True, slots=True)
class InvalidAnswer:
    tree: DecisionTree
    position: int
    """0-based index of the offending answer."""
    answer: str
    valid: tuple[str, ...]
    """The options at that step; empty when the path had already ended."""

    @property
    def message(self) -> str:
        where = f"Answer {self.position + 1} ('{self.answer}')"
        if not self.valid:
            return (
                f"{where} comes after the decision '{self.tree.title}' already reached its "
                f"recommendation; pass only the first {self.position} answers."
            )
        return f"{where} is not an option. Valid options: " + "; ".join(self.valid) + "."


def decide(tree: DecisionTree, answers: Sequence[str]) -> Decision | InvalidAnswer:
    """Walk ``answers`` down ``tree``.

    Labels match exactly; failing that, ignoring case and surrounding spaces when that
    picks a single option (generic callers have no enum to guide them).
    """
    node: Node | None = tree.root
    steps: list[Step] = []
    for position, answer in enumerate(answers):
        if node is None:
            return InvalidAnswer(tree, position, answer, ())
        chosen = _match(node, answer)
        if chosen is None:
            return InvalidAnswer(tree, position, answer, tuple(node.labels()))
        steps.append(Step(node, chosen))
        node = chosen.next
    return Decision(tree, tuple(steps), node)


def _match(node: Node, answer: str) -> Option | None:
    for option in node.options:
        if option.label == answer:
            return option
    folded = [o for o in node.options if o.label.casefold() == answer.strip().casefold()]
    return folded[0] if len(folded) == 1 else None


# Relevant skills ---------------------------------------------------------------------


def tree_text(tree: DecisionTree) -> str:
    parts = [tree.title]
    for node in tree.nodes():
        parts.append(node.question or "")
        parts += [f"{o.label} {o.outcome or ''}" for o in node.options]
    return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class Relevance:
    score: int
    matched: tuple[str, ...]
    """The candidate's own words that matched, sorted."""


def relevance(subject: str, emphasis: str, candidate: str) -> Relevance:
    """How many of ``candidate``'s keywords occur in ``subject``; ``emphasis`` counts twice.

    ``emphasis`` is the path actually taken, so skills about the chosen branch outrank
    skills that only share the tree's general vocabulary.
    """
    words = keywords(candidate)
    broad = keywords(subject).keys() & words.keys()
    narrow = keywords(emphasis).keys() & words.keys()
    return Relevance(len(broad) + len(narrow), tuple(sorted(words[k] for k in broad | narrow)))
