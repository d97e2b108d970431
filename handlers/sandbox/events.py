"""Live updates for open sandbox pages: every delivered outbox message becomes a server-sent event."""

from __future__ import annotations

import asyncio
import json
from typing import Any


class EventHub:
    """Fan-out of small JSON events (ids and kinds only) to every connected page."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[str]] = set()

    def subscribe(self) -> asyncio.Queue[str]:
        """A queue that receives every event from now on."""
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=200)
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str]) -> None:
        """Stop sending to ``queue``."""
        self._queues.discard(queue)

    def publish(self, event: dict[str, Any]) -> None:
        """Send ``event`` to every page; a page that stopped reading loses old events, not new ones."""
        data = json.dumps(event)
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(data)

    @property
    def listeners(self) -> int:
        """How many pages are connected."""
        return len(self._queues)
