"""Live reload: edits, additions, deletions and breakage reach connected clients of both eras."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import AsyncGenerator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client
from mcp.client.extension import ClientExtension, NotificationBinding
from mcp.shared.subscriptions import (
    SUBSCRIPTION_ID_META_KEY,
    PromptsListChanged,
    ResourcesListChanged,
    ResourceUpdated,
    ServerEvent,
    ToolsListChanged,
)

from agent_mcp.catalog.build import build_catalog
from agent_mcp.server import ServerState, build_server
from agent_mcp.server.extensions.agents import EXTENSION_ID as AGENTS_EXTENSION
from agent_mcp.server.extensions.agents import LIST_CHANGED, LIST_CHANGED_FILTER
from agent_mcp.server.state import ServerOptions
from agent_mcp.sources.local import Source, collect_sources
from tests.conftest import DATA

pytestmark = pytest.mark.anyio

AGENT_URI = "agent://minimal"
GUIDE_URI = "skill://demo-skill/references/guide.md"
SKILL_URI = "skill://demo-skill/SKILL.md"


@pytest.fixture
def roots(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "catalog", tmp_path / "catalog")
    return tmp_path / "catalog"


def _event_name(event: ServerEvent | types.ServerNotification) -> str:
    if isinstance(event, PromptsListChanged) or getattr(event, "method", "") == (
        "notifications/prompts/list_changed"
    ):
        return "prompts"
    if isinstance(event, ToolsListChanged) or getattr(event, "method", "") == (
        "notifications/tools/list_changed"
    ):
        return "tools"
    if isinstance(event, ResourcesListChanged) or getattr(event, "method", "") == (
        "notifications/resources/list_changed"
    ):
        return "resources"
    if isinstance(event, ResourceUpdated):
        return f"updated {event.uri}"
    if isinstance(event, types.ResourceUpdatedNotification):
        return f"updated {event.params.uri}"
    return type(event).__name__


class Received(list[str]):
    """The names of the notifications that arrived, with a way to wait for some."""

    def __init__(self) -> None:
        super().__init__()
        self._changed = anyio.Event()

    def add(self, name: str) -> None:
        self.append(name)
        self._changed.set()
        self._changed = anyio.Event()

    async def wait_for(self, expected: set[str]) -> None:
        with anyio.fail_after(10):
            while True:
                changed = self._changed
                if expected <= set(self):
                    return
                await changed.wait()


@asynccontextmanager
async def watching(
    roots: Path, era: str, sources: list[Source] | None = None
) -> AsyncGenerator[tuple[Client, Received, ServerState]]:
    """A watching server on a copy of the golden catalog, and the names of what arrives."""
    uris = (AGENT_URI, GUIDE_URI, SKILL_URI) if sources is None else ()
    if sources is None:
        sources = collect_sources(
            agents=[roots / "agents"], skills=[roots / "skills"], bundled=False, environ={}
        )
    state = ServerState(build_catalog(sources), ServerOptions(watch=True))
    received = Received()

    async def on_message(message: Any) -> None:
        if not isinstance(message, Exception):
            received.add(_event_name(message))

    async with Client(build_server(state), mode=era, message_handler=on_message) as client:
        if era == "legacy":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for uri in uris:
                    # Deprecated for 2026-07-28 only; this is the 2025-11-25 era's way.
                    await client.subscribe_resource(uri)  # pyright: ignore[reportDeprecated]
            with anyio.fail_after(20):
                await state.watching.wait()
            yield client, received, state
            return
        listening = client.listen(
            tools_list_changed=True,
            prompts_list_changed=True,
            resources_list_changed=True,
            resource_subscriptions=list(uris),
        )
        async with listening as subscription, anyio.create_task_group() as tasks:

            async def pump() -> None:
                async for event in subscription:
                    received.add(_event_name(event))

            tasks.start_soon(pump)
            with anyio.fail_after(20):
                await state.watching.wait()
            yield client, received, state
            tasks.cancel_scope.cancel()


Edit = Callable[[Path], object]  # what write_text or unlink returns is not used

SCENARIOS: dict[str, tuple[Edit, set[str]]] = {
    "edit agent": (
        lambda r: (r / "agents" / "minimal.md").write_text(
            "---\nname: minimal\ndescription: Edited.\n---\nYou are edited.\n"
        ),
        {"prompts", "tools", f"updated {AGENT_URI}"},
    ),
    "add agent": (
        lambda r: (r / "agents" / "fresh.md").write_text(
            "---\nname: fresh\ndescription: New.\n---\nYou are new.\n"
        ),
        {"prompts", "tools", "resources"},
    ),
    "delete agent": (
        lambda r: (r / "agents" / "minimal.md").unlink(),
        {"prompts", "tools", "resources"},
    ),
    "break agent": (
        lambda r: (r / "agents" / "minimal.md").write_text('---\n"name: broken\n---\nx\n'),
        {f"updated {AGENT_URI}"},
    ),
    "edit skill file": (
        lambda r: (r / "skills" / "demo-skill" / "references" / "guide.md").write_text("# New\n"),
        {f"updated {GUIDE_URI}"},
    ),
    "add skill": (
        lambda r: (
            (r / "skills" / "new-skill").mkdir(),
            (r / "skills" / "new-skill" / "SKILL.md").write_text(
                "---\nname: new-skill\ndescription: Added.\n---\nBody.\n"
            ),
        ),
        {"resources"},
    ),
    "delete skill": (
        lambda r: shutil.rmtree(r / "skills" / "other-skill"),
        {"resources"},
    ),
    "break skill": (
        lambda r: (r / "skills" / "demo-skill" / "SKILL.md").write_text('---\n"name: x\n---\n'),
        {f"updated {SKILL_URI}"},
    ),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_changes_reach_connected_clients(roots: Path, era: str, scenario: str) -> None:
    edit, expected = SCENARIOS[scenario]
    async with watching(roots, era) as (_, received, _state):
        edit(roots)
        await received.wait_for(expected)


async def test_an_edit_is_served_after_the_notification(roots: Path, era: str) -> None:
    async with watching(roots, era) as (client, received, _):
        SCENARIOS["edit agent"][0](roots)
        await received.wait_for({"prompts"})
        prompts = {p.name: p for p in (await client.list_prompts(cache_mode="bypass")).prompts}
        assert prompts["minimal"].description == "Edited."


async def test_a_broken_file_keeps_its_last_good_version(roots: Path, era: str) -> None:
    async with watching(roots, era) as (client, received, state):
        SCENARIOS["break agent"][0](roots)
        await received.wait_for({f"updated {AGENT_URI}"})
        prompts = {p.name for p in (await client.list_prompts(cache_mode="bypass")).prompts}
        assert "minimal" in prompts
        (diagnostic,) = [d for d in state.catalog.diagnostics if d.path.name == "minimal.md"]
        assert diagnostic.code == "yaml-syntax"
        assert "last good version keeps serving" in diagnostic.message


async def test_a_burst_of_saves_is_coalesced(roots: Path, era: str) -> None:
    async with watching(roots, era) as (_, received, _):
        path = roots / "agents" / "minimal.md"
        for n in range(20):
            path.write_text(f"---\nname: minimal\ndescription: Save {n}.\n---\nBody {n}.\n")
        await received.wait_for({"prompts"})
        with anyio.move_on_after(0.5):
            await received.wait_for({"never"})
        assert received.count("prompts") < 5


async def test_capabilities_advertise_what_is_pushed(roots: Path, era: str) -> None:
    async with watching(roots, era) as (client, _, _):
        caps = client.server_capabilities
        assert caps.prompts is not None
        assert caps.prompts.list_changed
        assert caps.tools is not None
        assert caps.tools.list_changed
        assert caps.resources is not None
        assert caps.resources.subscribe
        assert caps.resources.list_changed
        agents = (caps.extensions or {}).get(AGENTS_EXTENSION)
        assert agents == (None if era == "legacy" else {"listChanged": True})


async def test_without_watching_nothing_is_advertised(test_catalog: Any, era: str) -> None:
    async with Client(build_server(ServerState(test_catalog)), mode=era) as client:
        caps = client.server_capabilities
        assert caps.prompts is not None
        assert not caps.prompts.list_changed
        assert caps.resources is not None
        assert not caps.resources.subscribe
        agents = (caps.extensions or {}).get(AGENTS_EXTENSION)
        assert agents == (None if era == "legacy" else {})


class AgentsListObserver(ClientExtension):
    """Records each ``notifications/agents/list_changed`` with the subscription id it
    carries, declaring ``identifier``: the Agents extension, or another one for a client
    that did not negotiate it but would still see the notification if it were sent."""

    def __init__(self, received: Received, identifier: str = AGENTS_EXTENSION) -> None:
        self.identifier = identifier
        self.received = received

    def notifications(self) -> Sequence[NotificationBinding[Any]]:
        async def changed(params: types.NotificationParams) -> None:
            self.received.add(f"agents {(params.meta or {}).get(SUBSCRIPTION_ID_META_KEY)}")

        binding = NotificationBinding(
            method=LIST_CHANGED, params_type=types.NotificationParams, handler=changed
        )
        return [binding]


@asynccontextmanager
async def listening_for_agents(
    roots: Path, *, declared: bool
) -> AsyncGenerator[tuple[Client, Received, types.SubscriptionsAcknowledgedNotificationParams]]:
    """A 2026-07-28 client of a watching server, with a listen stream that asks for
    prompts and agents changes; yields what arrives and the server's acknowledgment."""
    sources = collect_sources(
        agents=[roots / "agents"], skills=[roots / "skills"], bundled=False, environ={}
    )
    state = ServerState(build_catalog(sources), ServerOptions(watch=True))
    received = Received()
    acks: list[types.SubscriptionsAcknowledgedNotificationParams] = []
    acked = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(message, types.SubscriptionsAcknowledgedNotification):
            acks.append(message.params)
            acked.set()
        elif not isinstance(message, Exception):
            received.add(_event_name(message))

    # The SDK's Client.listen() knows only the core filter keys, so the request is sent
    # as it is; the stream's frames then reach message_handler and the extension.
    wanted = {"promptsListChanged": True, LIST_CHANGED_FILTER: True}
    request = types.SubscriptionsListenRequest(
        params=types.SubscriptionsListenRequestParams(
            notifications=types.SubscriptionFilter.model_validate(wanted)
        )
    )
    observer = AgentsListObserver(received, AGENTS_EXTENSION if declared else "example.com/other")
    client = Client(
        build_server(state), mode="auto", message_handler=on_message, extensions=[observer]
    )
    async with client, anyio.create_task_group() as tasks:
        tasks.start_soon(client.session.send_request, request, types.SubscriptionsListenResult)
        with anyio.fail_after(20):
            await acked.wait()
            await state.watching.wait()
        yield client, received, acks[0]
        tasks.cancel_scope.cancel()


