"""A real phigate server on 127.0.0.1 in a background thread, and a tiny HTTP client for tests."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from bot.clock import ManualClock
from bot.config import Settings
from handlers.context import CONTEXT, AppContext
from handlers.server import build_server
from storage.db import Database

T = TypeVar("T")


@dataclass
class Reply:
    """An HTTP answer."""

    status: int
    headers: dict[str, str]
    body: bytes
    data: Any = field(default=None)


class LiveServer:
    """Runs the app with its outbox worker and scheduler on a free loopback port."""

    def __init__(
        self, settings: Settings, db: Database, clock: ManualClock | None = None, *, background: bool = True
    ) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = settings
        self.db = db
        self.clock = clock
        self.background = background
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.app: web.Application | None = None

    def start(self) -> LiveServer:
        self._thread.start()
        self.call_soon(self._start())
        return self

    async def _start(self) -> None:
        self.app = build_server(self.settings, self.db, self.clock, background=self.background)
        # Short shutdown: a test client may leave a keep-alive connection open.
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    def stop(self) -> None:
        if self._runner is not None:
            self.call_soon(self._runner.cleanup())
        # Database work handed to threads (asyncio.to_thread) must finish before the test's database
        # is dropped, or PostgreSQL's DROP SCHEMA can deadlock with a read still in flight.
        self.call_soon(self.loop.shutdown_default_executor(), timeout=15)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)

    def call_soon(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run a coroutine on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    @property
    def ctx(self) -> AppContext:
        assert self.app is not None
        return self.app[CONTEXT]

    def drain(self) -> int:
        """Deliver every due outbox message now (instead of waiting for the worker's poll)."""
        from handlers.worker import drain_once

        total = 0
        while attempted := self.call_soon(drain_once(self.ctx)):
            total += attempted
        return total

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        user: str | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        """Send one request; JSON bodies in and out."""
        sent = dict(headers or {})
        if user:
            sent["X-Phigate-User"] = user
        if token:
            sent["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                reply = Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, dict(error.headers), error.read())
        if reply.headers.get("Content-Type", "").startswith("application/json"):
            reply.data = json.loads(reply.body)
        return reply


def post(url: str, data: bytes, headers: dict[str, str]) -> Reply:
    """POST ``data`` to ``url`` and return the answer (JSON answers parsed into ``data``), errors included."""
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            reply = Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        reply = Reply(error.code, dict(error.headers), error.read())
    if reply.headers.get("Content-Type", "").startswith("application/json") and reply.body:
        reply.data = json.loads(reply.body)
    return reply
