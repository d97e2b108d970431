"""Suite-wide fixtures: the PHI canary that proves no draft text reaches a log record.

Every log record of the whole test run goes through a handler that carries phigate's PHI-safe
filter, exactly as production handlers do (``bot.logsafety.install``). Tests put ``CANARY`` into
the drafts they send; when the session ends, any formatted record containing it fails the run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.logsafety import PhiSafeFilter

CANARY = "Zqxcanary"  # looks like a surname to the scanner, unique enough to grep for


def canary_draft(template: str = "Glad your knee surgery went well, {canary}!") -> str:
    """A draft that carries the canary marker where a patient's name would be."""
    return template.format(canary=CANARY)


class _CaptureHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.formatted: list[str] = []
        self.addFilter(PhiSafeFilter())
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.formatted.append(self.format(record))


_capture = _CaptureHandler()


def pytest_sessionstart(session: pytest.Session) -> None:
    root = logging.getLogger()
    root.addHandler(_capture)
    root.setLevel(logging.DEBUG)


# With pytest-xdist every worker captures its own records; it hands its leaks to the controller in
# ``workeroutput``, and the controller fails the run (a worker's own exit status does not count there).
_worker_leaks: list[str] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    _worker_leaks.extend(getattr(node, "workeroutput", {}).get("phi_canary_leaks", []))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaks = [line for line in _capture.formatted if CANARY.lower() in line.lower()]
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["phi_canary_leaks"] = [line[:200] for line in leaks]
    leaks += _worker_leaks
    if leaks:
        print(f"\nPHI CANARY: {len(leaks)} log record(s) contain draft text, e.g. {leaks[0][:200]!r}")
        session.exitstatus = 1


@pytest.fixture
def captured_logs() -> list[str]:
    """The formatted log lines of the run so far (to assert on within a test)."""
    return _capture.formatted


@pytest.fixture(scope="session")
def default_scanner():
    """One scanner with the default configuration for the whole run (the model loads once)."""
    from bot.phi.scanner import Scanner

    return Scanner()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path):
    """A migrated, empty database: each test using it runs on SQLite and on PostgreSQL."""
    from tests.databases import migrated_database

    with migrated_database(request.param, tmp_path) as db:
        yield db


@pytest.fixture
def live_server(database, tmp_path):
    """A running phigate server (sandbox mode, default policy) on SQLite and on PostgreSQL.

    The clock is a ``ManualClock`` (``live_server.clock.advance(hours=...)``); the outbox worker polls
    every 0.2 s, and ``live_server.drain()`` delivers due messages at once.
    """
    from bot.clock import ManualClock
    from bot.config import Settings
    from tests.handlers.live_server import LiveServer

    settings = Settings.load(env={"PHIGATE_SERVER__OUTBOX_POLL_SECONDS": "0.2"})
    server = LiveServer(settings, database, ManualClock()).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    """Commands run in-process install phigate's log handler on capsys's stream; undo that after each test
    so the suite-wide canary keeps working and no later thread logs into a closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
