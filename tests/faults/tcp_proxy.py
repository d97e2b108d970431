"""A fault-injecting TCP proxy for the database connection, run in its own thread.

Everything the server says to the database and back passes through it, so a test can cut every open
connection at once (the server sees them reset mid-query) or black-hole new ones (they are accepted
and then never answered, like a database host that stopped responding).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


class FaultyProxy:
    """Forwards 127.0.0.1:<port> to ``target``; ``cut()`` and ``blackhole()`` inject faults."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.connections_cut = 0
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._blackholed = False
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="faulty-proxy", daemon=True)

    def start(self) -> FaultyProxy:
        self._thread.start()
        assert self._ready.wait(10), "proxy did not start"
        return self

    def stop(self) -> None:
        self._call(self._close_all)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def cut(self) -> int:
        """Reset every open connection (both sides); returns how many sockets were reset."""
        return self._call(self._close_all)

    def blackhole(self, on: bool) -> None:
        """While on, new connections are accepted but nothing is forwarded either way."""
        self._blackholed = on

    def _call(self, function):  # run on the proxy's loop and wait for the result
        async def run():
            return function()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(10)

    def _close_all(self) -> int:
        cut = len(self._writers)
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        self.connections_cut += cut
        return cut

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        if self._blackholed:
            return  # held open and silent until the next cut()
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.add(up_writer)
        await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(Exception):
            writer.close()  # one side ended: end the other too
        self._writers.discard(writer)