async def test_agent_changes_reach_listeners_that_negotiated_the_agents_extension(
    roots: Path,
) -> None:
    async with listening_for_agents(roots, declared=True) as (_, received, ack):
        assert (ack.notifications.model_extra or {}).get(LIST_CHANGED_FILTER) is True
        SCENARIOS["add agent"][0](roots)
        subscription = (ack.meta or {})[SUBSCRIPTION_ID_META_KEY]
        await received.wait_for({f"agents {subscription}", "prompts"})


async def test_agent_changes_are_not_honored_without_the_agents_extension(roots: Path) -> None:
    async with listening_for_agents(roots, declared=False) as (client, received, ack):
        honored = ack.notifications
        assert honored.prompts_list_changed is True
        assert LIST_CHANGED_FILTER not in (honored.model_extra or {})
        SCENARIOS["add agent"][0](roots)
        # The server sends the agents notification before the prompts one; a round trip
        # after the latter gives the observer the time to record the former, had it come.
        await received.wait_for({"prompts"})
        await client.list_prompts(cache_mode="bypass")
        assert not [name for name in received if name.startswith("agents")]


async def test_reload_diagnostics_reach_clients_that_set_a_log_level(roots: Path) -> None:
    sources = collect_sources(
        agents=[roots / "agents"], skills=[roots / "skills"], bundled=False, environ={}
    )
    state = ServerState(build_catalog(sources), ServerOptions(watch=True))
    logs: list[types.LoggingMessageNotificationParams] = []
    logged = anyio.Event()

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        logs.append(params)
        logged.set()

    async with Client(build_server(state), mode="legacy", logging_callback=on_log) as client:
        assert client.server_capabilities.logging is not None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Deprecated for 2026-07-28 only; the 2025-11-25 era still has logging.
            await client.set_logging_level("warning")  # pyright: ignore[reportDeprecated]
        with anyio.fail_after(20):
            await state.watching.wait()
        SCENARIOS["break agent"][0](roots)
        with anyio.fail_after(10):
            await logged.wait()
    assert logs[0].level == "error"
    assert "minimal.md" in str(logs[0].data)
    assert "yaml-syntax" in str(logs[0].data)


async def test_the_2026_era_does_not_advertise_logging(test_catalog: Any) -> None:
    async with Client(build_server(ServerState(test_catalog)), mode="auto") as client:
        assert client.server_capabilities.logging is None
