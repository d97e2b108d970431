"""What every surface of one server process shares: settings, database, workflow, metrics, notifiers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from aiohttp import web

from bot.approvals import ApprovalService
from bot.config import Settings
from bot.identity import ConfiguredDirectory
from bot.incidents import IncidentService
from bot.ports import Notifier
from handlers.metrics import Metrics
from storage.db import Database
from storage.repositories import SqlTransaction

T = TypeVar("T")


@dataclass
class AppContext:
    """The server's shared objects (one per process)."""

    settings: Settings
    db: Database
    service: ApprovalService
    incidents: IncidentService
    directory: ConfiguredDirectory
    metrics: Metrics
    sandbox: bool
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    wake_outbox: asyncio.Event = field(default_factory=asyncio.Event)
    # Called with an incident's id after it changed (the sandbox refreshes open pages).
    incident_listeners: list[Callable[[str], None]] = field(default_factory=list)

    def incident_changed(self, incident_id: str) -> None:
        """Tell the listeners that an incident changed."""
        for listener in self.incident_listeners:
            listener(incident_id)

    def settings_identity_users(self) -> frozenset[str]:
        """Every user listed in a group or with a name (the sandbox accepts only these)."""
        identity = self.directory.identity
        listed = {user for users in identity.groups.values() for user in users}
        return frozenset(listed | set(identity.names))

    async def run(self, work: Callable[[SqlTransaction], T], *, write: bool = True) -> T:
        """Run ``work`` in a database transaction on a worker thread (the event loop never blocks)."""
        result = await asyncio.to_thread(self.db.run, work, write=write)
        if write:
            self.wake_outbox.set()
        return result


CONTEXT: web.AppKey[AppContext] = web.AppKey("phigate_context", AppContext)


def context_of(request: web.Request) -> AppContext:
    """The ``AppContext`` of the app serving ``request``."""
    return request.app[CONTEXT]
