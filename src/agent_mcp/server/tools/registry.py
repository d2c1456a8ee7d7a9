"""Tools: a small registry that turns domain operations into MCP tools.

Tool providers (one module per family: agent tools, skill tools, ...) contribute
:class:`ToolSpec` objects computed from the current catalog. This module owns the
wire protocol: ``tools/list`` (paginated), ``tools/call`` dispatch, unknown tools as
JSON-RPC -32602 (the spec; the stock SDK returns an ``isError`` result instead),
invalid arguments and domain failures as ``isError`` results, and structured output.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from agent_mcp.catalog.catalog import Catalog
from agent_mcp.errors import InvalidReference, NotFound
from agent_mcp.server.errors import invalid_params
from agent_mcp.server.pagination import paginate
from agent_mcp.server.state import ServerState
from agent_mcp.text.words import suggest

READ_ONLY = types.ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)


TOOL_NAME_MAX = 48
"""Hosts prefix tool names (Claude Code ``mcp__<server>__``, 16 characters for this
server) and model APIs reject names over 64 characters, so 48 leaves room for a prefix."""
TOOL_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,48}$")
SEPARATOR = "__"
"""Between an agent's name and its framework's: ``.`` breaks hosts whose model API checks
names against ``^[a-zA-Z0-9_-]{1,64}$`` (every request of the session then fails)."""
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_HASH_LEN = 8


def tool_name(*parts: str) -> str:
    """A tool name every host accepts, made of ``parts`` joined by ``__``.

    A name that needs no change is kept. Otherwise unsafe characters become ``-``, the
    result is cut to fit, and a short hash of the original name is appended, so two
    different originals never end up with the same name (and the same original always
    gets the same one).
    """
    name = SEPARATOR.join(parts)
    if TOOL_NAME_PATTERN.match(name):
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:_HASH_LEN]
    head = _UNSAFE.sub("-", name)[: TOOL_NAME_MAX - _HASH_LEN - 1].rstrip("-_")
    return f"{head}-{digest}" if head else digest


class ToolFailure(Exception):
    """A failure the model should see and can act on (an ``isError`` result)."""


@dataclass(frozen=True, slots=True)
class ToolOutput:
    text: str
    structured: BaseModel | Mapping[str, Any] | None = None
    blob: tuple[str, str, str] | None = None
    """``(uri, mime type, base64)`` of binary content, sent as an embedded resource."""


class WireModel(BaseModel):
    """A tool's input or structured output: camelCase on the wire, as MCP names fields."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


ToolFn = Callable[[Catalog, Mapping[str, Any]], ToolOutput]


@dataclass(frozen=True, slots=True)
class ToolSpec:
    name: str
    title: str
    description: str
    input_schema: Mapping[str, Any]
    run: ToolFn
    output_schema: Mapping[str, Any] | None = None

    def to_wire(self) -> types.Tool:
        return types.Tool(
            name=self.name,
            title=self.title,
            description=self.description,
            input_schema=dict(self.input_schema),
            output_schema=dict(self.output_schema) if self.output_schema else None,
            annotations=READ_ONLY.model_copy(update={"title": self.title}),
        )


class ToolProvider(Protocol):
    def tools(self, catalog: Catalog) -> Sequence[ToolSpec]: ...


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M]) -> Callable[[Callable[[Catalog, M], ToolOutput]], ToolFn]:
    """Make a tool's implementation, which takes its input as ``model``, a ``ToolFn``:
    arguments are validated first, and invalid ones are an ``isError`` result naming
    each problem. (The tool's listed schema is a constant: see ``fixed_schemas``.)"""

    def wrap(run: Callable[[Catalog, M], ToolOutput]) -> ToolFn:
        def call(catalog: Catalog, arguments: Mapping[str, Any]) -> ToolOutput:
            try:
                parsed = model.model_validate(dict(arguments))
            except ValidationError as exc:
                raise ToolFailure(describe_validation_error(exc)) from None
            return run(catalog, parsed)

        return call

    return wrap


def describe_validation_error(exc: ValidationError) -> str:
    problems: list[str] = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"]) or "arguments"
        problems.append(f"{where}: {error['msg']}")
    return "Invalid arguments: " + "; ".join(problems)


class ToolHandlers:
    def __init__(self, state: ServerState, providers: Callable[[], Sequence[ToolProvider]]) -> None:
        self.state = state
        # A factory, called on the first tools/list: the tool families import parsers,
        # search and pydantic models that the handshake does not need.
        self._make_providers = providers
        self._providers: list[ToolProvider] | None = None
        # Tool specs are derived from a catalog; keep those of the latest snapshot.
        self._cache: tuple[Catalog, dict[str, ToolSpec]] | None = None

    def specs(self, catalog: Catalog) -> dict[str, ToolSpec]:
        if self._cache is not None and self._cache[0] is catalog:
            return self._cache[1]
        specs: dict[str, ToolSpec] = {}
        if self._providers is None:
            self._providers = list(self._make_providers())
        for provider in self._providers:
            for spec in provider.tools(catalog):
                specs.setdefault(spec.name, spec)
        self._cache = (catalog, specs)
        return specs

    def input_schema(self, name: str) -> Mapping[str, Any] | None:
        """A tool's input schema, for the SDK's 2026-era ``Mcp-Param-*`` header checks,
        which otherwise run the whole tools/list handler on every HTTP tool call."""
        spec = self.specs(self.state.catalog).get(name)
        return spec.input_schema if spec else None

    async def list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        tools = [spec.to_wire() for spec in self.specs(self.state.catalog).values()]
        page, next_cursor = paginate(
            tools, params.cursor if params else None, self.state.options.page_size
        )
        return types.ListToolsResult(tools=list(page), next_cursor=next_cursor)

    async def call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        catalog = await self.state.full_catalog()
        specs = self.specs(catalog)
        spec = specs.get(params.name)
        if spec is None:
            hint = suggest(params.name, specs)
            suffix = f" Did you mean: {', '.join(hint)}?" if hint else ""
            raise invalid_params(f"Unknown tool '{params.name}'.{suffix}", name=params.name)
        try:
            # Off the event loop: tools read files and may build the search index, and
            # other requests must keep flowing meanwhile.
            arguments = params.arguments or {}
            output = await anyio.to_thread.run_sync(lambda: spec.run(catalog, arguments))
        except (ToolFailure, NotFound, InvalidReference) as exc:
            return types.CallToolResult(content=[types.TextContent(text=str(exc))], is_error=True)
        structured: Any = None
        if isinstance(output.structured, BaseModel):
            structured = output.structured.model_dump(mode="json", by_alias=True)
        elif output.structured is not None:
            structured = json.loads(json.dumps(output.structured))
        content: list[types.ContentBlock] = [types.TextContent(text=output.text)]
        if output.blob is not None:
            uri, mime, blob = output.blob
            resource = types.BlobResourceContents(uri=uri, mime_type=mime, blob=blob)
            content.append(types.EmbeddedResource(resource=resource))
        return types.CallToolResult(content=content, structured_content=structured)
