"""Conversions to what travels on the wire that every MCP primitive shares.

Tool schemas are paid for in every host's context on every ``tools/list``, so they go
out compact: pydantic's generated titles (which repeat the property names) are dropped,
and ``X | None`` becomes a type list. The documents a schema accepts do not change.
The tools list constants (``tools/fixed_schemas.py``, ``tools/framework_schemas.py``)
so that a cold start builds no model; each is this compactor's output for its model,
which tests/test_tool_schemas.py checks, and how a changed model's constant is remade.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

# Keywords whose value is a map of names to subschemas, and those holding one subschema
# or a list of them; everything else (enum, const, default, examples) is data, kept as is.
_NAMED = frozenset({"properties", "$defs", "definitions", "patternProperties"})
_ONE = frozenset({"items", "additionalProperties", "not", "if", "then", "else", "contains"})
_MANY = frozenset({"allOf", "oneOf", "anyOf", "prefixItems"})


def compact_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in _NAMED and isinstance(value, Mapping):
            subs = cast("Mapping[str, Mapping[str, Any]]", value)
            out[key] = {name: compact_schema(sub) for name, sub in subs.items()}
        elif key in _ONE and isinstance(value, Mapping):
            out[key] = compact_schema(cast("Mapping[str, Any]", value))
        elif key in _MANY and isinstance(value, list):
            variants = [compact_schema(sub) for sub in cast("list[Mapping[str, Any]]", value)]
            if (
                key == "anyOf"
                and len(variants) == 2
                and all(v.keys() == {"type"} for v in variants)
            ):
                out["type"] = [v["type"] for v in variants]
            else:
                out[key] = variants
        else:
            out[key] = value
    return out
