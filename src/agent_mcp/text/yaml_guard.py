"""PyYAML's safe loader with aliases refused and the node count bounded.

Only frontmatter that the exact fast path in frontmatter.py cannot read comes here.
"""

from __future__ import annotations

from typing import Any, cast

MAX_YAML_NODES = 10_000


class Refused(Exception):
    def __init__(self, code: str, message: str, fix: str, line: int) -> None:
        super().__init__(message)
        self.code, self.message, self.fix, self.line = code, message, fix, line


def load_yaml(text: str) -> object:
    """PyYAML's safe loader, with aliases refused and the node count bounded.

    Aliases are refused rather than bounded: expanding them is how a 462-byte file
    becomes gigabytes ("billion laughs"), and no Agent Skills or Claude Code field
    needs one; a writer can always repeat the value. Without '&' and '*' in the text
    there can be no anchor or alias, and the fast C loader is used.
    """
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    if "&" not in text and "*" not in text:
        loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return YAMLHandler().load(text, Loader=loader)
    return YAMLHandler().load(text, Loader=_guarded_loader())


def _guarded_loader() -> type[Any]:
    import yaml

    class GuardedLoader(yaml.SafeLoader):
        nodes = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = cast("Any", self.peek_event())  # pyright: ignore[reportUnknownMemberType]
            line = int(event.start_mark.line)
            if isinstance(event, yaml.AliasEvent):
                raise Refused(
                    "yaml-alias",
                    f"the frontmatter uses the YAML alias '*{event.anchor}', which is refused",
                    "write the value out instead of '*name' (aliases can expand a few "
                    "bytes into gigabytes, so they are never expanded)",
                    line,
                )
            self.nodes += 1
            if self.nodes > MAX_YAML_NODES:
                raise Refused(
                    "yaml-too-complex",
                    f"the frontmatter has over {MAX_YAML_NODES} YAML nodes",
                    "keep the frontmatter to a few short fields",
                    line,
                )
            return super().compose_node(parent, index)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]

    return GuardedLoader


def value_line(text: str) -> int | None:
    """The line of the value a constructor rejected, found by the pure-Python loader."""
    import yaml

    class Locating(_guarded_loader()):
        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
            except _Located:
                raise
            except Exception:
                raise _Located(node.start_mark.line) from None

    try:
        yaml.load(text, Loader=Locating)
    except _Located as exc:
        return exc.line + 2
    except Exception:
        return 2
    return 2


class _Located(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line
