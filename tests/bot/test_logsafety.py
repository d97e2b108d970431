from __future__ import annotations

import logging

from bot.logsafety import WITHHELD, PhiSafeFilter, scrub
from tests.conftest import CANARY, canary_draft


def _record(
    name: str, msg: str, *args: object, level: int = logging.INFO, exc_info=None
) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, exc_info)


def test_body_logging_libraries_are_withheld() -> None:
    record = _record("slack_bolt.App", "Failed to verify signature: body=%s", canary_draft())
    PhiSafeFilter().filter(record)
    assert record.getMessage() == WITHHELD


def test_identifiers_are_scrubbed_from_other_messages() -> None:
    record = _record("phigate.x", "draft %s from %s", "SSN 123-45-6789", "jane.doe@example.com")
    PhiSafeFilter().filter(record)
    message = record.getMessage()
    assert "123-45-6789" not in message and "jane.doe@example.com" not in message
    assert scrub("call 555-013-2298 re MRN 12345678") == "call [redacted] re MRN [redacted]"


def test_exception_messages_are_withheld_but_traceback_kept() -> None:
    try:
        raise ValueError(f"could not parse {canary_draft()}")
    except ValueError:
        import sys

        record = _record("phigate.x", "failed", level=logging.ERROR, exc_info=sys.exc_info())
    PhiSafeFilter().filter(record)
    formatted = logging.Formatter("%(message)s").format(record)
    assert CANARY not in formatted
    assert "ValueError: [message withheld by phigate]" in formatted
    assert "test_logsafety.py" in formatted
